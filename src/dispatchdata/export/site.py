"""``site``: a static, self-contained site of a release, to read rather than query.

The pages (see ``site_templates/``): each document annotated (the first is the start page,
``index.html``), a page per actor and per proposal with their indexes, the stance matrix, who
answers whom (an SVG drawn at export time), the timeline of the footnotes' dates, and About. Beside
them, the JSON bundle and the CSV tables of the same release (the json and csv writers'), which
every page links to: the data behind it.

HTML is made by Jinja2 templates with autoescaping on: every value from the data is escaped, and
no link is made from a value but the ids (slugs, see :mod:`.site_paths`) and ``--base-url``
(checked to be an http(s) URL). Nothing is fetched: no CDN, no font, no request leaving the
folder; the pages work from ``file://``. The output is deterministic: no time, no randomness.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from ..model import ActorStance
from . import EXPORTERS, ExportError, csv_tables, json_bundle, safe_path
from . import site_paths as paths
from .site_view import KINDS, STANCES, Site, find_texts, site_of

#: The files the site copies as they are, from its templates folder.
STATIC = ("site.css", "site.js")
#: The pages every site has (a document's, an actor's and a proposal's are named by their ids).
FIXED = ("actors.html", "proposals.html", "matrix.html", "responses.html", "timeline.html", "about.html")
TEMPLATES = "site_templates"
MISSING_JINJA = EXPORTERS["site"].install_message()


def _environment() -> Any:
    """The Jinja2 environment: the package's templates, autoescaping every template, undefined
    names an error (a template typo fails the export, not the page)."""
    try:
        import jinja2  # deferred: the optional 'site' extra
    except ImportError:
        raise ExportError(MISSING_JINJA) from None
    return jinja2.Environment(
        loader=jinja2.PackageLoader("dispatchdata.export", TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _links(site: Site) -> dict[str, Any]:
    """The functions the templates link with: every href is made by one of them."""
    ids = sorted(d.id for d in site.ds.documents)

    def statement(statement_id: str) -> str:
        return paths.statement_link(ids, site.ds.statement(statement_id).document, statement_id)

    def permanent(link: str) -> str:
        if site.base is None:
            return link
        return f"{site.base}/{link[len('index.html') :] if link.startswith('index.html') else link}"

    def name(actor_id: str) -> str:
        return site.ds.actor(actor_id).name

    def stances_in(statement_id: str, proposal_id: str, actor_id: str) -> list[str]:
        """The stances the statement gives ``actor_id`` on the proposal (a matrix cell's
        overall stance is mixed when its statements differ: each says its own)."""
        s = site.ds.statement(statement_id)
        return [
            t.stance for t in s.stances if t.proposal == proposal_id and (t.holder or s.speaker) == actor_id
        ]

    shown = {v.document.id for v in site.documents if v.missing is None}

    def place(proposal_id: str, index: int) -> str | None:
        """Where the proposal's anchor ``index`` is in its document's annotated text (None when
        that text is not in the site)."""
        document = site.ds.proposal(proposal_id).anchors[index].document
        if document not in shown:
            return None
        return f"{paths.document_page(ids, document)}#pr-{paths.slug(proposal_id)}-{index}"

    return {
        "place_url": place,
        "actor_url": paths.actor_page,
        "proposal_url": paths.proposal_page,
        "statement_url": statement,
        "document_url": lambda document_id: paths.document_page(ids, document_id),
        "permanent": permanent,
        "name": name,
        "stances_in": stances_in,
        "kinds": KINDS,
        "stances": STANCES,
        "symbol": dict(STANCES),
    }


def iter_pages(site: Site) -> Iterable[tuple[str, str, dict[str, Any]]]:
    """Every page: its file name, its template and what the template is given beyond ``site``."""
    for view in site.documents:
        yield view.page, "document.html", {"view": view}
    for name in FIXED:
        yield name, name, {}
    by_actor: dict[str, list[ActorStance]] = {}
    by_proposal: dict[str, list[ActorStance]] = {}
    for (actor_id, proposal_id), stance in sorted(site.matrix.items()):
        by_actor.setdefault(actor_id, []).append(stance)
        by_proposal.setdefault(proposal_id, []).append(stance)
    for actor in site.ds.actors:
        said = site.by_speaker.get(actor.id, [])
        held = by_actor.get(actor.id, [])
        yield paths.actor_page(actor.id), "actor.html", {"actor": actor, "held": held, "said": said}
    for proposal in site.ds.proposals:
        held = by_proposal.get(proposal.id, [])
        yield paths.proposal_page(proposal.id), "proposal.html", {"proposal": proposal, "held": held}


def write(
    bundle: dict[str, Any],
    folder: Path,
    *,
    sources: Iterable[str | Path] = (),
    base_url: str | None = None,
) -> None:
    """Write the site of ``bundle`` into ``folder``: the pages, their stylesheet and script, the
    JSON bundle and the CSV tables. ``sources``: folders to look for the documents' texts in
    beside the package's own; ``base_url``: where the site will be served (its permanent links;
    without it, links stay relative)."""
    env = _environment()
    try:
        site = site_of(bundle, find_texts(bundle, sources), paths.base_url(base_url))
    except paths.SiteError as error:
        raise ExportError(str(error)) from None
    env.globals.update(_links(site), site=site)
    json_bundle.write(bundle, folder)
    csv_tables.write(bundle, folder)
    for name in STATIC:
        data = resources.files("dispatchdata.export").joinpath(TEMPLATES).joinpath(name).read_bytes()
        safe_path(folder, name).write_bytes(data)
    for name, template, context in iter_pages(site):
        html = env.get_template(template).render(page=name, **context)
        safe_path(folder, name).write_text(html, encoding="utf-8", newline="\n")
