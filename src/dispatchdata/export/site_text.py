"""The annotated text of a document for ``export site``: the text cut at every mark's edges
into pieces the page template writes (it escapes each piece; nothing here makes HTML).

The marks are each statement's passages (its anchors) and quotes, the places where the text puts a
proposal forward (its anchors), the footnotes' own text and the footnote markers (``[n]`` for a
footnote the document has, outside the footnotes). Offsets are
code points, as the anchors count them: the text is sliced as a ``str``, never as bytes. Marks
that overlap without one holding the other are closed and reopened around each other, so the
markup nests; a passage's pieces together are its anchor's text (the first piece of each anchor
carries its id).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..display import excerpt
from ..model import Anchor, Document, Proposal, Statement
from .site_paths import SiteError

#: How marks nest when they start at one place and end at one place: passages outside quotes,
#: quotes outside footnote markers.
_RANK = {"passage": 0, "place": 1, "quote": 2, "footnote": 3, "marker": 4}
_MARKER = re.compile(r"\[([0-9]+)\]")


@dataclass(frozen=True, slots=True, kw_only=True)
class Mark:
    """A marked span: what it is (``kind``: passage, place, quote, footnote, marker), whose it
    is (``key``: the statement's or proposal's id, or the footnote's number as text), which
    anchor of the statement or proposal (``index``, from 0), and the speaker's colour
    (``colour``, passages only)."""

    kind: str
    key: str
    start: int
    end: int
    index: int = 0
    colour: int = 0


@dataclass(frozen=True, slots=True)
class Piece:
    """One step of the annotated text: ``open`` a mark (``first``: its first piece, which
    carries its id), ``text``, or ``close`` the mark opened last."""

    kind: str
    text: str = ""
    mark: Mark | None = None
    first: bool = False


def checked(text: str, anchor: Anchor, what: str) -> Anchor:
    """``anchor`` when the text at its offsets (code points) is its ``exact``; else SiteError:
    a page never marks words the data does not quote."""
    if not (0 <= anchor.start < anchor.end <= len(text)) or text[anchor.start : anchor.end] != anchor.exact:
        raise SiteError(
            f"the anchor of {what} at {anchor.start}:{anchor.end} does not match the text of "
            f"{excerpt(anchor.document)!r}; run dispatchdata validate on the data and its --sources"
        )
    return anchor


def iter_marks(
    text: str,
    document: Document,
    statements: Iterable[Statement],
    colours: dict[str, int],
    proposals: Iterable[Proposal] = (),
) -> Iterator[Mark]:
    """Every mark in ``document``'s ``text``: its statements' passages and quotes, the places
    of ``proposals``' anchors in it, its footnotes, and the markers of its footnotes outside them."""
    for p in proposals:
        for i, a in enumerate(p.anchors):
            if a.document == document.id:
                checked(text, a, f"proposal {p.id!r}")
                yield Mark(kind="place", key=p.id, start=a.start, end=a.end, index=i)
    for s in statements:
        for i, a in enumerate(s.anchors):
            checked(text, a, f"statement {s.id!r}")
            yield Mark(kind="passage", key=s.id, start=a.start, end=a.end, index=i, colour=colours[s.speaker])
        for i, a in enumerate(s.quotes):
            checked(text, a, f"a quote of statement {s.id!r}")
            yield Mark(kind="quote", key=s.id, start=a.start, end=a.end, index=i)
    numbers = set()
    notes = []
    for f in document.footnotes:
        a = checked(text, f.anchor, f"footnote {f.number}")
        numbers.add(f.number)
        notes.append((a.start, a.end))
        yield Mark(kind="footnote", key=str(f.number), start=a.start, end=a.end)
    seen: dict[str, int] = {}
    for found in _MARKER.finditer(text):
        inside = any(start <= found.start() < end for start, end in notes)
        if int(found[1]) in numbers and not inside:
            index = seen[found[1]] = seen.get(found[1], -1) + 1  # only the first carries an id
            yield Mark(kind="marker", key=found[1], start=found.start(), end=found.end(), index=index)


def pieces(text: str, marks: Iterable[Mark]) -> list[Piece]:
    """``text`` cut into pieces at the marks' edges, the marks opened and closed so that they
    nest (a mark still open when one inside it must close is closed first and reopened after)."""
    ordered = sorted(marks, key=lambda m: (m.start, -m.end, _RANK[m.kind], m.key, m.index))
    edges = sorted({0, len(text), *(m.start for m in ordered), *(m.end for m in ordered)})
    starting: dict[int, list[Mark]] = {}
    for m in ordered:
        starting.setdefault(m.start, []).append(m)
    out: list[Piece] = []
    stack: list[Mark] = []
    for here, there in zip(edges, [*edges[1:], len(text)], strict=True):
        if any(m.end == here for m in stack):
            reopen = []
            while any(m.end == here for m in stack):
                top = stack.pop()
                out.append(Piece("close", mark=top))
                if top.end != here:
                    reopen.append(top)
            for m in reversed(reopen):
                stack.append(m)
                out.append(Piece("open", mark=m))
        for m in starting.get(here, ()):
            stack.append(m)
            out.append(Piece("open", mark=m, first=True))
        if there > here:
            out.append(Piece("text", text[here:there]))
    out.extend(Piece("close", mark=m) for m in reversed(stack))
    return out
