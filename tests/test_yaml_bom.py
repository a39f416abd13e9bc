"""A byte-order mark (U+FEFF) in YAML text: YAML 1.2 allows it only before a document, not in one
(``nb-char`` excludes it), and PyYAML's two parsers read it differently (libyaml drops one at a
line's start and counts no index for one that starts the text; the pure-Python parser keeps it
as text). So both readers refuse it, at its place, before reading (found in review, session 16).
A file's first character is refused earlier, by ``decode`` (DD101)."""

from __future__ import annotations

import pytest

from dispatchdata.read.parse import parse_bytes, parse_text

from .test_yaml_suite import READERS

_INSIDE = (
    "character U+FEFF (a byte-order mark) is not allowed inside a YAML document, and YAML 1.1"
    " readers (PyYAML) read it in different ways: remove it, or write it as \\uFEFF in a"
    " double-quoted string"
)


@pytest.mark.parametrize("pure", READERS.values(), ids=list(READERS))
@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("---\n\ufeffk: v\n", (2, 1)),  # was: libyaml {'k': 'v'}; pure {'\ufeffk': 'v'}
        ("a: 1\n\ufeffb: 2\n", (2, 1)),  # was: libyaml a syntax error at 2:2; pure {'a': 1, '\ufeffb': 2}
        ("k: \ufeffv\n", (1, 4)),  # was: both {'k': '\ufeffv'}
        ("k: 'x\n  \ufeff'\n", (2, 3)),  # in a quoted scalar over lines
    ],
)
def test_a_byte_order_mark_inside_a_document_is_refused(
    text: str, place: tuple[int, int], pure: bool
) -> None:
    """A U+FEFF inside a document: refused at its place by both readers, with what to do."""
    got = parse_bytes(text.encode(), "f.yaml", pure=pure)
    assert got.data is None
    assert [(p.code, p.line, p.column, p.message) for p in got.problems] == [("DD102", *place, _INSIDE)]


def test_a_text_starting_with_a_byte_order_mark_is_refused_alike_by_both_readers() -> None:
    """Text that starts with U+FEFF (parse_text takes a str; parse_bytes refuses the file's bytes,
    DD101): libyaml's marks counted no index for it, so its search for a short line in a quoted
    scalar stopped one character early and read ``{'k': 'x '}`` where the pure reader refused it."""
    text = "\ufeffk: 'x\n'\n"
    libyaml, pure = parse_text(text, "f.yaml"), parse_text(text, "f.yaml", pure=True)
    message = "the text starts with a byte-order mark (U+FEFF): save it as UTF-8 without BOM"
    expected = [("DD102", 1, 1, message)]
    for got in (libyaml, pure):
        assert got.data is None
        assert [(p.code, p.line, p.column, p.message) for p in got.problems] == expected
