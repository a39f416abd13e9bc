"""JSON text made by orjson when it is exactly json's: the two compared on arbitrary values."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatchdata.read import jsontext
from dispatchdata.read.jsontext import canonical, canonical_json, indented_json, load
from dispatchdata.release.release import open_bundle

from .helpers import examples, typed

pytest.importorskip("orjson")  # without it, json makes every text: nothing to compare

# Everything a file's data can hold, and what orjson writes otherwise or refuses: NaN and the
# infinities, one-digit negative exponents, integers beyond 64 bits, lone surrogates, control
# characters, strings that look like the guard's marks.
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**64), max_value=2**65)
    | st.floats()
    | st.sampled_from([1e-07, -5e-9, 1e-10, 1e16, 1e22, 5e-324, -0.0, 0.1])
    | st.text()
    | st.text(alphabet=st.characters(max_codepoint=0x7F) | st.sampled_from(["\ud800", "\u2028", "é"]))
    | st.sampled_from(["null", "annulled", "1e-7", "e-5", "\\u003a"])
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=25,
)


def _json_canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _json_indented(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


@given(values)
@settings(max_examples=examples(1000), deadline=None)
def test_the_text_is_exactly_jsons(value: Any) -> None:
    """Canonical and indented, the text is json's, whichever library made it."""
    assert canonical_json(value) == _json_canonical(value)
    assert indented_json(value) == _json_indented(value)


@given(values)
@settings(max_examples=examples(500), deadline=None)
def test_a_canonical_text_reads_back_as_json_reads_it(value: Any) -> None:
    """What orjson made it reads back (a text json made, json reads): the value json would give,
    types included (NaN compared as NaN)."""
    text, by_orjson = canonical(value)
    again = load(text, by_orjson)
    expected = json.loads(_json_canonical(value))
    assert typed(again) == typed(expected)


@pytest.mark.parametrize(
    ("value", "by_orjson"),
    [
        ({"b": [1, "x", 2], "a": {"é": True}, "c": "2022. 1e"}, True),
        ({"b": [1, "x", None]}, False),  # null: perhaps a NaN
        ({"n": math.nan}, False),  # orjson: null
        ({"x": math.inf}, False),
        ({"f": 1e-07}, False),  # orjson: 1e-7
        ({"f": 1e-10}, False),  # any float
        ({"s": "3.5 million"}, False),  # looks like one
        ({"big": 2**64}, False),  # orjson refuses it
        ({"big": 2**64 - 1, "small": -(2**63)}, True),
        ({"s": "annulled"}, False),  # looks like null: made by json, the same text
        ({"s": "\ud800"}, False),  # a lone surrogate
        ({1: "int key"}, False),
    ],
)
def test_which_library_makes_the_text(value: Any, by_orjson: bool) -> None:
    text, made = canonical(value)
    assert (text, made) == (_json_canonical(value), by_orjson)


def test_what_json_refuses_is_still_refused() -> None:
    """Mixed key types cannot be sorted, other objects are not JSON: the same errors as json's."""
    for value in ({1: "a", "b": 2}, {"when": object()}):
        with pytest.raises(TypeError):
            canonical_json(value)
        with pytest.raises(TypeError):
            indented_json(value)


def test_the_records_of_the_dataset_are_made_by_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path is the usual one (else it would never be used), and without orjson every
    text is the same."""
    bundle = open_bundle("dataset")
    records = [
        r for name in ("documents", "actors", "proposals", "statements") for r in bundle["collections"][name]
    ]
    made = [canonical(r) for r in records]
    assert sum(by_orjson for _, by_orjson in made) >= 0.9 * len(records)
    indented = [indented_json(r) for r in records]
    monkeypatch.setattr(jsontext, "orjson", None)
    assert [canonical(r) for r in records] == [(text, False) for text, _ in made]
    assert [indented_json(r) for r in records] == indented
