"""The event builder: plain values from YAML parser events, one at a time, with the position of
every value and every problem explained (anchors and aliases, tags, keys that are not strings,
duplicate keys, numbers JSON cannot hold, scalars other readers read otherwise).

Values are built iteratively (no recursion limit, no node graph held in memory); aliases expand
within a budget the caller sets (a "billion laughs" file is refused at once).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..display import excerpt
from .common import (
    Index,
    LineColumn,
    Parsed,
    duplicate_key_message,
    escape,
    float_problem,
    integer_range_problem,
    long_integer_problem,
    problem,
)
from .yaml_misread import Watch
from .yaml_readers import version_refused
from .yaml_scalars import FLOAT, INT, SKIP, SURROGATE, UNUSUAL, explained, plain

#: Deepest nesting of lists and mappings read (libyaml's limit).
MAX_DEPTH = 1000

_TAG = "tag:yaml.org,2002:"
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


class _Frame:
    """A list or mapping being built: its pointer, its anchor, and (in a mapping) the key whose
    value comes next, the keys seen, and how many values it holds (what an alias to it costs)."""

    __slots__ = ("anchor", "container", "key", "key_mark", "pointer", "seen", "size", "skip_value")

    def __init__(self, container: Any, pointer: str, anchor: str | None) -> None:
        self.container = container
        self.pointer = pointer
        self.anchor = anchor
        self.key: str | None = None
        self.skip_value = False  # the pending key was refused: drop the value that follows
        self.key_mark: LineColumn | None = None
        self.seen: set[str] = set()
        self.size = 1


class Builder:
    """Builds plain values from parser events, one event at a time."""

    def __init__(self, file: str, budget: int, track: bool = True, watch: Watch | None = None) -> None:
        self.file = file
        self.watch = watch  # for constructs PyYAML misreads, until its one scan has run
        self.budget = budget
        self.track = track
        self.parsed = Parsed(None, _index=Index({}, {}) if track else None)
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.documents = 0
        self.failed = False

    def fatal(self, code: str, message: str, line: int, column: int, pointer: str = "") -> None:
        """Report a problem after which the file is not read on (its data is then None)."""
        self.failed = True
        self.parsed.problems.append(problem(code, message, self.file, line, column, pointer))

    def error(self, code: str, message: str, mark: LineColumn, pointer: str = "") -> None:
        """Report a problem at ``mark`` (its severity the registry's); reading goes on."""
        self.parsed.problems.append(problem(code, message, self.file, mark[0], mark[1], pointer))

    def result(self) -> Parsed:
        """The data, positions and problems built (no data or positions after a fatal problem)."""
        if self.failed:
            self.parsed.data = None
            self.parsed._index = Index({}, {})
        return self.parsed

    # -- events ---------------------------------------------------------------------------------

    def feed(self, event: yaml.Event) -> bool:
        """Take one event; False once reading must stop."""
        start = event.start_mark
        mark = (start.line + 1, start.column + 1) if start is not None else (0, 0)
        if self.watch is not None and self.watch.wanted(event):
            found, self.watch = self.watch.scan(), None  # the scan has seen the whole text
            if found is not None:  # PyYAML would give another value than YAML 1.2: refused
                self.fatal("DD102", *found)
                return False
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.fatal("DD106", "more than one YAML document in the file; keep one per file", *mark)
                return False
            if event.version not in (None, (1, 2)):
                major, minor = event.version
                self.error("DD115", version_refused(f"{major}.{minor}"), mark)
        elif isinstance(event, yaml.ScalarEvent):
            return self._scalar(event, mark)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            return self._start(event, mark)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            frame = self.stack.pop()
            if frame.anchor is not None:
                self.anchors[frame.anchor] = (frame.container, frame.size)
                self.open_anchors.discard(frame.anchor)
            return self._add(frame.container, frame.size, None, is_key_ok=False)
        elif isinstance(event, yaml.AliasEvent):
            return self._alias(event, mark)
        return True

    def _child_pointer(self) -> str | None:
        """The pointer of the value about to be added, or None when a mapping key comes next."""
        if not self.stack:
            return ""
        top = self.stack[-1]
        if isinstance(top.container, list):
            return f"{top.pointer}/{len(top.container)}"
        if top.key is None:
            return None
        return f"{top.pointer}/{escape(top.key)}"

    def _record(self, mark: LineColumn) -> str | None:
        if not self.track:  # positions are not wanted: only say whether a mapping key comes next
            stack = self.stack
            return None if stack and stack[-1].key is None and isinstance(stack[-1].container, dict) else ""
        pointer = self._child_pointer()
        if pointer is not None:
            # setdefault: after a duplicate key, positions keep pointing at the value that is kept.
            self.parsed.positions.setdefault(pointer, mark)
            top = self.stack[-1] if self.stack else None
            if top is not None and top.key_mark is not None:
                self.parsed.key_positions.setdefault(pointer, top.key_mark)
        return pointer

    def _scalar(self, event: yaml.ScalarEvent, mark: LineColumn) -> bool:
        if event.style == '"' and SURROGATE.search(event.value):
            # libyaml refuses escaped lone surrogates; the pure parser lets them through.
            self.fatal("DD102", "YAML syntax error: found invalid Unicode character escape code", *mark)
            return False
        pointer = self._record(mark)
        if pointer is None:  # a key: its member's pointer, for a problem with it (DD114)
            pointer = f"{self.stack[-1].pointer}/{escape(event.value)}"
        value = self._construct(event, mark, pointer)
        if event.anchor is not None and value is not SKIP:
            self.anchors[event.anchor] = (value, 1)
        return self._add(value, 1, mark, is_key_ok=True)

    def _construct(self, event: yaml.ScalarEvent, mark: LineColumn, pointer: str) -> Any:
        tag, text = event.tag, event.value
        if tag == "!":
            tag = _TAG + "str"  # the non-specific tag '!' makes a scalar a string (YAML 1.2, 6.9.1)
        elif tag is None and not event.implicit[0]:
            tag = _TAG + "str"  # quoted or block scalars are strings
        if tag is None:
            value = plain(text)
            if value is UNUSUAL:
                code, message, value = explained(text)
                self.error(code, message, mark, pointer)
            return value
        return self._tagged(tag, text, mark, pointer)

    def _tagged(self, tag: str, text: str, mark: LineColumn, pointer: str) -> Any:
        kind = tag[len(_TAG) :] if tag.startswith(_TAG) else None
        try:
            if kind == "str":
                return text
            if kind == "int" and INT.fullmatch(text):
                outside = integer_range_problem(text, int(text))
                if outside is None:
                    return int(text)
                self.error(outside.code, outside.message, mark, pointer)
                return outside.value
            if kind == "float" and (FLOAT.fullmatch(text) or INT.fullmatch(text)):
                found = float_problem(f"!!float {text}", float(text))  # 177.0: DD113
                if found is None:
                    return float(text)
                self.error(found.code, found.message, mark, pointer)
                return SKIP if found.value is None else found.value
            if kind == "bool" and text in _BOOL:
                return _BOOL[text]
            if kind == "null" and _NULL.fullmatch(text):
                return None
        except ValueError:  # an integer of more digits than Python reads
            too_long = long_integer_problem(text)
            if too_long is not None:
                self.error(too_long.code, too_long.message, mark, pointer)
                return SKIP
        if kind in ("int", "float", "bool", "null"):
            self.error("DD104", f"{excerpt(text)!r} cannot be read as !!{kind}", mark, pointer)
        else:
            self.error(
                "DD104",
                f"unsupported tag {excerpt(tag)!r}: only the standard JSON-like tags are allowed",
                mark,
                pointer,
            )
        return SKIP

    def _start(self, event: yaml.CollectionStartEvent, mark: LineColumn) -> bool:
        if len(self.stack) >= MAX_DEPTH:
            # libyaml's own limit; the pure parser has none, so it is enforced here for both.
            self.fatal("DD102", "YAML syntax error: exceeded maximum nesting depth", *mark)
            return False
        is_map = isinstance(event, yaml.MappingStartEvent)
        tag = event.tag
        pointer = self._record(mark)
        if pointer is None:
            self.error("DD108", "mapping keys must be plain strings, not lists or mappings", mark)
            pointer = self.stack[-1].pointer + "/?"
        expected = _TAG + ("map" if is_map else "seq")
        if tag not in (None, "!", expected):
            self.error(
                "DD104",
                f"unsupported tag {excerpt(tag)!r}: only the standard JSON-like tags are allowed",
                mark,
                pointer,
            )
        frame = _Frame({} if is_map else [], pointer, event.anchor)
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        self.stack.append(frame)
        return True

    def _alias(self, event: yaml.AliasEvent, mark: LineColumn) -> bool:
        name = event.anchor
        pointer = self._record(mark)
        if name in self.open_anchors:
            self.fatal(
                "DD105",
                f"alias *{excerpt(name)} refers to a collection that contains it",
                *mark,
                pointer or "",
            )
            return False
        if name not in self.anchors:  # pragma: no cover - the parser rejects undefined aliases first
            self.fatal("DD105", f"alias *{excerpt(str(name))} is not defined", *mark, pointer or "")
            return False
        value, size = self.anchors[name]
        self.budget -= size
        if self.budget < 0:
            self.fatal(
                "DD105",
                "aliases expand to far more values than the file holds (a 'billion laughs' file?); refused",
                *mark,
                pointer or "",
            )
            return False
        return self._add(value, size, mark, is_key_ok=isinstance(value, str))

    def _add(self, value: Any, size: int, mark: LineColumn | None, *, is_key_ok: bool) -> bool:
        if not self.stack:
            self.parsed.data = None if value is SKIP else value
            return True
        top = self.stack[-1]
        top.size += size
        if isinstance(top.container, list):
            if value is not SKIP:
                top.container.append(value)
            return True
        if top.key is None:  # this value is a key
            if not (is_key_ok and isinstance(value, str)):
                where = mark or (0, 0)
                if value is not SKIP and not isinstance(value, (dict, list)):
                    self.error(
                        "DD108",
                        f"mapping key {excerpt(repr(value))} is not a string; quote it",
                        where,
                        top.pointer,
                    )
                top.key, top.skip_value = "", True
                top.key_mark = where
                return True
            top.key, top.key_mark = value, mark
            return True
        key, key_mark = top.key, top.key_mark
        top.key, top.key_mark = None, None
        if top.skip_value:
            top.skip_value = False
            return True
        if key in top.seen:
            first = self.parsed.key_positions.get(f"{top.pointer}/{escape(key)}")
            assert key_mark is not None
            message = duplicate_key_message(key, first[0] if first else None)
            self.error("DD103", message, key_mark, top.pointer)
            return True
        top.seen.add(key)
        if value is not SKIP:
            top.container[key] = value
        return True
