"""JSON text made by orjson when it is exactly json's: the two compared on arbitrary values."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatchdata.read import jsontext
from dispatchdata.read.jsontext import canonical, canonical_json, indented_items, indented_json, load
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
        ({"s": "3.5 million"}, True),  # prose, in a string: not a float
        ({"s": "a,3.5 b:null"}, False),  # prose that looks like tokens where values start
        ({"a": [1, -2.5e-3]}, False),  # a float in a list, its sign included
        (1.0, False),  # a float alone
        (None, False),
        ({"big": 2**64}, False),  # orjson refuses it
        ({"big": 2**64 - 1, "small": -(2**63)}, True),
        ({"s": "annulled"}, True),  # a null in a word: prose
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
    assert all(by_orjson for _, by_orjson in made)
    indented = [indented_json(r) for r in records]
    monkeypatch.setattr(jsontext, "orjson", None)
    assert [canonical(r) for r in records] == [(text, False) for text, _ in made]
    assert [indented_json(r) for r in records] == indented


@given(st.lists(values, min_size=1, max_size=6))
@settings(max_examples=examples(1000), deadline=None)
def test_the_indented_items_of_canonical_texts_are_jsons(items: list[Any]) -> None:
    """Values whose canonical texts orjson made are indented by orjson all at once, with no
    guard: their text is json's, as it is for any run of values json made (the proof that a
    canonical text orjson made, read back, gives an indented text that passes the guard)."""
    made = [canonical(value) for value in items]
    for by_orjson in (True, False):
        run = [i for i, (_, made_here) in enumerate(made) if made_here is by_orjson]
        if run:
            texts = [made[i][0] for i in run]
            expected = _json_indented([json.loads(_json_canonical(items[i])) for i in run])
            assert "[" + indented_items(texts, by_orjson) + "\n]" == expected


def test_the_indented_items_are_made_once_by_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run of texts orjson made is read and written by one call each, not checked again; a
    value nested as deep as orjson writes alone, one deeper in the list, is written by json."""
    calls: list[str] = []
    import orjson as real

    class Counted:
        OPT_INDENT_2 = real.OPT_INDENT_2

        @staticmethod
        def loads(text: str) -> Any:
            calls.append("loads")
            return real.loads(text)

        @staticmethod
        def dumps(value: Any, option: int) -> bytes:
            calls.append("dumps")
            return bytes(real.dumps(value, option=option))

    monkeypatch.setattr(jsontext, "orjson", Counted)
    texts = [canonical_json({"s": "annulled 3.5", "n": n}) for n in range(3)]
    calls.clear()
    assert "[" + indented_items(texts, True) + "\n]" == _json_indented([json.loads(t) for t in texts])
    assert calls == ["loads", "dumps"]
    deep: Any = 1
    for _ in range(253):
        deep = [deep]
    text, by_orjson = canonical(deep)
    assert by_orjson
    assert "[" + indented_items([text], True) + "\n]" == _json_indented([deep])
