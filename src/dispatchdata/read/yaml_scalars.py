"""What a plain YAML scalar means: YAML 1.2 core, tightened to what JSON can hold, and why one
is left to the builder (:mod:`dispatchdata.read.yaml_build`) to explain.

Only ``null``/``true``/``false`` in their core spellings, decimal integers without leading zeros
and decimal floats are resolved; everything else is a string (``2023-01-13``, ``no``, ``on``,
``1:20``, ``0750``). A plain scalar that other readers take for another type is a warning to quote
it (DD114; :mod:`dispatchdata.read.yaml_readers`); a number that reads as a whole one but is written as
a float (``177.0``) is an error, read as the integer it is (DD113; see
:func:`~dispatchdata.read.common.float_problem`).
"""

from __future__ import annotations

import math
import re
from typing import Any

from .common import (
    INTEGER_MAX,
    INTEGER_MIN,
    float_problem,
    integer_range_problem,
    long_integer_problem,
)
from .yaml_readers import float_read_otherwise, is_read_otherwise, is_yaml11_float, string_read_otherwise

INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
FLOAT = re.compile(
    r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?"
)
#: An escaped lone surrogate (in a double-quoted scalar): libyaml refuses it, the pure parser
#: lets it through.
SURROGATE = re.compile("[\ud800-\udfff]")
_NONFINITE = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")

#: What :func:`plain` gives for a scalar it leaves to the builder (and the quick reader,
#: :func:`dispatchdata.read.yaml._quick`, for a file).
UNUSUAL = object()
#: A value that is dropped (after its problem has been reported).
SKIP = object()
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
        ["yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"], UNUSUAL
    ),
    **dict.fromkeys(["<<", "="], UNUSUAL),
}  # fmt: skip
#: The words :func:`plain` gives another value than themselves, or leaves to the builder.
WORDS = frozenset(_WORDS) - {""}
_NUMERIC_START = frozenset("+-.0123456789")

#: How a plain null, boolean, number or YAML 1.1 word can start (a plain scalar starting
#: otherwise is a string for every reader).
MAY_RESOLVE = frozenset("~nNtTfFyYoO<=+-.0123456789")


def plain(text: str) -> Any:
    """What a plain scalar means (YAML 1.2 core, tightened to JSON); ``UNUSUAL`` for one the
    builder explains (:func:`explained`): a non-finite number, an integer written as a float, or
    a scalar other YAML readers read as another type."""
    word = _WORDS.get(text, _NOT_A_WORD)
    if word is not _NOT_A_WORD:
        return word
    if text[0] not in _NUMERIC_START:
        return text
    if INT.fullmatch(text):
        try:
            value = int(text)
        except ValueError:  # more digits than Python reads: DD107
            return UNUSUAL
        # Beyond what every export stores (DD117): one comparison, most integers being small.
        return value if INTEGER_MIN <= value <= INTEGER_MAX else UNUSUAL
    if FLOAT.fullmatch(text):
        number = float(text)
        if number.is_integer() or not math.isfinite(number) or not is_yaml11_float(text):
            return UNUSUAL
        return number
    if _NONFINITE.fullmatch(text) or is_read_otherwise(text):
        return UNUSUAL
    return text


def explained(text: str) -> tuple[str, str, Any]:
    """Why :func:`plain` left a plain scalar to the builder: its code, message, and the value
    read (``SKIP``: none)."""
    if _NONFINITE.fullmatch(text):
        return "DD107", f"{text!r} is not a finite number; JSON cannot hold it", SKIP
    if INT.fullmatch(text):
        too_long = long_integer_problem(text)
        if too_long is not None:
            return too_long.code, too_long.message, SKIP
        outside = integer_range_problem(text, int(text))
        assert outside is not None  # the only other integer plain() leaves to the builder
        return outside.code, outside.message, outside.value
    if FLOAT.fullmatch(text):
        number = float(text)
        found = float_problem(text, number)
        if found is not None:
            return found.code, found.message, SKIP if found.value is None else found.value
        return "DD114", float_read_otherwise(text, number), number
    return "DD114", string_read_otherwise(text), text
