"""Finding a quote in a document's source text and making the anchor that points at it
(:func:`anchor`, and ``dispatchdata anchor``).

The quote is looked for exactly first; only when it is not in the text is it looked for with
typography folded (:mod:`dispatchdata.typography`), and the anchor then holds the text as the
source prints it, with what differed said beside it. A quote found more than once, without
``after`` or ``occurrence`` to choose, is :class:`AmbiguousQuoteError` (each occurrence with its
line); a quote not found is :class:`QuoteNotFoundError`, with the closest passages. Offsets are
code points, as the dataset counts them; prefix and suffix are :data:`CONTEXT` code points.
A quote is matched without a byte-order mark at its start or white space at either end
(:func:`trim_quote`): a quote covers exactly the quoted words, as ``validate`` requires (DD410).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path

from .display import excerpt
from .errors import DataNotFoundError, DispatchDataError
from .model import Anchor
from .typography import Folded, differences, fold, fold_quote, span_of

#: How many code points of the text an anchor's ``prefix`` and ``suffix`` hold (fewer at the
#: text's start and end): what every anchor of the dataset holds, as the schema describes.
CONTEXT = 32
#: How many characters of the text around an occurrence or a close passage are shown.
SHOWN = 30
#: The closest passages offered for a quote not found; the places compared at most to find them
#: and the characters compared at each (so that a long quote into a long text is bounded work);
#: the quote's words looked for at most, longest first, and how many of them found are used.
CLOSEST, _CANDIDATES, _COMPARED = 3, 400, 300
_WORDS, _USED = 20, 5
#: How many characters of a quote (or of ``after``) a message shows at most, the rest as "…".
SAID = 40


class QuoteError(DispatchDataError):
    """A quote that does not give one anchor (not in the text, or in it more than once)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Place:
    """A span of a text, with its 1-based line and column (in code points) and a short view of
    it with its surroundings; ``similarity`` (0 to 1) for a passage offered as close."""

    start: int
    end: int
    line: int
    column: int
    context: str
    similarity: float = 1.0


class AmbiguousQuoteError(QuoteError):
    """The quote occurs more than once (``occurrences``) and nothing chose one, or the
    occurrence asked for is not there."""

    def __init__(self, message: str, occurrences: list[Place]) -> None:
        super().__init__(message)
        self.occurrences = occurrences


class QuoteNotFoundError(QuoteError):
    """The quote is not in the text, not even with typography folded; ``closest`` are the
    passages that come closest (possibly none)."""

    def __init__(self, message: str, closest: list[Place], *, looked: bool = True) -> None:
        super().__init__(message)
        self.closest = closest
        self.looked = looked  # whether closest passages were looked for (not for a quote too long)


@dataclass(frozen=True, slots=True, kw_only=True)
class Located:
    """A quote found: its ``anchor``, the line and column where it starts, and what differed
    between the quote as typed and the text (empty when it was found exactly)."""

    anchor: Anchor
    line: int
    column: int
    differences: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """The anchor and what was found, as JSON-ready values (``--json``)."""
        return {
            "anchor": asdict(self.anchor),
            "line": self.line,
            "column": self.column,
            "match": "typography" if self.differences else "exact",
            "differences": list(self.differences),
        }


def anchor_at(text: str, document: str, start: int, end: int) -> Anchor:
    """The anchor of ``text[start:end]`` in ``document``, with :data:`CONTEXT` code points of
    prefix and suffix."""
    prefix, suffix = text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]
    return Anchor(
        document=document, start=start, end=end, exact=text[start:end], prefix=prefix, suffix=suffix
    )


def place(text: str, start: int, end: int, similarity: float = 1.0) -> Place:
    """``text[start:end]`` as a :class:`Place`, shown with its surroundings on one line."""
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    before = text[max(0, start - SHOWN) : start]
    after = text[end : end + SHOWN]
    shown = ("…" if start > SHOWN else "") + before + "[" + excerpt(text[start:end]) + "]" + after
    shown += "…" if end + SHOWN < len(text) else ""
    return Place(start=start, end=end, line=line, column=column, context=shown, similarity=similarity)


@lru_cache(maxsize=4)
def _folded(text: str) -> Folded:
    return fold(text)


def occurrences(text: str, quote: str) -> tuple[list[tuple[int, int]], bool]:
    """Every span of ``text`` the quote occurs at (overlapping ones included), and whether they
    are exact: the exact occurrences when there is any, else those with typography folded."""
    found = []
    at = text.find(quote)
    while at != -1:
        found.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    if found:
        return found, True
    folded, wanted = _folded(text), fold_quote(quote)
    if not wanted:
        return [], False
    at = folded.text.find(wanted)
    while at != -1:
        span = span_of(folded, at, at + len(wanted))
        if span is not None and (not found or found[-1] != span):
            found.append(span)
        at = folded.text.find(wanted, at + 1)
    return found, False


def trim_quote(quote: str) -> tuple[str, tuple[str, ...]]:
    """``quote`` without a byte-order mark (U+FEFF) at its start and without white space at
    either end, and what was left out, said one thing a line (empty when nothing was)."""
    left_out = []
    if quote.startswith("\ufeff"):
        quote = quote[1:]
        left_out.append("a byte-order mark (U+FEFF) at its start")
    trimmed = quote.strip()
    if trimmed and quote[0].isspace():
        left_out.append("white space at its start")
    if trimmed and quote[-1].isspace():
        left_out.append("white space at its end")
    return trimmed, tuple(left_out)


def locate(
    text: str, quote: str, *, document: str, after: str | None = None, occurrence: int | None = None
) -> Located:
    """The anchor of ``quote`` in ``text`` (the source text of ``document``).

    ``after`` keeps the occurrences that start after the end of the first occurrence of that text
    (found as the quote is) and takes the first of them; ``occurrence`` (1-based) chooses among
    the occurrences (those after ``after`` when both are given). The quote is trimmed first
    (:func:`trim_quote`). Raises :class:`ValueError` for an empty quote (or one of white space
    only), an empty ``after`` or an occurrence below 1, :class:`AmbiguousQuoteError` and
    :class:`QuoteNotFoundError` (see the module)."""
    quote = _trimmed(quote)
    if occurrence is not None and occurrence < 1:
        raise ValueError(f"occurrence must be 1 or more, not {occurrence}")
    spans, exact = occurrences(text, quote)
    if not spans and len(quote) > len(text):  # (white space folded, a longer quote may be found)
        size = f"({len(quote)} code points) is longer than the text of {excerpt(document)!r} ({len(text)})"
        raise QuoteNotFoundError(f"the quote {size}", [], looked=False)
    if not spans:
        raise QuoteNotFoundError(
            f"{_said(quote)} is not in the text of {excerpt(document)!r}", closest(text, quote)
        )
    if after is not None:
        before = len(spans)
        spans = [s for s in spans if s[0] >= _boundary(text, after, document)]
        if not spans:
            raise QuoteNotFoundError(
                f"{_said(quote)} does not occur after {_said(after)}"
                f" (it occurs {before} time(s), all before it)",
                [],
                looked=False,
            )
        if occurrence is None:
            spans = spans[:1]  # --after TEXT: the first occurrence after it, as documented
    chosen = _choose(text, quote, spans, occurrence, after)
    start, end = chosen
    found = place(text, start, end)
    said = () if exact else tuple(differences(text[start:end], quote))
    return Located(
        anchor=anchor_at(text, document, start, end), line=found.line, column=found.column, differences=said
    )


def _boundary(text: str, after: str, document: str) -> int:
    """Where the first occurrence of ``after`` ends (exact, else with typography folded)."""
    if not after:
        raise ValueError("the text given with --after is empty")
    spans, _ = occurrences(text, after)
    if not spans:
        raise QuoteNotFoundError(f"{_said(after)} (--after) is not in the text of {excerpt(document)!r}", [])
    return spans[0][1]


def _choose(
    text: str, quote: str, spans: list[tuple[int, int]], occurrence: int | None, after: str | None = None
) -> tuple[int, int]:
    """The one span chosen: the only one, or occurrence number ``occurrence`` (of those
    ``after`` a text, when one is given)."""
    if occurrence is None and len(spans) == 1:
        return spans[0]
    if occurrence is not None and occurrence <= len(spans):
        return spans[occurrence - 1]
    places = [place(text, a, b) for a, b in spans]
    if occurrence is None:
        message = f"{_said(quote)} occurs {len(spans)} times: choose one with --occurrence N or --after TEXT"
    else:
        where = "" if after is None else f" after {_said(after)}"
        message = f"occurrence {occurrence} asked for, but {_said(quote)} occurs {len(spans)} time(s){where}"
    raise AmbiguousQuoteError(message, places)


def _trimmed(quote: str) -> str:
    """``quote`` trimmed (:func:`trim_quote`), or :class:`ValueError` when nothing is left."""
    if not quote:
        raise ValueError("the quote is empty")
    trimmed, _ = trim_quote(quote)
    if not trimmed:
        raise ValueError("the quote is empty: it holds only white space")
    return trimmed


def _said(quote: str) -> str:
    """A quote as a message shows it: its first :data:`SAID` characters, quoted and escaped."""
    return repr(excerpt(quote, width=SAID))


def closest(text: str, quote: str, limit: int = CLOSEST) -> list[Place]:
    """The passages of ``text`` closest to ``quote`` (best first, at most ``limit``), compared
    with typography folded: windows of the quote's length around the places where one of its
    longest words (of three letters or more) found in the text occurs, at most ``_CANDIDATES``
    places, each compared on at most ``_COMPARED`` characters; empty when none of its words is
    in the text."""
    folded, wanted = _folded(text), fold_quote(quote)
    starts: set[int] = set()
    used = 0
    for word in sorted(set(re.findall(r"\w{3,}", wanted)), key=len, reverse=True)[:_WORDS]:
        offset = wanted.find(word)
        hits = list(islice(re.finditer(re.escape(word), folded.text, re.IGNORECASE), _CANDIDATES // _USED))
        starts.update(max(0, hit.start() - offset) for hit in hits)
        used += bool(hits)
        if used == _USED:
            break
    size = len(wanted)
    scored: list[tuple[float, int]] = []
    for start in sorted(starts):
        window = folded.text[start : start + size]
        matcher = difflib.SequenceMatcher(
            None, wanted[:_COMPARED].lower(), window[:_COMPARED].lower(), autojunk=False
        )
        scored.append((matcher.ratio(), start))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    found: list[Place] = []
    for ratio, start in scored:
        end = min(start + size, len(folded.text))
        first, last = folded.starts[start], folded.ends[end - 1]
        if any(first < p.end and p.start < last for p in found):
            continue
        found.append(place(text, first, last, round(ratio, 2)))
        if len(found) == limit:
            break
    return found


def document_text(
    document: str, dataset: str | Path | None = None, sources: Iterable[str | Path] = ()
) -> str:
    """The source text of ``document``, a document id of the dataset ``dataset`` (a folder or a
    release bundle; the installed dataset by default), found as ``validate`` finds it: by the
    SHA-256 its record gives, in ``sources`` and among the texts the package ships.

    Raises :class:`~dispatchdata.errors.DataNotFoundError` when the dataset, the document, its
    documents file or its text cannot be found or read."""
    # deferred: the dataset reader and the sources' look-up, needed only once a quote is asked for
    from .check.sources import look_up_sources
    from .documents import documents_of

    records = documents_of(dataset)
    record = records.get(document)
    if record is None:
        # deferred: the suggestions, only for an unknown document
        from .suggest import did_you_mean

        raise DataNotFoundError(f"unknown document {excerpt(document)!r}{did_you_mean(document, records)}")
    digest = record.get("sha256")
    if not isinstance(digest, str):
        raise DataNotFoundError(
            f"document {excerpt(document)!r} has no sha256: its source text cannot be found"
        )
    lookup = look_up_sources(list(sources), [digest])
    text = lookup.texts.get(digest)
    if text is None:
        hint = lookup.hints.get(digest) or "pass the folder holding it with --sources"
        message = f"source text of {excerpt(document)!r} (sha256 {excerpt(digest)}) not found; {hint}"
        raise DataNotFoundError(message)
    return text


def anchor(
    document: str,
    quote: str,
    *,
    after: str | None = None,
    occurrence: int | None = None,
    dataset: str | Path | None = None,
    sources: Iterable[str | Path] = (),
) -> Located:
    """The anchor of ``quote`` in the source text of ``document`` (an id of the dataset
    ``dataset``, the installed one by default; its text found as ``validate`` finds it, in
    ``sources`` and among the package's texts).

    >>> import dispatchdata
    >>> dispatchdata.anchor("memri-special-dispatch-10423", "make the divorce final").anchor.start
    1891

    Exact match first, else typography folded (the anchor then holds the text as printed, and
    ``differences`` says what differed); the quote trimmed first (:func:`trim_quote`). ``after``
    and ``occurrence`` choose among repeats (see :func:`locate`). Raises
    :class:`AmbiguousQuoteError`, :class:`QuoteNotFoundError`, :class:`ValueError` (an empty
    quote, or one of white space only) and :class:`~dispatchdata.errors.DataNotFoundError`
    (see :func:`document_text`)."""
    _trimmed(quote)
    text = document_text(document, dataset, sources)
    return locate(text, quote, document=document, after=after, occurrence=occurrence)
