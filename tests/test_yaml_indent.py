"""Lines YAML 1.2 refuses for their indentation and PyYAML reads (read/yaml_indent.py): refused
at their place, by both readers; and, on generated documents using each kind of construct
(continuation lines of flow collections and quoted scalars at every indentation, tabs in every
position, block scalars' leading empty lines), the package's readers give exactly the value
yaml-rs (a YAML 1.2 reader) gives, or refuse the document: never another value, never a document
yaml-rs refuses."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dispatchdata.errors import Severity
from dispatchdata.read.parse import parse_bytes
from dispatchdata.read.yaml import _quick
from dispatchdata.read.yaml_misread import _indent_problem
from dispatchdata.read.yaml_scalars import UNUSUAL

from .helpers import examples, typed
from .test_yaml_suite import READERS, _read

needs_yaml_rs = pytest.mark.skipif(
    importlib.util.find_spec("yaml_rs") is None,
    reason="yaml-rs (the fast extra) is not installed: no YAML 1.2 reader to compare with",
)

_LINE = (
    "a line inside a {what} begun on line {begun} must be indented by at least {need} space{s} (past"
    " the block it is in; a tab is not indentation): YAML 1.2 readers refuse it, YAML 1.1 readers"
    " (PyYAML) read it; indent the line with spaces"
)
_BLOCK = (
    "this empty line at the start of a block scalar holds 3 spaces, more than the 1 its first line"
    " of text is indented by: YAML 1.2 readers refuse it, YAML 1.1 readers (PyYAML) end the scalar"
    " before that line; remove the spaces"
)


def _line(what: str, begun: int, need: int) -> str:
    return _LINE.format(what=what, begun=begun, need=need, s="s" if need > 1 else "")


@pytest.mark.parametrize("pure", READERS.values(), ids=list(READERS))
@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("flow: [a,\nb,\nc]\n", (2, 1, _line("flow collection", 1, 1))),  # the suite's 9C9N
        ('quoted: "a\nb\nc"\n', (2, 1, _line("quoted scalar", 1, 1))),  # QB6E
        ("quoted: 'a\nb'\n", (2, 1, _line("quoted scalar", 1, 1))),
        ('foo: "bar\n\tbaz"\n', (2, 1, _line("quoted scalar", 1, 1))),  # DK95/01: a tab
        ("- k: [a,\n  b]\n", (2, 3, _line("flow collection", 1, 3))),  # past 'k', not '-'
        ("a:\n  b: {x: 1,\n  y: 2}\n", (3, 3, _line("flow collection", 2, 3))),
        ("- - 'x\n  y'\n", (2, 3, _line("quoted scalar", 1, 3))),
        ("x: 1\ny: [a,\n  b,\nc]\n", (4, 1, _line("flow collection", 2, 1))),  # the first line bad
        ('quoted: "a\rb"\r', (2, 1, _line("quoted scalar", 1, 1))),  # '\r' alone breaks lines too
        ("- k: 'x\r   y\r  z'\r", (3, 3, _line("quoted scalar", 1, 3))),
        ('k: "x\r\n  y\r\nz"\r\n', (4, 1, _line("quoted scalar", 1, 1))),
        ("- k: 'x\n   y\n  z'\n", (3, 3, _line("quoted scalar", 1, 3))),  # the last line short
        ("- k: 'x\n  '\n", (2, 3, _line("quoted scalar", 1, 3))),  # the closing quote short
        ("k: 'a\n\nb'\n", (3, 1, _line("quoted scalar", 1, 1))),  # after an empty line
        ("empty block scalar: >\n \n  \n   \n # comment\n", (4, 1, _BLOCK)),  # S98Z
        ("k: |\n \n   \n x\n", (3, 1, _BLOCK)),
        ("k: &a1 !!str >\n \n  \n   \n # c\n", (4, 1, _BLOCK)),  # after its anchor and tag
    ],
)
def test_lines_not_indented_past_their_block_are_refused(
    text: str, problem: tuple[int, int, str], pure: bool
) -> None:
    """A line inside a flow collection or a quoted scalar not indented past the block collection
    it is in (a tab counts for nothing), a block scalar's leading empty line wider than its first
    line of text: YAML 1.2 readers refuse them, PyYAML reads them; both readers refuse them, at
    the line (or the empty line), with what to do."""
    assert (None, [("DD102", *problem)]) == _read(text, pure)


@pytest.mark.parametrize("pure", READERS.values(), ids=list(READERS))
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("flow: [a,\n b,\n c]\n", {"flow": ["a", "b", "c"]}),
        ("[a,\nb]\n", ["a", "b"]),  # at the top: any indentation
        ("k: 'x\n y'\n", {"k": "x y"}),  # as indented as it needs
        ("- k: 'x\n   y'\n", [{"k": "x y"}]),
        ("- - [x,\n   y]\n", [[["x", "y"]]]),
        ('quoted: "a\n  b"\n', {"quoted": "a b"}),
        ('foo: "bar\n  \tbaz"\n', {"foo": "bar baz"}),  # DK95/02: a tab after the indentation
        ("foo: 'a\n\n b'\n", {"foo": "a\nb"}),  # an empty line may be less indented
        ("- k: 'x\n   y\n\n   z'\n", [{"k": "x y\nz"}]),
        ("- k: 'x\r   y\r\n   z'\r", [{"k": "x y z"}]),
        ("- k: [a,\n   b]\n", [{"k": ["a", "b"]}]),
        ("k: [a, # c\n# c\n  b]\n", {"k": ["a", "b"]}),  # a comment line between items
        ("k: |\n  \n  x\n", {"k": "\nx\n"}),  # as wide as the first line of text
        ("k: |\n   \nl: 1\n", {"k": "", "l": 1}),  # no line of text
        ("k: |2\n   \n  x\n", {"k": " \nx\n"}),  # an indentation indicator
    ],
)
def test_lines_indented_past_their_block_are_read(text: str, value: Any, pure: bool) -> None:
    """Near those lines, what YAML 1.2 reads is read, as it reads it."""
    assert (value, []) == _read(text, pure)


# -- generated documents, compared with yaml-rs ---------------------------------------------------

_WORDS = st.sampled_from(["a", "bc", "x y", "foo"])


def yaml_rs_reads(text: str) -> tuple[bool, Any]:
    """Whether yaml-rs reads the text, and its value (dates as text, duplicate keys an error)."""
    import yaml_rs  # deferred: an optional reader, only for these tests

    try:
        policy = yaml_rs.DuplicateKeyPolicy.Error
        return True, yaml_rs.loads(text, parse_datetime=False, duplicate_key_policy=policy)
    except (yaml_rs.YAMLDecodeError, ValueError, TypeError):
        return False, None


def assert_read_as_yaml_1_2_or_refused(text: str, pure: bool) -> None:
    """The reader gives yaml-rs's value, or refuses the text with a DD1xx error; and a text the
    quick reader reads holds no line :class:`Indents` refuses."""
    got = parse_bytes(text.encode(), "f.yaml", pure=pure)
    codes = [p.code for p in got.problems if p.severity is Severity.ERROR]
    assert all(code.startswith("DD1") for code in codes), codes
    if not codes:
        ok, value = yaml_rs_reads(text)
        assert ok, f"accepted what YAML 1.2 refuses: {text!r}"
        assert typed(value) == typed(got.data), text
    assert not (_quick_reads(text, pure) and _indent_problem(text, pure)), text


@st.composite
def prefixes(draw: st.DrawFn) -> str:
    """What a continuation line starts with: spaces, tabs, or both, in any order."""
    return "".join(draw(st.lists(st.sampled_from([" ", " ", "  ", "\t"]), max_size=4)))


#: Where a node is put, the text before and after it, and the indentation its lines need (one
#: space past the block collection it is in; at the top, none).
_PLACES = {
    "top": ("", "", 0),
    "key": ("k: ", "other: 1\n", 1),
    "nested": ("a:\n  k: ", "  other: 1\n", 3),
    "entry": ("- ", "- other\n", 1),
    "entry key": ("- k: ", "  other: 1\n", 3),
}


@st.composite
def continued(draw: st.DrawFn) -> str:
    """A document holding a node over several lines, each line after the first starting with a
    drawn prefix: a flow sequence or mapping (plain multi-line items included), a double- or
    single-quoted scalar, with an empty or comment line among them sometimes; the node at the
    top, as a value in a (nested) mapping, in a sequence or in a mapping in a sequence, followed
    by a sibling sometimes."""
    before, after, need = _PLACES[draw(st.sampled_from(list(_PLACES)))]
    kind = draw(st.sampled_from(["seq", "map", "double", "single", "plain"]))
    words = draw(st.lists(_WORDS, min_size=1, max_size=3))
    starts = [draw(prefixes()) for _ in words]
    if kind in ("double", "single"):
        # yaml-rs 0.1.6 refuses a quoted scalar's line of text indented by exactly the spaces it
        # needs ('k: "x\n a"'), which YAML 1.2 reads ('x a'): no reference for those.
        assume(need == 0 or " " * need not in starts)
    lines = [start + word for start, word in zip(starts, words, strict=True)]
    if draw(st.booleans()):
        blank = draw(prefixes()) + draw(st.sampled_from(["", "# c"] if kind in ("seq", "map") else [""]))
        lines.insert(draw(st.integers(0, len(lines))), blank)
    close = draw(prefixes())
    if kind == "seq":
        node = "[x,\n" + ",\n".join(lines) + "\n" + close + "]"
    elif kind == "map":
        items = [f"{line}: 1" if line.strip(" \t") and "#" not in line else line for line in lines]
        node = "{x: 1,\n" + ",\n".join(items) + "\n" + close + "}"
    elif kind == "plain":
        node = "[x\n" + "\n".join(lines) + "\n" + close + "]"
    else:
        quote = '"' if kind == "double" else "'"
        node = quote + "x\n" + "\n".join(lines) + "\n" + close + quote
    return before + node + "\n" + (after if draw(st.booleans()) else "")


@needs_yaml_rs
@given(continued(), st.booleans())
@settings(max_examples=examples(400), deadline=None)
def test_continuation_lines_are_read_as_yaml_1_2_or_refused(text: str, pure: bool) -> None:
    """Flow collections and quoted scalars over several lines, their lines at every indentation,
    tabs before, after or among their spaces: read as yaml-rs reads them, or refused."""
    assert_read_as_yaml_1_2_or_refused(text, pure)


_TAB_SITES = ["indent", "after key", "after dash", "in plain", "in quoted", "line end", "blank", "in flow"]
#: Lines continuing a quoted scalar or a flow collection in a sequence at column 2 (they need 3
#: spaces): tabs in their indentation, after it, or among too few spaces.
_LINE_SITES = {"quoted line": "    ", "flow line": "    "}


@st.composite
def tabbed(draw: st.DrawFn) -> str:
    """A small block document with tabs (or spaces and tabs) put in drawn places."""

    def gap(site: str, default: str) -> str:
        # ':' then a tab then text is refused by yaml-rs 0.1.6 ('k:\tv'), read by YAML 1.2 as
        # {'k': 'v'}: no reference for it; a tab after a space, or before one, has one.
        chosen = draw(st.sampled_from(["\t", " \t", "\t ", default])) if site in sites else default
        return " \t" if chosen == "\t" and site == "after key" else chosen

    def line(site: str) -> str:
        return draw(st.sampled_from(["\t", "  \t", " \t ", "   \t", "    "])) if site in sites else "    "

    sites = set(draw(st.lists(st.sampled_from([*_TAB_SITES, *_LINE_SITES]), min_size=1, max_size=3)))
    return (
        f"k:{gap('after key', ' ')}v{gap('in plain', ' ')}w{gap('line end', '')}\n"
        f"{gap('blank', '')}\n"
        f"s:\n{gap('indent', '  ')}-{gap('after dash', ' ')}'q{gap('in quoted', ' ')}r'\n"
        f"  - [a,{gap('in flow', ' ')}b]\n"
        f"  - 'c\n{line('quoted line')}d'\n"
        f"  - [e,\n{line('flow line')}f]\n"
    )


@needs_yaml_rs
@given(tabbed(), st.booleans())
@settings(max_examples=examples(300), deadline=None)
def test_tabs_are_read_as_yaml_1_2_or_refused(text: str, pure: bool) -> None:
    """Tabs as indentation, as separation, inside plain and quoted scalars, at a line's end, on
    an empty line, inside a flow collection: read as yaml-rs reads them, or refused."""
    assert_read_as_yaml_1_2_or_refused(text, pure)


@st.composite
def block_scalars(draw: st.DrawFn) -> str:
    """A block scalar (``|`` or ``>``, any chomping) whose leading empty lines hold 0 to 5 spaces,
    its lines of text indented 1 to 4 spaces past its block, in a mapping at column 0 or 2 or in a
    sequence; followed by a sibling or a comment line (at the block's column or past it),
    sometimes."""
    header = draw(st.sampled_from(["|", ">"])) + draw(st.sampled_from(["", "-", "+"]))
    parent = draw(st.sampled_from(["k: ", "a:\n  k: ", "- "]))
    column = 2 if parent.startswith("a:") else 0
    empty = [" " * draw(st.integers(0, 5)) for _ in range(draw(st.integers(0, 3)))]
    indent = " " * (column + draw(st.integers(1, 4)))
    text = [indent + word for word in draw(st.lists(_WORDS, max_size=2))]
    comment = " " * (column + draw(st.integers(0, 4))) + "# c"  # text to YAML 1.2 if indented past
    follow = draw(st.sampled_from(["", comment, " " * column + ("- x" if parent == "- " else "z: 1")]))
    # yaml-rs 0.1.6 ends a block scalar without text at the end of the file with a line break
    # ('k: |' is {'k': '\n'}), which YAML 1.2 does not keep: no reference for those.
    assume(bool(text) or bool(follow) or header.endswith("-"))
    return (
        parent
        + header
        + "\n"
        + "".join(line + "\n" for line in [*empty, *text, *([follow] if follow else [])])
    )


@needs_yaml_rs
@given(block_scalars(), st.booleans())
@settings(max_examples=examples(300), deadline=None)
def test_block_scalars_leading_lines_are_read_as_yaml_1_2_or_refused(text: str, pure: bool) -> None:
    """Block scalars whose leading empty lines are narrower, as wide or wider than their first
    line of text: read as yaml-rs reads them, or refused."""
    assert_read_as_yaml_1_2_or_refused(text, pure)


# -- what the quick reader reads -----------------------------------------------------------------


def _scalar(draw: st.DrawFn, need: int) -> str:
    """A plain, single- or double-quoted scalar, its lines after the first indented 0 to ``need``
    + 2 spaces."""
    quote = draw(st.sampled_from(["", "'", '"']))
    lines = [draw(_WORDS)] + [
        " " * draw(st.integers(0, need + 2)) + draw(_WORDS) for _ in range(draw(st.integers(0, 2)))
    ]
    return quote + "\n".join(lines) + quote


@st.composite
def laid_out(draw: st.DrawFn, indent: int = 0, depth: int = 0) -> str:
    """A block mapping or sequence at ``indent`` (nested, compact ``- k: v`` entries, comments and
    blank lines among them) of scalars over one or more lines, their lines at any indentation."""
    pad, lines = " " * indent, []
    sequence = draw(st.booleans())
    for i in range(draw(st.integers(1, 3))):
        nested = depth < 2 and draw(st.booleans())
        if sequence and draw(st.booleans()):  # a compact mapping: its key 2 further
            head = f"{pad}- k{i}:"
            column = indent + 2
        else:
            head, column = (f"{pad}- " if sequence else f"{pad}k{i}:"), indent
        if nested:
            lines.append(head.rstrip() + "\n" + draw(laid_out(column + 2, depth + 1)))
        else:
            sep = "" if head.endswith(" ") else " "
            lines.append(head + sep + _scalar(draw, column + 1))
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", pad + "# c", "  # c"])))
    return "\n".join(line for line in lines if line is not None).rstrip("\n") + "\n"


def _quick_reads(text: str, pure: bool) -> bool:
    """Whether the quick reader reads the text (else the builder does, with the event watch)."""
    return _quick(text, pure=pure) is not UNUSUAL


@given(laid_out(), st.booleans())
@settings(max_examples=examples(300), deadline=None)
def test_a_text_the_quick_reader_reads_holds_no_line_refused(text: str, pure: bool) -> None:
    """What the quick reader reads (it finds those lines in its own events) holds no line the
    builder's event watch refuses, whatever indentation its continuation lines have."""
    assert not (_quick_reads(text, pure) and _indent_problem(text, pure)), text


@pytest.mark.parametrize("pure", READERS.values(), ids=list(READERS))
def test_the_shipped_files_are_read_by_the_quick_reader(pure: bool) -> None:
    """The dataset's files, its block scalars and quoted texts over several lines too, are read
    by the quick reader (no line refused for its indentation; nothing else unusual)."""
    dataset = Path(__file__).parent.parent / "dataset"
    read = {path.name: _quick_reads(path.read_text("utf-8"), pure) for path in dataset.glob("*.yaml")}
    assert read == dict.fromkeys(read, True)


@pytest.mark.parametrize("pure", READERS.values(), ids=list(READERS))
@pytest.mark.parametrize("text", ["- x\n---\n", "-\n---\n", "a:\n- x\n---\n", "- x\n--- # c\n"])
def test_a_second_document_after_a_block_sequence_is_refused_not_a_crash(text: str, pure: bool) -> None:
    """CPython's re raised SystemError ("span of capturing group is wrong") matching a layout
    screen (since replaced) on these: a traceback from both readers. A second document, DD106 at
    its marker."""
    data, problems = _read(text, pure)
    assert data is None
    assert [(code, line, column) for code, line, column, _ in problems] == [("DD106", text.count("\n"), 1)]


@pytest.mark.parametrize("pure", READERS.values(), ids=list(READERS))
@pytest.mark.parametrize(
    ("text", "where", "escape"),
    [
        ("- x\u2028- y\n", (1, 4), "\\L"),
        ("a: 'x\x85y'\n", (1, 6), "\\N"),
        ('a: "x\u2029"\n', (1, 6), "\\P"),
        ("a: |\n x\u2028\n", (2, 3), "\\L"),
    ],
)
def test_a_line_break_only_to_yaml_1_1_is_refused(
    text: str, where: tuple[int, int], escape: str, pure: bool
) -> None:
    """NEL, LS and PS are line breaks to PyYAML (YAML 1.1) and text to YAML 1.2: PyYAML read
    `- x<LS>- y` as two items and dropped or folded them elsewhere. Refused at their place."""
    character = text[text.index("x") + 1]
    message = (
        f"character U+{ord(character):04X} is a line break to YAML 1.1 readers (PyYAML) and text to "
        f"YAML 1.2: write it as {escape} in a double-quoted string"
    )
    assert _read(text, pure) == (None, [("DD102", *where, message)])
    assert _read(f'a: "x{escape}"\n', pure) == ({"a": f"x{character}"}, [])
