"""The screen of a YAML text for the fast reader (:mod:`dispatchdata.read.yaml_rs`): whether the
text may hold what yaml-rs reads otherwise than the careful reader, or what YAML 1.2 refuses and
yaml-rs reads (:func:`screened`). It may hand over more files than it needs to, never fewer.

Where a node starts: a tag, an anchor or alias, a ``?`` (PyYAML misreads ``?x`` in a flow
collection), a block scalar (whose last line breaks PyYAML misreads), a directive, a ``:`` before
text, or a number yaml-rs reads that this reader does not (``0750``, ``0x1F``, ``1_000``,
``.inf``; a word only starting so, such as a SHA-256 ``0f1f…``, is a string to both). Anywhere:
a document marker, an escaped surrogate, a tab, a carriage return, or a character YAML does not
allow or YAML 1.1 takes for a line break (the other constructs PyYAML misreads, a ``#`` right
after text and a ``-`` alone in a flow collection, are errors to yaml-rs). And the lines yaml-rs
reads less strictly than YAML 1.2: a flow collection over several lines (or holding another, or
a quote it cannot place), a quoted text over lines one of which is not indented past its node.

Regular expressions that start with one or two characters the engine skips to, and substring
searches: each much faster than one expression for every case.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache

#: Characters that mean something where a node starts: a tag, an anchor, an alias, a '?' (a key,
#: or text PyYAML misreads), a block scalar (yaml-rs ends an empty one with a line break, and
#: takes '|' for text in a flow collection), a directive.
_INDICATORS = "!&*?|>%"
#: After these a node may start (spaces between); and after a flow indicator, in a text with a
#: flow collection (:data:`_FLOW_INDICATORS`).
_BEFORE_NODE = frozenset("\n:")
_FLOW_INDICATORS = frozenset("[]{},")
#: Anywhere: a document marker, a ':' first on a line or right before a flow indicator, an
#: escaped surrogate (libyaml refuses one, yaml-rs reads a pair as one character).
_ANYWHERE = [
    re.compile(pattern).search
    for pattern in (r"\n(?:---|\.\.\.)", r"\n *:", r":[\[\]{},]", r"\\(?:u|U0000)[dD][89a-fA-F]")
]
#: A ':' before text (':x', '::x': libyaml and PyYAML refuse some that YAML 1.2 allows, where a
#: node starts).
_COLON_BEFORE_TEXT = re.compile(r":(?=\S)").finditer
#: A number where a node starts (outside a flow collection, and in one) that yaml-rs reads and
#: this reader does not: 0750, 0x1F, 0o7, 0b1; or a float that orjson writes as null (infinite:
#: .inf, 1e400, 400 digits; or NaN: the finite ones are found in orjson's text). 1_000 and _1
#: (yaml-rs drops underscores anywhere) are looked for from each '_'.
_ODD_NUMBER = r"[-+]?(?:0[0-9A-Za-z_]|\.[iInN]|[0-9][0-9_]*[eE]|[0-9][0-9_]{300})"
#: (What may start a number is looked ahead for first: the spaces and indicators before it are
#: not given back one by one, each trying every kind of number.)
_ODD_NUMBERS = [
    re.compile(rf"{start}(?P<n>{_ODD_NUMBER})").search for start in (": *(?=[-+0-9.])", "\n[ ?-]*(?=[+0-9.])")
]
#: Every spelling yaml-rs reads as a number (a word of these characters, all of it, not followed
#: on its line by more words): a prefixed integer (0x, 0o, 0b), digits with '.', '_' and an
#: exponent, or '.' and letters (.inf, .nan). A text starting like :data:`_ODD_NUMBER` but not
#: so (a SHA-256 such as ``0f1f09…``, ``02051 Party``) is a string to every reader.
#: (``tests/test_yaml_rs.py`` checks this against yaml-rs.)
_NUMBER_SPELLING = re.compile(
    r"[-+]*(?:0[xXoObB][0-9A-Za-z_]*|[0-9_.]*(?:[eE][-+]?[0-9_.]*)?|\.[A-Za-z]+)"
    r"(?![0-9A-Za-z_.+-]|[ ]+[0-9A-Za-z])"
).match
_ODD_NUMBER_IN_FLOW = re.compile(rf"[\[\]{{}},] *{_ODD_NUMBER}").search
_DIGITS = frozenset("0123456789_")
#: The same, first in the text.
_FIRST = re.compile(rf" *(?:[-?] +)*(?:[!&*?|>%:_]|{_ODD_NUMBER}|---|\.\.\.)").match
#: A tab (PyYAML refuses some that YAML 1.2 allows), a character PyYAML refuses, a line break
#: to YAML 1.1 only (NEL, LS, PS), a byte-order mark, a carriage return.
_UNUSUAL_CHARACTER = re.compile(
    r"[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
).search


#: A quoted text that starts a line's node (first on the line, after block indicators, or as the
#: value after the line's key: group "node") and is not closed on its line (group "q"), matched
#: from a line's start. A plain key runs to its first ': ' (YAML's plain scalars hold none).
_QUOTED_OVER_LINES = re.compile(
    r"[ ]*(?:[-?:][ ]+)*(?P<node>"
    r"""(?:(?:(?:[^\s"'#\-?:]|[-?:](?=\S))(?:[^:\n]|:(?! ))*"""  # a plain key (to its first ': ')
    r"""|(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*')[ ]*):[ ]+)?)"""
    r"""(?P<q>"(?:[^"\\\n]|\\.)*\\?|'(?:[^'\n]|'')*)$""",
    re.MULTILINE,
).match
#: A single-quoted text's line: no quote but doubled ones.
_SINGLE_LINE = r"[^'\n]*(?:''[^'\n]*)*"
#: Where :data:`_QUOTED_OVER_LINES` may find its quoted text: a quote not closed on its line,
#: after '-', '?', ':' or a line break and spaces (group "q": its quoted text comes after one of
#: these, or first in the text). A search for it starts at those four characters, which the
#: engine skips to, and finds few quotes that start no node (one inside another quoted text,
#: `'said: "'`). First, from a line break, the usual case whole (group "usual", no "q"): a
#: single-quoted text over lines as the value of a word key, first on its line or after one
#: '- ', each later line empty (spaces only) or indented past the key ("sp" then "dash" as
#: spaces, then one more); its end is the text's, a quote not doubled. Each line is one way or
#: the other, so the expression never tries two ways of reading a line.
_OPEN_QUOTE = re.compile(
    r"[-?:\n](?:(?<=\n)(?P<usual>(?P<sp>[ ]*)(?P<dash>- )?[a-z_]+:[ ]+'"
    + _SINGLE_LINE
    + r"(?:\n(?:[ ]*(?=\n)|(?P=sp)(?(dash)  )[ ]+(?=[^ \n])"
    + _SINGLE_LINE
    + r"))+'(?!'))"
    + r"""|[ ]*(?P<q>"[^"\\\n]*(?:\\.[^"\\\n]*)*\\?|'"""
    + _SINGLE_LINE
    + r")$)",
    re.MULTILINE,
).search
#: A quoted text whole, over lines.
_QUOTED_TEXT = {'"': re.compile(r'"(?:[^"\\]|\\[\s\S])*"').match, "'": re.compile(r"'(?:[^']|'')*'").match}


@lru_cache(maxsize=64)
def _line_not_past(column: int) -> Callable[[str, int, int], re.Match[str] | None]:
    """A search for a line break, then a line that is not empty and is indented by ``column``
    spaces or fewer."""
    return re.compile(rf"\n[ ]{{0,{column}}}[^ \n]").search


def _quoted_lines_under_indented(text: str, spans: list[int]) -> bool:
    """Whether a quoted text over several lines has a line (not empty) indented no further than
    the column its node starts at: YAML 1.2 wants it past the block the node is in, and yaml-rs
    reads such lines (a closing quote alone at column 0), where the careful reader refuses them.
    (Past the node's own column is at least as strict as past its block.) The lines looked at
    are those of :data:`_OPEN_QUOTE`'s findings, each from its start, and the first; the lines
    of a quoted text start no node. Where each quoted text over lines starts and ends is added to
    ``spans``, in order."""
    found = _QUOTED_OVER_LINES(text)
    unseen = 0 if found is not None else 1  # the lines starting here or later are not looked at
    at = 0
    while True:
        if found is not None:
            column = found.start("node") - found.start()
            start = found.start("q")
            whole = _QUOTED_TEXT[text[start]](text, start)
            if whole is None:
                return True  # not closed: yaml-rs refuses it, or reads what the careful reader will say
            if _line_not_past(column)(text, start, whole.end()):
                return True
            at = unseen = whole.end()  # after it (its lines start no node)
            spans += (start, at)
        candidate = _OPEN_QUOTE(text, at)
        if candidate is None:
            return False
        at = candidate.end()  # after the usual text, or the end of the line: a next line's quote
        if candidate.start("q") < 0:  # is found from its break
            found = None  # the usual case, whole and well indented (it is on a line not looked at)
            spans += (candidate.start("usual"), at)  # (its key holds no '[' or '{')
            continue
        line = text.rfind("\n", 0, candidate.start("q")) + 1
        found = _QUOTED_OVER_LINES(text, line) if line >= unseen else None
        unseen = max(unseen, line + 1)


def screened(text: str) -> bool:
    """Whether the text may hold what yaml-rs reads otherwise than the careful reader (see the
    module's docstring). Regular expressions that start with one or two characters the engine
    skips to, and substring searches: each much faster than one expression for every case.
    Long: one check after the other, each of a line or two; apart, they would be harder to see whole."""
    if _FIRST(text) or any(search(text) for search in _ANYWHERE) or _unusual_character(text):
        return True
    quoted: list[int] = []
    if ('"' in text or "'" in text) and _quoted_lines_under_indented(text, quoted):
        return True
    if _odd_number(text):
        return True
    flow, on_one_line = _flows(text, quoted)
    if flow and (not on_one_line or _ODD_NUMBER_IN_FLOW(text)):
        return True
    for mark in _INDICATORS:
        at = text.find(mark)
        while at >= 0:
            if _node_starts_before(text, at, flow):
                return True
            if flow and mark == "?" and text[at - 1] in " \n":  # a key to PyYAML, in a flow
                return True
            at = text.find(mark, at + 1)
    if any(_node_starts_before(text, found.start(), flow) for found in _COLON_BEFORE_TEXT(text)):
        return True
    at = text.find("_")
    while at >= 0:
        start = at
        while start > 0 and text[start - 1] in _DIGITS:
            start -= 1
        if start > 0 and text[start - 1] in "+-":
            start -= 1
        if _node_starts_before(text, start, flow):
            return True
        end = at + 1
        while end < len(text) and text[end] in _DIGITS:  # the rest of this run starts where it did
            end += 1
        at = text.find("_", end)
    return False


def _odd_number(text: str) -> bool:
    """Whether a word yaml-rs may read as a number this reader does not (:data:`_ODD_NUMBER`)
    starts a node: one spelled as a number (:data:`_NUMBER_SPELLING`) from its signs on."""
    for search in _ODD_NUMBERS:
        found = search(text)
        while found is not None:
            start = found.start("n")
            while start > 0 and text[start - 1] in "+-":
                start -= 1
            if _NUMBER_SPELLING(text, start):
                return True
            found = search(text, found.end())
    return False


def _unusual_character(text: str) -> bool:
    """Whether the text holds a character of :data:`_UNUSUAL_CHARACTER`; for an ASCII text, its
    lines all printable (a scan in C)."""
    if text.isascii():
        return not text.replace("\n", " ").isprintable()
    return _UNUSUAL_CHARACTER(text) is not None


#: A flow collection closed on the line it opens on and holding no other: what yaml-rs reads as
#: YAML 1.2 does. Over several lines, yaml-rs is less strict than YAML 1.2 (`k: [a,\n]`, whose `]`
#: is not indented past the block, is read as {k: [a]}, where the careful reader refuses it). Its
#: entries are quoted texts (a quote only where an entry or a value starts: `o'x` is plain text,
#: so `[o'x, 'y]',` does not close there) or plain words separated by single spaces, with no quote,
#: '#' or ':' in them, as keys or values; anything else is not matched (and handed over).
_WORDS = r"""[^\s\[\]{},"'#:]+(?: [^\s\[\]{},"'#:]+)*"""
_VALUE = rf"""(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|{_WORDS})"""
_ENTRY = rf"[ ]*(?:{_VALUE}[ ]*)?(?::[ ]*(?:{_VALUE}[ ]*)?)?"
_ONE_LINE_FLOW = re.compile(rf"\[{_ENTRY}(?:,{_ENTRY})*\]|\{{{_ENTRY}(?:,{_ENTRY})*\}}").match


def _flows(text: str, quoted: list[int]) -> tuple[bool, bool]:
    """Whether the text holds a flow collection that is not empty (``[]`` is one in most files: a
    '[' or '{' where a node starts, not closed at once), and whether every one is closed on its
    own line and holds no other (:data:`_ONE_LINE_FLOW`): one walk over the openings. One not
    closed on its line inside a quoted text over lines (``quoted``: starts and ends, in order) is
    text, as PyYAML writes ``'[2]`` there; it still counts as a flow collection.

    Such a quoted text is one only if its line's node starts where the screen reads it to. A
    line read wrongly so is in a plain text or after a comment (in a flow collection over lines,
    that collection's own opening, before it, hands the file over; a block scalar or a tag hands
    it over too); the lines after it, up to the quote that ends the span, are then more of that
    plain text, comments or empty lines (more would be an error to yaml-rs), or a line indented
    no further than the quote, which hands the file over (:func:`_quoted_lines_under_indented`).
    So no flow collection opens inside a span that is not text."""
    holds = False
    for opening, closing in (("[", "]"), ("{", "}")):
        at = text.find(opening)
        while at >= 0:
            if _node_starts_before(text, at, False):
                if not _ONE_LINE_FLOW(text, at) and bisect_right(quoted, at) % 2 == 0:
                    return True, False
                holds = holds or text[at + 1 : at + 2] != closing
            at = text.find(opening, at + 1)
    return holds, True


def _node_starts_before(text: str, at: int, flow: bool) -> bool:
    """Whether a node may start at ``at``: first in the text or on its line, after ':', after
    '- ' or '? ', or (``flow``) after a flow indicator, spaces between. (In quoted text too.)"""
    before = at - 1
    while before >= 0 and text[before] == " ":
        before -= 1
    if before < 0:
        return True
    mark = text[before]
    if mark in _BEFORE_NODE or (flow and mark in _FLOW_INDICATORS):
        return True
    return mark in "-?" and before < at - 1  # '- ', '? '
