"""What every parser produces: :class:`Parsed` data with positions, and shared helpers."""

from __future__ import annotations

import gc
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..codes import problem as make_problem
from ..display import excerpt
from ..errors import Problem

LineColumn = tuple[int, int]


class Index(NamedTuple):
    """Where things are in a file: JSON pointer -> 1-based (line, column)."""

    values: dict[str, LineColumn]  # of each value
    keys: dict[str, LineColumn]  # of the key of each mapping member


@dataclass(slots=True)
class Parsed:
    """What a file holds: its data (``None`` if it could not be read), where each value is, and
    the problems met while reading it.

    Positions map RFC 6901 JSON pointers to 1-based (line, column) of the value (``positions``) and
    of its mapping key (``key_positions``). A parser may hand over an ``indexer`` instead, which is
    run the first time a position is asked for (JSON is parsed fast, and located only on demand),
    and a ``seek``, which gives the index filled at least as far as one pointer needs (its value,
    or the certainty that it is absent), so that one position does not cost a whole large file.
    """

    data: Any
    problems: list[Problem] = field(default_factory=list)
    indexer: Callable[[], Index] | None = None
    seek: Callable[[str], Index] | None = None
    _index: Index | None = None

    def _table(self) -> Index:
        if self._index is None:
            self._index = self.indexer() if self.indexer is not None else Index({}, {})
            self.indexer = self.seek = None
        return self._index

    def index(self) -> Index:
        """Both position tables (computing them if they are not yet)."""
        return self._table()

    @property
    def positions(self) -> dict[str, LineColumn]:
        """Pointer → (line, column) of each value."""
        return self._table().values

    @property
    def key_positions(self) -> dict[str, LineColumn]:
        """Pointer → (line, column) of the key of each mapping member."""
        return self._table().keys

    def position(self, pointer: str, *, key: bool = False) -> LineColumn:
        """Line and column of the value at ``pointer`` (of its key, with ``key=True``), falling
        back to the nearest ancestor that has one, then to (1, 1)."""
        values, keys = self.seek(pointer) if self.seek is not None else self._table()
        while True:
            if key and pointer in keys:
                return keys[pointer]
            if pointer in values:
                return values[pointer]
            if not pointer:
                return (1, 1)
            pointer = pointer.rsplit("/", 1)[0]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of acyclic objects are made and read.

    With the collector on, each collection walks the whole (growing) heap: reading and checking a
    large corpus becomes superlinear. The data here holds no cycles, so nothing is lost by waiting.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def escape(token: str) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def pointer_of(path: tuple[str | int, ...] | list[str | int]) -> str:
    """The RFC 6901 JSON pointer of a path of keys and indexes."""
    return "".join("/" + escape(str(part)) for part in path)


def line_column(text: str, index: int) -> LineColumn:
    """1-based line and column (in code points) of a string index."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def problem(
    code: str,
    message: str,
    file: str,
    line: int,
    column: int,
    pointer: str = "",
) -> Problem:
    """A problem found while reading a file (its severity the registry's)."""
    return make_problem(code, message, file=file, line=line, column=column, pointer=pointer)


def decode(raw: bytes, file: str) -> tuple[str | None, Problem | None]:
    """Decode a file's bytes as UTF-8, or say precisely why it is not."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, problem("DD101", "file is UTF-16 encoded; save it as UTF-8", file, 1, 1)
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, problem(
            "DD101", "file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM", file, 1, 1
        )
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        message = f"file is not valid UTF-8 (byte 0x{raw[error.start]:02x}); save it as UTF-8"
        return None, problem("DD101", message, file, line, column)


class NumberProblem(NamedTuple):
    """What is wrong with a number written with a fraction or an exponent, and the value read
    in its place (so that the schema and every rule still check it)."""

    code: str
    message: str
    value: Any


def float_problem(text: str, number: float) -> NumberProblem | None:
    """The problem with ``text``, a number with a fraction or an exponent that reads as
    ``number``; None when it is an ordinary non-integer number.

    A number that reads as a whole one (``177.0``, ``1.77e2``, ``1e2``, ``-0.0``, and
    ``177.0000000000000001``, which reads as 177.0) is an integer written as a float (DD113): no
    field of the data holds a non-integer number, JSON Schema counts 177.0 as an integer, and
    the rules, which take only ``int`` offsets and numbers, would not see it as one. It is read
    as the integer it is, so that the schema and every rule check it too; one outside the 64-bit
    range (``1e300``) is that problem instead, once (DD117, see :func:`integer_range_problem`). A
    number beyond the range of a float (``1e400``) reads as infinity, which JSON cannot hold (DD107).
    """
    written = excerpt(text)
    if not math.isfinite(number):
        message = f"{written} is too large for a number: it reads as infinity, which JSON cannot hold"
        return NumberProblem("DD107", message, None)
    if not number.is_integer():
        return None
    value = int(number)
    beyond = integer_range_problem(text, value)
    if beyond is not None:  # 1e300: no way of writing it would do; the rules will not see it
        return beyond
    digits = str(value)
    fix = digits if len(digits) <= 20 else "it without a fraction or exponent"
    return NumberProblem("DD113", f"{written} is an integer written as a float; write {fix}", value)


#: The integers the data may hold: the signed 64-bit range, what SQLite (and most databases, and
#: every export format) stores as an integer. JSON and YAML allow any integer; a larger one would
#: validate and then fail to export, so it is refused when read (DD117).
INTEGER_MIN, INTEGER_MAX = -(2**63), 2**63 - 1


def integer_range_problem(text: str, value: int) -> NumberProblem | None:
    """The problem with an integer outside :data:`INTEGER_MIN`..:data:`INTEGER_MAX` (DD117), read
    as the integer it is so that the schema does not call it missing (the rules do not see it:
    see :func:`dispatchdata.check.file.rule_records`); None when it is inside."""
    if INTEGER_MIN <= value <= INTEGER_MAX:
        return None
    message = (
        f"the integer {excerpt(text)} is outside the signed 64-bit range "
        f"({INTEGER_MIN} to {INTEGER_MAX}) that every export can store"
    )
    return NumberProblem("DD117", message, value)


def long_integer_problem(text: str) -> NumberProblem | None:
    """The problem with an integer of more digits than Python converts (4300, unless configured
    otherwise): ``int()`` refuses it, so it is refused as a number too large to read (DD107)."""
    limit: int = getattr(sys, "get_int_max_str_digits", lambda: 0)()
    digits = len(text.lstrip("+-"))
    if not limit or digits <= limit:
        return None
    message = (
        f"an integer of {digits} digits is too large to read (at most {limit}); JSON tools cannot hold it"
    )
    return NumberProblem("DD107", message, None)


def duplicate_key_message(key: str, first_line: int | None) -> str:
    """What a duplicate key is said to be (DD103), by the YAML and the JSON reader alike: the key,
    the line of its first use (when known), and which value is kept."""
    first_at = f" (first at line {first_line})" if first_line else ""
    return f"duplicate key {excerpt(key)!r}{first_at}; the first value is kept"
