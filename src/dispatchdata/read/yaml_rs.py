"""The fast YAML reader: yaml-rs (a YAML 1.2 parser written in Rust), for the files it provably
reads exactly as the careful reader (:mod:`dispatchdata.read.yaml`) does; every other file is
handed to the careful reader, which places and explains every problem.

yaml-rs gives plain values only: no positions, no scalar styles, several documents merged into
one list, local tags dropped, integers read in spellings this reader leaves strings (``0750``,
``1_000``, ``0b101``). So a file is read by it only when nothing in it can be read otherwise:

* a screen of the text (:func:`~dispatchdata.read.yaml_rs_screen.screened`) hands over any file
  that may hold a construct yaml-rs reads otherwise (tags, anchors, block scalars, numbers such
  as ``0750``…) or a line it reads less strictly than YAML 1.2;
* orjson's text of the values hands over any file holding a key that is not a string, nesting
  deeper than 254, a float, an integer of 19 digits, or a string that, written plain, would mean
  another value or get a warning (DD114), unless every place it occurs in the text shows it is
  not plain (a string yaml-rs would read as an integer, written plain, was quoted);
* any error of yaml-rs's (a syntax error, a duplicate key, a key over 1024 characters) hands the
  file over.

The careful reader still gives the positions, when a message needs one, and that reading is
checked against yaml-rs's values (:func:`same`): a difference is an error, never a silent choice.
``tests/test_yaml_rs.py`` proves, over generated documents, that a file read here has exactly the
careful reader's data and no problem. It reads only when asked: ``DISPATCHDATA_YAML_READER=yaml-rs``
(its screens cost about what yaml-rs saves on the files PyYAML writes: benchmarks/README.md).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from itertools import islice
from typing import Any

from ..errors import DispatchDataError, Problem
from .common import LineColumn, escape
from .yaml_scalars import WORDS, plain

#: What :func:`read_fast` gives for a file it hands to the careful reader.
DEFER = object()
#: A string in orjson's text of the data that this reader may read otherwise, written plain: one
#: starting like a number, or a word such as null, true, no (:data:`WORDS`).
_MAY_RESOLVE = re.compile(
    rb'"(?:[-+.0-9](?:[^"\\]|\\.)*|' + b"|".join(re.escape(w.encode()) for w in sorted(WORDS)) + rb')"'
).finditer
#: A string yaml-rs reads as an integer when plain (decimal digits after a sign, any number of
#: them): one it gives was quoted, whatever plain scalars of the same text the file holds.
_INTEGER = re.compile(r"[-+]?[0-9]+\Z").match
#: What may come before and after a plain scalar's text.
_PLAIN_BEFORE = frozenset(" \t\r\n[]{},:")
_PLAIN_AFTER = frozenset(" \t\r\n[]{},:#")


def enabled() -> bool:
    """Whether files are read with yaml-rs: when the environment variable
    ``DISPATCHDATA_YAML_READER`` is ``yaml-rs`` (read when asked: workers inherit it) and it is
    :func:`installed`."""
    return os.environ.get("DISPATCHDATA_YAML_READER", "").lower() == "yaml-rs" and installed()


@lru_cache(maxsize=1)
def installed() -> bool:
    """Whether yaml-rs and orjson (which checks its values) are installed (the `fast` extra) and
    load. They, and the screen, are imported only when this reader is asked for (:func:`enabled`
    asks this last; :func:`read_fast`): a run without it does not pay for loading them."""
    try:
        # deferred: see above. Found is not enough: a module found may fail to load (a wheel whose
        # shared library is missing), and the careful reader then reads, as where it is missing.
        import orjson  # noqa: F401
        import yaml_rs  # noqa: F401
    except ImportError:
        return False
    return True


def read_fast(text: str) -> Any:
    """The data of a YAML text as yaml-rs reads it, when it is exactly what the careful reader
    reads without a problem; else :data:`DEFER`."""
    import orjson  # deferred: see installed()
    import yaml_rs

    from .yaml_rs_screen import screened

    if not text or screened(text):
        return DEFER
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
        if _typed_plain(word) and (not word.isprintable() or " " in word or _maybe_plain(text, word)):
            return DEFER  # a string other readers read otherwise, written plain (or folded) here
    return data


@lru_cache(maxsize=4096)
def _typed_plain(word: str) -> bool:
    """Whether a string yaml-rs gives may have been a plain scalar that this reader reads as
    another value, or with a warning (DD114): not one yaml-rs reads as an integer when plain
    (:data:`_INTEGER`). Files repeat their words (dates), hence the cache."""
    return plain(word) is not word and not _INTEGER(word)


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
