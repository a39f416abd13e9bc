"""No path through a record skips a rule: every registered per-record rule, and every
cross-record rule of a record, runs on every record. The one-pass reading of a statement's facts
and references (a corpus is mostly statements) gives exactly what the general functions give."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import dispatchdata
from dispatchdata import codes
from dispatchdata.check.rules import facts, join
from dispatchdata.check.rules.anchors import Texts
from dispatchdata.check.rules.context import references_of
from dispatchdata.check.rules.dates import statement_facts

from .conftest import DATASET
from .helpers import examples

TEXT = "Alpha said: \u201cWe will not forget.\u201d Beta replied: 'Nobody leaves.'[1]"

#: doc-a has its text, doc-b is known without a text, doc-c is unknown.
TEXTS = Texts({"doc-a": "a" * 64, "doc-b": "b" * 64}, {"a" * 64: TEXT})


def _anchor(start: int, end: int, changes: dict[str, Any] | None = None) -> dict[str, Any]:
    anchor = {
        "document": "doc-a",
        "start": start,
        "end": end,
        "exact": TEXT[start:end],
        "prefix": TEXT[max(0, start - 5) : start],
        "suffix": TEXT[end : end + 5],
    }
    anchor.update(changes or {})
    return {k: v for k, v in anchor.items() if v is not _ABSENT}


_ABSENT = object()
# Copied when drawn: a statement drawn later changes the lists and mappings it holds in place, and
# a shared one would then differ from one example to the next (Hypothesis: flaky data).
odd = st.sampled_from(
    [None, True, False, 0, 1, 1.5, 2**70, "doc-a", "doc-b", "doc-c", "x", [], {}, ["doc-a"], {"a": 1}]
).map(copy.deepcopy)

#: Spans of TEXT: the whole first sentence, the quote inside it, the second sentence, its quote.
SPANS = [(0, 33), (13, 32), (34, len(TEXT) - 3), (48, len(TEXT) - 4)]


@st.composite
def usual_statements(draw: st.DrawFn) -> dict[str, Any]:
    """A statement of the usual shape without problems (the one pass takes it)."""
    passage = draw(st.sampled_from([0, 2]))
    statement: dict[str, Any] = {
        "id": "statement-1",
        "document": "doc-a",
        "speaker": "actor-1",
        "kind": "direct-quote",
        "summary": "Alpha will not forget.",
        "footnotes": draw(st.lists(st.integers(0, 3), max_size=2)),
        "stances": [{"proposal": "proposal-1", "stance": "opposes"}] * draw(st.integers(0, 2)),
        "responds_to": draw(st.lists(st.just("statement-2"), max_size=2)),
        "targets": draw(st.lists(st.just("actor-2"), max_size=2)),
        "anchors": [_anchor(*SPANS[passage])],
        "quotes": [_anchor(*SPANS[passage + 1])] if draw(st.booleans()) else [],
    }
    if draw(st.booleans()):
        statement["date"] = draw(st.sampled_from(["2023-01-13", "2023-02-30", "13 January"]))
    for field in draw(st.lists(st.sampled_from(sorted(statement)), max_size=2)):
        if field not in ("id", "document", "kind", "summary"):
            statement.pop(field, None)  # optional in practice: the one pass must not assume them
    return statement


#: Changes that leave an anchor at SPANS[0] almost right: each one a finding of the general path.
NEAR_MISSES: list[dict[str, Any]] = [
    {"prefix": "x"},
    {"prefix": "said: "},
    {"suffix": "Beta"},
    {"suffix": " Beta!"},
    {"exact": TEXT[0:32]},
    {"exact": TEXT[1:33]},
    {"exact": TEXT[0:32] + "!"},
    {"start": 1},
    {"end": 34},
    {"start": 33, "end": 33, "exact": ""},
    {"start": 40, "end": len(TEXT) + 1, "exact": TEXT[40:] + "x"},
    {"start": -3, "end": 0, "exact": TEXT[-3:]},
    {"start": True},
    {"end": 33.0},
]
near_misses = st.sampled_from(NEAR_MISSES)


def _list(statement: dict[str, Any], field: str) -> list[Any]:
    value = statement.get(field)
    return value if isinstance(value, list) else []


PLACES = ["id", "document", "speaker", "footnotes", "stances", "responds_to", "targets", "anchors", "quotes"]


@st.composite
def statements(draw: st.DrawFn) -> Any:
    """A usual statement with up to two things wrong: any value replaced by something odd, an
    item of a list replaced, an anchor's part changed or just off, a self-response, a footnote
    that is a bool, positions added, the statement moved to a document without a text or to an
    unknown one."""
    statement = draw(usual_statements())
    for _ in range(draw(st.integers(0, 2))):
        field = draw(
            st.sampled_from([*PLACES, "positions", "self", "elsewhere", "bool", "off", "off", "off"])
        )
        if field == "off":
            anchors = [
                a for a in _list(statement, "anchors") + _list(statement, "quotes") if isinstance(a, dict)
            ]
            if anchors:
                draw(st.sampled_from(anchors)).update(draw(near_misses))
        elif field == "bool":
            statement["footnotes"] = [*_list(statement, "footnotes"), draw(st.booleans())]
        elif field == "elsewhere":  # all of it in a document without a text, or an unknown one
            statement["document"] = other = draw(st.sampled_from(["doc-b", "doc-c"]))
            for anchor in [*_list(statement, "anchors"), *_list(statement, "quotes")]:
                if isinstance(anchor, dict):
                    anchor["document"] = other
        elif field == "self":
            statement["responds_to"] = [*_list(statement, "responds_to"), statement.get("id")]
        elif field == "positions":
            statement["positions"] = [{"title": "x", "anchor": _anchor(*SPANS[0])}]
        elif isinstance(statement.get(field), list) and statement[field] and draw(st.booleans()):
            items = statement[field]
            i = draw(st.integers(0, len(items) - 1))
            item = items[i]
            if isinstance(item, dict) and item and draw(st.booleans()):
                part = draw(st.sampled_from(sorted(item)))
                item[part] = draw(odd | st.sampled_from([_ABSENT, "Alpha", 3, 40, len(TEXT), len(TEXT) + 1]))
                items[i] = {k: v for k, v in item.items() if v is not _ABSENT}
            else:
                items[i] = draw(odd)
        else:
            statement[field] = draw(odd)
    return statement


def _general_reading(index: int, data: dict[str, Any], refs: list[Any]) -> Any:
    refs += references_of(data, "statements", index)
    return statement_facts(data)


@settings(max_examples=examples(1500), deadline=None)
@given(records=st.lists(statements() | odd, max_size=4))
def test_the_one_pass_reading_agrees_with_the_general_functions(records: list[Any]) -> None:
    """Whatever a statement holds, its facts and references read in one pass are what
    statement_facts and references_of give."""
    for index, record in enumerate(records):
        if type(record) is not dict:
            continue
        expected_refs: list[Any] = []
        actual_refs: list[Any] = []
        expected = _general_reading(index, record, expected_refs)
        assert facts.READERS["statements"](index, record, actual_refs) == expected
        assert actual_refs == expected_refs


@settings(max_examples=examples(300), deadline=None)
@given(records=st.lists(statements() | odd, max_size=4), with_texts=st.booleans())
def test_the_findings_of_a_file_are_those_of_its_records_one_by_one(
    records: list[Any], with_texts: bool
) -> None:
    """A file's findings are its records' findings, each record checked on its own: nothing one
    record holds changes what another one is checked for."""
    texts = TEXTS if with_texts else None
    whole = facts.extract("statements", records, texts)
    findings: list[Any] = []
    text_findings: list[Any] = []
    for index, record in enumerate(records):
        alone = facts.extract("statements", [*[None] * index, record], texts)
        findings += alone.findings
        text_findings += alone.text_findings
    assert whole.findings == findings
    assert whole.text_findings == text_findings


@pytest.fixture
def probes(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """A probe of each kind registered for statements (a rule of the record on its own, one
    against the texts, one of the cross-record join), each noting the ids of the statements it
    was run on; the registries are restored afterwards."""
    seen: dict[str, list[Any]] = {"record": [], "text": [], "join": []}
    monkeypatch.setattr(codes, "RULES", list(codes.RULES))
    monkeypatch.setattr(codes, "CODES", dict(codes.CODES))

    def record(out: list[Any], index: int, data: dict[str, Any], anchors: Any) -> None:
        seen["record"].append(data.get("id"))

    def text(
        out: list[Any], index: int, data: dict[str, Any], anchors: Any, texts: Any, skipped: Any
    ) -> None:
        seen["text"].append(data.get("id"))

    def cross(state: join.Join, place: Any, identifier: str | None, extra: Any) -> None:
        seen["join"].append(identifier)

    probe = codes.warning("DD999", "a probe")
    codes.rule(codes.Kind.RECORD, ("statements",), probe)(record)
    codes.rule(codes.Kind.TEXT, ("statements",), probe)(text)
    codes.rule(codes.Kind.JOIN, ("statements",), probe)(cross)
    return seen


def test_a_rule_registered_for_statements_runs_on_every_statement(probes: dict[str, list[Any]]) -> None:
    """A probe rule added to the per-record statement checks runs on each of the dataset's 60
    statements, once (1.0.0's fused path for "usual" statements ran it on none of them), and so
    do a probe against the texts and a probe of the cross-record join."""
    report = dispatchdata.validate(DATASET)
    assert report.valid
    statements = [r["id"] for r in yaml.safe_load((DATASET / "statements.yaml").read_text(encoding="utf-8"))]
    assert len(statements) == 60
    assert probes == {"record": statements, "text": statements, "join": statements}


def test_a_rule_registered_for_statements_runs_on_every_statement_of_a_bundle(
    probes: dict[str, list[Any]],
) -> None:
    """The same through a release bundle, read in pieces: every statement meets every rule."""
    report = dispatchdata.validate(DATASET / "releases" / "1.0.0.json")
    assert report.valid
    assert len(probes["record"]) == len(probes["text"]) == len(probes["join"]) == 60
    assert len(set(probes["record"])) == 60


def test_every_code_a_rule_reports_is_a_known_code() -> None:
    """The registry names each rule's codes, and every one is in CODES."""
    from dispatchdata.check.rules.catalogue import every_rule
    from dispatchdata.codes import CODES

    named = {code.code for rule in every_rule() for code in rule.codes}
    assert named - set(CODES) == set()
    assert {"DD304", "DD307", "DD317", "DD407", "DD410", "DD401"} <= named
