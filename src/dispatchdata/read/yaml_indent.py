"""Lines PyYAML's parsers (YAML 1.1 readers) read where YAML 1.2 refuses them, because they are
not indented as the block they are in demands, so that a file holding one is refused (DD102)
instead of read:

* a line inside a quoted scalar or a flow collection that is not indented past the block
  collection the scalar or collection is in (``key: "a`` then ``b"`` at the line's start; in
  ``- [`` then a line starting with a tab: a tab is not indentation). PyYAML reads on; a YAML
  1.2 line prefix is that block's indentation plus one space at least, tabs only after it;
* a block scalar (``|``, ``>``) without an indentation indicator whose leading empty lines hold
  more spaces than its first line that is not empty: YAML 1.2 takes that line into the scalar
  and refuses the spaces before it; PyYAML ends the scalar before that line.

:class:`Indents` finds them exactly, from the parser's events (their marks say where a scalar
or a flow collection starts and ends, and the column of each block collection). The quick
reader has no events to spare, so :func:`plainly_laid_out` first tells whether a text is laid out
as a dumper lays YAML out (keys and ``-`` entries, plain, quoted and one-line flow values, every
continuation line past its key), which holds none of them; any other text is read by the
builder, which feeds its events to :class:`Indents`.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import yaml

#: A YAML 1.2 line break (PyYAML also breaks lines at U+0085, U+2028 and U+2029; YAML 1.2 does not).
_BREAK = re.compile(r"\r\n|\r|\n")
#: A block scalar's header after its tag and anchor: its indicator, chomping and indentation
#: indicators in either order.
_HEADER = re.compile(r"(?:[!&][^ \t\r\n]*[ \t\r\n]+)*([|>](?:[-+]?[1-9]|[1-9]?[-+]?))")

# The layout of a text whose every line is a key, a '-' (or '?', ':') entry, a comment or blank,
# with plain, quoted or one-line flow values, every continuation line of a plain or quoted value
# indented past its key or entry. REQ stands for the spaces a continuation line must begin with,
# spelt with the line's own captured indentation: group i (the line's spaces), a1 (the spaces
# after one indicator) or a2 and b2 (after two). A line may be taken for only one thing: a
# quoted value starts at its quote, a plain one at any other character that may start one.
_PLAIN_FIRST = r"""(?:[^-?:,\[\]{}\#&*!|>'"%@`\s]|[-?:](?![ \t\n]|\Z))"""
_PLAIN_REST = r"[^\n#:]*+(?:(?::(?![ \t\n]|\Z)|(?<=[^ \t])\#)[^\n#:]*+)*+"
_SINGLE = r"[^'\n]*(?:''[^'\n]*)*"
_DOUBLE = r'[^"\\\n]*(?:\\[^\n][^"\\\n]*)*(?:\\(?=\n))?'
_KEY = rf"""(?:{_PLAIN_FIRST}{_PLAIN_REST}|'{_SINGLE}'|"{_DOUBLE}")[ ]*:(?=[ \n]|\Z)"""
_TRAIL = r"[ \t]*(?:\#[^\n]*)?"  # (a '#' right after text: see may_misread)
_AFTER_INDICATOR = r"(?:[ ]+|(?=\n|\Z))"


def _value(req: str) -> str:
    """A value whose continuation lines begin with ``req``: quoted, one-line flow, or plain."""
    single = rf"'{_SINGLE}(?:\n(?:[ ]*(?=\n)|{req}{_SINGLE}))*'"
    double = rf'"{_DOUBLE}(?:\n(?:[ ]*(?=\n)|{req}{_DOUBLE}))*"'
    items = rf"""(?:[^\[\]{{}}'"\#\n]|'{_SINGLE}'|"{_DOUBLE}")*"""  # on one line, not nested
    flow = rf"\[{items}\]|\{{{items}\}}"
    plain = rf"{_PLAIN_FIRST}{_PLAIN_REST}(?:\n(?:[ ]*\n)*{req}[ ]*[^\s\#]{_PLAIN_REST})*"
    return rf"(?:{single}|{double}|{flow}|{plain})"


_LINE = (
    rf"(?P<i>[ ]*)(?:{_KEY}(?:[ ]+{_value('(?P=i) ')})?{_TRAIL}"
    rf"|[-?:](?P<a1>{_AFTER_INDICATOR})"
    rf"(?:{_KEY}(?:[ ]+{_value('(?P=i) (?P=a1) ')})?|{_value('(?P=i) ')})?{_TRAIL}"
    rf"|[-?:](?P<a2>[ ]+)[-?:](?P<b2>{_AFTER_INDICATOR})"
    rf"(?:{_KEY}(?:[ ]+{_value('(?P=i) (?P=a2) (?P=b2) ')})?|{_value('(?P=i) (?P=a2) ')})?{_TRAIL}"
    r"|[ \t]*(?:\#[^\n]*)?"  # a blank or comment line
    r"|---(?:[ \t]+\#[^\n]*)?)"
)
# Possessive: a line once matched is not matched again otherwise (Python 3.11's re; without it
# the matcher keeps every line's state, megabytes for a large file).
_LAYOUT = re.compile(rf"(?:{_LINE}(?:\n|\Z))*+") if sys.version_info >= (3, 11) else None


def plainly_laid_out(text: str) -> bool:
    """Whether ``text`` is laid out so plainly (see the module's docstring) that it holds no line
    :class:`Indents` refuses. False also for what it does not lay out so (block scalars, flow
    collections over several lines, tabs before a line's text, ``\\r`` line breaks, anchors and
    tags), and on Python 3.10 (no possessive matching): the builder reads those texts.
    Speed: one regular-expression match over the text, not its events (the quick reader's)."""
    if _LAYOUT is None or "\r" in text:
        return False
    try:
        return _LAYOUT.fullmatch(text) is not None
    except SystemError:  # CPython's re on some texts ("- x\n---\n"): "span of capturing group is wrong"
        return False  # not laid out plainly, as far as it can tell: the builder reads it


class Indents:
    """The watch of one text's events for the lines YAML 1.2 refuses and PyYAML reads: fed every
    event of the text in order (:meth:`feed`)."""

    __slots__ = ("blocks", "depth", "flow_at", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.blocks: list[int] = []  # the column of each open block collection
        self.depth = 0  # of flow collections
        self.flow_at: Any = None  # the start mark of the outermost open flow collection

    def feed(self, event: Any) -> tuple[str, int, int] | None:
        """The line one event shows to be refused: what to say, its line and column; or None."""
        kind = event.__class__
        if kind is yaml.ScalarEvent:
            if event.style in ("'", '"') and event.start_mark.line != event.end_mark.line:
                return self._lines(event.start_mark, event.end_mark.index, "a quoted scalar", strict=True)
            if event.style in ("|", ">"):
                return self._block(event.start_mark)
        elif kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
            if event.flow_style:
                self.depth += 1
                self.flow_at = self.flow_at if self.depth > 1 else event.start_mark
            else:
                self.blocks.append(event.start_mark.column)
        elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
            if not self.depth:
                self.blocks.pop()
                return None
            self.depth -= 1
            if not self.depth and self.flow_at.line != event.end_mark.line:
                return self._lines(self.flow_at, event.end_mark.index, "a flow collection", strict=False)
        return None

    def _lines(self, start: Any, end: int, what: str, *, strict: bool) -> tuple[str, int, int] | None:
        """The first line from ``start``'s next to ``end`` (a quoted scalar's, ``strict``ly, or a
        flow collection's) that does not begin with the block's indentation and one space more:
        but for a line of fewer spaces only, or (between a flow collection's items) of spaces and
        tabs only or a comment."""
        need = self.blocks[-1] + 1 if self.blocks else 0  # a flow at the top: any indentation
        text, begun = self.text, start.line + 1
        line = begun
        for found in _BREAK.finditer(text, start.index, end):
            at, line = found.end(), line + 1
            stop = _BREAK.search(text, at, end)
            content = text[at : stop.start() if stop is not None else end]
            lead = len(content) - len(content.lstrip(" "))
            rest = content[lead:].lstrip(" \t")
            if lead < need and content[lead:] and (strict or (rest and rest[0] != "#")):
                return (
                    f"a line inside {what} begun on line {begun} must be indented by"
                    f" at least {need} space{'s' if need > 1 else ''} (past the block it is in;"
                    " a tab is not indentation): YAML 1.2 readers refuse it, YAML 1.1 readers"
                    " (PyYAML) read it; indent the line with spaces",
                    line,
                    lead + 1,
                )
        return None

    def _block(self, start: Any) -> tuple[str, int, int] | None:
        """A block scalar's leading empty line holding more spaces than its first line that is
        not empty, where that line is indented past the block the scalar is in (YAML 1.2 takes
        it into the scalar: an error; PyYAML ends the scalar before it)."""
        text, at = self.text, start.index
        header = _HEADER.match(text, at)
        if header is None or any(c.isdigit() for c in header.group(1)):
            return None  # an indentation indicator: no indentation to detect
        first = _BREAK.search(text, header.end())
        begin = first.end() if first is not None else len(text)
        line = start.line + 1 + len(_BREAK.findall(text, at, header.end()))  # the header's
        widest, widest_line = 0, 0  # the widest empty line so far
        while begin < len(text):
            stop = _BREAK.search(text, begin)
            content = text[begin : stop.start() if stop is not None else len(text)]
            line += 1
            if content.strip(" "):  # the first line that is not empty
                lead = len(content) - len(content.lstrip(" "))
                if (self.blocks[-1] if self.blocks else -1) < lead < widest:
                    return (
                        f"this empty line at the start of a block scalar holds {widest} spaces, more"
                        f" than the {lead} its first line of text is indented by: YAML 1.2 readers"
                        " refuse it, YAML 1.1 readers (PyYAML) end the scalar before that line;"
                        " remove the spaces",
                        widest_line,
                        1,
                    )
                return None
            if len(content) > widest:
                widest, widest_line = len(content), line
            if stop is None:
                return None
            begin = stop.end()
        return None
