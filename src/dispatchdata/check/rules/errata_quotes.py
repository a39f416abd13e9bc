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

from bisect import bisect_right
from typing import Any

from ...codes import Kind, error, rule
from ...display import excerpt
from .context import Anchors, Finding
from .kinds import CODEBOOK_1_1, Passages, Span, text_spans

#: How many places (of the printed text, of the quotes) a message shows before it cuts.
_SHOWN = 3


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


def occurrences(passages: list[Span], printed: str, limit: int | None = None) -> list[int]:
    """Where ``printed`` occurs in the passages (offsets in their document), in passage order; the
    first ``limit`` only, when given."""
    found: list[int] = []
    for passage in passages:
        at = passage.text.find(printed)
        while at != -1:
            if len(found) == limit:
                return found
            found.append(passage.start + at)
            at = passage.text.find(printed, at + 1)
    return found


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans (start, end exclusive) sorted and merged where they overlap or touch: a text
    overlaps the merged spans exactly where it overlaps one of the spans."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


class Searched:
    """A statement's passages as texts to search for its errata: sorted, and joined where one
    overlaps the text so far and prints the same there (one document's text, as valid anchors
    give), so that each stretch is searched once however many anchors repeat or overlap it (a
    statement may hold thousands). Passages that disagree stay apart. An occurrence counts only
    inside one passage, as it did before they were joined: the passages a text joins say which
    hold it, by bisection."""

    def __init__(self, passages: list[Span]) -> None:
        self.texts: list[tuple[Span, Passages]] = []
        group: list[Span] = []
        pieces: list[str] = []
        holder: Span | None = None  # the passage of the group that reaches furthest
        for passage in sorted(passages, key=lambda p: (p.start, -len(p.text))):
            end = passage.start + len(passage.text)
            if holder is not None:
                reach, at = holder.start + len(holder.text), passage.start - holder.start
                common = min(reach, end) - passage.start
                if common > 0 and holder.text[at : at + common] == passage.text[:common]:
                    group.append(passage)
                    if end > reach:
                        pieces.append(passage.text[common:])
                        holder = passage
                    continue
                self.texts.append((Span(group[0].start, "".join(pieces)), Passages(group)))
            group, pieces, holder = [passage], [passage.text], passage
        if group:
            self.texts.append((Span(group[0].start, "".join(pieces)), Passages(group)))

    def overlaps(self, printed: str, quotes: list[tuple[int, int]]) -> bool:
        """Whether some occurrence of ``printed`` (not empty) in a passage overlaps one of the
        ``quotes`` (spans merged by :func:`merged`).

        Searched only where such an occurrence can start (from ``len(printed) - 1`` before a
        quote to its last character; these starts merged too), each text only in the stretches
        that reach into it, found by bisection: a passage may hold thousands of occurrences
        outside every quote, and none of them is visited one by one."""
        size = len(printed)
        starts = merged([(start - size + 1, end) for start, end in quotes])
        highs = [high for _, high in starts]
        for (first, text), members in self.texts:
            last = first + len(text)
            for low, high in starts[bisect_right(highs, first) :]:
                if low >= last:
                    break
                # An occurrence starting before ``high`` ends before ``high - 1 + size``.
                stop = min(high - 1 + size, last) - first
                at = text.find(printed, max(low - first, 0), stop)
                while at != -1:  # past the first only for one across two joined passages
                    if members.holding(first + at, first + at + size) is not None:
                        return True
                    at = text.find(printed, at + 1, stop)
        return False


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
    spans, searched = merged(quotes), Searched(passages)
    inside: dict[str, bool] = {}  # errata that repeat a printed text are searched once
    for i, erratum in enumerate(errata):
        printed = erratum.get("printed") if type(erratum) is dict else None
        if type(printed) is not str or not printed:
            continue
        if printed not in inside:
            inside[printed] = searched.overlaps(printed, spans)
        if inside[printed]:
            continue
        shown, found = excerpt(printed), occurrences(passages, printed, _SHOWN + 1)
        if not found:
            message = f"erratum {shown!r} is not printed in the statement's anchored passage (nor around it)"
        else:
            size = len(printed)
            where = ", ".join(f"{at}-{at + size}" for at in found[:_SHOWN]) + (
                ", …" if len(found) > _SHOWN else ""
            )
            message = (
                f"erratum {shown!r} lies outside the quoted words: printed at {where}, quotes at "
                f"{_listed(quotes)} (errata are for quoted words; a misspelt name is an actor's alias)"
            )
        out.append(Finding(index, "DD333", message, f"/errata/{i}/printed", False))


def _listed(quotes: list[tuple[int, int]]) -> str:
    """The first quotes' spans, in the statement's order, and how many more there are."""
    shown = ", ".join(f"{start}-{end}" for start, end in quotes[:_SHOWN]) or "none"
    return shown + (f" and {len(quotes) - _SHOWN} more" if len(quotes) > _SHOWN else "")
