"""Typography-insensitive matching: a text folded so that a quote typed on a keyboard finds the
passage a source prints with other typography, and what differed, said per difference.

Folded alike: straight and curly quotation marks (U+0022, U+201C-U+201F, U+2033), straight and
curly apostrophes and single quotation marks (U+0027, U+2018-U+201B, U+2032, U+02BC), hyphen and
dashes (U+002D, U+2010-U+2015, U+2212), the ellipsis character and three full stops,
a run of white space of any kind (plain and no-break spaces, tabs, line breaks) and one space, and
composed and decomposed characters (NFC and NFD). Nothing else: letters, case, accents and
punctuation otherwise must be what the source prints.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .check.rules.characters import describe_character

#: What each typographic character is folded to (white space and Unicode normalisation apart).
_FOLDED = {
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc", "'"),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    "\u2026": "...",
}

#: What a difference between the source and the quote is called, by the folded character.
_KIND = {'"': "quotation marks", "'": "apostrophes or single quotation marks", "-": "dashes", ".": "ellipsis"}


@dataclass(frozen=True, slots=True)
class Folded:
    """A text folded (see the module): ``text`` is the folded text, and its character ``i``
    comes from the characters ``[starts[i]:ends[i]]`` of the original (a whole run of white space
    for its one space, one character for each character its decomposition gives)."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def fold(text: str) -> Folded:
    """``text`` folded, with where each folded character comes from."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    index, size = 0, len(text)
    while index < size:
        char = text[index]
        if char.isspace():
            end = index + 1
            while end < size and text[end].isspace():
                end += 1
            out.append(" ")
            starts.append(index)
            ends.append(end)
            index = end
            continue
        folded = _FOLDED.get(char) or unicodedata.normalize("NFD", char)
        out.append(folded)
        starts.extend([index] * len(folded))
        ends.extend([index + 1] * len(folded))
        index += 1
    return Folded("".join(out), tuple(starts), tuple(ends))


def fold_quote(quote: str) -> str:
    """A typed quote folded as :func:`fold` folds a text, canonical order of accents included."""
    return unicodedata.normalize("NFD", fold(quote).text)


def span_of(folded: Folded, start: int, end: int) -> tuple[int, int] | None:
    """The original span of the folded span ``[start:end]``, or None when the folded span cuts a
    character of the original (a quote ``e`` against a source's ``é``) or cuts into a combining
    mark that follows it."""
    if start >= end or end > len(folded.text):
        return None
    first, last = folded.starts[start], folded.ends[end - 1]
    if start and folded.starts[start - 1] == first:
        return None
    if end < len(folded.text) and folded.starts[end] == folded.starts[end - 1]:
        return None
    if end < len(folded.text) and unicodedata.combining(folded.text[end]):
        return None
    return first, last


def differences(source: str, quote: str) -> list[str]:
    """What differs between ``source`` (a span of the text) and ``quote`` (typed) where both
    fold alike: one line per kind of difference, naming the characters by code point, in the
    order they first occur. Empty when they are equal."""
    if source == quote:
        return []
    said: dict[str, None] = {}
    a, b = fold(source), fold(quote)
    for i, (x, y) in enumerate(zip(a.text, b.text, strict=False)):
        here, there = source[a.starts[i] : a.ends[i]], quote[b.starts[i] : b.ends[i]]
        if here == there or x != y:
            continue
        if x == " ":
            said[f"white space: {_names(here)} in the source, {_names(there)} in the quote"] = None
        elif x in _KIND and (here in _FOLDED or there in _FOLDED):
            said[f"{_KIND[x]}: {_names(here)} in the source, {_names(there)} in the quote"] = None
        else:
            form = "NFC" if unicodedata.is_normalized("NFC", source) else "NFD"
            other = "NFD" if form == "NFC" else "NFC"
            said[f"Unicode normalisation: the source is in {form}, the quote in {other}"] = None
    return list(said)


def _names(text: str) -> str:
    """Characters named by code point and name as ``validate`` names them (controls by their
    Unicode alias: ``U+000A LINE FEED``), a run of one character as ``N x``."""
    if len(set(text)) == 1 and len(text) > 1:
        return f"{len(text)} x {describe_character(text[0])}"
    return " ".join(describe_character(c) for c in text)
