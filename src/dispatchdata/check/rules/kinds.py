"""The kind rule: what kind of statement its anchored text shows (DD332).

:func:`kind_of` gives a statement's kind from its passage (the ``anchors``' exact texts and
offsets) and its ``quotes``, as the codebook (the ``kind`` description of the statements schema,
and the README) states it:

- **editorial**: the speaker is the document's publisher, and there are no quotes;
- **paraphrase**: there are no quotes;
- **direct-quote**: every quote is whole sentences of the speaker's: its first letter is upper
  case, and it *begins a sentence* — the passage's text before its opening quotation mark,
  skipping white space and opening marks, is nothing (the passage starts there), or ends with a
  colon, with a sentence end (``. ! ? …``, possibly followed by closing marks or a footnote
  marker such as ``[12]``) or with a paragraph break — or, where a lead-in runs into the
  quotation without a colon (``He wrote "The year 2022 ends …"``), the quote itself *ends a
  sentence* (its last character, or the first after it but closing marks, is ``. ! ? …``);
- **partial-quote** otherwise: some quote is a fragment inside a paraphrased sentence.

The rule (a warning) compares this with the statement's ``kind`` where there are quotes; a quote
outside every passage is not judged (DD407 reports it), the others are. Without quotes the
schema allows only paraphrase and editorial; telling those two apart needs the document's
publisher, which a statement does not carry, so the rule leaves it to the function's users (the
tests apply it to every record of the dataset, publisher included).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import Any, NamedTuple

from ...codes import Kind, rule, warning
from ...display import excerpt
from .context import Anchors, Finding

#: The data version whose codebook brought the rules of its modules (``kinds``, ``media``,
#: ``errata_quotes``, ``first_mention``): releases made before it are not held to them.
CODEBOOK_1_1 = (1, 1, 0)

#: White space and opening quotation marks, skipped before a quote's opening mark.
_OPENING = " \t\r\n\u00a0\u202f\"'\u201c\u2018\u00ab\u201e"
#: White space and closing quotation marks, skipped after a quote's last word.
_CLOSING = " \t\r\n\u00a0\u202f\"'\u201d\u2019\u00bb"
_SENTENCE_END = ".!?…"
#: A sentence end, then closing marks or footnote markers, at the end of the text before a quote.
_ENDS_SENTENCE = re.compile("[.!?\u2026](?:[\"'\u201d\u2019\u00bb)]|\\[\\d+\\])*\\Z")


class Span(NamedTuple):
    """An anchored text: where it starts in its document, and its exact text."""

    start: int
    text: str


def text_spans(items: Any) -> list[Span]:
    """The spans of a list of anchors (a statement's ``anchors`` or ``quotes``), skipping any
    not of the expected shape (the schema reports it)."""
    if type(items) is not list:
        return []
    spans = []
    for item in items:
        if type(item) is dict:
            start, exact = item.get("start"), item.get("exact")
            if type(start) is int and type(exact) is str:
                spans.append(Span(start, exact))
    return spans


#: How much of the text before a quote is read (see :func:`begins_sentence`).
_WINDOW = 64
_CLOSERS = "\"'\u201d\u2019\u00bb)]"


def begins_sentence(passage: str, at: int) -> bool:
    """Whether a quote at index ``at`` of its ``passage`` begins a sentence (the text before
    it, white space and opening marks skipped, is nothing, or ends with a colon, a sentence end
    or a paragraph break).

    Only the end of the text before the quote can decide it: a window of it is read (this runs
    for every quote of a corpus), and all of it only when the window is white space and marks."""
    window = passage[max(0, at - _WINDOW) : at]
    lead = window.rstrip(_OPENING)
    if not lead and at > _WINDOW:
        window = passage[:at]
        lead = window.rstrip(_OPENING)
    if not lead or "\n" in window[len(lead) :]:
        return True
    last = lead[-1]
    if last == ":" or last in _SENTENCE_END:
        return True
    return last in _CLOSERS and _ENDS_SENTENCE.search(lead[-_WINDOW // 2 :]) is not None


def ends_sentence(passage: str, end: int, quote: str) -> bool:
    """Whether ``quote``, ending at index ``end`` of its ``passage``, ends a sentence: its last
    character but closing marks, or the first after it but closing marks, is ``. ! ? …``."""
    if quote.rstrip(_CLOSING)[-1:] in tuple(_SENTENCE_END):
        return True
    return passage[end : end + 8].lstrip(_CLOSING)[:1] in tuple(_SENTENCE_END)


def _first_letter(quote: str) -> str:
    return quote[0] if quote[:1].isalpha() else next((c for c in quote if c.isalpha()), "")


#: Up to this many passages, a quote's passage is found by reading each (a statement's usual
#: one or two anchors: sorting them would cost more than it saves).
_SCANNED = 8


class Passages:
    """A statement's passages, to find the one that holds a quote in logarithmic time (a corpus
    may give one statement thousands of anchors and quotes).

    The passage that holds a quote is, of those that do, the one that starts first (the most text
    before the quote), and of those the longest. Only passages not inside another are kept (one
    inside another holds no quote the other does not, with less text around it): sorted by
    start, their ends increase too, so those that hold a quote are a run found by bisection.
    A few passages are read one by one instead, to the same result."""

    def __init__(self, passages: Sequence[Span]) -> None:
        self.few = passages if len(passages) <= _SCANNED else None
        self.kept: list[Span] = []
        if self.few is None:
            reach = -1
            for passage in sorted(passages, key=lambda p: (p.start, -len(p.text))):
                end = passage.start + len(passage.text)
                if end > reach:
                    self.kept.append(passage)
                    reach = end
        self.ends = [p.start + len(p.text) for p in self.kept]

    def holding(self, start: int, end: int) -> Span | None:
        """The passage that holds the span from ``start`` to ``end`` (end exclusive), if one does."""
        if self.few is not None:
            found = None
            for p in self.few:
                holds = p.start <= start and end <= p.start + len(p.text)
                if holds and (found is None or (p.start, -len(p.text)) < (found.start, -len(found.text))):
                    found = p
            return found
        first = bisect_left(self.ends, end)  # the first that reaches the end
        if first < len(self.kept) and self.kept[first].start <= start:
            return self.kept[first]
        return None


def _passage_of(passages: Sequence[Span] | Passages, quote: Span) -> Span | None:
    held = passages if isinstance(passages, Passages) else Passages(passages)
    return held.holding(quote.start, quote.start + len(quote.text))


def is_fragment(passage: Span, quote: Span) -> bool:
    """Whether ``quote``, inside ``passage``, is a fragment rather than whole sentences of the
    speaker's (see the module's docstring)."""
    return _fragment_at(passage.text, quote.start - passage.start, quote.text)


def _fragment_at(passage: str, at: int, quote: str) -> bool:
    if not _first_letter(quote).isupper():
        return True
    return not (begins_sentence(passage, at) or ends_sentence(passage, at + len(quote), quote))


def _holder(anchors: list[Any], start: int, end: int) -> tuple[int, str] | None:
    """:meth:`Passages.holding` read from the raw anchors (a statement's usual few)."""
    found: tuple[int, str] | None = None
    for anchor in anchors:
        if type(anchor) is dict:
            first, passage = anchor.get("start"), anchor.get("exact")
            if (
                type(first) is int
                and type(passage) is str
                and first <= start
                and end <= first + len(passage)
                and (
                    found is None or first < found[0] or (first == found[0] and len(passage) > len(found[1]))
                )
            ):
                found = (first, passage)
    return found


def _any_fragment(anchors: list[Any], quotes: list[Any]) -> bool | None:
    """Whether some quote that lies in a passage is a fragment of it; None when no quote lies in
    one, or there is none. A quote outside every passage is DD407's: the others are judged. The
    raw anchors and quotes are read as they are (this runs for every quoting statement of a
    corpus), and sorted only where there are many anchors."""
    passages = Passages(text_spans(anchors)) if len(anchors) > _SCANNED else None
    found: bool | None = None
    for quote in quotes:
        start, text = (quote.get("start"), quote.get("exact")) if type(quote) is dict else (None, None)
        if type(start) is not int or type(text) is not str:
            continue
        end = start + len(text)
        held = _holder(anchors, start, end) if passages is None else passages.holding(start, end)
        if held is not None:
            if _fragment_at(held[1], start - held[0], text):
                return True
            found = False
    return found


def fragment_reason(passages: Sequence[Span] | Passages, quote: Span) -> str | None:
    """Why ``quote`` is not whole sentences of the speaker's ('' when it is; None when no
    passage holds it, so the text around it is not known)."""
    passage = _passage_of(passages, quote)
    if passage is None:
        return None
    if not is_fragment(passage, quote):
        return ""
    letter = _first_letter(quote.text)
    if not letter.isupper():
        return f"its first letter, {letter!r}, is not upper case" if letter else "it holds no letter"
    before = passage.text[max(0, quote.start - passage.start - 30) : quote.start - passage.start]
    return f'it begins inside a sentence ("{excerpt(before)}") and does not end one'


def kind_of(passages: Sequence[Span], quotes: Sequence[Span], *, by_publisher: bool) -> str | None:
    """The kind the text shows (see the module's docstring): ``passages`` are the statement's
    anchors, ``quotes`` its quotes, ``by_publisher`` whether its speaker is the document's
    publisher. Quotes that lie in no passage are not judged (the text around them is not known;
    DD407 reports them); None when no quote lies in one."""
    if not quotes:
        return "editorial" if by_publisher else "paraphrase"
    held = Passages(passages)
    reasons = [r for r in (fragment_reason(held, quote) for quote in quotes) if r is not None]
    if not reasons:
        return None
    return "partial-quote" if any(reasons) else "direct-quote"


@rule(
    Kind.RECORD,
    ("statements",),
    warning("DD332", "a statement's kind differs from what its anchored text shows (the kind rule)"),
    when="quotes",
    since=CODEBOOK_1_1,
)
def kind_shown(out: list[Finding], index: int, data: dict[str, Any], _anchors: Anchors) -> None:
    """DD332: a quoting statement's kind (direct or partial quote) is the one its text shows."""
    kind = data.get("kind")
    if kind not in ("direct-quote", "partial-quote"):
        return  # without quotes, or another kind with them: the schema reports that
    anchors, quoted = data.get("anchors"), data.get("quotes")
    if type(anchors) is not list or type(quoted) is not list:
        return
    # The usual statement agrees with its text: decided without making any message.
    fragment = _any_fragment(anchors, quoted)
    if fragment is None or fragment is (kind == "partial-quote"):
        return  # None: no quote inside the passage (DD407 reports each one outside)
    passages, quotes = Passages(text_spans(anchors)), text_spans(quoted)
    if kind == "partial-quote":
        detail = "every quote is whole sentences (an upper-case first letter, beginning or ending a sentence)"
        message = f"kind is 'partial-quote', but the text shows a direct quote: {detail}"
        outside = sum(fragment_reason(passages, quote) is None for quote in quotes)
        if outside:
            message += f" (quotes outside the passage are not judged: {outside} of {len(quotes)}, DD407)"
    else:
        at, reason = next((q, r) for q in quotes if (r := fragment_reason(passages, q)))
        place = f"{at.start}-{at.start + len(at.text)}"
        message = f"kind is 'direct-quote', but the text shows a partial quote: the quote at {place}: "
        message += reason or ""
    out.append(Finding(index, "DD332", message, "/kind", False))
