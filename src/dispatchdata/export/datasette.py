"""Datasette's ``metadata.json``, written beside the SQLite database (``datasette
dispatchdata.db -m metadata.json``): the dataset's title, licence, source and description, the
version and citation of the data, and a description of every table and column, from the table
definitions (:mod:`~dispatchdata.export.tables`), so that what Datasette shows is what the data
package says."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..citation import cite_text
from ..identity import identity_of
from . import safe_path
from .tables import Table

METADATA_FILE = "metadata.json"

#: Where the text of a licence the dataset may carry is published.
LICENSE_URLS = {"CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/"}


#: Up to this many documents are named as the source; more are counted (Datasette shows the
#: source on every page and in every JSON response: a corpus of 2,000 documents made each
#: page some 400 KB), and the ``documents`` table lists them.
SOURCE_DOCUMENTS = 3


def _source(bundle: dict[str, Any]) -> str:
    """The documents the data is extracted from, as the data package names them; or how many."""
    documents = bundle["collections"]["documents"]
    if len(documents) > SOURCE_DOCUMENTS:
        return f"{len(documents)} documents: see the documents table"
    names = {a["id"]: a["name"] for a in bundle["collections"]["actors"]}
    return "; ".join(
        f"{names.get(d['publisher'], d['publisher'])}, {d['series']} No. {d['number']} ({d['published']}): "
        f"{d['title']}"
        for d in sorted(documents, key=lambda d: str(d["id"]))
    )


#: A view's description and its columns' (by name).
Described = tuple[str, dict[str, str]]


def metadata(
    bundle: dict[str, Any], database: str, tables: Iterable[Table], views: dict[str, Described] | None = None
) -> dict[str, Any]:
    """Datasette's metadata of the database ``database`` (its file name without ``.db``),
    holding ``tables`` and ``views``."""
    m = bundle["metadata"]
    license_url = LICENSE_URLS.get(m["license"])
    described = {
        t.name: {"description": t.description, "columns": {c.name: c.description for c in t.columns}}
        for t in tables
    } | {name: {"description": text, "columns": columns} for name, (text, columns) in (views or {}).items()}
    out: dict[str, Any] = {
        "title": m["title"],
        "description": m["description"],
        "license": m["license"],
        "source": _source(bundle),
        "databases": {
            database: {
                "title": m["title"],
                "description": f"Version {identity_of(bundle).label}. Cite as: {cite_text(bundle)}",
                "tables": described,
            }
        },
    }
    if license_url:
        out["license_url"] = license_url
    return out


def write(
    bundle: dict[str, Any],
    folder: Path,
    database: str,
    tables: Iterable[Table],
    views: dict[str, Described] | None = None,
) -> None:
    """Write ``metadata.json`` into ``folder``, beside the database."""
    text = json.dumps(metadata(bundle, database, tables, views), indent=2, sort_keys=True, ensure_ascii=False)
    safe_path(folder, METADATA_FILE).write_text(text + "\n", encoding="utf-8", newline="\n")
