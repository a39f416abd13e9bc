"""The one-pass check of a usual statement gives exactly what the general path gives, or steps
aside: facts, references, findings, findings against the texts and skipped anchors all agree."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatchdata.rules import facts
from dispatchdata.rules.anchors import Texts

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
odd = st.sampled_from(
    [None, True, False, 0, 1, 1.5, 2**70, "doc-a", "doc-b", "doc-c", "x", [], {}, ["doc-a"], {"a": 1}]
)

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


def _general(records: list[Any], texts: Texts | None) -> facts.Checked:
    with pytest.MonkeyPatch.context() as m:
        m.setattr(facts, "_usual_statement", lambda *_: False)
        return facts.extract("statements", records, texts)


@settings(max_examples=examples(1500), deadline=None)
@given(records=st.lists(statements() | odd, max_size=4), with_texts=st.booleans())
def test_the_one_pass_agrees_with_the_general_path(records: list[Any], with_texts: bool) -> None:
    """Whatever a statement holds, the one pass changes nothing but the time it takes."""
    texts = TEXTS if with_texts else None
    expected = _general(records, texts)
    actual = facts.extract("statements", records, texts)
    assert expected.facts == actual.facts
    assert expected.findings == actual.findings
    assert expected.text_findings == actual.text_findings
    assert expected.skipped == actual.skipped


def test_the_one_pass_takes_a_usual_statement() -> None:
    """A statement of the usual shape, without problems, is taken by the one pass (else it
    would be a slow path that is never used)."""
    statement = {
        "id": "statement-1",
        "document": "doc-a",
        "speaker": "actor-1",
        "kind": "direct-quote",
        "footnotes": [1],
        "stances": [{"proposal": "proposal-1", "stance": "opposes"}],
        "responds_to": ["statement-2"],
        "targets": ["actor-2"],
        "anchors": [_anchor(0, 33)],
        "quotes": [_anchor(13, 32)],
    }
    kept: list[Any] = []
    refs: list[Any] = []
    skipped: dict[str, int] = {}
    assert facts._usual_statement(0, statement, TEXTS.by_document, kept, refs, skipped)
    assert kept == [(0, "statement-1", (None, "doc-a", [(0, 1)]))]
    assert refs == [
        (0, 5, -1, "doc-a"),
        (0, 6, -1, "actor-1"),
        (0, 7, 0, "proposal-1"),
        (0, 8, 0, "statement-2"),
        (0, 9, 0, "actor-2"),
    ]
    assert skipped == {}
    # The same statement with its quote outside the passage is left to the general path, untouched.
    statement["quotes"] = [_anchor(40, 50)]
    assert not facts._usual_statement(0, statement, TEXTS.by_document, kept, refs, skipped)
    assert len(kept) == 1
    assert len(refs) == 5


@pytest.mark.parametrize("change", NEAR_MISSES, ids=repr)
def test_an_anchor_almost_right_is_left_to_the_general_path(change: dict[str, Any]) -> None:
    """Each near miss, every time (Hypothesis only samples them): the one pass does not take it,
    and the findings are the general path's."""
    statement = {"id": "statement-1", "document": "doc-a", "anchors": [_anchor(*SPANS[0], change)]}
    assert not facts._usual_statement(0, statement, TEXTS.by_document, [], [], {})
    expected, actual = _general([statement], TEXTS), facts.extract("statements", [statement], TEXTS)
    assert actual.text_findings == expected.text_findings
    assert actual.facts == expected.facts


def test_a_statement_with_positions_is_left_to_the_general_path() -> None:
    """Statements have no positions, but a record that holds some has their anchors checked."""
    statement = {
        "id": "statement-1",
        "document": "doc-a",
        "positions": [{"title": "x", "anchor": _anchor(*SPANS[0], {"prefix": "x"})}],
    }
    assert not facts._usual_statement(0, statement, TEXTS.by_document, [], [], {})
    actual = facts.extract("statements", [statement], TEXTS)
    assert [f[1] for f in actual.text_findings] == ["DD402"]
    assert actual.text_findings == _general([statement], TEXTS).text_findings
