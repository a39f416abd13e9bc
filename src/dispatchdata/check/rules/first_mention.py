"""First mention: an actor's first anchor is where its document first names it (DD412).

The rule, as the codebook states it: in the document of the actor's first anchor
(``anchors[0]``), no whole-word, case-sensitive occurrence of the actor's ``name`` or of any of
its aliases (as printed) starts before that anchor's ``start``. A whole word: the characters on
either side of the occurrence are not letters or digits (``Russia`` in ``Russia's``, not in
``Russian``). A name in square brackets (``[unnamed tax expert]``: an actor the text does not
name) is not searched. Titles and headings count: they are part of the text.

A first anchor that is not where its exact text is (DD401, DD404) is not judged. The rule needs
the document's source text; where it was not found, the first anchor is one of the anchors the
anchor rules count as skipped for want of it, and DD405 or DD411 names the document and that
count: never a silent pass (the count is of anchors, so this check does not add to it).
"""

from __future__ import annotations

from typing import Any

from ...codes import Kind, error, rule
from ...display import excerpt
from .anchors import Texts
from .context import Anchors, Finding
from .kinds import CODEBOOK_1_1

#: Characters of text shown after the start of an earlier mention, for context.
CONTEXT = 24


def first_whole_word(text: str, name: str, before: int) -> int:
    """Where the first whole-word, case-sensitive occurrence of ``name`` in ``text`` starts, if
    one starts before index ``before``; -1 otherwise.

    The search never looks past ``before`` (plus the name's length): a rule that runs on every
    actor of a corpus scans at most the text up to each actor's first anchor, once per name, in
    ``str.find`` (no regular expression, no pass over the rest of the text)."""
    size = len(name)
    if not size:
        return -1
    limit = before + size - 1  # an occurrence starting at before - 1 ends here
    found = text.find(name, 0, limit)
    while found != -1:
        end = found + size
        if (found == 0 or not text[found - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            return found
        found = text.find(name, found + 1, limit)
    return -1


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
    for name in _names(data):
        found = first_whole_word(text, name, min(start, earliest) if earliest != -1 else start)
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
