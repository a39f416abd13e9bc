"""``datapackage``: a Frictionless Data Package (v2): ``datapackage.json`` describing every CSV
table with a Table Schema (types; the constraints the JSON Schema puts on each field: required,
enumerations, patterns, lengths, minimums; primary and foreign keys), and the package's version,
licence, sources and contributors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..identity import identity_of
from . import safe_path
from .csv_tables import write_tables
from .tables import ALL_TABLES, Column, Table

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
TABLE_SCHEMA = "https://datapackage.org/profiles/2.0/tableschema.json"
LICENSE_TITLES = {"CC-BY-4.0": "Creative Commons Attribution 4.0 International"}


def _field(column: Column) -> dict[str, Any]:
    """A column's Table Schema field: its type, and every constraint the JSON Schema puts on it."""
    field: dict[str, Any] = {"name": column.name, "type": column.type, "description": column.description}
    constraints: dict[str, Any] = dict(column.constraints)
    if column.required and not column.text_may_be_empty:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if constraints:
        field["constraints"] = constraints
    return field


def _resource(table: Table) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "$schema": TABLE_SCHEMA,
        "fields": [_field(c) for c in table.columns],
        "primaryKey": list(table.primary_key),
        "missingValues": [""],
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": list(fk.columns), "reference": {"resource": fk.table, "fields": list(fk.referenced)}}
            for fk in table.foreign_keys
        ]
    return {
        "name": table.name,
        "type": "table",
        "path": f"{table.name}.csv",
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": table.description,
        "dialect": {
            "header": True,
            "delimiter": ",",
            "lineTerminator": "\n",
            "quoteChar": '"',
            "doubleQuote": True,
        },
        "schema": schema,
    }


def _sources(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    names = {a["id"]: a["name"] for a in bundle["collections"]["actors"]}
    return [
        {
            "title": f"{names.get(d['publisher'], d['publisher'])}, {d['series']} No. {d['number']} "
            f"({d['published']}): {d['title']} (text SHA-256 {d['sha256']})"
        }
        for d in bundle["collections"]["documents"]
    ]


def descriptor(bundle: dict[str, Any]) -> dict[str, Any]:
    """The ``datapackage.json`` of a bundle."""
    m = bundle["metadata"]
    identity = identity_of(bundle)
    package: dict[str, Any] = {
        "$schema": PROFILE,
        "name": m["name"],
        "title": m["title"],
        "description": m["description"],
        "version": identity.label,
        "keywords": list(m.get("keywords", [])),
        "licenses": [{"name": m["license"], "title": LICENSE_TITLES.get(m["license"], m["license"])}],
        "contributors": [{"title": c["name"], "roles": ["creator"]} for c in m.get("creators", [])],
        "sources": _sources(bundle),
        "resources": [_resource(t) for t in ALL_TABLES],
    }
    if identity.released:
        package["created"] = f"{identity.released}T00:00:00Z"
    return package


def write(bundle: dict[str, Any], folder: Path) -> None:
    """Write the CSV tables and ``datapackage.json``."""
    write_tables(bundle, folder)
    text = json.dumps(descriptor(bundle), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    safe_path(folder, "datapackage.json").write_text(text, encoding="utf-8", newline="\n")
