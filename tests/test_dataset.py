"""The dataset itself: valid, complete, and faithful to the source text, character for character."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

from dispatchdata.read.parse import parse_bytes

from .conftest import DATASET, SCHEMA

COLLECTIONS = ("documents", "actors", "proposals", "statements")
DOC = "memri-special-dispatch-10423"


def _read(name: str) -> Any:
    parsed = parse_bytes((DATASET / f"{name}.yaml").read_bytes(), f"{name}.yaml")
    assert parsed.problems == []
    return parsed.data


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return {name: _read(name) for name in ("dataset", *COLLECTIONS)}


def _by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in records}


def _anchors(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if {"start", "end", "exact", "prefix", "suffix", "document"} <= value.keys():
            yield value
        for item in value.values():
            yield from _anchors(item)
    elif isinstance(value, list):
        for item in value:
            yield from _anchors(item)


@pytest.mark.parametrize("name", ["dataset", *COLLECTIONS])
def test_collection_is_valid_against_its_schema_with_format_checking(data: dict[str, Any], name: str) -> None:
    """Each file validates with plain jsonschema (formats checked), independent of our validator."""
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in SCHEMA.glob("*.schema.json")]
    registry: Registry[Any] = Registry().with_resources((d["$id"], Resource.from_contents(d)) for d in docs)
    schema = json.loads((SCHEMA / f"{name}.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert [e.message for e in validator.iter_errors(data[name])] == []


@pytest.mark.parametrize("name", COLLECTIONS)
def test_ids_are_unique_within_each_collection(data: dict[str, Any], name: str) -> None:
    """No id appears twice in a collection."""
    counts = Counter(r["id"] for r in data[name])
    assert [i for i, n in counts.items() if n > 1] == []


def test_every_reference_resolves(data: dict[str, Any]) -> None:
    """Speakers, stances, responses, targets, positions, parents and proposers all exist."""
    actors, proposals = _by_id(data["actors"]), _by_id(data["proposals"])
    statements, documents = _by_id(data["statements"]), _by_id(data["documents"])
    missing = []
    for s in data["statements"]:
        missing += [("speaker", s["speaker"])] if s["speaker"] not in actors else []
        missing += [("document", s["document"])] if s["document"] not in documents else []
        missing += [("proposal", t["proposal"]) for t in s["stances"] if t["proposal"] not in proposals]
        missing += [("statement", r) for r in s["responds_to"] if r not in statements]
        missing += [("actor", a) for a in s["targets"] if a not in actors]
        footnotes = {f["number"] for f in documents[s["document"]]["footnotes"]}
        missing += [("footnote", n) for n in s["footnotes"] if n not in footnotes]
    for a in data["actors"]:
        missing += [("parent", a["parent"])] if a.get("parent", DOC) not in actors and "parent" in a else []
        for p in a.get("positions", []):
            missing += [(k, p[k]) for k in ("organisation", "represents") if k in p and p[k] not in actors]
    for p in data["proposals"]:
        missing += [("proposer", a) for a in p["proposed_by"] if a not in actors]
    for d in data["documents"]:
        missing += [("publisher", d["publisher"])] if d["publisher"] not in actors else []
    assert missing == []


def test_document_sha256_and_length_match_the_source_file(
    data: dict[str, Any], sources: Path, source_text: str
) -> None:
    """The document's hash is that of the file exactly as it is in the sources folder."""
    (document,) = data["documents"]
    raw = next(p.read_bytes() for p in sources.iterdir() if p.name == "memri-special-dispatch-10423.txt")
    assert document["sha256"] == hashlib.sha256(raw).hexdigest()
    assert document["length"] == len(source_text)


def test_every_anchor_matches_the_source_text(data: dict[str, Any], source_text: str) -> None:
    """exact == text[start:end], and prefix/suffix are the text right around it, for every anchor."""
    anchors = [a for name in COLLECTIONS for a in _anchors(data[name])]
    assert len(anchors) > 180
    wrong = [
        a
        for a in anchors
        if source_text[a["start"] : a["end"]] != a["exact"]
        or source_text[max(0, a["start"] - len(a["prefix"])) : a["start"]] != a["prefix"]
        or source_text[a["end"] : a["end"] + len(a["suffix"])] != a["suffix"]
    ]
    assert wrong == []


@pytest.mark.parametrize("name", ["actors", "proposals", "statements"])
def test_every_record_has_an_anchor(data: dict[str, Any], name: str) -> None:
    """Provenance: every actor, proposal and statement points into the document at least once."""
    assert [r["id"] for r in data[name] if not r["anchors"]] == []


def test_quotes_are_anchored_inside_their_statement(data: dict[str, Any]) -> None:
    """Each quote lies within the passage its statement is anchored to."""
    outside = [
        (s["id"], q["exact"][:30])
        for s in data["statements"]
        for q in s["quotes"]
        if not any(a["start"] <= q["start"] and q["end"] <= a["end"] for a in s["anchors"])
    ]
    assert outside == []


def test_quotes_exclude_the_quotation_marks(data: dict[str, Any]) -> None:
    """A quote is the quoted words only: it neither starts nor ends with a quotation mark."""
    marks = ('"', "“", "”")
    assert [
        q["exact"][:40]
        for s in data["statements"]
        for q in s["quotes"]
        if q["exact"].startswith(marks) or q["exact"].endswith(marks)
    ] == []


def test_all_fifteen_footnotes_with_their_printed_dates(data: dict[str, Any]) -> None:
    """Footnotes 1-15 are recorded with dates as printed and as ISO dates; none carries a URL."""
    (document,) = data["documents"]
    assert [f["number"] for f in document["footnotes"]] == list(range(1, 16))
    first = document["footnotes"][0]
    assert first["printed"] == "[1], December 19, 2022;, December 20, 2022."
    assert [(d["printed"], d["date"]) for d in first["dates"]] == [
        ("December 19, 2022", "2022-12-19"),
        ("December 20, 2022", "2022-12-20"),
    ]
    assert "http" not in json.dumps(document)


def test_the_year_3033_is_kept_as_printed_with_its_correction(data: dict[str, Any]) -> None:
    """Footnote 8 keeps 'December 25, 3033' and records the correction beside it."""
    (document,) = data["documents"]
    (date,) = document["footnotes"][7]["dates"]
    assert date["printed"] == "December 25, 3033"
    assert date["date"] == "3033-12-25"
    assert date["erratum"]["corrected"] == "2022-12-25"


def test_kamnev_misspelling_is_kept_and_marked(data: dict[str, Any]) -> None:
    """The text spells Kamnev once as 'Kamenev': kept as an alias, marked as a misspelling."""
    kamnev = _by_id(data["actors"])["georgy-kamnev"]
    wrong = [a for a in kamnev["aliases"] if a.get("misspelling")]
    assert [(a["name"], a["corrected"]) for a in wrong] == [("Kamenev", "Kamnev")]


def test_unnamed_tax_expert_is_an_actor(data: dict[str, Any]) -> None:
    """The unnamed speaker is a person, described as unnamed, with the statement attributed to it."""
    expert = _by_id(data["actors"])["unnamed-tax-expert"]
    assert expert["type"] == "person"
    assert [s["id"] for s in data["statements"] if s["speaker"] == "unnamed-tax-expert"] == [
        "tax-expert-boomerang"
    ]


def test_completeness_counts(data: dict[str, Any]) -> None:
    """The issue's floor: more than ten proposals, more than forty statements."""
    assert len(data["proposals"]) > 10
    assert len(data["statements"]) > 40
    kinds = Counter(s["kind"] for s in data["statements"])
    assert set(kinds) == {"direct-quote", "partial-quote", "paraphrase", "editorial"}
    assert {s["speaker"] for s in data["statements"] if s["kind"] == "editorial"} == {"memri"}


EXPECTED_PEOPLE = {
    "dmitry-medvedev", "vyacheslav-volodin", "anton-siluanov", "dmitry-porochkin", "unnamed-tax-expert",
    "georgy-kamnev", "galina-mikhaleva", "mikhail-yemelyanov", "aleksey-makarkin", "sergei-tsekov",
    "yevgeny-popov", "artur-smolyaninov", "andrey-klishas", "oleg-morozov", "yana-lantratova",
    "george-bovt", "mstislav-rostropovich", "dmitry-drize",
}  # fmt: skip


def test_every_named_person_is_an_actor(data: dict[str, Any]) -> None:
    """Speakers and people only mentioned (Smolyaninov, Rostropovich) are all there."""
    people = {a["id"] for a in data["actors"] if a["type"] == "person"}
    assert people == EXPECTED_PEOPLE


def test_verbatim_quirks_are_kept(data: dict[str, Any]) -> None:
    """Odd quotation marks and typos stay as printed: the source is never silently corrected."""
    statements = _by_id(data["statements"])
    assert statements["morozov-let-the-state-strip-citizenship"]["anchors"][0]["exact"].startswith(
        '""And after that'
    )
    assert "foreign campaigns" in statements["kamnev-oligarchs-real-danger"]["quotes"][0]["exact"]
    assert (
        "if one to frighten one’s own citizens"
        in statements["drize-bring-them-back-kindly"]["quotes"][0]["exact"]
    )


def test_statement_date_given_by_the_text(data: dict[str, Any]) -> None:
    """Only dates the text states are recorded: Volodin's announcement 'On December 25'."""
    dated = {s["id"]: s["date"] for s in data["statements"] if "date" in s}
    assert dated == {"volodin-announces-bill": "2022-12-25"}


def test_yaml_files_end_with_a_newline_and_use_lf() -> None:
    """Files are plain UTF-8 with LF line endings (the packaged bytes are what is hashed later)."""
    for path in Path(DATASET).glob("*.yaml"):
        raw = path.read_bytes()
        assert raw.endswith(b"\n"), path
        assert b"\r" not in raw, path
