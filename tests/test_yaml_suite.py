"""The YAML test suite (``tests/data/yaml-test-suite``) read by every reader the package may use:
each case read exactly, refused with a DD1xx problem, or one of the known defects listed here
(misread: another value and no problem; invalid and accepted: none left), which can only
shrink; the two readers never give different values and refuse the same invalid cases; the
README's table holds these counts. Then the kinds of construct behind the misreadings, refused
by what they are, shown by generated documents (those behind the invalid cases once accepted:
``tests/test_yaml_indent.py``)."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatchdata.errors import Severity
from dispatchdata.read.parse import parse_bytes

from .helpers import examples, typed

SUITE = Path(__file__).parent / "data" / "yaml-test-suite"
README = Path(__file__).parent.parent / "README.md"
#: The readers: libyaml's (the default where PyYAML has it) and PyYAML's pure-Python one.
READERS = {"libyaml": False, "pure": True}

#: Valid cases the suite gives no JSON value for (not expressible in it, for most), whose value
#: was read by hand from the suite's ``test.event`` of the vendored commit: the only ones a
#: reader accepts. Any other such case a reader accepts fails the test until its value is here.
WITHOUT_JSON = {
    "4ABK": {"unquoted": "separate", "http://foo.com": None, "omitted value": None},
    "UKK6/02": "",  # '!': the non-specific tag on an empty scalar, a string
}

#: Known defects (the issue #21 readers fix): valid cases read as another value without a
#: problem, and invalid cases accepted, per reader. A case that stops being one fails the test
#: until it is removed from here.
MISREAD: dict[str, list[str]] = {"libyaml": [], "pure": []}
ACCEPTED: dict[str, list[str]] = {"libyaml": [], "pure": []}

#: What the README's table says, per reader: how many cases fall in each class, and the codes
#: the valid ones are refused with.
COUNTS = {
    "libyaml": {
        "read exactly": 202,
        "refused": 103,
        "misread": 0,
        "empty": 3,
        "invalid refused": 94,
        "invalid accepted": 0,
    },
    "pure": {
        "read exactly": 199,
        "refused": 106,
        "misread": 0,
        "empty": 3,
        "invalid refused": 94,
        "invalid accepted": 0,
    },
}


class Outcome(NamedTuple):
    """What a reader made of a case: its class, its data and the codes of its errors."""

    kind: str
    data: Any
    codes: tuple[str, ...]


def cases() -> list[str]:
    """Every case of the vendored suite (``ID`` or ``ID/NN``), sorted."""
    return sorted(p.parent.relative_to(SUITE).as_posix() for p in SUITE.rglob("in.yaml"))


def documents(text: str) -> list[Any]:
    """The JSON texts of an ``in.json``, one after the other (one per YAML document)."""
    decoder, found, at = json.JSONDecoder(), [], 0
    while (at := len(text) - len(text[at:].lstrip())) < len(text):
        value, at = decoder.raw_decode(text, at)
        found.append(value)
    return found


def classify(case: str, pure: bool) -> Outcome:
    """What one reader makes of one case (see the module's docstring for the classes)."""
    folder = SUITE / case
    got = parse_bytes((folder / "in.yaml").read_bytes(), "in.yaml", pure=pure)
    errors = [p for p in got.problems if p.severity is Severity.ERROR]
    codes = tuple(sorted({p.code for p in errors}))
    assert all(re.fullmatch(r"DD1\d\d", code) for code in codes), (case, codes)
    assert all(p.line >= 1 and p.column >= 1 for p in errors), (case, errors)  # placed
    if (folder / "error").exists():
        return Outcome("invalid refused" if codes else "invalid accepted", got.data, codes)
    if codes:
        return Outcome("refused", got.data, codes)
    if not (folder / "in.json").exists():
        assert case in WITHOUT_JSON, f"{case}: accepted, no in.json: add its value to WITHOUT_JSON"
        same = typed(WITHOUT_JSON[case]) == typed(got.data)
        return Outcome("read exactly" if same else "misread", got.data, ())
    expected = documents((folder / "in.json").read_text(encoding="utf-8"))
    if not expected and got.data is None:  # no document (comments only): null, as YAML loaders say
        return Outcome("empty", None, ())
    same = len(expected) == 1 and typed(expected[0]) == typed(got.data)
    return Outcome("read exactly" if same else "misread", got.data, ())


@cache
def outcomes(reader: str) -> dict[str, Outcome]:
    """Every case's outcome with one reader."""
    return {case: classify(case, READERS[reader]) for case in cases()}


def test_the_suite_is_vendored_whole() -> None:
    """The vendored commit's cases are all here: 402 inputs, 94 of them invalid."""
    assert (len(cases()), sum((SUITE / c / "error").exists() for c in cases())) == (402, 94)


@pytest.mark.parametrize("reader", READERS)
def test_known_defects_are_exactly_these(reader: str) -> None:
    """The cases misread and the invalid cases accepted are exactly the known ones: none more,
    and a case fixed must leave the list."""
    found = outcomes(reader)
    assert MISREAD[reader] == [case for case, got in found.items() if got.kind == "misread"]
    assert ACCEPTED[reader] == [case for case, got in found.items() if got.kind == "invalid accepted"]


@pytest.mark.parametrize("reader", READERS)
def test_counts_are_the_readmes(reader: str) -> None:
    """How many cases fall in each class, per reader: the README's table (checked below)."""
    found = Counter(got.kind for got in outcomes(reader).values())
    assert COUNTS[reader] == {kind: found[kind] for kind in COUNTS[reader]}
    assert found.total() == len(cases())  # no other class


def test_the_readers_never_give_different_values() -> None:
    """Where both readers accept a case, they give the same value (one may refuse what the other
    reads: those cases are counted in the README)."""
    libyaml, pure = outcomes("libyaml"), outcomes("pure")
    differ = [
        case
        for case in cases()
        if not libyaml[case].codes
        and not pure[case].codes
        and typed(libyaml[case].data) != typed(pure[case].data)
    ]
    assert differ == []


def test_the_readers_refuse_the_same_invalid_cases() -> None:
    """Every invalid case one reader refuses, the other refuses too (issue #21 saw them part on
    three)."""
    libyaml, pure = outcomes("libyaml"), outcomes("pure")
    invalid = [case for case in cases() if (SUITE / case / "error").exists()]
    assert [case for case in invalid if libyaml[case].kind != pure[case].kind] == []


def table() -> str:
    """The README's table of the suite's results, from the outcomes."""
    rows = {
        "read exactly": "valid cases read exactly",
        "refused": "valid cases refused (cases per code)",
        "misread": "valid cases **misread** (another value, no problem)",
        "empty": "valid cases without a document (comments only), read as null",
        "invalid refused": "invalid cases refused",
        "invalid accepted": "invalid cases **accepted**",
    }
    lines = ["| | libyaml reader | pure-Python reader |", "|---|---|---|"]
    for kind, title in rows.items():
        cells = []
        for reader in READERS:
            found = [got for got in outcomes(reader).values() if got.kind == kind]
            cell = str(len(found))
            if kind == "refused":
                codes = Counter(code for got in found for code in got.codes)
                cell += " (" + ", ".join(f"{code} {n}" for code, n in sorted(codes.items())) + ")"
            cells.append(cell)
        lines.append(f"| {title} | {' | '.join(cells)} |")
    return "\n".join(lines) + "\n"


def test_the_readme_shows_the_counts() -> None:
    """The README's table of the suite's results is the one the readers give today."""
    assert table() in README.read_text(encoding="utf-8"), table()


# -- constructs PyYAML reads otherwise than YAML 1.2: refused, not misread ----------------------

_ANCHOR = (
    "'&an:chor' is the anchor 'an:chor' to YAML 1.2 readers, but the anchor 'an' followed by the"
    " text ':chor' to YAML 1.1 readers (PyYAML); name anchors with letters, digits, '-' and '_' only"
)
_ALIAS = (
    "'*b?' is an alias of 'b?' to YAML 1.2 readers, but an alias of 'b' followed by the text '?' to"
    " YAML 1.1 readers (PyYAML); name anchors with letters, digits, '-' and '_' only"
)
_QUESTION = (
    "'?foo' in a flow collection is the text '?foo' to YAML 1.2 readers, but a key marked by '?'"
    " ('foo') to YAML 1.1 readers (PyYAML); quote it, or write '? foo' for a key"
)
_HASH = (
    "'#' right after '\"value\"' without a space: a comment to YAML 1.1 readers (PyYAML), an error to"
    " YAML 1.2 readers; put a space before the '#'"
)
_DASH = (
    "'-' alone in a flow collection is text to YAML 1.1 readers (PyYAML), an error to YAML 1.2"
    ' readers; quote it: "-"'
)
_BLOCK = (
    "a block scalar ('|') ends the file without a line break: YAML 1.2 readers and YAML 1.1 readers"
    " (PyYAML) end its last line differently; end the file with a line break"
)


def _read(text: str, pure: bool) -> tuple[Any, list[tuple[str, int, int, str]]]:
    got = parse_bytes(text.encode(), "f.yaml", pure=pure)
    return got.data, [(p.code, p.line, p.column, p.message) for p in got.problems]


@pytest.mark.parametrize("pure", READERS.values(), ids=list(READERS))
@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("---\nkey: &an:chor value\n", ("DD102", 2, 6, _ANCHOR)),
        ("a: &b 1\nc: [*b?]\n", ("DD102", 2, 5, _ALIAS)),
        ("{ ?foo: bar,\nbar: 42\n}\n", ("DD102", 1, 3, _QUESTION)),
        ("x: [a, ?foo]\n", ("DD102", 1, 8, _QUESTION)),
        ("foo: |\n  x\n   ", ("DD102", 1, 6, _BLOCK)),
        ("- |+\n   ", ("DD102", 1, 3, _BLOCK)),
        ("foo: |\n  x", ("DD102", 1, 6, _BLOCK)),
        ('key: "value"# invalid comment\n', ("DD102", 1, 13, _HASH)),
        ("- [a, -]\n", ("DD102", 1, 7, _DASH)),
        ("{a: -}\n", ("DD102", 1, 5, _DASH)),
        ("[ a, b, c, ]#invalid\n", ("DD102", 1, 13, _HASH.replace("'\"value\"'", "']'"))),
        ("a: [b,#c\n  d]\n", ("DD102", 1, 7, _HASH.replace("'\"value\"'", "','"))),
    ],
)
def test_constructs_pyyaml_misreads_are_refused(text: str, problem: tuple[Any, ...], pure: bool) -> None:
    """An anchor or alias name holding ':?%@`', '?' followed by text in a flow collection, a block
    scalar ending the file without a line break: YAML 1.2 and PyYAML read these differently, so
    both readers refuse them, at the construct, rather than give PyYAML's value. So with a comment
    right after other text and a '-' alone in a flow collection, which YAML 1.2 readers refuse and
    PyYAML reads (as a comment, as the text '-')."""
    assert (None, [problem]) == _read(text, pure)


@pytest.mark.parametrize("pure", READERS.values(), ids=list(READERS))
def test_a_hash_right_after_a_block_scalar_header_is_refused(pure: bool) -> None:
    """``>#``: libyaml reads a comment, which is refused as above; the pure parser refuses it."""
    said = "YAML syntax error: expected chomping or indentation indicators, but found '#'"
    message = said if pure else _HASH.replace("'\"value\"'", "'>'")
    assert (None, [("DD102", 1, 9, message)]) == _read("block: ># comment\n  scalar\n", pure)


@pytest.mark.parametrize("pure", READERS.values(), ids=list(READERS))
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a: &b-c_1 x\nd: *b-c_1\n", {"a": "x", "d": "x"}),  # the names both read alike
        ("[? x, y]\n", [{"x": None}, "y"]),  # '?' and a space: a key to both
        ('["?x", {"?y": 1}]\n', ["?x", {"?y": 1}]),  # quoted
        ("?x: y\n", {"?x": "y"}),  # '?x' outside a flow collection is text to both
        ("foo: |\n  x\n", {"foo": "x\n"}),  # a line break last
        ("foo: |-\n  x", {"foo": "x"}),  # stripped: the last line break is not kept
        ("foo: |\n  x\n# c", {"foo": "x\n"}),  # a comment ends the file, not the scalar
        ("foo: x", {"foo": "x"}),  # no block scalar
        ("# c\na: C# # c\nb: http://x/#y\n", {"a": "C#", "b": "http://x/#y"}),  # '#' in text
        ("{-: x, y: [-a, b-, -1, '-']}\n", {"-": "x", "y": ["-a", "b-", -1, "-"]}),  # '-' not alone
        ('a: "x" # c\nb: [y] # c\nc: |  # c\n  z\n', {"a": "x", "b": ["y"], "c": "z\n"}),
    ],
)
def test_what_both_read_alike_is_read(text: str, value: Any, pure: bool) -> None:
    """Near those constructs, what YAML 1.2 and PyYAML read alike is read, without a problem."""
    assert (value, []) == _read(text, pure)


_WORD = st.text(alphabet="abxyz", min_size=1, max_size=4)
_PYYAML_ENDS_NAME = set(":?%@`")


@given(name=st.text(alphabet="ab1-_:?%@`", min_size=1, max_size=6), flow=st.booleans(), pure=st.booleans())
@settings(max_examples=examples(150), deadline=None)
def test_anchor_names_are_read_as_yaml_1_2_names_or_refused(name: str, flow: bool, pure: bool) -> None:
    """An anchor and its alias, named with any characters YAML 1.2 allows in a name: read as YAML
    1.2 reads them, or (a name PyYAML ends early) refused, never another value."""
    text = f"[&{name} value, *{name}]\n" if flow else f"key: &{name} value\nother: *{name}\n"
    data, problems = _read(text, pure)
    if _PYYAML_ENDS_NAME & set(name):
        assert data is None
        assert [code for code, *_ in problems] == ["DD102"]
    else:
        assert (["value", "value"] if flow else {"key": "value", "other": "value"}, []) == (data, problems)


def _flow_entry(kind: str, w: str) -> tuple[str, str, Any]:
    """A flow mapping's entry of one kind with the word ``w``: its text, key and value."""
    return {
        "text": (f"?{w}: v", f"?{w}", "v"),
        "key": (f"? {w}: v", w, "v"),
        "plain": (f"{w}: v", w, "v"),
        "pair": (f"{w}: ?{w}", w, f"?{w}"),  # '?' before a value
    }[kind]


def _flow_item(kind: str, w: str) -> tuple[str, Any]:
    """A flow sequence's item of one kind with the word ``w``: its text and value."""
    return {
        "text": (f"?{w}", f"?{w}"),
        "key": (f"? {w}", {w: None}),
        "plain": (w, w),
        "pair": (f"?{w}: v", {f"?{w}": "v"}),
    }[kind]


@st.composite
def flow_collections(draw: st.DrawFn) -> tuple[str, Any, bool]:
    """A flow sequence or mapping of words with '?' before some (``?x``: text to YAML 1.2; ``? x``:
    a key), its YAML 1.2 value, and whether it holds a '?' directly before text."""
    words = draw(st.lists(_WORD, min_size=1, max_size=4, unique=True))
    kinds = [draw(st.sampled_from(["text", "key", "plain", "pair"])) for _ in words]
    misread = any(kind in ("text", "pair") for kind in kinds)
    if draw(st.booleans()):  # a sequence
        items = [_flow_item(kind, word) for kind, word in zip(kinds, words, strict=True)]
        return "[" + ", ".join(item for item, _ in items) + "]\n", [v for _, v in items], misread
    entries = [_flow_entry(kind, word) for kind, word in zip(kinds, words, strict=True)]
    return "{" + ", ".join(e for e, _, _ in entries) + "}\n", {k: v for _, k, v in entries}, misread


@given(flow_collections(), st.booleans())
@settings(max_examples=examples(150), deadline=None)
def test_question_marks_in_flow_collections_are_read_as_yaml_1_2_or_refused(
    case: tuple[str, Any, bool], pure: bool
) -> None:
    """'?' in flow collections: '? x' (a key) read as YAML 1.2 and PyYAML both read it; '?x' (text
    to YAML 1.2, a key to PyYAML) refused, never another value."""
    text, value, misread = case
    data, problems = _read(text, pure)
    if misread:
        assert data is None
        assert [code for code, *_ in problems] == ["DD102"]
    else:
        assert (value, []) == (data, problems)


@st.composite
def literal_scalars(draw: st.DrawFn) -> tuple[str, Any]:
    """A document ``k: |`` (clipped, stripped ``-`` or kept ``+``) whose lines hold text, empty
    lines and lines of spaces (more than its indentation of 2: text), its last line with or without
    a line break, sometimes followed by a key; and the value YAML 1.2 gives it, or None where YAML
    1.2 readers and PyYAML differ (a last line without a line break, not stripped)."""
    chomp = draw(st.sampled_from(["", "-", "+"]))
    line = st.one_of(
        st.tuples(st.just("text"), st.sampled_from(["x", " y", "a b"])),
        st.tuples(st.just("blank"), st.integers(0, 2)),
        st.tuples(st.just("spaces"), st.integers(3, 5)),
    )
    lines = [("text", draw(st.sampled_from(["x", "ab", "z q"]))), *draw(st.lists(line, max_size=5))]
    follow, final_break = draw(st.booleans()), draw(st.booleans())
    if lines[-1] == ("blank", 0) and not final_break:
        final_break = True  # an empty last line without a break is no line
        lines.pop()
    body = "\n".join("  " + str(v) if kind == "text" else " " * int(v) for kind, v in lines)
    text = f"k: |{chomp}\n{body}" + ("\n" if final_break or follow else "") + ("other: 1\n" if follow else "")
    if not (final_break or follow or chomp == "-"):
        return text, None
    contents = [str(v) if kind == "text" else " " * (int(v) - 2) for kind, v in lines]
    last = max(i for i, (kind, v) in enumerate(lines) if kind != "blank")  # the last line of text
    kept = "\n".join(contents[: last + 1])
    if chomp != "-":
        kept += "\n" + ("\n" * (len(lines) - 1 - last) if chomp == "+" else "")
    return text, {"k": kept, "other": 1} if follow else {"k": kept}


@given(literal_scalars(), st.booleans())
@settings(max_examples=examples(200), deadline=None)
def test_literal_block_scalars_are_read_as_yaml_1_2_or_refused(case: tuple[str, Any], pure: bool) -> None:
    """A literal block scalar is read as YAML 1.2 reads it, its trailing lines and line breaks
    included; one whose last line ends the file without a line break (not stripped) is refused
    at its '|'."""
    text, value = case
    expected = (None, [("DD102", 1, 4, _BLOCK)]) if value is None else (value, [])
    assert expected == _read(text, pure)


#: Values written in YAML and what they are, to put a '#' after: all but the plain one end where
#: a '#' after them can only start a comment.
_ENDED = [('"v"', "v"), ("'v'", "v"), ("[v]", ["v"]), ("{v: w}", {"v": "w"}), ("v", "v")]


@given(st.lists(st.tuples(st.sampled_from(_ENDED), st.booleans()), min_size=1, max_size=4), st.booleans())
@settings(max_examples=examples(100), deadline=None)
def test_a_hash_right_after_text_is_refused_unless_it_is_text(
    values: list[tuple[tuple[str, Any], bool]], pure: bool
) -> None:
    """Values each followed by a comment, with a space before its '#' or none: with a space, or
    after a plain scalar (then the '#' is part of it), read as YAML 1.2 reads them; else refused."""
    text = "".join(
        f"k{i}: {written}{' ' if spaced else ''}#c\n" for i, ((written, _), spaced) in enumerate(values)
    )
    data, problems = _read(text, pure)
    if all(spaced or written == "v" for (written, _), spaced in values):
        expected = {f"k{i}": value if spaced else "v#c" for i, ((_, value), spaced) in enumerate(values)}
        assert (expected, []) == (data, problems)
    else:
        assert data is None
        assert [code for code, *_ in problems] == ["DD102"]
