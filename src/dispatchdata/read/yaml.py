"""YAML text → plain data with the position of every value: the entry points, the quick reader
for usual files, and the reading that feeds the builder and explains syntax errors.

Scalars get YAML 1.2 core-schema meaning, tightened to what JSON can hold
(:mod:`dispatchdata.read.yaml_scalars`), and a ``%YAML`` directive other than 1.2 is refused (DD115).
libyaml's C parser is used when it is installed; the pure-Python parser gives the same results
otherwise (:mod:`dispatchdata.read.yaml_loaders`).

A usual file (no anchors, aliases or tags, string keys, no problem) is read by yaml-rs where it
is installed and reads the file exactly (:mod:`dispatchdata.read.yaml_rs`), else by one tight loop
(:func:`_quick`); anything else by the :class:`~dispatchdata.read.yaml_build.Builder`, which explains
it. The positions of a file yaml-rs read come from the builder's reading, checked to agree with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from .common import Index, LineColumn, Parsed, gc_paused, line_column
from .yaml_build import MAX_DEPTH, Builder
from .yaml_indent import flow_lines_refused, leading_line_refused, short_quoted_line
from .yaml_loaders import HAVE_LIBYAML, yaml_loader
from .yaml_misread import Watch, may_misread
from .yaml_readers import first_refused, refused_message, refused_version, version_refused
from .yaml_rs import DEFER, Agreement, enabled, read_fast
from .yaml_scalars import MAY_RESOLVE, SURROGATE, UNUSUAL, plain

__all__ = ["HAVE_LIBYAML", "IMPLICIT_KEY_LIMIT", "MAX_DEPTH", "parse_yaml", "positions_in", "reader_name"]

#: What :func:`_quick` gives for a file it leaves to the builder.
_UNUSUAL = UNUSUAL

#: The styles of block scalars' events.
_BLOCK_STYLES = ("|", ">")

#: Alias expansion allowed beyond the size of the document itself, in values.
ALIAS_EXPANSION_ALLOWANCE = 10_000


def reader_name() -> str:
    """Which readers read YAML files here (what ``validate -v`` says)."""
    careful = "libyaml" if HAVE_LIBYAML else "pure Python (libyaml is not installed)"
    if not enabled():
        return careful
    return f"yaml-rs, and {careful} for positions and for the files yaml-rs cannot read exactly"


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
    """The positions in YAML text, without its data (see :func:`dispatchdata.read.parse.positions_of`),
    read as far as each is asked for, by one reading that goes on where it stopped."""
    readings: list[_Reading] = []

    def seek(pointer: str | None) -> Index:
        if not readings:
            # The data yaml-rs reads, if it reads this text: the reading is checked against it.
            expected = read_fast(text) if not pure and enabled() else DEFER
            readings.append(_Reading(text, file, pure=pure, track=True, expected=expected))
        return readings[0].seek(pointer)

    return Parsed(None, indexer=lambda: seek(None), seek=seek)


def _quick(text: str, *, pure: bool) -> Any:
    """The data of a usual file, read from the parser's events in one tight loop
    (:func:`_quick_events`): plain, quoted and block scalars in block or flow collections, string
    keys, one document. Anything else (anchors, aliases, tags, a key that is not a string, a
    duplicate key, a number JSON cannot hold or written as a float, a scalar other readers read
    otherwise, a ``%YAML`` directive, too deep a nesting, a syntax error) gives ``_UNUSUAL``, and
    the :class:`~dispatchdata.read.yaml_build.Builder`, which explains it, reads the file.
    ``tests/test_parse.py`` proves the two agree. A construct PyYAML reads otherwise than YAML 1.2
    (:mod:`dispatchdata.read.yaml_misread`) is left to the builder too: anchors and aliases, a flow
    collection holding something in a text with a ``?``, a line YAML 1.2 refuses for its
    indentation (:mod:`dispatchdata.read.yaml_indent`), and any text
    :func:`~dispatchdata.read.yaml_misread.may_misread`.
    Where yaml-rs is installed (and not ``pure``), it reads the file instead when it reads it
    exactly (:func:`~dispatchdata.read.yaml_rs.read_fast`).
    """
    if not pure and enabled():
        data = read_fast(text)
        if data is not DEFER:
            return data
    if may_misread(text) or first_refused(text) >= 0:
        return _UNUSUAL  # a block scalar may end it without a line break; a '#' may follow text
    loader = None
    try:
        loader = yaml_loader(text, pure=pure)  # the pure reader may refuse the text here
        # get_event alone: check_event first would cost a call per event
        return _quick_events(loader.get_event, text)
    except yaml.YAMLError:
        return _UNUSUAL
    finally:
        if loader is not None:
            loader.dispose()


def _quick_events(next_event: Callable[[], Any], text: str) -> Any:
    """The loop of :func:`_quick`: the data of the events ``next_event`` gives of ``text``, or
    ``_UNUSUAL`` (for a flow collection too, when the text holds a ``?``; and for a line YAML 1.2
    refuses for its indentation, found as :class:`~dispatchdata.read.yaml_indent.Indents` finds it,
    in a quoted scalar or a flow collection over several lines or a block scalar).
    Long: the one loop every event of a usual file passes through; split, it would cost a call each."""
    question = "?" in text
    cr = "\r" in text  # (NEL, LS, PS and U+FEFF it holds none: see _quick)
    scalar, mapping, sequence = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends, stream_end = (yaml.MappingEndEvent, yaml.SequenceEndEvent), yaml.StreamEndEvent
    root: Any = _UNUSUAL
    # The innermost open collection, whether it is a list, (in a mapping) the key whose value
    # comes next (None: a key comes next) and the event that opened it are kept in locals; the
    # outer ones wait on a stack.
    top: Any = None
    in_list = False
    key: Any = None
    opened: Any = None
    outer: list[tuple[Any, bool, Any, Any]] = []
    while True:
        event: Any = next_event()  # dispatched on its exact type below (fast)
        kind = type(event)
        if kind is scalar:
            if event.anchor is not None or event.tag is not None:
                return _UNUSUAL
            value = event.value
            if event.implicit[0]:  # plain: resolved by plain(), as the builder does
                if not value:
                    value = None
                elif value[0] in MAY_RESOLVE:  # else a string
                    value = plain(value)
                    if value is _UNUSUAL or value == "-":  # '-' alone: in a flow, maybe misread
                        return _UNUSUAL
            elif event.style == '"' and SURROGATE.search(value):
                return _UNUSUAL
            elif event.style in _BLOCK_STYLES:
                if leading_line_refused(text, _need(opened, outer) - 1, event.start_mark) is not None:
                    return _UNUSUAL
            else:  # a quoted scalar: over several lines, searched for one that begins short
                start, stop = event.start_mark, event.end_mark
                if start.line != stop.line:
                    need = _need(opened, outer)
                    if need > 0 and short_quoted_line(need, cr)(text, start.index, stop.index):
                        return _UNUSUAL
        elif kind is mapping or kind is sequence:
            if event.anchor is not None or event.tag is not None or len(outer) >= MAX_DEPTH:
                return _UNUSUAL
            outer.append((top, in_list, key, opened))
            in_list = kind is sequence
            top, key, opened = ([] if in_list else {}), None, event
            continue
        elif kind in ends:
            value, flow = top, opened
            top, in_list, key, opened = outer.pop()
            if flow.flow_style:
                if question and value:  # '?x' in it may be text or a key: the builder sees
                    return _UNUSUAL
                if (
                    (opened is None or not opened.flow_style)  # the outermost flow collection
                    and flow.start_mark.line != event.end_mark.line
                    and flow_lines_refused(text, _need(opened, outer), flow.start_mark, event) is not None
                ):
                    return _UNUSUAL
        elif kind is yaml.DocumentStartEvent:  # a second one once the first's root is read
            if root is not _UNUSUAL or event.version not in (None, (1, 2)):
                return _UNUSUAL
            continue
        elif kind is yaml.AliasEvent:
            return _UNUSUAL
        elif kind is stream_end or event is None:  # (None: past the end, never in practice)
            return root
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


def _need(opened: Any, outer: list[tuple[Any, bool, Any, Any]]) -> int:
    """The spaces a continuation line must begin with in the collection ``opened`` opened, with
    ``outer`` open around it: past the innermost block collection (any number at the top)."""
    if opened is not None and not opened.flow_style:  # most often: a block collection
        return int(opened.start_mark.column) + 1
    for entry in reversed(outer):
        event = entry[3]
        if event is not None and not event.flow_style:
            return int(event.start_mark.column) + 1
    return 0


def _parse(text: str, file: str, *, pure: bool, track: bool) -> Parsed:
    """A file read whole by the builder (with positions when ``track``)."""
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


def _long_key(error: yaml.MarkedYAMLError, text: str) -> tuple[str, LineColumn] | None:
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
    if "expected ','" in error.problem:  # in a flow collection: "{kkk…: 1}", "[a, kkk…: 1]"
        return _flow_key_start(text, end.index - end.column, end.index)
    if not error.problem.startswith("mapping values are not allowed"):
        return None
    found = _ONE_KEY.fullmatch(text, end.index - end.column, end.index)
    if found is None or (found[1][0] not in "\"'" and (": " in found[1] or " #" in found[1])):
        return None  # not one key (a value before it on the line, a comment)
    return found.start(1)


def _flow_key_start(text: str, line: int, colon: int) -> int | None:
    """Where the key before the ':' at ``colon`` starts in a flow collection (after its '{', '['
    or ','; a quoted key at its opening quote), if the text there is one key; ``line`` is where
    its line starts. Searched backwards on the line only: no pattern to backtrack over a long one."""
    before = text[line:colon].rstrip()
    if before[-1:] in ("'", '"'):  # a quoted key: from its opening quote
        opening = text.rfind(before[-1], line, line + len(before) - 1)
        return opening if opening >= 0 and text[line:opening].rstrip()[-1:] in ("{", "[", ",") else None
    cut = max(text.rfind(c, line, colon) for c in "{[,")
    key = text[cut + 1 : colon]
    if cut < 0 or not key.strip() or ": " in key or " #" in key:
        return None  # not one key (a value before it, a comment)
    return cut + 1 + len(key) - len(key.lstrip())


class _Reading:
    """One reading of a file by the :class:`Builder`, which can stop and go on: :meth:`seek` reads
    only as far as one value's position (a message near the top of a file does not cost all of
    it), :meth:`run` to the end."""

    def __init__(self, text: str, file: str, *, pure: bool, track: bool, expected: Any = DEFER) -> None:
        self.text = text
        budget = ALIAS_EXPANSION_ALLOWANCE + len(text)
        self.builder = Builder(file, budget=budget, track=track, watch=Watch(text, pure=pure))
        self.loader: Any = None
        self.pure = pure
        self.ended = False
        #: The data yaml-rs read from the text (its data is this reading's), checked as read.
        self.agreement = None if expected is DEFER else Agreement(expected, file)

    def run(self, wanted: str | None = None) -> None:
        """Read on to the end, or until the value at ``wanted`` has its position."""
        builder, index = self.builder, self.builder.parsed._index
        located = None if index is None else index.values  # the values' positions, when tracked
        text = self.text
        if not self.ended and (refused := first_refused(text)) >= 0:
            line, column = line_column(text, refused)
            builder.fatal("DD102", refused_message(text, refused), line, column)
            self._end()
            return
        try:
            if self.loader is None and not self.ended:
                self.loader = yaml_loader(text, pure=self.pure)
            loader = self.loader
            while not self.ended:
                if wanted is not None and located is not None and wanted in located:
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
                message, (key_line, key_column) = long_key
                builder.fatal("DD102", f"YAML syntax error: {message}", key_line, key_column)
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
            if self.agreement is not None:
                self._checked(pointer)
        return self.builder.parsed.index()

    def _checked(self, pointer: str | None) -> None:
        """Read on until the top-level item holding ``pointer`` is whole (with None, to the end),
        and check what has been read against yaml-rs's data."""
        agreement, builder = self.agreement, self.builder
        assert agreement is not None
        if not self.ended:
            self.run(agreement.item_end(pointer) if pointer else None)
        ended = self.ended
        built = builder.parsed.data if ended else (builder.stack[0].container if builder.stack else None)
        agreement.check(built, builder.parsed.problems, builder.parsed.positions, ended)
