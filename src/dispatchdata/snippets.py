"""YAML written for the dataset's files by the editing tools (an anchor to paste, a value edited
in place), each checked by reading it back with the dataset's own reader: what is written reads
back as exactly the value meant, without a problem, or it is not written."""

from __future__ import annotations

import copy
import json
from dataclasses import asdict
from typing import Any

from .display import BEYOND_C0, CONTROL
from .errors import DispatchDataError
from .model import Anchor

#: Wide enough that no scalar is folded over lines.
_WIDTH = 1 << 30


def _dumped(value: str, quoted: bool) -> str:
    """``value`` as one YAML scalar by PyYAML's safe emitter (which quotes whatever a YAML 1.1
    reader would read as another value), double-quoted when ``quoted``, or when it holds a line
    break, a control or invisible character, or white space at either end."""
    # deferred: PyYAML's emitter, needed only by the editing commands
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def represent(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
        plain = not quoted and not CONTROL.search(text) and text == text.strip()
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=None if plain else '"')

    Dumper.add_representer(str, represent)
    dumped = yaml.dump({"k": value}, Dumper=Dumper, allow_unicode=True, width=_WIDTH)
    # Only inside a double-quoted scalar can such a character remain; an escape there means it.
    return BEYOND_C0.sub(lambda match: f"\\u{ord(match.group()):04x}", dumped)[len("k: ") : -1]


def _reads_back(line: str, expected: Any) -> bool:
    """Whether the dataset's reader reads the YAML ``line`` as ``{"k": expected}``, problem-free."""
    # deferred: the YAML reader, needed only by the editing commands
    from .read.parse import parse_text

    parsed = parse_text(line, "snippet.yaml")
    return not parsed.problems and parsed.data == {"k": expected} and type(parsed.data["k"]) is type(expected)


def scalar(value: str | int) -> str:
    """``value`` as a one-line YAML scalar that the dataset's reader reads back as exactly
    ``value`` (plain where that holds, else double-quoted); :class:`DispatchDataError` if neither
    does (a value no YAML scalar on one line can hold)."""
    if type(value) is int:
        written = str(value)
        if _reads_back(f"k: {written}\n", value):
            return written
    elif isinstance(value, str):
        for quoted in (False, True):
            written = _dumped(value, quoted)
            if "\n" not in written and _reads_back(f"k: {written}\n", value):
                return written
    raise DispatchDataError(f"cannot write {value!r} as a YAML scalar that reads back the same")


def anchor_yaml(anchor: Anchor, indent: int = 0) -> str:
    """``anchor`` as an item of a YAML list (``- document: …``, one field a line, in the
    dataset's order), indented by ``indent`` spaces, read back by the dataset's reader to check
    that it is exactly ``anchor``."""
    # deferred: the YAML reader, needed only by the editing commands
    from .read.parse import parse_text

    fields = asdict(anchor)
    lines = [
        f"{'- ' if i == 0 else '  '}{key}: {scalar(value)}" for i, (key, value) in enumerate(fields.items())
    ]
    text = "".join(f"{' ' * indent}{line}\n" for line in lines)
    parsed = parse_text(text, "anchor.yaml")
    if parsed.problems or parsed.data != [fields]:
        raise DispatchDataError("the anchor written as YAML does not read back as itself")
    return text


def _scalar_spans(text: str, pure: bool = False) -> dict[str, tuple[int, int]]:
    """Where each scalar of the YAML ``text`` is, by JSON pointer: the code points it spans
    (quotes included), from PyYAML's composer, libyaml's where PyYAML has it (``pure``: the
    pure-Python one; both marks count code points, and what is edited is read back anyway)."""
    # deferred: PyYAML, needed only to edit a file in place
    import yaml

    loader = yaml.SafeLoader if pure else getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    root = yaml.compose(text, Loader=loader)
    spans: dict[str, tuple[int, int]] = {}
    stack: list[tuple[str, yaml.Node]] = [("", root)] if root is not None else []
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            spans[pointer] = (node.start_mark.index, node.end_mark.index)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((f"{pointer}/{i}", item) for i, item in enumerate(node.value))
        elif isinstance(node, yaml.MappingNode):
            stack.extend((f"{pointer}/{key.value}", value) for key, value in node.value)
    return spans


def _set(data: Any, pointer: str, value: object) -> None:
    *path, last = pointer.split("/")[1:]
    for token in path:
        data = data[int(token)] if isinstance(data, list) else data[token]
    data[int(last) if isinstance(data, list) else last] = value


def edit_values(text: str, data: Any, changes: dict[str, str | int], file: str) -> str:
    """The YAML ``text`` (which the dataset's reader reads as ``data``) with the scalar at each
    pointer of ``changes`` replaced by its new value, written where the old one was (comments,
    layout and every other value untouched); JSON (a ``file`` named ``.json``) likewise, each
    value written as JSON. What comes out is read again by the dataset's
    reader, and must be ``data`` with exactly those changes: else :class:`DispatchDataError`,
    and nothing is to be written."""
    # deferred: the YAML reader, needed only by the editing commands
    from .read.parse import parse_text

    spans = _scalar_spans(text)
    missing = [p for p in changes if p not in spans]
    if missing:
        raise DispatchDataError(f"{file}: no value at {missing[0]} to edit in place")
    edited = text
    for pointer in sorted(changes, key=lambda p: spans[p][0], reverse=True):
        start, end = spans[pointer]
        value = changes[pointer]
        written = json.dumps(value, ensure_ascii=False) if file.endswith(".json") else scalar(value)
        edited = edited[:start] + written + edited[end:]
    expected = copy.deepcopy(data)
    for pointer, value in changes.items():
        _set(expected, pointer, value)
    if parse_text(edited, file).data != expected:
        raise DispatchDataError(
            f"{file}: editing in place would change more than the values meant; not written"
        )
    return edited
