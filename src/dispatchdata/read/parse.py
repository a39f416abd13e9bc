"""Bytes → plain data, safely, with the line and column of every value.

One entry point for every data file: UTF-8 only (a BOM, UTF-16 or Latin-1 file gets a clear
message), then YAML or JSON by the file's suffix, under the same rules:

* YAML has YAML 1.2 core-schema meaning: dates, ``no``/``on``, ``1:20`` and ``0750`` stay strings,
  with a warning to quote them (YAML 1.1 readers such as PyYAML read them otherwise), and a
  ``%YAML`` directive other than 1.2 is an error;
* an integer written as a float (``177.0``, ``1.77e2``) is an error, read as the integer;
* duplicate keys are an error (PyYAML and ``json`` would silently keep the last value: data loss);
  the first value is kept;
* aliases are bounded (a "billion laughs" file is refused at once), only the standard tags are
  allowed, one document per file, no NaN or infinities.

Nothing here raises on bad input: problems are returned with the data.
"""

from __future__ import annotations

from typing import Any

from .common import LineColumn, Parsed, decode, escape, pointer_of
from .json import parse_json, parse_json_fast, positions_in

# Also here, imported on first use: HAVE_LIBYAML (from yaml_parse).
__all__ = [
    "LineColumn",
    "Parsed",
    "escape",
    "parse_bytes",
    "parse_json",
    "parse_text",
    "pointer_of",
    "positions_of",
]


def __getattr__(name: str) -> Any:
    # deferred: PyYAML, imported only when YAML is read (or these are asked for): a run that
    # reads only JSON starts faster without it.
    if name == "HAVE_LIBYAML":
        from . import yaml as yaml_parse

        return getattr(yaml_parse, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def parse_text(text: str, file: str, *, pure: bool = False) -> Parsed:
    """Parse text by the file's suffix: ``.json`` as JSON, anything else as YAML.

    ``pure=True`` uses PyYAML's pure-Python parser instead of libyaml (same results).
    """
    if file.endswith(".json"):
        return parse_json(text, file)
    from .yaml import parse_yaml  # deferred: PyYAML, see __getattr__

    return parse_yaml(text, file, pure=pure)


def parse_bytes(raw: bytes, file: str, *, pure: bool = False) -> Parsed:
    """Decode a file's bytes as UTF-8 and parse them (see :func:`parse_text`)."""
    if file.endswith(".json"):
        parsed = parse_json_fast(raw, file)
        if parsed is not None:
            return parsed
    text, problem = decode(raw, file)
    if text is None:
        assert problem is not None
        return Parsed(None, problems=[problem])
    return parse_text(text, file, pure=pure)


def positions_of(raw: bytes, file: str) -> Parsed:
    """Only the positions in a file (its data is ``None``), read as far as each is asked for: what
    placing a message needs once a file's data has been dropped. The positions are those
    :func:`parse_bytes` gives (the same readers make them); a file that no longer decodes has none."""
    text, _ = decode(raw, file)
    if text is None:
        return Parsed(None)
    if file.endswith(".json"):
        return positions_in(raw, text, file)
    from .yaml import positions_in as yaml_positions_in  # deferred: PyYAML, see __getattr__

    return yaml_positions_in(text, file)
