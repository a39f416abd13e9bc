"""The fast YAML reader: yaml-rs (a YAML 1.2 parser written in Rust), for the files it provably
reads exactly as the careful reader (:mod:`dispatchdata.read.yaml`) does; every other file is
handed to the careful reader, which places and explains every problem.

yaml-rs gives plain values only: no positions, no scalar styles, several documents merged into
one list, local tags dropped, integers read in spellings this reader leaves strings (``0750``,
``1_000``, ``0b101``). So a file is read by it only when nothing in it can be read otherwise:

* a screen of the text (:func:`_screened`) hands over any file that may hold, where a node
  starts, a tag, an anchor or alias, a ``?`` (PyYAML misreads ``?x`` in a flow collection), a
  block scalar (whose last line breaks PyYAML misreads), a directive, a ``:`` before text or an
  integer spelled otherwise than in decimal; or anywhere a document marker, an escaped
  surrogate, ``.inf`` or ``.nan``, a tab, a carriage return, or a character YAML does not allow
  or YAML 1.1 takes for a line break (the other constructs PyYAML misreads, a ``#`` right after
  text and a ``-`` alone in a flow collection, are errors to yaml-rs); and the lines yaml-rs
  reads less strictly than YAML 1.2: a flow collection over several lines (or holding another,
  or a quote it cannot place), a quoted text over lines one of which is not indented past its node;
* orjson's text of the values hands over any file holding a key that is not a string, nesting
  deeper than 254, a float, an integer of 19 digits, or a string that, written plain, would mean
  another value or get a warning (DD114), unless every place it occurs in the text shows it is
  not plain;
* any error of yaml-rs's (a syntax error, a duplicate key, a key over 1024 characters) hands the
  file over.

The careful reader still gives the positions, when a message needs one, and that reading is
checked against yaml-rs's values (:func:`same`): a difference is an error, never a silent choice.
``tests/test_yaml_rs.py`` proves, over generated documents, that a file read here has exactly the
careful reader's data and no problem. It reads only when asked: ``DISPATCHDATA_YAML_READER=yaml-rs``
(its screens cost more than yaml-rs saves on the files PyYAML writes: benchmarks/README.md).
"""

from __future__ import annotations

import os
import re
from itertools import islice
from typing import Any

from ..errors import DispatchDataError, Problem
from .common import LineColumn, escape
from .yaml_scalars import WORDS, plain

try:  # pragma: no cover - depends on the `fast` extra
    import orjson
    import yaml_rs

    HAVE_YAML_RS = True
except ImportError:  # pragma: no cover
    orjson = None  # type: ignore[assignment]
    yaml_rs = None  # type: ignore[assignment]
    HAVE_YAML_RS = False

#: What :func:`read_fast` gives for a file it hands to the careful reader.
DEFER = object()
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
_ODD_NUMBERS = [re.compile(rf"{start}{_ODD_NUMBER}").search for start in (": *", "\n[ ?-]*")]
_ODD_NUMBER_IN_FLOW = re.compile(rf"[\[\]{{}},] *{_ODD_NUMBER}").search
_DIGITS = frozenset("0123456789_")
#: The same, first in the text.
_FIRST = re.compile(rf" *(?:[-?] +)*(?:[!&*?|>%:_]|{_ODD_NUMBER}|---|\.\.\.)").match
#: A tab (PyYAML refuses some that YAML 1.2 allows), a character PyYAML refuses, a line break
#: to YAML 1.1 only (NEL, LS, PS), a byte-order mark, a carriage return.
_UNUSUAL_CHARACTER = re.compile(
    r"[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
).search
#: A string in orjson's text of the data that this reader may read otherwise, written plain: one
#: starting like a number, or a word such as null, true, no (:data:`WORDS`).
_MAY_RESOLVE = re.compile(
    rb'"(?:[-+.0-9](?:[^"\\]|\\.)*|' + b"|".join(re.escape(w.encode()) for w in sorted(WORDS)) + rb')"'
).finditer
#: What may come before and after a plain scalar's text.
_PLAIN_BEFORE = frozenset(" \t\r\n[]{},:")
_PLAIN_AFTER = frozenset(" \t\r\n[]{},:#")


def enabled() -> bool:
    """Whether files are read with yaml-rs: when it is installed (with orjson, which checks its
    values), and the environment variable ``DISPATCHDATA_YAML_READER`` is ``yaml-rs`` (read
    when asked: workers inherit it)."""
    return HAVE_YAML_RS and os.environ.get("DISPATCHDATA_YAML_READER", "").lower() == "yaml-rs"


def read_fast(text: str) -> Any:
    """The data of a YAML text as yaml-rs reads it, when it is exactly what the careful reader
    reads without a problem; else :data:`DEFER`."""
    if not text or _screened(text):
        return DEFER
    assert yaml_rs is not None
    assert orjson is not None
    try:
        data = yaml_rs.loads(
            text, parse_datetime=False, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error
        )
        # orjson refuses a key that is not a string, an integer beyond 64 bits, nesting deeper
        # than 254 (the careful reader's limit is 1000).
        written = orjson.dumps(data)
    except Exception:  # any refusal (syntax, duplicate key, limits): the careful reader explains it
        return DEFER
    if _holds_number_of_its_own(written):
        return DEFER  # a float (the careful reader's rules on them are its own), a large integer
    seen: set[bytes] = set()  # each word once: a file may hold one date in every record
    for found in _MAY_RESOLVE(written):
        if (quoted := found.group()) in seen:
            continue
        seen.add(quoted)
        word = orjson.loads(quoted)
        if plain(word) is not word and (not word.isprintable() or " " in word or _maybe_plain(text, word)):
            return DEFER  # a string other readers read otherwise, written plain (or folded) here
    return data


#: Each byte of orjson's text to "0" (a digit or sign), "." (".", "e", "E") or " ": outside its
#: strings, a float is then "0.0", and an integer that may be beyond 64 bits nineteen "0"s.
_NUMBERISH = bytes(
    0x30 if 0x30 <= b <= 0x39 or b in b"+-" else 0x2E if b in b".eE" else 0x20 for b in range(256)
)
_FLOATISH = re.compile(rb"0\.0|0{19}").search


def _holds_number_of_its_own(written: bytes) -> bool:
    """Whether orjson's text of some data holds, outside its strings, a float or an integer of 19
    digits. Escaped backslashes and quotes are blanked first (pairs from the left, as JSON reads
    them), so that every quote left starts or ends a string."""
    blanked = written.replace(b"\\\\", b"__").replace(b'\\"', b"__")
    return _FLOATISH(b"".join(blanked.split(b'"')[0::2]).translate(_NUMBERISH)) is not None


#: A quoted text that starts a line's node (first on the line, after block indicators, or as the
#: value after the line's key: group "node") and is not closed on its line (group "q"). A plain
#: key runs to its first ': ' (YAML's plain scalars hold none).
_QUOTED_OVER_LINES = re.compile(
    r"(?m)^[ ]*(?:[-?:][ ]+)*(?P<node>"
    r"""(?:(?:(?:[^\s"'#\-?:]|[-?:](?=\S))(?:[^:\n]|:(?! ))*"""  # a plain key (to its first ': ')
    r"""|(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*')[ ]*):[ ]+)?)"""
    r"""(?P<q>"(?:[^"\\\n]|\\.)*\\?|'(?:[^'\n]|'')*)$"""
).search
#: A quoted text whole, over lines.
_QUOTED_TEXT = {'"': re.compile(r'"(?:[^"\\]|\\[\s\S])*"').match, "'": re.compile(r"'(?:[^']|'')*'").match}


def _quoted_lines_under_indented(text: str) -> bool:
    """Whether a quoted text over several lines has a line (not empty) indented no further than
    the column its node starts at: YAML 1.2 wants it past the block the node is in, and yaml-rs
    reads such lines (a closing quote alone at column 0), where the careful reader refuses them.
    (Past the node's own column is at least as strict as past its block.)"""
    found = _QUOTED_OVER_LINES(text)
    while found is not None:
        column = found.start("node") - found.start()
        start = found.start("q")
        whole = _QUOTED_TEXT[text[start]](text, start)
        if whole is None:
            return True  # not closed: yaml-rs refuses it, or reads what the careful reader will say
        for line in text[start : whole.end()].split("\n")[1:]:
            if line.strip(" ") and len(line) - len(line.lstrip(" ")) <= column:
                return True
        found = _QUOTED_OVER_LINES(text, whole.end())  # after it: its lines start no node
    return False


def _screened(text: str) -> bool:
    """Whether the text may hold what yaml-rs reads otherwise than the careful reader (see the
    module's docstring). Regular expressions that start with one or two characters the engine
    skips to, and substring searches: each much faster than one expression for every case.
    Long: one check after the other, each of a line or two; apart, they would be harder to see whole."""
    if _FIRST(text) or any(search(text) for search in _ANYWHERE) or _unusual_character(text):
        return True
    if ('"' in text or "'" in text) and _quoted_lines_under_indented(text):
        return True
    if any(search(text) for search in _ODD_NUMBERS):
        return True
    flow, on_one_line = _flows(text)
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


def _flows(text: str) -> tuple[bool, bool]:
    """Whether the text holds a flow collection that is not empty (``[]`` is one in most files: a
    '[' or '{' where a node starts, not closed at once), and whether every one is closed on its
    own line and holds no other (:data:`_ONE_LINE_FLOW`): one walk over the openings."""
    holds = False
    for opening, closing in (("[", "]"), ("{", "}")):
        at = text.find(opening)
        while at >= 0:
            if _node_starts_before(text, at, False):
                if not _ONE_LINE_FLOW(text, at):
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


def _maybe_plain(text: str, word: str) -> bool:
    """Whether ``word`` occurs in ``text`` where a plain scalar holding just it could be (not
    between quotes, not within other text)."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        before = text[at - 1] if at else "\n"
        after = text[end] if end < len(text) else "\n"
        if before in _PLAIN_BEFORE and after in _PLAIN_AFTER:
            return True
        at = text.find(word, at + 1)
    return False


def same(a: Any, b: Any) -> bool:
    """Whether two plain values are the same, types included (``1``, ``1.0`` and ``True`` differ),
    keys in the same order."""
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return list(a) == list(b) and all(same(x, b[k]) for k, x in a.items())
    if type(a) is list:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


class ReadersDisagreeError(DispatchDataError):
    """The careful reader, reading a file for its positions, read another value than yaml-rs did
    (or found a problem): the file's data cannot be trusted, so the run stops (exit 2)."""


class Agreement:
    """A careful reading of a file checked, as far as it has gone, against the data yaml-rs read:
    each top-level item (of the root list or mapping) once the reading has built it whole, all
    of it once the reading has ended."""

    __slots__ = ("checked", "expected", "file")

    def __init__(self, expected: Any, file: str) -> None:
        self.expected, self.file = expected, file
        self.checked = 0  # top-level items compared so far

    def item_end(self, pointer: str) -> str | None:
        """The pointer whose position the careful reading records once the top-level item holding
        ``pointer`` is whole (the next item's), or None: read to the end."""
        first = pointer.split("/")[1] if pointer.count("/") else None
        expected = self.expected
        if first is None:
            return None
        if type(expected) is list:
            return f"/{int(first) + 1}" if first.isdigit() and int(first) + 1 < len(expected) else None
        if type(expected) is dict:
            keys = [escape(k) for k in expected]
            at = keys.index(first) + 1 if first in keys else len(keys)
            return f"/{keys[at]}" if at < len(keys) else None
        return None

    def check(self, built: Any, problems: list[Problem], place: dict[str, LineColumn], ended: bool) -> None:
        """Compare what the careful reading has built (``built``: its data once ``ended``, else its
        root container so far, whose items are whole) with yaml-rs's; raise on a difference."""
        where = None
        if problems:
            first = problems[0]
            where = (first.line, first.column, f"the careful reader finds {first.code}: {first.message}")
        elif ended and type(built) not in (list, dict) and not same(built, self.expected):
            where = (1, 1, "they read another value")
        elif type(built) in (list, dict):
            where = self._items(built, place)
            if where is None and ended and len(built) != len(self.expected):
                where = (1, 1, "they read another number of items")
        if where is not None:
            line, column, what = where
            raise ReadersDisagreeError(
                f"{self.file}:{line}:{column}: DD102 yaml-rs and the careful reader (PyYAML) read this"
                f" file differently ({what}); nothing is read from it. This is a defect of the fast"
                " reader: please report it; DISPATCHDATA_YAML_READER=pyyaml reads without yaml-rs"
            )

    def _items(self, built: Any, place: dict[str, LineColumn]) -> tuple[int, int, str] | None:
        """The place of the first whole top-level item not yet checked that differs, if one does."""
        expected = self.expected
        if type(built) is not type(expected) or len(built) > len(expected):
            return (1, 1, "they read another kind or number of items")
        if type(built) is list:
            rest = zip(islice(built, self.checked, None), islice(expected, self.checked, None), strict=False)
            for n, (got, want) in enumerate(rest):
                if not same(got, want):
                    return (*place.get(f"/{self.checked + n}", (1, 1)), "they read another value")
        else:
            mine = islice(built.items(), self.checked, None)
            theirs = islice(expected.items(), self.checked, None)
            for (key, got), (want_key, want) in zip(mine, theirs, strict=False):
                if key != want_key or not same(got, want):
                    return (*place.get(f"/{escape(key)}", (1, 1)), "they read another value")
        self.checked = len(built)
        return None
