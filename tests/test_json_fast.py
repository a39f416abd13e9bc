"""The fast JSON path (orjson) gives exactly what the standard path gives, or steps aside: it may
only ever answer for a file the standard path reads without a problem, with the very same data."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatchdata.read.json import parse_json, parse_json_fast

from .helpers import examples, typed

pytest.importorskip("orjson")

keys = st.text(alphabet=st.sampled_from(["a", "b", ":", '"', "\\", "é", "/", "~", " ", "\u2028"]), max_size=4)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)


class _Object(list):  # type: ignore[type-arg]
    """Key/value pairs of a JSON object, written in order, duplicates included."""


# Objects are written by hand below, so a key may come twice: pairs, not dicts.
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.lists(st.tuples(keys, inner), max_size=4).map(_Object),
    max_leaves=20,
)


def _write(value: Any, rng: random.Random) -> str:
    space = rng.choice(["", " ", "\n  "])
    if isinstance(value, _Object):
        colon = rng.choice([":", ": ", " : ", "\t:"])
        members = [f"{_write_key(k, rng)}{colon}{_write(v, rng)}" for k, v in value]
        return "{" + space + ("," + space).join(members) + space + "}"
    if isinstance(value, list):
        return "[" + space + ("," + space).join(_write(v, rng) for v in value) + space + "]"
    return json.dumps(value, ensure_ascii=rng.random() < 0.5)


def _write_key(key: str, rng: random.Random) -> str:
    written = json.dumps(key, ensure_ascii=rng.random() < 0.5)
    if ":" in key and rng.random() < 0.3:
        written = written.replace(":", "\\u003a")  # a colon may be escaped
    return written


def _agree(raw: bytes) -> None:
    fast = parse_json_fast(raw, "x.json")
    if fast is None:
        return
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # pragma: no cover - the fast path answered: it is UTF-8
        pytest.fail("the fast path read bytes that are not UTF-8")
    slow = parse_json(text, "x.json")
    assert slow.problems == []
    assert fast.problems == []
    assert typed(slow.data) == typed(fast.data)
    assert slow.index() == fast.index()


@given(values, st.integers(min_value=0, max_value=2**32))
@settings(max_examples=examples(500), deadline=None)
def test_generated_json_with_duplicates_escapes_and_long_numbers(value: Any, seed: int) -> None:
    """Whatever the keys (colons, escapes, duplicates), numbers and spacing, the two paths agree."""
    _agree(_write(value, random.Random(seed)).encode())


@given(st.binary(max_size=80))
@settings(max_examples=examples(500), deadline=None)
def test_arbitrary_bytes(raw: bytes) -> None:
    """On any bytes at all, the fast path answers only where the standard one reads cleanly."""
    _agree(raw)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a": 1, "a": 2}',
        b'{"a": {"b": 1, "b": 1}}',
        b'{"a": "x:y", "a": "z"}',
        b'{"a\\u003a": 1, "a:": 2}',
        b'{"n": 123456789012345678901234567890}',
        b'{"n": NaN}',
        b'{"n": 177.0}',
        b'{"n": 1.77e2}',
        b'{"n": 1E+2}',
        b'{"n": 1e-400}',
        b'{"n": -0.0}',
        b'{"n": 1.5}',
        b'{"s": "\\\\", "n": [2.5]}',
        b'{"s": "\\ud800"}',
        b"\xef\xbb\xbf{}",
    ],
)
def test_what_the_fast_path_leaves_to_the_standard_one(raw: bytes) -> None:
    """Duplicates, escaped colons, integers beyond 64 bits, NaN, lone surrogates, a BOM, and
    floats (which no valid file holds; a whole one is an integer written as a float, DD113): not
    its call."""
    assert parse_json_fast(raw, "x.json") is None


def test_the_fast_path_answers_for_ordinary_files() -> None:
    """It is not a path that never answers, even where strings look like floats (a SHA-256 in
    hex, a version, a decimal in a quotation, escaped quotes around them)."""
    raw = b'[{"id": "a", "n": 1, "x": "1.5", "t": "b:c", "l": [true, null], "h": "92e4", "q": "\\"2.5\\\\"}]'
    parsed = parse_json_fast(raw, "x.json")
    assert parsed is not None
    assert parsed.data == [
        {"id": "a", "n": 1, "x": "1.5", "t": "b:c", "l": [True, None], "h": "92e4", "q": '"2.5\\'}
    ]
    assert parsed.position("/0/t") == (1, 39)
