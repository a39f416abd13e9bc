"""Positions in valid JSON text: a scanner that finds each value and key in reading order (with
the duplicate keys and the numbers the data cannot hold as problems), and the places of the
syntax errors the standard library's reader cannot place (nesting too deep, a lone surrogate)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from ..errors import Problem
from .common import (
    Index,
    LineColumn,
    NumberProblem,
    duplicate_key_message,
    escape,
    float_problem,
    integer_range_problem,
    long_integer_problem,
    problem,
)

_CONSTANTS = {"NaN", "Infinity", "-Infinity"}
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_SCALAR = re.compile(r"-?(?:Infinity|\d[\d.eE+-]*)|true|false|null|NaN")
_SPACE = re.compile(r"[ \t\n\r]*")
#: The start of an escaped surrogate: text without one holds no lone surrogate.
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_BRACKET_OR_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)
#: An escape in a JSON string: a surrogate pair, a lone high or low surrogate, or any other one.
_ESCAPE = re.compile(
    r"(?P<high>\\u[dD][89abAB][0-9a-fA-F]{2})(?P<low>\\u[dD][c-fC-F][0-9a-fA-F]{2})?"
    r"|(?P<lone>\\u[dD][c-fC-F][0-9a-fA-F]{2})|\\."
)


def _token_problem(token: str) -> NumberProblem | None:
    """The problem with a scalar token: a constant JSON cannot hold (DD107, dropped), an integer
    too long to read (DD107) or out of range (DD117), or a float that is an integer or too large."""
    if token in _CONSTANTS:
        return NumberProblem("DD107", f"{token} is not a finite number; JSON cannot hold it", None)
    if token[0] not in "-0123456789":
        return None  # true, false, null
    if "." in token or "e" in token or "E" in token:
        return float_problem(token, float(token))
    return long_integer_problem(token) or integer_range_problem(token, int(token))


_BRACKET_OR_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)
#: An escape in a JSON string: a surrogate pair, a lone high or low surrogate, or any other one.
_ESCAPE = re.compile(
    r"(?P<high>\\u[dD][89abAB][0-9a-fA-F]{2})(?P<low>\\u[dD][c-fC-F][0-9a-fA-F]{2})?"
    r"|(?P<lone>\\u[dD][c-fC-F][0-9a-fA-F]{2})|\\."
)


def too_deep(text: str) -> int:
    """Where JSON text the reader found nested too deeply first nests deeper than
    :data:`~dispatchdata.read.yaml.MAX_DEPTH` (YAML's limit), or else (the reader's stack gave
    out first) first reaches its deepest: the index of that bracket (0 if there is none)."""
    from .yaml import MAX_DEPTH  # deferred: yaml_parse imports PyYAML, which reading JSON never needs

    depth, deepest, at = 0, 0, 0
    for match in _BRACKET_OR_STRING.finditer(text):
        char = match.group(0)
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest, at = depth, match.start()
                if depth > MAX_DEPTH:
                    break
        elif char in "]}":
            depth -= 1
    return at


def lone_surrogate(text: str) -> tuple[int, str]:
    """The index and text of the first escaped lone surrogate in JSON text that holds one (strings
    are matched from the start: outside them, valid JSON holds no quotes)."""
    for string in _STRING.finditer(text):
        if not SURROGATE_ESCAPE.search(string.group(0)):
            continue
        for found in _ESCAPE.finditer(string.group(0)):
            if found["lone"] is not None or (found["high"] is not None and found["low"] is None):
                return string.start() + found.start(), found.group(0)[:6]
    return 0, "\\u"  # pragma: no cover - only called when the data holds one


class Lines:
    """Line and column of string indexes asked for in increasing order (as a scan goes), counting
    newlines only between one index and the next."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset, self.line, self.start = 0, 1, 0  # last index asked for; its line; that line's start

    def at(self, index: int) -> LineColumn:
        if index < self.offset:  # not in increasing order: count from the start
            self.offset, self.line, self.start = 0, 1, 0
        newlines = self.text.count("\n", self.offset, index)
        if newlines:
            self.line += newlines
            self.start = self.text.rfind("\n", self.offset, index) + 1
        self.offset = index
        return self.line, index - self.start + 1


class Scanner:
    """Positions of the values and keys of valid JSON text, found in reading order, with its
    duplicate keys and constants as problems: all of them (:meth:`index`), or only as far as one
    pointer needs (:meth:`seek`), so that placing a problem near the start of a large file does
    not read all of it. A duplicate key's value (and everything in it) is not in the data: not
    located."""

    def __init__(self, text: Callable[[], str], file: str) -> None:
        self.text_of, self.file = text, file  # the text is made when first needed
        self.text = ""
        self.lines = Lines("")
        self.values: dict[str, LineColumn] = {}
        self.keys: dict[str, LineColumn] = {}
        self.problems: list[Problem] = []
        # Each frame: [pointer, is_object, next_index, pending_key, seen_keys, pending_is_duplicate,
        # dropped]. A list read by position, not a slotted class: one is made for every list and
        # mapping, and a class's constructor made a whole scan measurably slower.
        self.stack: list[list[Any]] = []
        self.i = -1  # not started

    def index(self) -> Index:
        """Every position."""
        self._scan(None)
        return Index(self.values, self.keys)

    def seek(self, pointer: str) -> Index:
        """The positions read so far, read on until ``pointer``'s value is among them or the
        container it would be in has ended (it is not in the text)."""
        if pointer not in self.values:
            self._scan(pointer)
        return Index(self.values, self.keys)

    def _scan(self, wanted: str | None) -> None:
        """Read on from where the last scan stopped: to the end (``wanted`` None), or until
        ``wanted``'s value is read or the container it would be in has ended. The hot loop of
        locating a file: each kind of token is read here, but keys and scalars (which may be
        problems) by a method each."""
        if self.i < 0:
            self.text = self.text_of()
            self.lines = Lines(self.text)
            self.i = _SPACE.match(self.text, 0).end()  # type: ignore[union-attr]
        text, lines, stack, values = self.text, self.lines, self.stack, self.values
        i, n = self.i, len(text)
        done = False
        while i < n and not done:
            char = text[i]
            if char in ",:":
                i += 1
            elif char in "]}":
                ended = stack.pop()[0]
                # Everything in a container comes before its end: what is wanted is not there.
                done = wanted is not None and wanted.startswith(ended + "/")
                i += 1
            elif stack and stack[-1][1] and stack[-1][3] is None:  # a key
                i = self._key(i)
            else:  # a value: its pointer, and whether it is in the data (not under a duplicate key)
                if not stack:
                    pointer, dropped = "", False
                elif stack[-1][1]:
                    frame = stack[-1]
                    pointer, dropped = f"{frame[0]}/{escape(frame[3])}", frame[6] or frame[5]
                    frame[3] = None
                else:
                    frame = stack[-1]
                    pointer, dropped = f"{frame[0]}/{frame[2]}", frame[6]
                    frame[2] += 1
                if not dropped:
                    values.setdefault(pointer, lines.at(i))
                    done = pointer == wanted
                if char in "[{":
                    stack.append([pointer, char == "{", 0, None, {}, False, dropped])
                    i += 1
                elif char == '"':
                    i = _STRING.match(text, i).end()  # type: ignore[union-attr]
                else:
                    i = self._scalar(i, pointer, dropped)
            i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
        self.i = i

    def _key(self, i: int) -> int:
        """Read the key at ``i`` into its object's frame (a duplicate is a problem, and what its
        value holds is not located); where the key ends."""
        match = _STRING.match(self.text, i)
        assert match is not None
        key = json.loads(match.group(0))
        frame = self.stack[-1]
        seen = frame[4]
        if key in seen:
            message = duplicate_key_message(key, seen[key][0])
            self.problems.append(problem("DD103", message, self.file, *self.lines.at(i), frame[0]))
            frame[3], frame[5] = key, True
        else:
            seen[key] = position = self.lines.at(i)
            if not frame[6]:
                self.keys[f"{frame[0]}/{escape(key)}"] = position
            frame[3], frame[5] = key, False
        return match.end()

    def _scalar(self, i: int, pointer: str, dropped: bool) -> int:
        """Read the number, constant, ``true``, ``false`` or ``null`` at ``pointer`` (at ``i``),
        with its problem if the data cannot hold it; where it ends."""
        match = _SCALAR.match(self.text, i)
        assert match is not None
        found = _token_problem(match.group(0))
        if found is not None:
            self.problems.append(problem(found.code, found.message, self.file, *self.lines.at(i), pointer))
            stack = self.stack
            if found.value is None and stack and not stack[-1][1] and not dropped:
                # Left out of its list, as in the data: the next item takes its index.
                stack[-1][2] -= 1
                self.values.pop(pointer, None)
        return match.end()
