"""Errata of a statement lie inside its quoted words (DD333).

A statement's ``errata`` correct evident errors in the words it quotes (a wrong word, a missing
or doubled quotation mark); a misspelt name in the attribution is an actor's alias instead. The
rule: some occurrence of the erratum's ``printed`` text in one of the statement's ``anchors``
passages, read with the context each anchor records (its ``prefix`` and ``suffix``), overlaps
one of its ``quotes`` — overlaps, not lies within, since an erratum for a quotation mark reaches
past the quoted words (``""And``, ``wages, explained Porochkin.``), and may reach past the
passage too (``touched?[13]``: a closing mark missing before a footnote marker the passage
leaves out). It reads the anchors' texts and offsets, not the source text.
"""

from __future__ import annotations

from typing import Any

from ...codes import Kind, error, rule
from ...display import excerpt
from .context import Anchors, Finding
from .kinds import CODEBOOK_1_1, Span, text_spans


def passages_in_context(anchors: Any) -> list[Span]:
    """A statement's passages, each with the context its anchor records: prefix, exact text and
    suffix, starting where the prefix starts (anchors not of the expected shape are skipped)."""
    if type(anchors) is not list:
        return []
    found = []
    for anchor in anchors:
        if type(anchor) is not dict:
            continue
        start, exact = anchor.get("start"), anchor.get("exact")
        if type(start) is not int or type(exact) is not str:
            continue
        prefix, suffix = anchor.get("prefix"), anchor.get("suffix")
        before = prefix if type(prefix) is str else ""
        after = suffix if type(suffix) is str else ""
        found.append(Span(start - len(before), before + exact + after))
    return found


def occurrences(passages: list[Span], printed: str) -> list[int]:
    """Where ``printed`` occurs in the passages (offsets in their document), in passage order."""
    found = []
    for passage in passages:
        at = passage.text.find(printed)
        while at != -1:
            found.append(passage.start + at)
            at = passage.text.find(printed, at + 1)
    return found


@rule(
    Kind.RECORD,
    ("statements",),
    error("DD333", "a statement's erratum that lies outside its quoted words"),
    when="errata",
    since=CODEBOOK_1_1,
)
def errata_in_quotes(out: list[Finding], index: int, data: dict[str, Any], _anchors: Anchors) -> None:
    """DD333: each erratum's printed text, where the passage (or its context) prints it, overlaps a
    quote."""
    errata = data.get("errata")
    passages = passages_in_context(data.get("anchors"))
    if type(errata) is not list or not passages:
        return
    quotes = [(q.start, q.start + len(q.text)) for q in text_spans(data.get("quotes"))]
    for i, erratum in enumerate(errata):
        printed = erratum.get("printed") if type(erratum) is dict else None
        if type(printed) is not str or not printed:
            continue
        found = occurrences(passages, printed)
        size = len(printed)
        if any(at < end and start < at + size for at in found for start, end in quotes):
            continue
        shown = excerpt(printed)
        if not found:
            message = f"erratum {shown!r} is not printed in the statement's anchored passage (nor around it)"
        else:
            where = ", ".join(f"{at}-{at + size}" for at in found[:3]) + (", …" if len(found) > 3 else "")
            spans = ", ".join(f"{start}-{end}" for start, end in quotes) or "none"
            message = (
                f"erratum {shown!r} lies outside the quoted words: printed at {where}, quotes at "
                f"{spans} (errata are for quoted words; a misspelt name is an actor's alias)"
            )
        out.append(Finding(index, "DD333", message, f"/errata/{i}/printed", False))
