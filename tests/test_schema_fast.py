"""The fast path (jsonschema-rs) and jsonschema agree on every case: the fast check may only ever
skip jsonschema for data jsonschema would find no error in."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dispatchdata.check.schema import FAST_FORMATS, SCHEMA_FILES, fast_check, validator
from dispatchdata.read.parse import parse_bytes

from .conftest import DATASET
from .helpers import examples
from .test_validate import INVALID, MINIMAL, apply_case

pytest.importorskip("jsonschema_rs")


def _agree(collection: str, data: Any) -> None:
    fast = fast_check(collection)
    assert fast is not None
    slow_valid = not any(True for _ in validator(collection).iter_errors(data))
    assert fast(data) == slow_valid, (collection, json.dumps(data)[:300])


def _collections(folder: Path) -> list[tuple[str, Any]]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".yaml", ".json") or not path.is_file():
            continue
        rel = path.relative_to(folder)
        collection = rel.parts[0].split(".")[0]
        if collection in SCHEMA_FILES:
            parsed = parse_bytes(path.read_bytes(), path.name)
            if parsed.data is not None:
                found.append((collection, parsed.data))
    return found


@pytest.mark.parametrize("case", INVALID, ids=[p.stem for p in INVALID])
def test_agree_on_every_invalid_case(case: Path, tmp_path: Path) -> None:
    """Each broken dataset of tests/cases/invalid: same verdict, file by file."""
    apply_case(parse_bytes(case.read_bytes(), case.name).data, tmp_path / "d")
    for collection, data in _collections(tmp_path / "d"):
        _agree(collection, data)


def test_agree_on_the_shipped_dataset() -> None:
    """The real data: both say valid."""
    for collection, data in _collections(DATASET):
        _agree(collection, data)


MINIMAL_RECORDS = dict(_collections(MINIMAL))
ODD_STRINGS = [
    "", " x", "x ", "2023-02-30", "2023-01-13", "20230113", "a--b", "A", "doc-1", "supports", "é",
    "0000-01-01", "9999-12-31", "2023-1-13", "\u0662\u0660\u0662\u0663-01-13",
]  # fmt: skip
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(ODD_STRINGS),
)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, Any]:
    """A minimal collection with one value somewhere replaced, or one key removed or added."""
    collection = draw(st.sampled_from(sorted(MINIMAL_RECORDS)))
    data = copy.deepcopy(MINIMAL_RECORDS[collection])
    node: Any = data
    for _ in range(draw(st.integers(0, 4))):
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node)))
            if not isinstance(node[key], (dict, list)) or not node[key]:
                break
            node = node[key]
        elif isinstance(node, list) and node:
            node = node[draw(st.integers(0, len(node) - 1))]
        else:
            break
    action = draw(st.sampled_from(["replace", "remove", "add"]))
    if isinstance(node, dict) and node:
        key = draw(st.sampled_from(sorted(node)))
        if action == "replace":
            node[key] = draw(LEAVES)
        elif action == "remove":
            del node[key]
        else:
            extra = draw(st.sampled_from(["extra", "note", "date", "verb", "kind", "parent"]))
            node[extra] = draw(LEAVES)
    elif isinstance(node, list) and node:
        node[draw(st.integers(0, len(node) - 1))] = draw(LEAVES)
    return collection, data


@given(mutated())
@settings(max_examples=examples(400), deadline=None)
def test_agree_on_generated_mutations(case: tuple[str, Any]) -> None:
    """Hundreds of one-edit variants of valid records: same verdict every time."""
    _agree(*case)


DATE_LIKE = st.one_of(
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),
    st.dates().map(str),
    st.text(alphabet="0123456789-\n\u0662", max_size=12),
)


@given(DATE_LIKE)
@example("0000-01-01")
@example("0001-01-01")
@example("2023-02-29")
@example("2024-02-29")
@settings(max_examples=examples(300), deadline=None)
def test_agree_on_dates(value: str) -> None:
    """A statement's date, any date-like string (year 0000, a day that does not exist, other
    digits, a line break after it): both take the same ones (jsonschema-rs's own date check
    takes 0000-01-01, which jsonschema refuses: the fast check uses jsonschema's meaning)."""
    data = copy.deepcopy(MINIMAL_RECORDS["statements"])
    data[0]["date"] = value
    _agree("statements", data)


def test_every_format_the_schemas_use_has_jsonschemas_meaning_in_the_fast_check() -> None:
    """A format whose meaning jsonschema-rs may give otherwise than jsonschema (today only
    ``date``) is checked by the fast path with jsonschema's function: a schema using another
    format fails this test until it is added there."""
    used = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("format"), str):
                used.add(node["format"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in (Path(__file__).parent.parent / "schema").glob("*.json"):
        walk(json.loads(path.read_text("utf-8")))
    assert used == set(FAST_FORMATS) == {"date"}
