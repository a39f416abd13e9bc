"""YAML text → plain data, from parser events, with the position of every value.

Scalars get YAML 1.2 core-schema meaning, tightened to what JSON can hold: only ``null``/``true``/
``false`` in their core spellings, decimal integers without leading zeros and decimal floats are
resolved; everything else is a string (``2023-01-13``, ``no``, ``on``, ``1:20``, ``0750``). A plain
scalar that other readers take for another type (``no`` is false to PyYAML, ``0o750`` is 488 to a
YAML 1.2 core-schema reader) is a warning to quote it (DD114; :mod:`dispatchdata.yaml_readers`), and
a ``%YAML`` directive other than 1.2 is refused (DD115). A number that reads as a whole one but is
written as a float (``177.0``) is an error, read as the integer it is (DD113; see
:func:`~dispatchdata.parse_common.float_problem`). Values are built iteratively from events (no
recursion limit, no node graph held in memory). libyaml's C parser is used when it is installed;
the pure-Python parser gives the same results otherwise.

A usual file (no anchors, aliases or tags, string keys, no problem) is read by one tight loop
(:func:`_quick`), about twice as fast; anything else by the :class:`_Builder`, which explains it.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from .display import excerpt
from .parse_common import (
    INTEGER_MAX,
    INTEGER_MIN,
    Index,
    Parsed,
    Position,
    escape,
    float_problem,
    gc_paused,
    integer_range_problem,
    line_column,
    long_integer_problem,
    problem,
)
from .yaml_readers import (
    float_read_otherwise,
    is_read_otherwise,
    is_yaml11_float,
    refused_version,
    string_read_otherwise,
    version_refused,
)

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _FastLoader

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _FastLoader  # type: ignore[assignment]

    HAVE_LIBYAML = False


class _PureLoader(yaml.SafeLoader):
    """PyYAML's pure-Python reader, placing an empty flow key or value where libyaml places it.

    In ``{a: }``, ``[a: ]`` and ``{? : b}`` the pure parser puts the empty node at the end of the
    ``:`` or ``?`` before it, libyaml at the start of the token after it (the ``}``); in
    ``[? : b]`` and ``[? , b]`` libyaml puts the empty key after that token: a column or two
    apart. libyaml's place is taken, so that a message has the same position whichever reader is
    installed. The methods are PyYAML's own, but for that mark.
    """

    def _empty_before_next_token(self) -> Any:
        parser: Any = self  # PyYAML's parser methods are untyped
        return parser.process_empty_scalar(parser.peek_token().start_mark)

    def parse_flow_mapping_key(self, first: bool = False) -> Any:
        parser: Any = self
        if not parser.check_token(yaml.FlowMappingEndToken):
            if not first:
                if parser.check_token(yaml.FlowEntryToken):
                    parser.get_token()
                else:
                    token = parser.peek_token()
                    raise yaml.parser.ParserError(
                        "while parsing a flow mapping",
                        parser.marks[-1],
                        f"expected ',' or '}}', but got {token.id!r}",
                        token.start_mark,
                    )
            if parser.check_token(yaml.KeyToken):
                parser.get_token()
                if not parser.check_token(yaml.ValueToken, yaml.FlowEntryToken, yaml.FlowMappingEndToken):
                    parser.states.append(parser.parse_flow_mapping_value)
                    return parser.parse_flow_node()
                parser.state = parser.parse_flow_mapping_value
                return self._empty_before_next_token()
            if not parser.check_token(yaml.FlowMappingEndToken):
                parser.states.append(parser.parse_flow_mapping_empty_value)
                return parser.parse_flow_node()
        return super().parse_flow_mapping_key(first)

    def parse_flow_sequence_entry_mapping_key(self) -> Any:
        parser: Any = self
        parser.get_token()
        if not parser.check_token(yaml.ValueToken, yaml.FlowEntryToken, yaml.FlowSequenceEndToken):
            parser.states.append(parser.parse_flow_sequence_entry_mapping_value)
            return parser.parse_flow_node()
        parser.state = parser.parse_flow_sequence_entry_mapping_value
        token = parser.peek_token()  # libyaml: after a ':' or ',', at a ']'
        return parser.process_empty_scalar(
            token.start_mark if isinstance(token, yaml.FlowSequenceEndToken) else token.end_mark
        )

    def parse_flow_mapping_value(self) -> Any:
        parser: Any = self
        if parser.check_token(yaml.ValueToken):
            parser.get_token()
            if not parser.check_token(yaml.FlowEntryToken, yaml.FlowMappingEndToken):
                parser.states.append(parser.parse_flow_mapping_key)
                return parser.parse_flow_node()
        parser.state = parser.parse_flow_mapping_key
        return self._empty_before_next_token()

    def parse_flow_sequence_entry_mapping_value(self) -> Any:
        parser: Any = self
        if parser.check_token(yaml.ValueToken):
            parser.get_token()
            if not parser.check_token(yaml.FlowEntryToken, yaml.FlowSequenceEndToken):
                parser.states.append(parser.parse_flow_sequence_entry_mapping_end)
                return parser.parse_flow_node()
        parser.state = parser.parse_flow_sequence_entry_mapping_end
        return self._empty_before_next_token()


_TAG = "tag:yaml.org,2002:"
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(
    r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_NONFINITE = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")

_UNUSUAL = object()  # what _quick gives for a file it leaves to the builder; _plain for a scalar
_NOT_A_WORD = object()
#: Plain scalars that are words: null and the booleans in their YAML 1.2 core spellings, and the
#: words YAML 1.1 readers such as PyYAML read as booleans (yes/no/on/off) or as keys of their own
#: (the merge key ``<<``, the value key ``=``): strings here, left to the builder, which warns
#: (DD114). The 1.1 spec's ``y`` and ``n`` are not among them: PyYAML, Ruby's Psych, SnakeYAML
#: and yamllint read them as strings (only go-yaml v2 does not), and a warning for every
#: one-letter value would be noise.
_WORDS: dict[str, Any] = {
    "": None, "~": None, "null": None, "Null": None, "NULL": None,
    "true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False,
    **dict.fromkeys(
        ["yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"], _UNUSUAL
    ),
    **dict.fromkeys(["<<", "="], _UNUSUAL),
}  # fmt: skip
_NUMERIC_START = frozenset("+-.0123456789")

#: Alias expansion allowed beyond the size of the document itself, in values.
ALIAS_EXPANSION_ALLOWANCE = 10_000

#: Deepest nesting of lists and mappings read (libyaml's limit).
MAX_DEPTH = 1000


def parse_yaml(text: str, file: str, *, pure: bool = False) -> Parsed:
    """Parse YAML text into plain data with positions; never raises on bad input.

    A clean file is read once without building its position index, which is made on first use
    (by the quick reader when the file is usual); a file with problems is read again with
    positions, so every message has its exact place.
    """
    with gc_paused():
        data = _quick(text, pure=pure)
        if data is _UNUSUAL:
            fast = _parse(text, file, pure=pure, track=False)
            if fast.problems:
                return _parse(text, file, pure=pure, track=True)
            data = fast.data
    found = positions_in(text, file, pure=pure)
    found.data = data
    return found


def positions_in(text: str, file: str, *, pure: bool = False) -> Parsed:
    """The positions in YAML text, without its data (see :func:`dispatchdata.parse.positions_of`),
    read as far as each is asked for, by one reading that goes on where it stopped."""
    readings: list[_Reading] = []

    def seek(pointer: str | None) -> Index:
        if not readings:
            readings.append(_Reading(text, file, pure=pure, track=True))
        return readings[0].seek(pointer)

    return Parsed(None, indexer=lambda: seek(None), seek=seek)


# How a plain null, boolean, number or YAML 1.1 word can start (a plain scalar starting
# otherwise is a string for every reader).
_MAY_RESOLVE = frozenset("~nNtTfFyYoO<=+-.0123456789")


def _quick(text: str, *, pure: bool) -> Any:
    """The data of a usual file, read from the parser's events in one tight loop: plain, quoted
    and block scalars in block or flow collections, string keys, one document. Anything else
    (anchors, aliases, tags, a key that is not a string, a duplicate key, a number JSON cannot
    hold or written as a float, a scalar other readers read otherwise, a ``%YAML`` directive,
    too deep a nesting, a syntax error) gives ``_UNUSUAL``, and the :class:`_Builder`,
    which explains it, reads the file. ``tests/test_parse.py`` proves the two agree."""
    scalar, mapping, sequence = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    stream_end = yaml.StreamEndEvent
    root: Any = _UNUSUAL
    # The innermost open collection, whether it is a list, and (in a mapping) the key whose value
    # comes next (None: a key comes next) are kept in locals; the outer ones wait on a stack.
    top: Any = None
    in_list = False
    key: Any = None
    outer: list[tuple[Any, bool, Any]] = []
    documents = 0
    loader = None
    try:
        loader = (_PureLoader if pure else _FastLoader)(text)  # the pure reader may refuse the text here
        next_event = loader.get_event  # alone: check_event first would cost a call per event
        while True:
            event: Any = next_event()  # dispatched on its exact type below (fast)
            kind = type(event)
            if kind is scalar:
                if event.anchor is not None or event.tag is not None:
                    return _UNUSUAL
                value = event.value
                if event.implicit[0]:  # plain: resolved by _plain, as the builder does
                    if not value:
                        value = None
                    elif value[0] in _MAY_RESOLVE:  # else a string
                        value = _plain(value)
                        if value is _UNUSUAL:
                            return _UNUSUAL
                elif event.style == '"' and _SURROGATE.search(value):
                    return _UNUSUAL
            elif kind is mapping or kind is sequence:
                if event.anchor is not None or event.tag is not None or len(outer) >= MAX_DEPTH:
                    return _UNUSUAL
                outer.append((top, in_list, key))
                in_list = kind is sequence
                top, key = ([] if in_list else {}), None
                continue
            elif kind in ends:
                value = top
                top, in_list, key = outer.pop()
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1 or event.version not in (None, (1, 2)):
                    return _UNUSUAL
                continue
            elif kind is yaml.AliasEvent:
                return _UNUSUAL
            elif kind is stream_end or event is None:  # (None: past the end, never in practice)
                break
            else:  # the stream's start, a document's end
                continue
            if in_list:
                top.append(value)
            elif top is None:
                root = value
            elif key is None:
                if type(value) is not str:
                    return _UNUSUAL  # a key that is not a string, a collection too (DD108)
                key = value
            elif key in top:
                return _UNUSUAL  # a duplicate key (DD103)
            else:
                top[key] = value
                key = None
    except yaml.YAMLError:
        return _UNUSUAL
    finally:
        if loader is not None:
            loader.dispose()
    return root


def _plain(text: str) -> Any:
    """What a plain scalar means (YAML 1.2 core, tightened to JSON); ``_UNUSUAL`` for one the
    builder explains (:func:`_explained`): a non-finite number, an integer written as a float, or
    a scalar other YAML readers read as another type."""
    word = _WORDS.get(text, _NOT_A_WORD)
    if word is not _NOT_A_WORD:
        return word
    if text[0] not in _NUMERIC_START:
        return text
    if _INT.fullmatch(text):
        try:
            value = int(text)
        except ValueError:  # more digits than Python reads: DD107
            return _UNUSUAL
        # Beyond what every export stores (DD117): one comparison, most integers being small.
        return value if INTEGER_MIN <= value <= INTEGER_MAX else _UNUSUAL
    if _FLOAT.fullmatch(text):
        number = float(text)
        if number.is_integer() or not math.isfinite(number) or not is_yaml11_float(text):
            return _UNUSUAL
        return number
    if _NONFINITE.fullmatch(text) or is_read_otherwise(text):
        return _UNUSUAL
    return text


def _explained(text: str) -> tuple[str, str, Any]:
    """Why :func:`_plain` left a plain scalar to the builder: its code, message, and the value
    read (``_SKIP``: none)."""
    if _NONFINITE.fullmatch(text):
        return "DD107", f"{text!r} is not a finite number; JSON cannot hold it", _SKIP
    if _INT.fullmatch(text):
        too_long = long_integer_problem(text)
        if too_long is not None:
            return too_long.code, too_long.message, _SKIP
        outside = integer_range_problem(text, int(text))
        assert outside is not None  # the only other integer _plain leaves to the builder
        return outside.code, outside.message, outside.value
    if _FLOAT.fullmatch(text):
        number = float(text)
        found = float_problem(text, number)
        if found is not None:
            return found.code, found.message, _SKIP if found.value is None else found.value
        return "DD114", float_read_otherwise(text, number), number
    return "DD114", string_read_otherwise(text), text


def _parse(text: str, file: str, *, pure: bool, track: bool) -> Parsed:
    reading = _Reading(text, file, pure=pure, track=track)
    reading.run()
    return reading.builder.result()


#: The most characters a plain (implicit) key may have, in YAML 1.2 (and to PyYAML and libyaml):
#: its ':' must come within them. A longer key must be an explicit one ("? key").
IMPLICIT_KEY_LIMIT = 1024


#: A line up to a mapping value's ':' that holds one key after its indentation and block
#: indicators: a quoted key, or a plain one (on which more below).
_ONE_KEY = re.compile(
    r"[ ]*(?:[-?][ ]+)*"
    r"(\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'|(?:[^\s\-?:,\[\]{}#&*!|>'\"%@`]|[-?:](?=\S))[^\n]*?)[ ]*"
)


def _long_key(error: yaml.MarkedYAMLError, text: str) -> tuple[str, Position] | None:
    """What to say, and where (the key's start), when a syntax error is a key longer than
    :data:`IMPLICIT_KEY_LIMIT`: that, not what the readers say."""
    end = error.problem_mark
    start = _key_start(error, text)
    if end is None or start is None or end.index - start <= IMPLICIT_KEY_LIMIT:
        return None
    message = (
        f"a key of {end.index - start} characters is too long: YAML allows at most "
        f"{IMPLICIT_KEY_LIMIT} before its ':' (and no field's name is near that)"
    )
    return message, (end.line + 1, end.column - (end.index - start) + 1)


def _key_start(error: yaml.MarkedYAMLError, text: str) -> int | None:
    """Where the key before the ':' a syntax error is at starts, if it is one (an index in
    ``text``). A key that must be one (in a mapping, at its indentation) is libyaml's "could
    not find expected ':'", its start the error's context. Any other (opening a list item, or
    the file) the readers drop without a word when too long, and its ':' is then "mapping
    values are not allowed" (in other words by each reader): its start is found on the line."""
    start, end = error.context_mark, error.problem_mark
    if end is None or error.problem is None:
        return None
    if error.problem == "could not find expected ':'":
        return start.index if start is not None and start.line == end.line else None
    if not error.problem.startswith("mapping values are not allowed"):
        return None
    found = _ONE_KEY.fullmatch(text, end.index - end.column, end.index)
    if found is None or (found[1][0] not in "\"'" and (": " in found[1] or " #" in found[1])):
        return None  # not one key (a value before it on the line, a comment)
    return found.start(1)


class _Reading:
    """One reading of a file by the :class:`_Builder`, which can stop and go on: :meth:`seek` reads
    only as far as one value's position (a message near the top of a file does not cost all of
    it), :meth:`run` to the end."""

    def __init__(self, text: str, file: str, *, pure: bool, track: bool) -> None:
        self.text = text
        self.builder = _Builder(file, budget=ALIAS_EXPANSION_ALLOWANCE + len(text), track=track)
        self.loader: Any = None
        self.pure = pure
        self.ended = False

    def run(self, wanted: str | None = None) -> None:
        """Read on to the end, or until the value at ``wanted`` has its position."""
        builder, positions = self.builder, self.builder.parsed._index
        text = self.text
        try:
            if self.loader is None and not self.ended:
                self.loader = (_PureLoader if self.pure else _FastLoader)(text)
            loader = self.loader
            while not self.ended:
                if wanted is not None and positions is not None and wanted in positions[0]:
                    return
                event = loader.get_event() if loader.check_event() else None
                if event is None or not builder.feed(event):
                    self._end()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
            reason = error.problem or error.context or "malformed YAML"
            version = refused_version(text, mark.index if mark is not None else -1, reason)
            if version is not None:  # %YAML 1.3 or 2.0, say: libyaml refuses them itself
                builder.fatal("DD115", version_refused(version), line, column)
            elif (long_key := _long_key(error, text)) is not None:  # said where the key starts
                builder.fatal("DD102", f"YAML syntax error: {long_key[0]}", *long_key[1])
            else:
                builder.fatal("DD102", f"YAML syntax error: {reason}", line, column)
            self._end()
        except yaml.reader.ReaderError as error:
            line, column = line_column(text, error.position)
            character = error.character if isinstance(error.character, int) else ord(error.character)
            builder.fatal("DD102", f"character U+{character:04X} is not allowed in YAML", line, column)
            self._end()
        except yaml.YAMLError as error:  # pragma: no cover - libyaml's rarer errors
            builder.fatal("DD102", f"YAML syntax error: {error}", 0, 0)
            self._end()
        except BaseException:  # pragma: no cover - out of memory, interrupted: free the parser
            self._end()
            raise

    def _end(self) -> None:
        self.ended = True
        if self.loader is not None:
            self.loader.dispose()
            self.loader = None

    def seek(self, pointer: str | None) -> Index:
        """The positions read so far, read on until ``pointer``'s value is among them (or the
        file has ended: it is not in the file, and its nearest ancestor's position serves); with
        None, every position."""
        with gc_paused():
            self.run(pointer)
        return self.builder.parsed.index()


class _Frame:
    __slots__ = ("anchor", "container", "key", "key_mark", "pointer", "seen", "size", "skip_value")

    def __init__(self, container: Any, pointer: str, anchor: str | None) -> None:
        self.container = container
        self.pointer = pointer
        self.anchor = anchor
        self.key: str | None = None
        self.skip_value = False  # the pending key was refused: drop the value that follows
        self.key_mark: Position | None = None
        self.seen: set[str] = set()
        self.size = 1


_SKIP = object()  # a value that is dropped (after its problem has been reported)


class _Builder:
    """Builds plain values from parser events, one event at a time."""

    def __init__(self, file: str, budget: int, track: bool = True) -> None:
        self.file = file
        self.budget = budget
        self.track = track
        self.parsed = Parsed(None, _index=({}, {}) if track else None)
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.documents = 0
        self.done = False
        self.failed = False

    def fatal(self, code: str, message: str, line: int, column: int, pointer: str = "") -> None:
        self.failed = True
        self.parsed.problems.append(problem(code, message, self.file, line, column, pointer))

    def error(self, code: str, message: str, mark: Position, pointer: str = "") -> None:
        self.parsed.problems.append(problem(code, message, self.file, mark[0], mark[1], pointer))

    def result(self) -> Parsed:
        if self.failed:
            self.parsed.data = None
            self.parsed._index = ({}, {})
        return self.parsed

    # -- events ---------------------------------------------------------------------------------

    def feed(self, event: yaml.Event) -> bool:
        """Take one event; False once reading must stop."""
        start = event.start_mark
        mark = (start.line + 1, start.column + 1) if start is not None else (0, 0)
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

    def _record(self, mark: Position) -> str | None:
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

    def _scalar(self, event: yaml.ScalarEvent, mark: Position) -> bool:
        if event.style == '"' and _SURROGATE.search(event.value):
            # libyaml refuses escaped lone surrogates; the pure parser lets them through.
            self.fatal("DD102", "YAML syntax error: found invalid Unicode character escape code", *mark)
            return False
        pointer = self._record(mark)
        if pointer is None:  # a key: its member's pointer, for a problem with it (DD114)
            pointer = f"{self.stack[-1].pointer}/{escape(event.value)}"
        value = self._construct(event, mark, pointer)
        if event.anchor is not None and value is not _SKIP:
            self.anchors[event.anchor] = (value, 1)
        return self._add(value, 1, mark, is_key_ok=True)

    def _construct(self, event: yaml.ScalarEvent, mark: Position, pointer: str) -> Any:
        tag, text = event.tag, event.value
        if tag == "!":
            tag = _TAG + "str"  # the non-specific tag '!' makes a scalar a string (YAML 1.2, 6.9.1)
        elif tag is None and not event.implicit[0]:
            tag = _TAG + "str"  # quoted or block scalars are strings
        if tag is None:
            value = _plain(text)
            if value is _UNUSUAL:
                code, message, value = _explained(text)
                self.error(code, message, mark, pointer)
            return value
        return self._tagged(tag, text, mark, pointer)

    def _tagged(self, tag: str, text: str, mark: Position, pointer: str) -> Any:
        kind = tag[len(_TAG) :] if tag.startswith(_TAG) else None
        try:
            if kind == "str":
                return text
            if kind == "int" and _INT.fullmatch(text):
                outside = integer_range_problem(text, int(text))
                if outside is None:
                    return int(text)
                self.error(outside.code, outside.message, mark, pointer)
                return outside.value
            if kind == "float" and (_FLOAT.fullmatch(text) or _INT.fullmatch(text)):
                found = float_problem(f"!!float {text}", float(text))  # 177.0: DD113
                if found is None:
                    return float(text)
                self.error(found.code, found.message, mark, pointer)
                return _SKIP if found.value is None else found.value
            if kind == "bool" and text in _BOOL:
                return _BOOL[text]
            if kind == "null" and _NULL.fullmatch(text):
                return None
        except ValueError:  # an integer of more digits than Python reads
            too_long = long_integer_problem(text)
            if too_long is not None:
                self.error(too_long.code, too_long.message, mark, pointer)
                return _SKIP
        if kind in ("int", "float", "bool", "null"):
            self.error("DD104", f"{excerpt(text)!r} cannot be read as !!{kind}", mark, pointer)
        else:
            self.error(
                "DD104",
                f"unsupported tag {excerpt(tag)!r}: only the standard JSON-like tags are allowed",
                mark,
                pointer,
            )
        return _SKIP

    def _start(self, event: yaml.CollectionStartEvent, mark: Position) -> bool:
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

    def _alias(self, event: yaml.AliasEvent, mark: Position) -> bool:
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

    def _add(self, value: Any, size: int, mark: Position | None, *, is_key_ok: bool) -> bool:
        if not self.stack:
            self.parsed.data = None if value is _SKIP else value
            return True
        top = self.stack[-1]
        top.size += size
        if isinstance(top.container, list):
            if value is not _SKIP:
                top.container.append(value)
            return True
        if top.key is None:  # this value is a key
            if not (is_key_ok and isinstance(value, str)):
                where = mark or (0, 0)
                if value is not _SKIP and not isinstance(value, (dict, list)):
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
            first_at = f" (first at line {first[0]})" if first else ""
            assert key_mark is not None
            self.error(
                "DD103",
                f"duplicate key {excerpt(key)!r}{first_at}; the first value is kept",
                key_mark,
                top.pointer,
            )
            return True
        top.seen.add(key)
        if value is not _SKIP:
            top.container[key] = value
        return True
