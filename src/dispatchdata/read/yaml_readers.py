"""What other YAML readers make of a plain scalar, of a ``%YAML`` directive, and of characters
YAML 1.2 and PyYAML read differently (DD114, DD115, DD102).

This reader gives plain scalars YAML 1.2 core-schema meaning, tightened to JSON (see
:mod:`dispatchdata.read.yaml_scalars`), but the data's users read the files with their own loaders:
PyYAML and other YAML 1.1 readers (``no`` is false, ``0750`` is 488, ``1:20`` is 80,
``2023-01-13`` a date, ``<<`` a merge key), and YAML 1.2 core-schema readers (``0o750`` is 488,
``0750`` is 750). A plain scalar one of them types otherwise than this reader is a warning to
quote it. PyYAML's own resolver says what YAML 1.1 makes of a scalar, so its spellings are
exactly PyYAML's; the YAML 1.2 core schema's numbers are the spec's (YAML 1.2.2, 10.3.2).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import yaml

from ..display import excerpt

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
#: The YAML 1.2 core schema's numbers that this reader leaves strings: integers with leading
#: zeros (``0750`` is 750 there), ``0o`` and ``0x`` integers, floats with leading zeros.
_CORE_NUMBER = re.compile(
    r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
)
#: PyYAML's YAML 1.1 resolver: the type ``yaml.safe_load`` gives a plain scalar.
_RESOLVER: Any = yaml.resolver.Resolver()  # untyped


def yaml11_tag(text: str) -> str:
    """The tag PyYAML's YAML 1.1 resolver gives a plain scalar."""
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    return tag


def is_read_otherwise(text: str) -> bool:
    """Whether a plain scalar this reader takes for a string is another type to PyYAML (YAML
    1.1) or to the YAML 1.2 core schema."""
    return yaml11_tag(text) != _STR or _CORE_NUMBER.fullmatch(text) is not None


def is_yaml11_float(text: str) -> bool:
    """Whether PyYAML takes a plain scalar for a float (``1.25e1`` and ``+.5`` it does not)."""
    return yaml11_tag(text) == _TAG + "float"


def string_read_otherwise(text: str) -> str:
    """The message (DD114) for a plain scalar that is a string here and another type to other
    readers (:func:`is_read_otherwise`)."""
    if text == "<<":  # written to merge, most likely: quoting it would not merge either
        return (
            "'<<' is a string here, but a merge key to YAML 1.1 readers (PyYAML); merge keys are "
            "not supported (YAML 1.2 has none): write the keys out, or quote it if it is text"
        )
    readings: list[tuple[str, str]] = []  # (what, to whom)
    tag = yaml11_tag(text)
    if tag != _STR:
        readings.append((_yaml11_reading(text, tag), "YAML 1.1 readers (PyYAML)"))
    if _CORE_NUMBER.fullmatch(text):
        readings.append((_core_reading(text), "YAML 1.2 readers"))
    if len(readings) == 2 and readings[0][0] == readings[1][0]:
        said = f"{readings[0][0]} to {readings[0][1]} and {readings[1][1]}"
    else:
        said = " and ".join(f"{what} to {whom}" for what, whom in readings)
    return f"{excerpt(text)!r} is a string here, but {said}; quote it"


def float_read_otherwise(text: str, number: float) -> str:
    """The message (DD114) for a plain scalar that is a float here and a string to PyYAML, whose
    floats need a '.' and a signed exponent; the number written so that both read it alike."""
    alike = repr(number)  # its exponent, if any, is signed
    if "e" in alike and "." not in alike:
        alike = alike.replace("e", ".0e")
    return (
        f"{excerpt(text)!r} is the number {number!r} here, but a string to YAML 1.1 readers (PyYAML);"
        f" write {alike}, or quote it if it is text"
    )


def _yaml11_reading(text: str, tag: str) -> str:
    """What PyYAML makes of a plain scalar it resolves to ``tag``, in words."""
    kind = tag[len(_TAG) :]
    if kind == "merge":
        return "a merge key"
    if kind == "value":
        return "a value key"
    try:
        value = yaml.safe_load(text) if len(text) <= 40 else None
    except (yaml.YAMLError, ValueError):  # an integer PyYAML cannot make ('0x_')
        value = None
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, datetime.datetime):
        return "a date and time"
    if kind == "timestamp":
        return "a date"
    return {"int": "an integer", "float": "a number"}.get(kind, f"a value of type {kind}")


def _core_reading(text: str) -> str:
    """What a YAML 1.2 core-schema reader makes of a plain scalar :data:`_CORE_NUMBER` matches."""
    if len(text) > 40:
        return "a number"
    if text.startswith(("0o", "0x")):
        return f"the integer {int(text[2:], 8 if text[1] == 'o' else 16)}"
    if re.fullmatch(r"[-+]?[0-9]+", text):
        return f"the integer {int(text)}"
    return f"the number {float(text)!r}"


_DIRECTIVE = re.compile(r"%YAML[ \t]+([^\s#]{1,20})")


def refused_version(text: str, index: int, reason: str) -> str | None:
    """The version of the ``%YAML`` directive at ``index`` of ``text`` that the parser refused
    for ``reason`` (libyaml refuses 1.0 and 1.3 itself, PyYAML 2.0), if that is what it did."""
    if not reason.startswith("found incompatible YAML document") or index < 0:
        return None
    match = _DIRECTIVE.match(text, index)
    return match.group(1) if match else "?"


def version_refused(version: str) -> str:
    """The message (DD115) for a ``%YAML`` directive of another version than 1.2."""
    return (
        f"%YAML {version} refused: files are read as YAML 1.2 only (where no, on, 0750 and 1:20"
        " are strings); remove the directive"
    )


#: Characters refused before reading: those YAML 1.1 readers (PyYAML) take for line breaks and
#: YAML 1.2 for text (NEL, LS, PS), and the byte-order mark, which YAML 1.2 allows only before a
#: document and PyYAML's two parsers read differently (libyaml drops one at a line's start).
_REFUSED = "\x85\u2028\u2029\ufeff"


def first_refused(text: str) -> int:
    """Where the text's first NEL, LS, PS or byte-order mark is (-1: none): four substring
    searches (a character class searched by an expression took ten times as long over the
    corpus's files)."""
    return min((at for c in _REFUSED if (at := text.find(c)) >= 0), default=-1)


def refused_message(text: str, at: int) -> str:
    """Why the NEL, LS, PS or byte-order mark at ``at`` is refused, and how to write it."""
    character = text[at]
    if character == "\ufeff":  # YAML 1.2 allows it only before a document; PyYAML's readers differ
        if at == 0:
            return "the text starts with a byte-order mark (U+FEFF): save it as UTF-8 without BOM"
        return (
            "character U+FEFF (a byte-order mark) is not allowed inside a YAML document, and YAML 1.1"
            " readers (PyYAML) read it in different ways: remove it, or write it as \\uFEFF in a"
            " double-quoted string"
        )
    escape = {"\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}[character]
    return (
        f"character U+{ord(character):04X} is a line break to YAML 1.1 readers (PyYAML) and text to "
        f"YAML 1.2: write it as {escape} in a double-quoted string"
    )
