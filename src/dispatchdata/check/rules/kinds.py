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

The rule (a warning) compares this with the statement's ``kind`` where there are quotes. Without
quotes the schema allows only paraphrase and editorial; telling those two apart needs the
document's publisher, which a statement does not carry, so the rule leaves it to the function's
users (the tests apply it to every record of the dataset, publisher included).
"""

from __future__ import annotations

import re
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


def begins_sentence(before: str) -> bool:
    """Whether a quote preceded, inside its passage, by ``before`` begins a sentence."""
    lead = before.rstrip(_OPENING)
    skipped = before[len(lead) :]
    return not lead or lead.endswith(":") or "\n" in skipped or _ENDS_SENTENCE.search(lead) is not None


def ends_sentence(quote: str, after: str) -> bool:
    """Whether a quote (followed, inside its passage, by ``after``) ends a sentence."""
    tail = quote.rstrip(_CLOSING)
    if tail.endswith(tuple(_SENTENCE_END)):
        return True
    following = after.lstrip(_CLOSING)
    return following.startswith(tuple(_SENTENCE_END))


def fragment_reason(passages: Sequence[Span], quote: Span) -> str | None:
    """Why ``quote`` is not whole sentences of the speaker's ('' when it is; None when no
    passage holds it, so the text around it is not known)."""
    end = quote.start + len(quote.text)
    for passage in passages:
        if passage.start <= quote.start and end <= passage.start + len(passage.text):
            break
    else:
        return None
    before = passage.text[: quote.start - passage.start]
    after = passage.text[end - passage.start :]
    letter = next((c for c in quote.text if c.isalpha()), "")
    if not letter.isupper():
        return f"its first letter, {letter!r}, is not upper case" if letter else "it holds no letter"
    if begins_sentence(before) or ends_sentence(quote.text, after):
        return ""
    return f'it begins inside a sentence ("{excerpt(before[-30:])}") and does not end one'


def kind_of(passages: Sequence[Span], quotes: Sequence[Span], *, by_publisher: bool) -> str | None:
    """The kind the text shows (see the module's docstring): ``passages`` are the statement's
    anchors, ``quotes`` its quotes, ``by_publisher`` whether its speaker is the document's
    publisher. None when a quote lies in no passage (the text around it is not known)."""
    if not quotes:
        return "editorial" if by_publisher else "paraphrase"
    reasons = [fragment_reason(passages, quote) for quote in quotes]
    if None in reasons:
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
    passages, quotes = text_spans(data.get("anchors")), text_spans(data.get("quotes"))
    if not quotes:
        return
    reasons = [fragment_reason(passages, quote) for quote in quotes]
    if None in reasons:
        return  # a quote outside the passage: DD407
    if kind == "partial-quote" and not any(reasons):
        detail = "every quote is whole sentences (an upper-case first letter, beginning or ending a sentence)"
        message = f"kind is 'partial-quote', but the text shows a direct quote: {detail}"
    elif kind == "direct-quote" and any(reasons):
        at, reason = next((q, r) for q, r in zip(quotes, reasons, strict=True) if r)
        place = f"{at.start}-{at.start + len(at.text)}"
        message = f"kind is 'direct-quote', but the text shows a partial quote: the quote at {place}: "
        message += reason
    else:
        return
    out.append(Finding(index, "DD332", message, "/kind", False))
