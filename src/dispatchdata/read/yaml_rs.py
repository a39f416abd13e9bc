"""The fast YAML reader: yaml-rs (a YAML 1.2 parser written in Rust), for the files it provably
reads exactly as the careful reader (:mod:`dispatchdata.read.yaml`) does; every other file is
handed to the careful reader, which places and explains every problem.

yaml-rs gives plain values only: no positions, no scalar styles, several documents merged into
one list, local tags dropped, integers read in spellings this reader leaves strings (``0750``,
``1_000``, ``0b101``). So a file is read by it only when nothing in it can be read otherwise:

* a screen of the text (:data:`_SCREEN`) hands over any file that may hold a document marker or
  directive, a tag, an anchor or alias, a ``?`` indicator (PyYAML misreads ``?x`` in a flow
  collection), a block scalar (whose last line breaks PyYAML misreads), a ``:`` before text, an
  integer spelled otherwise than in decimal, a tab, a carriage return, or a character YAML does
  not allow or YAML 1.1 takes for a line break (the other constructs PyYAML misreads, a ``#``
  right after text and a ``-`` alone in a flow collection, are errors to yaml-rs);
* a walk of the values (:func:`_usual`) hands over any file holding a float, an integer beyond
  the 64-bit range, a key that is not a string or is long, nesting deeper than
  :data:`MAX_DEPTH`, a lone surrogate, or a string that, written plain, would mean another value
  or get a warning (DD114) — unless every place it occurs in the text shows it is not plain;
* any error of yaml-rs's (a syntax error, a duplicate key) hands the file over.

The careful reader still gives the positions, when a message needs one, and that reading is
checked against yaml-rs's values (:func:`same`): a difference is an error, never a silent choice.
``tests/test_yaml_rs.py`` proves, over generated documents, that a file read here has exactly the
careful reader's data and no problem. ``DISPATCHDATA_YAML_READER=pyyaml`` turns yaml-rs off.
"""

from __future__ import annotations

import os
import re
from itertools import islice
from typing import Any

from ..errors import DispatchDataError, Problem
from .common import INTEGER_MAX, INTEGER_MIN, LineColumn, escape
from .yaml_scalars import MAY_RESOLVE, SURROGATE, plain

try:  # pragma: no cover - depends on the `fast` extra
    import yaml_rs

    HAVE_YAML_RS = True
except ImportError:  # pragma: no cover
    yaml_rs = None  # type: ignore[assignment]
    HAVE_YAML_RS = False

#: What :func:`read_fast` gives for a file it hands to the careful reader.
DEFER = object()
#: The deepest nesting read here (a data file nests some five levels; the careful reader's own
#: limit, and yaml-rs's, are far beyond it).
MAX_DEPTH = 100
#: The longest key read here: the careful reader refuses a key of more than 1024 characters
#: written (an escape in a quoted key takes at most ten characters for one).
MAX_KEY = 100

#: What may start a node and mean something to a reader: a tag, an anchor, an alias, a '?' (a
#: key, or text PyYAML misreads), a block scalar (yaml-rs ends an empty one with a line break,
#: and takes '|' for text in a flow collection), a ':' before text (':x', '::x': libyaml and
#: PyYAML refuse some that YAML 1.2 allows), an integer yaml-rs reads and this reader does not
#: (0750, 0x1F, 0o7, 0b1, 1_000, _1: yaml-rs drops underscores anywhere).
_TOKEN = r"(?:[!&*?|>]|:(?=\S)|[-+]?(?:0[0-9A-Za-z_]|[0-9]*_))"
#: Where a node may start outside a flow collection: first on a line, after '- ' or '? ', after
#: ':' (spaces between). (Within quoted text these match too: the file is handed over.)
_NODE = r"(?:^|[-?][ ]|:)[ ]*"
_SCREEN = re.compile(
    r"^(?:---|\.\.\.|%)"  # a document marker, a directive
    rf"|{_NODE}{_TOKEN}"
    r"|^[ ]*:|:[\[\]{},]"  # a ':' starting a line, or right before a flow indicator
    # A tab (PyYAML refuses some that YAML 1.2 allows), a character PyYAML refuses, a line break
    # to YAML 1.1 only (NEL, LS, PS), a byte-order mark, a carriage return.
    r"|[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]",
    re.MULTILINE,
)
#: A flow collection that is not empty (``[]`` is one in most files): then a node may also start
#: after a flow indicator, and PyYAML takes a '?' after any space in it for a key. Without one,
#: ',' and '[' are text ('1,000,000', '[2]').
_FLOW = re.compile(rf"{_NODE}[\[{{](?![\]}}])", re.MULTILINE)
_FLOW_SCREEN = re.compile(rf"[\[\]{{}},][ ]*{_TOKEN}|\s\?")
#: What may come before and after a plain scalar's text.
_PLAIN_BEFORE = frozenset(" \t\r\n[]{},:")
_PLAIN_AFTER = frozenset(" \t\r\n[]{},:#")


def enabled() -> bool:
    """Whether files are read with yaml-rs: when it is installed, unless the environment
    variable ``DISPATCHDATA_YAML_READER`` is ``pyyaml`` (read when asked: workers inherit it)."""
    return HAVE_YAML_RS and os.environ.get("DISPATCHDATA_YAML_READER", "").lower() != "pyyaml"


def read_fast(text: str) -> Any:
    """The data of a YAML text as yaml-rs reads it, when it is exactly what the careful reader
    reads without a problem; else :data:`DEFER`."""
    if not text or _SCREEN.search(text) is not None:
        return DEFER
    if _FLOW.search(text) is not None and _FLOW_SCREEN.search(text) is not None:
        return DEFER
    assert yaml_rs is not None
    try:
        data = yaml_rs.loads(
            text, parse_datetime=False, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error
        )
    except Exception:  # any refusal (syntax, duplicate key, limits): the careful reader explains it
        return DEFER
    words: set[str] = set()
    if not _usual(data, words) or any(_maybe_plain(text, word) for word in words):
        return DEFER
    return data


def _usual(data: Any, words: set[str]) -> bool:
    """Whether every value in ``data`` is one the careful reader reads alike from every way of
    writing it that passed the screen; the strings that would not be, written plain, go into
    ``words`` (to be looked for in the text).
    Long: one loop every value of a file passes through; split, it would cost a call each."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        kind = type(value)
        if kind is str:
            if value and value[0] in MAY_RESOLVE and plain(value) is not value:
                if not value.isprintable() or " " in value:  # folded over lines, perhaps
                    return False
                words.add(value)
            elif SURROGATE.search(value):
                return False
        elif kind is dict:
            if depth >= MAX_DEPTH:
                return False
            for key, item in value.items():
                if type(key) is not str or len(key) > MAX_KEY:
                    return False
                stack.append((key, depth + 1))
                stack.append((item, depth + 1))
        elif kind is list:
            if depth >= MAX_DEPTH:
                return False
            stack.extend((item, depth + 1) for item in value)
        elif kind is int:
            if not INTEGER_MIN <= value <= INTEGER_MAX:
                return False
        elif value is not None and kind is not bool:  # a float, a tuple (a collection as key)
            return False
    return True


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
