"""First mention: an actor's first anchor is where its document first names it (DD412).

The rule, as the codebook states it: in the document of the actor's first anchor
(``anchors[0]``), no whole-word, case-sensitive occurrence of the actor's ``name`` or of any of
its aliases (as printed) starts before that anchor's ``start``. A whole word: the characters on
either side of the occurrence are not letters, digits or combining marks (``Russia`` in
``Russia's``, not in ``Russian`` nor in ``Russia`` followed by U+0301, which makes its ``a`` an
``á``). A name in square brackets (``[unnamed tax expert]``: an actor the text does not
name) is not searched. Titles and headings count: they are part of the text.

A first anchor that is not where its exact text is (DD401, DD404) is not judged. The rule needs
the document's source text; where it was not found, the first anchor is one of the anchors the
anchor rules count as skipped for want of it, and DD405 or DD411 names the document and that
count: never a silent pass (the count is of anchors, so this check does not add to it).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ...codes import Kind, error, rule
from ...display import excerpt
from .anchors import Texts
from .context import Anchors, Finding
from .kinds import CODEBOOK_1_1

#: Characters of text shown after the start of an earlier mention, for context.
CONTEXT = 24


#: A character of a word: a letter or digit (``\w`` but the underscore: ``str.isalnum``).
_ALNUM = r"[^\W_]"


def marks_in(text: str, end: int) -> str:
    """The combining marks (Unicode category M) among the first ``end`` characters of ``text``:
    none when the text is ASCII (known without reading it)."""
    if text.isascii():
        return ""
    return "".join(sorted(c for c in set(text[:end]) if unicodedata.category(c).startswith("M")))


def whole_word(name: str, marks: str = "") -> re.Pattern[str]:
    """A pattern for ``name`` as a whole word: no letter, digit or one of the combining ``marks``
    on either side. The name comes first, so the search runs at C speed from one occurrence of
    it to the next; the character before it is tested looking back from its end over any
    ``len(name)`` characters (not the name again: a text of many occurrences would cost their
    total length)."""
    word = _ALNUM if not marks else f"(?:{_ALNUM}|[{re.escape(marks)}])"
    return re.compile(f"{re.escape(name)}(?<!{word}(?s:.){{{len(name)}}})(?!{word})")


def first_whole_word(text: str, name: str, before: int, marks: str | None = None) -> int:
    """Where the first whole-word, case-sensitive occurrence of ``name`` in ``text`` starts, if
    one starts before index ``before``; -1 otherwise. ``marks`` are the combining marks of the
    text up to there (:func:`marks_in`, which gives them when None).

    The search never looks past ``before`` (plus the name's length): a rule that runs on every
    actor of a corpus scans at most the text up to each actor's first anchor, once per name.
    Where the name does not occur there (an actor's usual name: first printed at its anchor),
    one ``str.find`` says so; otherwise one regular expression finds the first whole word (a
    text that holds a name inside many words costs no Python loop)."""
    size = len(name)
    if not size or before <= 0:
        return -1
    found = text.find(name, 0, before + size - 1)  # ends where one that starts at before - 1 ends
    if found == -1:
        return -1
    # Cut at the first character after an occurrence that starts at before - 1: a cut end reads
    # as a boundary, so an occurrence at ``before`` may match, and is not taken.
    end = min(len(text), before + size)
    pattern = whole_word(name, marks_in(text, end) if marks is None else marks)
    match = pattern.search(text, found, end)
    return match.start() if match is not None and match.start() < before else -1


def _names(data: dict[str, Any]) -> list[str]:
    """The actor's name and aliases as printed, in order, without repeats and without the names
    in square brackets."""
    names = [data.get("name")]
    aliases = data.get("aliases")
    if type(aliases) is list:
        names += [a.get("name") for a in aliases if type(a) is dict]
    found = [n for n in names if type(n) is str and n and not (n.startswith("[") and n.endswith("]"))]
    return list(dict.fromkeys(found))


@rule(
    Kind.TEXT,
    ("actors",),
    error("DD412", "an actor's first anchor is not its first mention in that document"),
    when="anchors",
    since=CODEBOOK_1_1,
)
def first_anchor_is_first_mention(
    out: list[Finding],
    index: int,
    data: dict[str, Any],
    _anchors: Anchors,
    texts: Texts,
    _skipped: dict[str, int],
) -> None:
    """DD412: no name or alias of the actor occurs, as a whole word, before its first anchor."""
    anchors = data.get("anchors")
    first = anchors[0] if type(anchors) is list and anchors else None
    if type(first) is not dict:
        return
    document, start = first.get("document"), first.get("start")
    if type(document) is not str or type(start) is not int or document not in texts.by_document:
        return  # the schema, or the anchor rules (an unknown document), report it
    text = texts.by_document[document]
    if text is None:
        return  # the anchor rules count this anchor among those skipped: DD405 or DD411 says so
    exact = first.get("exact")
    if type(exact) is not str or not exact or not text.startswith(exact, start) or start < 0:
        return  # not where its text is: the anchor rules report it (DD401, DD404)
    earliest, which = -1, ""
    names = _names(data)
    marks = None  # read from the text once, and only where a name occurs before the anchor
    for name in names:
        bound = min(start, earliest) if earliest != -1 else start
        if marks is None and text.find(name, 0, bound + len(name) - 1) != -1:
            marks = marks_in(text, start + max(map(len, names)))
        found = first_whole_word(text, name, bound, marks)
        if found != -1:
            earliest, which = found, name
    if earliest == -1:
        return
    end = earliest + len(which)
    context = text[earliest : earliest + CONTEXT] + ("…" if earliest + CONTEXT < len(text) else "")
    identifier = data.get("id")
    shown = f"{excerpt(identifier)!r}" if type(identifier) is str else "this actor"
    message = (
        f"the first anchor of {shown} is not its first mention: {excerpt(which)!r} at "
        f'{earliest}-{end} ("{context}") comes first'
    )
    out.append(Finding(index, "DD412", message, "/anchors/0/start", False))
