"""Where each record lives in an exported site (``export site``): its page and anchor, and the
permanent link a citation prints (``cite --record ID --base-url URL``).

File names come from ids, which the schema holds to lowercase slugs; a name is still refused
here unless its id is one, so no page name can leave the export's folder or need escaping.
"""

from __future__ import annotations

import re
from typing import Any

from ..display import excerpt
from ..errors import DispatchDataError

#: What an id must be to name a page (the schema's own pattern for ids).
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
#: A base URL: http(s), a host, no spaces, quotes or angle brackets (it goes into attributes).
_BASE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?")


class SiteError(DispatchDataError):
    """A site cannot be made or linked as asked (a base URL that is not one, say)."""


def slug(identifier: Any) -> str:
    """``identifier`` when it is a slug (``^[a-z0-9]+(-[a-z0-9]+)*$``), else SiteError."""
    if not isinstance(identifier, str) or _SLUG.fullmatch(identifier) is None:
        raise SiteError(f"refusing to name a page after the id {excerpt(str(identifier))!r}: not a slug")
    return identifier


def base_url(url: str | None) -> str | None:
    """``url`` without its trailing slashes, when it is an http(s) URL that can stand in an
    attribute as it is (no quotes, spaces or angle brackets: never a ``javascript:`` link);
    else SiteError. None stays None (links stay relative)."""
    if url is None:
        return None
    if _BASE_URL.fullmatch(url) is None or "'" in url:
        raise SiteError(
            f"--base-url {excerpt(url)!r} is not an http:// or https:// URL "
            "(a host, then a path without spaces, quotes or angle brackets)"
        )
    return url.rstrip("/")


def document_page(documents: list[str], document: str) -> str:
    """The annotated page of ``document``: ``index.html`` for the first of ``documents`` (the
    documents' ids, sorted: the start page), ``document-<id>.html`` for the others."""
    return "index.html" if document == documents[0] else f"document-{slug(document)}.html"


def actor_page(actor: str) -> str:
    """The page of one actor."""
    return f"actor-{slug(actor)}.html"


def proposal_page(proposal: str) -> str:
    """The page of one proposal."""
    return f"proposal-{slug(proposal)}.html"


def statement_link(documents: list[str], document: str, statement: str) -> str:
    """A statement's passage in its document's annotated page: ``<page>#st-<id>``."""
    return f"{document_page(documents, document)}#st-{slug(statement)}"


def record_link(bundle: dict[str, Any], record: str) -> str:
    """The site-relative link of the record ``record`` (a document, actor, proposal or
    statement id) in the site of ``bundle``; KeyError when there is no such record."""
    collections = bundle["collections"]
    documents = sorted(d["id"] for d in collections["documents"])
    for document in collections["documents"]:
        if document["id"] == record:
            return document_page(documents, record)
    for statement in collections["statements"]:
        if statement["id"] == record:
            return statement_link(documents, statement["document"], record)
    for name, page in (("actors", actor_page), ("proposals", proposal_page)):
        if any(r["id"] == record for r in collections[name]):
            return page(record)
    raise KeyError(record)


def permanent_link(bundle: dict[str, Any], record: str, url: str) -> str:
    """The permanent link of ``record`` in the site of ``bundle`` served at ``url``: the start
    page's own link is ``<url>/`` (``<url>/#st-<id>`` for its statements)."""
    base = base_url(url)
    link = record_link(bundle, record)
    if link.startswith("index.html"):
        link = link[len("index.html") :]
    return f"{base}/{link}"
