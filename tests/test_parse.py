"""The safe loader: YAML 1.2 meaning, refusals with exact codes and positions, never a crash."""

from __future__ import annotations

import json
import random
import re
import time
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dispatchdata.read.parse import HAVE_LIBYAML, parse_bytes, parse_text, positions_of

from .helpers import examples, typed

PARSERS = [pytest.param(False, id="libyaml"), pytest.param(True, id="pure")]


def _problems(text: str, pure: bool) -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.column) for p in parse_text(text, "f.yaml", pure=pure).problems]


def test_libyaml_is_used_when_installed() -> None:
    """The C parser is the default where PyYAML was built with it (it is, on PyPI's wheels)."""
    assert hasattr(yaml, "CSafeLoader") == HAVE_LIBYAML


def test_without_libyaml_empty_flow_values_are_where_libyaml_puts_them() -> None:
    """Where PyYAML has no libyaml, the default reader is the pure one that places an empty flow
    value (``{a: }``) where libyaml does, not PyYAML's own a column earlier."""
    import subprocess
    import sys

    text = "{x: [a: ], b: }\n"
    code = (
        "import yaml; del yaml.CSafeLoader\n"  # as if PyYAML were built without libyaml
        "from dispatchdata.read.parse import HAVE_LIBYAML, parse_text\n"
        f"found = parse_text({text!r}, 'f.yaml')\n"
        "print(HAVE_LIBYAML, found.position('/x/0/a'), found.position('/b'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    found = parse_text(text, "f.yaml", pure=False)
    assert f"False {found.position('/x/0/a')} {found.position('/b')}\n" == out


@pytest.mark.parametrize("pure", PARSERS)
def test_yaml_1_1_surprises_stay_strings(pure: bool) -> None:
    """Dates, yes/no/on/off, sexagesimals and leading-zero numbers are strings, as in YAML 1.2."""
    text = "a: 2023-01-13\nb: no\nc: on\nd: yes\ne: 1:20\nf: 0750\ng: 0o17\nh: 1_000\n"
    assert parse_text(text, "f.yaml", pure=pure).data == {
        "a": "2023-01-13", "b": "no", "c": "on", "d": "yes",
        "e": "1:20", "f": "0750", "g": "0o17", "h": "1_000",
    }  # fmt: skip


@pytest.mark.parametrize("pure", PARSERS)
def test_core_scalars(pure: bool) -> None:
    """null, booleans, integers and floats in their YAML 1.2 core spellings."""
    text = "a: ~\nb: null\nc:\nd: true\ne: False\nf: -12\ng: 1.5\nh: 2.5e-3\ni: '12'\nj: !!str 7\n"
    assert parse_text(text, "f.yaml", pure=pure).data == {
        "a": None, "b": None, "c": None, "d": True, "e": False,
        "f": -12, "g": 1.5, "h": 0.0025, "i": "12", "j": "7",
    }  # fmt: skip


@pytest.mark.parametrize("pure", PARSERS)
def test_positions_of_values_and_keys(pure: bool) -> None:
    """Every value has a 1-based line:column; keys too."""
    parsed = parse_text("- id: a\n  names:\n    - x\n    - y\n", "f.yaml", pure=pure)
    assert parsed.positions["/0/id"] == (1, 7)
    assert parsed.positions["/0/names/1"] == (4, 7)
    assert parsed.key_positions["/0/names"] == (2, 3)
    assert parsed.position("/0/names/9") == (3, 5)  # nearest ancestor with a position: the list


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: 2\na: 3\n", [("DD103", 3, 1)]),
        ("- id: x\n  id: y\n", [("DD103", 2, 3)]),
        ('{"a": 1, "a": 2}', [("DD103", 1, 10)]),
        ("a: !!python/object:os.system x\n", [("DD104", 1, 4)]),
        ("a: !!binary aGVsbG8=\n", [("DD104", 1, 4)]),
        ("a: !!set {x}\n", [("DD104", 1, 4)]),
        ("a: !!int abc\n", [("DD104", 1, 4)]),
        ("--- 1\n--- 2\n", [("DD106", 2, 1)]),
        ("a: .nan\nb: -.inf\n", [("DD107", 1, 4), ("DD107", 2, 4)]),
        ("1: x\n", [("DD108", 1, 1)]),
        ("? [a]\n: b\n", [("DD108", 1, 3)]),
        ("a: &x [*x]\n", [("DD105", 1, 8)]),
        ("a: [\n", [("DD102", 2, 1)]),
        ("a: b: c\n", [("DD102", 1, 5)]),
        ("x: \x07\n", [("DD102", 1, 4)]),
    ],
)
@pytest.mark.parametrize("pure", PARSERS)
def test_refusals_have_exact_codes_and_positions(
    text: str, expected: list[tuple[str, int, int]], pure: bool
) -> None:
    """Each kind of bad input gets its documented code at the line and column where it is."""
    assert _problems(text, pure) == expected


def test_duplicate_key_keeps_the_first_value_and_says_where_it_was() -> None:
    """No silent data loss: the first value stays, the message points back to it."""
    parsed = parse_text("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert parsed.data == {"a": 1, "b": 2}
    assert parsed.problems[0].message == "duplicate key 'a' (first at line 1); the first value is kept"


@pytest.mark.parametrize("pure", PARSERS)
def test_billion_laughs_is_refused_quickly(pure: bool) -> None:
    """Nine levels of nine-fold aliases (387 million values) are refused at once."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    started = time.perf_counter()
    parsed = parse_text("\n".join(lines) + "\n", "f.yaml", pure=pure)
    assert time.perf_counter() - started < 5  # generous: it is refused long before expansion
    assert parsed.data is None
    assert [p.code for p in parsed.problems] == ["DD105"]


def test_small_legitimate_aliases_are_allowed() -> None:
    """Aliases within the document's own size are fine."""
    assert parse_text("base: &b {x: 1}\nother: *b\n", "f.yaml").data == {"base": {"x": 1}, "other": {"x": 1}}


@pytest.mark.parametrize(
    ("raw", "message", "position"),
    [
        (
            b"\xef\xbb\xbfa: 1\n",
            "file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM",
            (1, 1),
        ),
        ("a: 1\n".encode("utf-16"), "file is UTF-16 encoded; save it as UTF-8", (1, 1)),
        (b"a: 1\nname: Mikhal\xe9va\n", "file is not valid UTF-8 (byte 0xe9); save it as UTF-8", (2, 13)),
    ],
)
def test_only_utf8_is_read(raw: bytes, message: str, position: tuple[int, int]) -> None:
    """A BOM, UTF-16 or Latin-1 file gets a clear message with the place of the first bad byte."""
    parsed = parse_bytes(raw, "f.yaml")
    assert parsed.data is None
    assert [(p.code, p.message, (p.line, p.column)) for p in parsed.problems] == [
        ("DD101", message, position)
    ]


@pytest.mark.parametrize("pure", PARSERS)
def test_nesting_up_to_libyamls_limit_and_no_further(pure: bool) -> None:
    """Values are built iteratively (no RecursionError); both parsers stop at 1000 levels."""
    parsed = parse_text("[" * 1000 + "]" * 1000, "f.yaml", pure=pure)
    assert parsed.problems == []
    value: Any = parsed.data
    for _ in range(999):
        value = value[0]
    assert value == []
    assert _problems("[" * 5000 + "]" * 5000, pure) == [("DD102", 1, 1001)]


#: Floats that are not whole: a whole one is an integer written as a float (DD113, tested apart).
#: Integers: the signed 64-bit range the data may hold (beyond it, DD117, tested apart).
fractions = st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer())
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | fractions | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


_YAML_1_1_BREAKS = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


class _QuotingDumper(yaml.SafeDumper):
    """Quotes every string: PyYAML writes YAML 1.1, where '1e3' needs no quotes but in 1.2 does."""


_QuotingDumper.add_representer(str, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s, style='"'))


@given(json_values)
@settings(max_examples=examples(200), deadline=None)
def test_round_trip_of_json_like_data(value: Any) -> None:
    """JSON-like data written as JSON or as block YAML reads back identically, with both parsers;
    what PyYAML writes, PyYAML reads alike (no DD114), while JSON's ``5e-324`` is a string to
    PyYAML (a warning)."""
    texts = [yaml.dump(value, Dumper=_QuotingDumper, allow_unicode=True)]
    if not _YAML_1_1_BREAKS.search(json.dumps(value, ensure_ascii=False)):
        # JSON text read as YAML: PyYAML reads NEL, LS and PS as YAML 1.1 line breaks and refuses
        # raw C1 controls; ensure_ascii would write astral characters as surrogate-pair escapes,
        # which libyaml refuses. JSON files get a JSON parser of their own.
        texts.append(json.dumps(value, ensure_ascii=False))
    for number, text in enumerate(texts):
        for pure in (False, True):
            parsed = parse_text(text, "f.yaml", pure=pure)
            assert [p for p in parsed.problems if not (number and p.code == "DD114")] == []
            assert parsed.data == value


@given(st.text(max_size=200))
@settings(max_examples=examples(300), deadline=None)
def test_arbitrary_text_never_crashes_and_both_parsers_agree_on_the_data(text: str) -> None:
    """Any text gives data or problems, never an exception; libyaml and pure Python agree."""
    fast = parse_text(text, "f.yaml")
    pure = parse_text(text, "f.yaml", pure=True)
    assert all(p.file == "f.yaml" and p.line >= 0 for p in fast.problems + pure.problems)
    if not fast.problems and not pure.problems:
        assert fast.data == pure.data


@given(st.binary(max_size=200))
@settings(max_examples=examples(200), deadline=None)
def test_arbitrary_bytes_never_crash(raw: bytes) -> None:
    """Any bytes at all give data or problems, never an exception."""
    parsed = parse_bytes(raw, "f.yaml")
    assert parsed.data is not None or parsed.problems or raw.strip() == b"" or parsed.data is None


# -- JSON goes through the same rules ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1,\n "b": {"c": 2, "c": 3}}', [("DD103", 2, 16)]),
        ('[{"id": "x", "id": "y"}, {"id": "x"}]', [("DD103", 1, 14)]),
        ('{"a": NaN, "b": [-Infinity]}', [("DD107", 1, 7), ("DD107", 1, 18)]),
        ('{"a": 1,}', [("DD102", 1, 9)]),
        ('{"a": "\\ud800"}', [("DD102", 1, 8)]),
        ("[1] [2]", [("DD102", 1, 5)]),
    ],
)
def test_json_refusals_have_exact_codes_and_positions(
    text: str, expected: list[tuple[str, int, int]]
) -> None:
    """Duplicate keys, NaN, syntax errors and lone surrogates in JSON: same codes as YAML."""
    assert [(p.code, p.line, p.column) for p in parse_text(text, "f.json").problems] == expected


def test_json_duplicate_keeps_the_first_value() -> None:
    """As for YAML: the first value is kept and the message says where it was."""
    parsed = parse_text('{"a": 1,\n "a": {"deep": [2]}}', "f.json")
    assert parsed.data == {"a": 1}
    assert parsed.problems[0].message == "duplicate key 'a' (first at line 1); the first value is kept"
    assert parsed.positions == {"": (1, 1), "/a": (1, 7)}


def test_json_positions_are_computed_on_demand() -> None:
    """A clean JSON file is read without the scanner; asking for a position runs it as far as
    that position (or the end of the container it would be in), and asking for every position
    runs it to the end."""
    parsed = parse_text('[\n  {"id": "a", "names": ["x", "y"]},\n  {"id": "b"}\n]', "f.json")
    assert parsed.indexer is not None
    assert parsed.seek is not None
    assert parsed.position("/0/names/1") == (2, 30)
    assert parsed.position("/0/names", key=True) == (2, 15)
    assert parsed.position("/0/absent") == (2, 3)  # not in the text: its record's place
    values, keys = parsed.seek("/0")
    assert sorted(values) == ["", "/0", "/0/id", "/0/names", "/0/names/0", "/0/names/1"]
    assert sorted(keys) == ["/0/id", "/0/names"]
    assert parsed.position("/1/id") == (3, 10)
    assert parsed.positions["/1"] == (3, 3)
    assert parsed.indexer is None
    assert parsed.seek is None


@given(json_values)
@settings(max_examples=examples(200), deadline=None)
def test_json_round_trip_and_every_value_located(value: Any) -> None:
    """Any JSON-like value reads back identically, and every value in it has a position."""
    text = json.dumps(value, indent=1, ensure_ascii=False)
    parsed = parse_text(text, "f.json")
    assert parsed.problems == []
    assert parsed.data == value

    def pointers(v: Any, here: str = "") -> list[str]:
        if isinstance(v, dict):
            return [here] + [
                p
                for k, x in v.items()
                for p in pointers(x, f"{here}/{k.replace('~', '~0').replace('/', '~1')}")
            ]
        if isinstance(v, list):
            return [here] + [p for i, x in enumerate(v) for p in pointers(x, f"{here}/{i}")]
        return [here]

    assert set(parsed.positions) == set(pointers(value))


def _pointers(v: Any, here: str = "") -> list[str]:
    if isinstance(v, dict):
        return [here] + [
            p for k, x in v.items() for p in _pointers(x, f"{here}/{k.replace('~', '~0').replace('/', '~1')}")
        ]
    if isinstance(v, list):
        return [here] + [p for i, x in enumerate(v) for p in _pointers(x, f"{here}/{i}")]
    return [here]


@given(json_values, st.sampled_from([None, 1, 2]), st.data())
@settings(max_examples=examples(200), deadline=None)
def test_json_positions_found_as_far_as_needed_are_those_of_the_whole_index(
    value: Any, indent: int | None, data: st.DataObject
) -> None:
    """Positions asked for one by one, in any order, of values that are there and of ones that
    are not (a child of each, another item), keys too: each the same as from the whole index."""
    text = json.dumps({"before": value, "data": value, "after": [value]}, indent=indent, ensure_ascii=False)
    whole = parse_text(text, "f.json")
    whole.index()
    existing = _pointers(json.loads(text))
    asked = data.draw(
        st.permutations(existing + [p + "/absent" for p in existing] + [p + "/99" for p in existing])
    )
    parsed = parse_text(text, "f.json")
    for pointer in asked[: data.draw(st.integers(1, len(asked)))]:
        key = data.draw(st.booleans())
        assert parsed.position(pointer, key=key) == whole.position(pointer, key=key), pointer


@given(st.text(max_size=200))
@settings(max_examples=examples(300), deadline=None)
def test_arbitrary_text_as_json_never_crashes(text: str) -> None:
    """Any text read as JSON gives data or problems, never an exception, positions included."""
    parsed = parse_text(text, "f.json")
    if parsed.data is not None:
        parsed.position("/0")


@pytest.mark.parametrize("pure", PARSERS)
def test_non_specific_tag_makes_a_string(pure: bool) -> None:
    """'!' forces a string, even of an empty or numeric-looking scalar (found by Hypothesis)."""
    assert parse_text("!", "f.yaml", pure=pure).data == ""
    assert parse_text("a: ! 12\n", "f.yaml", pure=pure).data == {"a": "12"}


@pytest.mark.parametrize("file", ["f.yaml", "f.json"])
def test_keys_that_look_like_internal_markers_are_ordinary_keys(file: str) -> None:
    """No key is special (Hypothesis once found a NUL-prefixed key taken for an internal marker)."""
    parsed = parse_text('{"\\u0000invalid": 1, "\\u0000duplicate": {"a": 2}}', file)
    assert parsed.problems == []
    assert parsed.data == {"\0invalid": 1, "\0duplicate": {"a": 2}}
    assert parsed.position("/\0duplicate/a") == (1, 47)


# -- the quick reader of usual YAML agrees with the builder --------------------------------------

#: Plain scalars whose meaning is easy to get wrong, and spellings around them.
TRICKY = [
    "", "~", "null", "Null", "NULL", "nULL", "true", "True", "TRUE", "tRUE", "false", "FALSE", "no",
    "yes", "on", "0", "-0", "+1", "12", "0750", "0o17", "0x1F", "1_000", "1e3", "1E+3", "-1.5e-3",
    ".5", "-.5", "5.", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "nan", "inf", "1:20", "2023-01-13",
    "a b", "x", "-", ".", "+", "é", "n", "t", "f", "N", "T", "F", "12a", "1.2.3",
]  # fmt: skip
QUOTED = st.sampled_from(TRICKY).map(lambda s: f"'{s}'") | st.sampled_from(TRICKY).map(lambda s: f'"{s}"')
SCALARS = (
    st.sampled_from(TRICKY)
    | QUOTED
    | st.sampled_from(['"\\ud800"', '"a\\u003ab"', "|\n  block\n", ">-\n  folded\n", '"\\x41"'])
    | st.sampled_from(["!!str 7", "!!int 7", "! 7", "!x 7", "&a 1", "*a", "!!float 1", "!!null ''"])
    | st.sampled_from(["&b [1, x]", "*b", "!!seq [1]", "!!map {x: 1}", "&m {x: 1}", "! [a]", "!x {}"])
)
KEYS = SCALARS | st.sampled_from(["a", "b", "id", "a", "b", "[a]", "{a: 1}", "[]"])


def _yaml(value: Any, indent: int = 0) -> str:
    """Writes the nested choices below as block YAML (flow for the tuple form)."""
    pad = " " * indent
    if isinstance(value, tuple):  # flow
        kind, items = value
        if kind == "list":
            return "[" + ", ".join(_inline(v) for v in items) + "]"
        return "{" + ", ".join(f"{k}: {_inline(v)}" for k, v in items) + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "".join(f"\n{pad}- {_yaml(v, indent + 2).lstrip()}" for v in value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "".join(f"\n{pad}{k}: {_yaml(v, indent + 2)}" for k, v in value.items())
    return str(value).replace("\n", "\n" + pad)


def _inline(value: Any) -> str:
    return _yaml(value) if isinstance(value, (str, tuple)) else "[]"


# Mappings as lists of pairs written one by one: a key may come twice.
yaml_values = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(KEYS, inner, max_size=3)
        | st.tuples(st.just("list"), st.lists(SCALARS, max_size=3))
        | st.tuples(st.just("map"), st.lists(st.tuples(KEYS, SCALARS), max_size=3))
    ),
    max_leaves=12,
)


def _quick_agrees(text: str) -> bool:
    """When the quick reader takes a text, the builder reads it without a problem, to the very
    same data (both parsers). Returns whether it took it."""
    from dispatchdata.read import yaml as yaml_parse

    took = False
    for pure in (False, True):
        quick = yaml_parse._quick(text, pure=pure)
        if quick is yaml_parse._UNUSUAL:
            continue
        built = yaml_parse._parse(text, "f.yaml", pure=pure, track=False)
        assert built.problems == []
        assert typed(quick) == typed(built.data)
        took = True
    return took


@given(
    yaml_values,
    st.sampled_from(["", "---\n", "# note\n", "---\n---\n", "%YAML 1.2\n---\n", "%YAML 1.1\n---\n"]),
)
@settings(max_examples=examples(800), deadline=None)
def test_the_quick_reader_agrees_with_the_builder(value: Any, head: str) -> None:
    """Tricky scalars, quoting, block and flow collections, duplicate and non-string keys, tags,
    anchors, aliases, more than one document: the quick reader gives what the builder gives, or
    leaves the file to it."""
    _quick_agrees(head + _yaml(value).lstrip("\n") + "\n")


@given(st.text(max_size=200))
@settings(max_examples=examples(500), deadline=None)
def test_the_quick_reader_agrees_on_arbitrary_text(text: str) -> None:
    """Whatever the text, the quick reader never differs from the builder."""
    _quick_agrees(text)


def test_the_quick_reader_takes_a_usual_file() -> None:
    """A file of the usual shape is read by the quick reader (else it would never be used)."""
    text = "- id: a\n  names: [x, 'y']\n  n: 12\n  f: -1.5\n  t: true\n  z: ~\n  d: '2023-01-13'\n"
    assert _quick_agrees(text)


@given(yaml_values, st.randoms(use_true_random=False))
@example(("map", [("~", "")]), random.Random(0))  # {~: }: the empty value, a column apart once
@example(("list", [("map", [("a", "")])]), random.Random(0))
@settings(max_examples=examples(300), deadline=None)
def test_yaml_positions_found_as_far_as_needed_are_those_of_the_whole_index(
    value: Any, order: random.Random
) -> None:
    """As for JSON: positions read only as far as each is asked for (what placing a message in a
    file no longer held does), one by one, in any order, of values that are there and of ones
    that are not, keys too, each the same as from the whole index, whichever parser made either;
    tricky files (duplicate keys, anchors, aliases, tags, empty flow values) included."""
    from dispatchdata.read import yaml as yaml_parse

    text = _yaml(value).lstrip("\n") + "\n"
    wholes = []
    for pure in (False, True):
        reading = yaml_parse._Reading(text, "f.yaml", pure=pure, track=True)
        reading.run()
        if not reading.builder.failed:  # refused whole (more documents, runaway aliases): nothing to place
            wholes.append(reading.builder.result())
    for whole in wholes:
        existing = list(whole.positions)
        asked = existing + [p + "/absent" for p in existing] + [p + "/99" for p in existing]
        finders = [positions_of(text.encode(), "f.yaml")]
        finders += [
            parsed for pure in (False, True) if (parsed := parse_text(text, "f.yaml", pure=pure)).seek
        ]
        for found in finders:
            order.shuffle(asked)
            for pointer in asked:
                key = order.random() < 0.5
                assert found.position(pointer, key=key) == whole.position(pointer, key=key), pointer


def test_a_yaml_position_is_read_only_as_far_as_it_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Placing a message near the top of a large file reads a few of its events, not all."""
    from dispatchdata.read import yaml_build

    text = "".join(f"- id: r{i}\n  names: [a, b]\n" for i in range(1000))
    fed: list[Any] = []
    feed = yaml_build.Builder.feed

    def counted(self: Any, event: Any) -> bool:
        fed.append(event)
        return feed(self, event)

    monkeypatch.setattr(yaml_build.Builder, "feed", counted)
    found = positions_of(text.encode(), "f.yaml")
    assert found.position("/2/names/1") == (6, 14)
    assert found.position("/2/names", key=True) == (6, 3)
    assert len(fed) < 40
    assert found.position("/0/id") == (1, 7)  # already read: nothing more
    assert len(fed) < 40
    assert found.position("/999/id") == (1999, 7)
    assert found.position("/1000") == (1, 1)  # not there: the whole list's place
    assert found.positions["/500/names/0"] == (1002, 11)


@given(
    st.binary(max_size=120)
    | st.text(alphabet='[]{}":,-0123456789.eE abnultrf\\\n', max_size=80).map(str.encode),
    st.sampled_from(["f.json", "f.yaml"]),
    st.sampled_from(["", "/0", "/0/id", "/a", "/1/b/0"]),
    st.booleans(),
)
@settings(max_examples=examples(1000), deadline=None)
def test_positions_of_any_bytes_never_raise(raw: bytes, file: str, pointer: str, key: bool) -> None:
    """A file read again to place a message may have changed into anything since: its positions
    are still asked for without an error (no position: the file's start)."""
    line, column = positions_of(raw, file).position(pointer, key=key)
    assert line >= 1
    assert column >= 1


def test_a_duplicate_key_is_said_alike_in_yaml_and_json() -> None:
    """One message for a duplicate key (DD103), whichever reader found it: changing it is one
    change, in one place (``read.common.duplicate_key_message``)."""
    yaml_problem = parse_bytes(b"a: 1\nb: 2\na: 3\n", "x.yaml").problems
    json_problem = parse_bytes(b'{"a": 1,\n"b": 2,\n"a": 3}', "x.json").problems
    assert (
        [p.message for p in yaml_problem]
        == [p.message for p in json_problem]
        == ["duplicate key 'a' (first at line 1); the first value is kept"]
    )
