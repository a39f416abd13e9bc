"""The screen of the fast YAML reader (:mod:`dispatchdata.read.yaml_rs_screen`) and its values
check: quoted texts over lines (keys holding ':', quotes inside other texts, quoted keys, dashes,
'? ', empty and blank lines, CRLF, tabs) are read by yaml-rs only as the careful reader reads
them; what only starts like a number (a SHA-256), or is quoted where a plain integer of the
same text also is, stays yaml-rs's to read; the spellings the screen trusts are yaml-rs's own;
no hostile line makes the screen slow."""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dispatchdata.read import yaml_rs
from dispatchdata.read.yaml_rs_screen import _NUMBER_SPELLING, _quoted_lines_under_indented, screened

from .helpers import examples
from .test_yaml_rs import _fast_is_careful

pytestmark = pytest.mark.skipif(not yaml_rs.installed(), reason="yaml-rs is not installed (the fast extra)")
#: The library itself (the fast extra).
library = pytest.importorskip("yaml_rs")

#: Where a quoted text's node may start on its line, and the key before it.
_LEADS = ["", "  ", "- ", "  - ", "- - ", "? ", ": ", "-  ", "k:\n  ", "- k:\n    "]
_KEYS = ["", "k: ", "key_b: ", "a:b: ", "a b: ", "'q': ", '"q": ', "-x: ", "a #b: ", "p: 'said: \"' ", "k:  "]
#: What a line of a quoted text may hold: quotes doubled or escaped, indicators, text that looks
#: like a key or another quote, nothing.
_CONTENTS = ["a", "''", '\\"', "x: 'y", 'said: "', "[1]", "[2", "{x: 1,", "# c", "- a", "? b", "", "\t"]
_CONTENTS += ["'", '"']


@st.composite
def quoted_over_lines(draw: st.DrawFn) -> str:
    """A quoted text over lines as the value of a key (or alone), its later lines indented by 0
    to 6 spaces or empty or blank, closed on its last line or not, in a small document."""
    quote = draw(st.sampled_from(["'", '"']))
    lines = [
        " " * draw(st.integers(0, 6)) + draw(st.sampled_from(_CONTENTS))
        for _ in range(draw(st.integers(1, 4)))
    ]
    closing = draw(st.sampled_from([quote, "", quote + " # c", quote + "\nz: 1"]))
    lead, key = draw(st.sampled_from(_LEADS)), draw(st.sampled_from(_KEYS))
    body = lead + key + quote + draw(st.sampled_from(_CONTENTS))
    text = body + "\n" + "\n".join(lines) + closing + "\n"
    before = draw(st.sampled_from(["", "a: 1\n", "- x\n", "k: 'one line'\n", "k: a\n"]))
    after = draw(st.sampled_from(["", "j: [1,\n]\n", "j: {a: 1,\n  b: 2}\n", "- [1,\n  2]\n"]))
    return (before + text + after).replace("\n", draw(st.sampled_from(["\n", "\r\n"])))


@given(quoted_over_lines())
@example("k: 'a\n  b''c\nx'\n")  # the closing quote is the last of three, not one of a pair
@example("- k: 'a\n\n  b'\n")  # past the dash, not past the key
@example("k: 'a\n \t\n  b'\n")  # a line of a space and a tab is not empty
@example('p: \'said: "\'\nq: "x\n"\n')
@example("a #b: 'x\n  y'\n")
@example("- 'a\n  b'\n- k: 'c\n\n    d'\n")
@example("a: 1\nk: 'a\n\n  [2'\nj: [1,\n]\n")  # a flow over lines after one opened in a quoted text
@example("a: 1\nk: 'a\n  [2'\n  [3,\n]\n")
@example("k: a\n  'b\n  [c,\n  d]'\n")  # the quote is plain text, and so is the '['
@example("k: a #c: 'b\n  [c,\n  d]'\n")
@settings(max_examples=examples(1500), deadline=None)
def test_quoted_texts_over_lines_are_read_as_the_careful_reader_reads_them_or_handed_over(text: str) -> None:
    """A quoted text over lines whose later lines are not all indented past its node is handed
    over (yaml-rs reads some that YAML 1.2 refuses); whatever yaml-rs reads is the careful
    reader's data."""
    _fast_is_careful(text)


def test_usual_quoted_texts_over_lines_are_read_by_yaml_rs() -> None:
    """The quoted texts PyYAML writes over lines (empty lines for line breaks, the next lines
    indented past the key) are yaml-rs's to read, in a mapping and in a sequence's mappings."""
    text = "- k: 'a\n\n\n    b'\n  p: 'x: \"'\n  s: '\"[1]\n\n    [2]'\n  t: '\"[1]\n\n    [2'\n"
    assert not screened(text)
    assert _fast_is_careful(text)
    assert yaml_rs.read_fast(text) == [{"k": "a\n\nb", "p": 'x: "', "s": '"[1]\n[2]', "t": '"[1]\n[2'}]


@pytest.mark.parametrize(
    "text",
    [
        "- k: 'a\n\n  b'\n",  # indented past the dash, not past the key
        "k: 'a\n  b''c\nx'\n",  # the closing quote is not one of a pair
        "k: 'a\n   \n  b\n'\n",
        "k: 'a\n\n \tb'\n",
        "  k: 'a\n  b'\n",
        "k: 'a\n  b\n",  # not closed
    ],
)
@pytest.mark.parametrize("before", ["", "a: 1\n", "- x\n"])
def test_quoted_texts_with_a_line_not_past_their_node_are_handed_over(text: str, before: str) -> None:
    """What the screen promises, whether or not yaml-rs would refuse the text itself: first in
    the text, and after a line."""
    assert screened(before + text)


@pytest.mark.parametrize("before", ["", "a: 1\n"])
def test_a_line_of_a_space_and_a_tab_is_not_empty(before: str) -> None:
    """(Tabs are handed over by another screen too: this one stands on its own.)"""
    assert _quoted_lines_under_indented(before + "- k: 'a\n \t\n    b'\n", [])
    assert not _quoted_lines_under_indented(before + "- k: 'a\n \n    b'\n", [])


_DOCUMENT = (
    "- id: doc-000051\n  number: '1'\n  sha256: 0f1f0910be23a88f3ffb22\n  footnotes:\n  - number: 1\n"
    "    anchor:\n      prefix: ''\n      suffix: 02051 Party is named h\n"
)


def test_a_documents_file_is_read_by_yaml_rs() -> None:
    """What only starts like a number yaml-rs reads otherwise (a SHA-256 '0f1f…', '02051 Party')
    is a string to both readers; a quoted '1' beside a plain 1 was quoted: yaml-rs reads it."""
    assert _fast_is_careful(_DOCUMENT)
    assert yaml_rs.read_fast(_DOCUMENT)[0]["number"] == "1"


@pytest.mark.parametrize(
    "text",
    [
        "k: 0750\n",
        "k: 0x1F # c\n",
        "- 0o17\n",
        "k: 1e5\n",
        "k: -0b1\n",
        "- - 0750\n",
        "k: 0750 \n",
        "k: .inf\n",
        "a: 1\nk: 0750\n",
    ],
)
def test_numbers_yaml_rs_reads_otherwise_are_handed_over(text: str) -> None:
    """A number yaml-rs reads where this reader reads a string (or a float it writes as null)."""
    assert screened(text)


#: Characters of numbers to yaml-rs and of words that only start like one.
_NUMBERISH = "0159aefxobAEFXOBinINgz_.+-"


@given(st.text(alphabet=_NUMBERISH, min_size=1, max_size=8), st.sampled_from(["", " x", " 1", " #c", "  "]))
@example("0x1F", "")
@example("1_0.5e-3", "")
@example("-.Inf", "")
@settings(max_examples=examples(2000), deadline=None)
def test_every_number_yaml_rs_reads_is_spelled_as_the_screen_expects(word: str, after: str) -> None:
    """The screen lets a word that starts like a number through when it is not spelled as one
    (:data:`~dispatchdata.read.yaml_rs_screen._NUMBER_SPELLING`); that holds only if yaml-rs
    reads every such text as a string."""
    try:
        value: Any = library.loads(f"k: {word}{after}\n", parse_datetime=False)
    except Exception:  # not YAML to yaml-rs: nothing read
        return
    if isinstance(value, dict) and not isinstance(value.get("k"), str):
        assert _NUMBER_SPELLING(word + after, 0), (word, after, value)


@given(st.from_regex(r"[-+]?[0-9]{1,40}", fullmatch=True), st.sampled_from(["k: {}\n", "- {}\n", "[{}]\n"]))
def test_yaml_rs_reads_decimal_digits_plain_as_an_integer(word: str, shape: str) -> None:
    """A string such as '12' in yaml-rs's data was quoted (the values check relies on it)."""
    value = library.loads(shape.format(word), parse_datetime=False)
    read = value["k"] if isinstance(value, dict) else value[0]
    assert type(read) is int


@pytest.mark.parametrize(
    "text",
    [
        ": '" * 30_000 + "\n",
        "k: '" + "a" * 100_000 + "\n",
        "- " * 50_000 + "'x\n",
        " " * 100_000 + "'\n",
        "k: '\n" + "\n" * 50_000 + "x'\n",
        "k: 'a\n" + "   ''\n" * 20_000 + "x'\n",
        "- k: 'a\n" + "     b\n" * 20_000 + "  c'\n",
        "a: 'x\n" * 20_000,
        "a: 1\nk: 'a\n" + "    \n" * 11 + "x\n",  # empty lines, and no end
        "a: 1\n- k: 'a\n" + "     b\n" * 20_000 + "  c'\n",
        "a: 1\nk: '" + "''" * 50_000 + "\n  x\n",
        "k: 0" + "1" * 100_000 + "\n",
        "k: 0" + "1" * 1_000 + " 1\n" * 1_000,
        "k: " + "0e" * 50_000 + "\n",
    ],
)
def test_no_hostile_text_makes_the_screen_slow(text: str) -> None:
    """Long lines and many lines of what the screen's expressions look for: linear time (a
    second is hundreds of times what these take)."""
    started = time.process_time()
    screened(text)
    assert time.process_time() - started < 1.0
