"""The schema is valid draft 2020-12, documents every field, and resolves without a network."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from dispatchdata.check import schema as schema_module

from .conftest import SCHEMA

FILES = sorted(SCHEMA.glob("*.schema.json"))


def _load(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _subschemas(node: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _subschemas(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _subschemas(value, f"{path}/{i}")


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_schema_is_valid_against_the_draft_2020_12_metaschema(path: Any) -> None:
    """Equivalent of check-jsonschema --check-metaschema."""
    Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_property_is_described(path: Any) -> None:
    """The schema is the codebook: every property (and every $defs entry) has a description."""
    document = json.loads(path.read_text(encoding="utf-8"))
    missing = []
    for where, node in _subschemas(document):
        if {"if", "then", "else"} & set(where.split("/")):
            continue  # conditional constraints refine properties already described
        for name, sub in node.get("properties", {}).items():
            if "description" not in sub:
                missing.append(f"{where}/properties/{name}")
        for name, sub in node.get("$defs", {}).items():
            if "description" not in sub:
                missing.append(f"{where}/$defs/{name}")
    assert missing == []


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_objects_allow_no_additional_properties(path: Any) -> None:
    """Every object with declared properties closes itself: typos in field names are errors."""
    document = json.loads(path.read_text(encoding="utf-8"))
    open_objects = [
        where
        for where, node in _subschemas(document)
        if node.get("type") == "object"
        and "properties" in node
        and node.get("additionalProperties") is not False
    ]
    assert open_objects == []


def test_ids_are_urns_and_every_ref_resolves_locally() -> None:
    """$ids are URNs (no network, nothing invented), and the package's registry resolves every $ref."""
    documents = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in FILES}
    ids = {d["$id"] for d in documents.values()}
    assert all(i.startswith("urn:dispatchdata:schema:") for i in ids)
    refs = {n["$ref"] for d in documents.values() for _, n in _subschemas(d) if "$ref" in n}
    for ref in refs:
        base = ref.split("#")[0]
        assert base == "" or base in ids, ref
    for collection in schema_module.SCHEMA_FILES:
        validator = schema_module.validator(collection)
        list(validator.iter_errors([] if collection != "dataset" else {}))  # resolves lazily; must not raise


def test_statement_kinds_and_stances_are_enumerated() -> None:
    """Kinds, stances and statuses are closed vocabularies."""
    statements = _load("statements.schema.json")["$defs"]
    assert statements["statement"]["properties"]["kind"]["enum"] == [
        "direct-quote",
        "partial-quote",
        "paraphrase",
        "editorial",
    ]
    assert statements["stance"]["properties"]["stance"]["enum"] == ["supports", "opposes", "mixed", "neutral"]
