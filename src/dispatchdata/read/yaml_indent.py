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

:func:`lines_refused` and :func:`leading_line_refused` find them exactly from the parser's
events (their marks say where a scalar or a flow collection starts and ends, and the column of
each block collection): the quick reader calls them on the events it reads (a quoted scalar over
several lines, a block scalar, a flow collection over several lines), and the builder's watch
through :class:`Indents`, which follows the block collections itself.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import yaml

#: A YAML 1.2 line break (PyYAML also breaks lines at U+0085, U+2028 and U+2029; YAML 1.2 does not).
_BREAK = re.compile(r"\r\n|\r|\n")
#: A block scalar's header after its tag and anchor: its indicator, chomping and indentation
#: indicators in either order.
_HEADER = re.compile(r"(?:[!&][^ \t\r\n]*[ \t\r\n]+)*([|>](?:[-+]?[1-9]|[1-9]?[-+]?))")


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
                return quoted_lines_refused(self.text, self.need(), event)
            if event.style in ("|", ">"):
                return leading_line_refused(
                    self.text, self.blocks[-1] if self.blocks else -1, event.start_mark
                )
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
                return flow_lines_refused(self.text, self.need(), self.flow_at, event)
        return None

    def need(self) -> int:
        """The spaces a continuation line must begin with here: past the innermost open block
        collection (any number at the top)."""
        return self.blocks[-1] + 1 if self.blocks else 0


def quoted_lines_refused(text: str, need: int, scalar: Any) -> tuple[str, int, int] | None:
    """The first continuation line of a quoted ``scalar``'s event not indented by ``need``
    spaces (:func:`lines_refused`)."""
    return lines_refused(text, need, scalar.start_mark, scalar.end_mark.index, "a quoted scalar", strict=True)


@functools.cache
def short_quoted_line(need: int, cr: bool) -> Callable[[str, int, int], re.Match[str] | None]:
    """The search :func:`quoted_lines_refused` makes (``need`` > 0), for a caller that only asks
    whether a quoted scalar holds such a line and knows whether the text holds a '\\r' (``cr``)
    and holds no NEL, LS, PS or U+FEFF: in a text without, from each '\\n' only, a character the
    expression engine skips to (a class of two it tests at every character)."""
    return _short_line(need, True, "[\\r\\n]" if cr else "\\n").search


def flow_lines_refused(text: str, need: int, start: Any, end: Any) -> tuple[str, int, int] | None:
    """The first line of a flow collection from its ``start`` mark to its ``end`` event not
    indented by ``need`` spaces (:func:`lines_refused`)."""
    return lines_refused(text, need, start, end.end_mark.index, "a flow collection", strict=False)


def lines_refused(
    text: str, need: int, start: Any, end: int, what: str, *, strict: bool
) -> tuple[str, int, int] | None:
    """The first line from ``start``'s next to ``end`` (a quoted scalar's, ``strict``ly, or a
    flow collection's) that does not begin with the block's indentation and one space more:
    but for a line of fewer spaces only, or (between a flow collection's items) of spaces and
    tabs only or a comment."""
    if need <= 0:
        return None  # at the top: any indentation
    begin = start.index
    found = _short_line(need, strict).search(text, begin, end)
    if found is None:
        return None
    begun = start.line + 1
    return (
        f"a line inside {what} begun on line {begun} must be indented by"
        f" at least {need} space{'s' if need > 1 else ''} (past the block it is in;"
        " a tab is not indentation): YAML 1.2 readers refuse it, YAML 1.1 readers"
        " (PyYAML) read it; indent the line with spaces",
        begun + 1 + len(_BREAK.findall(text, begin, found.start())),
        len(found.group("lead")) + 1,
    )


@functools.cache
def _short_line(need: int, strict: bool, breaks: str = r"[\r\n]") -> re.Pattern[str]:
    """A line break (of ``breaks``), then a line of fewer than ``need`` spaces followed by other
    text: any (``strict``), or after spaces and tabs, text that does not begin a comment."""
    lead = f"(?P<lead>[ ]{{0,{need - 1}}})"
    rest = r"[^ \r\n]" if strict else r"(?![ ])[ \t]*[^ \t\r\n#]"
    return re.compile(rf"{breaks}{lead}{rest}")  # ('\r\n': from its '\r', no line's text follows)


def leading_line_refused(text: str, block: int, start: Any) -> tuple[str, int, int] | None:
    """A block scalar's leading empty line holding more spaces than its first line that is
    not empty, where that line is indented past the block the scalar is in (YAML 1.2 takes
    it into the scalar: an error; PyYAML ends the scalar before it)."""
    at = start.index
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
            if block < lead < widest:
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
