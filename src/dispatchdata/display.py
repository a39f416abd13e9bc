"""How a value from the data is shown to a person: excerpted, and with control characters escaped.

Messages quote ids, names, anchors and file names taken from files anyone can write (a pull
request). Two things must not follow from that: a megabyte of output for a megabyte value, and a
file name or value that acts on the reader — a line break that starts a GitHub Actions workflow
command, an ANSI escape that redraws the terminal, a bidi override that reorders what is shown.
Rules and parsers call :func:`excerpt` where they quote a value; the renderers (validation
reports, diffs, citations, the CLI's own messages) call :func:`printable` on every name and message
they write, so that no output format can forget it.
"""

from __future__ import annotations

import re

#: What an excerpt shows where it cuts.
ELLIPSIS = "…"

#: Characters that act on a terminal or a log reader instead of being shown, or are not seen at
#: all: C0 controls, DEL, C1 controls, the line and paragraph separators, the bidi embeddings,
#: overrides, isolates and marks (the "Trojan Source" set), the zero-width characters and the
#: byte-order mark, and lone surrogates (a file name's bytes that are not UTF-8, as Python reads
#: them: written raw they would be those bytes again, 0x9b being an 8-bit terminal escape).
CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff\ud800-\udfff]"
)

#: The :data:`CONTROL` characters beyond C0: what JSON and YAML encoders leave raw in a string (they
#: escape the C0 controls themselves, and their own line breaks between items must stay).
BEYOND_C0 = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff\ud800-\udfff]")

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def excerpt(text: str, at: int = 0, width: int = 80) -> str:
    """``text`` itself when it has at most ``width`` characters; otherwise ``width`` characters
    of it around index ``at`` (a quarter before it, the rest after), with ``…`` where cut."""
    if len(text) <= width:
        return text
    start = max(0, min(at - width // 4, len(text) - width))
    end = start + width
    return (ELLIPSIS if start else "") + text[start:end] + (ELLIPSIS if end < len(text) else "")


def first_difference(a: str, b: str) -> int:
    """The index of the first character where ``a`` and ``b`` differ (the shorter's length when
    one starts the other)."""
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return index
    return min(len(a), len(b))


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every :data:`CONTROL` character written as a Python-style escape (``\\n``,
    ``\\x1b``, ``\\u202e``), so that it stays on its line and shows as what it is."""
    return CONTROL.sub(_escape, text) if CONTROL.search(text) else text


def printable_line(line: str) -> str:
    """:func:`printable` for a whole line of output, which moreover never starts with ``::``: a
    line that does is a command to GitHub Actions (``::stop-commands::``, ``::error …``), so its
    first colon is written ``\\x3a`` when data (a file name, a title) would begin it so."""
    shown = printable(line)
    return "\\x3a" + shown[1:] if shown.startswith("::") else shown


def json_printable(encoded: str) -> str:
    """JSON text (as ``json.dumps(..., ensure_ascii=False)`` writes it) with the :data:`CONTROL`
    characters it leaves raw (DEL, C1, separators, bidi) written as ``\\uXXXX`` escapes: the
    decoded values are unchanged. Outside strings JSON text is ASCII, so every such character is
    inside a string, where the escape is valid."""
    if not BEYOND_C0.search(encoded):
        return encoded
    return BEYOND_C0.sub(lambda match: f"\\u{ord(match.group()):04x}", encoded)
