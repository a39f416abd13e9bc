"""The rules of a document's footnotes on their own: numbers used once, ISO dates matching the
printed dates (DD310, DD311), and printed texts matching what their anchors cover (DD408)."""

from __future__ import annotations

from typing import Any

from ...codes import Kind, error, rule
from .anchors import iter_footnote_text_findings
from .context import Anchors, Finding
from .dates import iter_footnote_findings


@rule(
    Kind.RECORD,
    ("documents",),
    error("DD310", "a footnote number used twice in a document"),
    error("DD311", "a footnote date whose ISO form does not match the printed date"),
    when="footnotes",
)
def _footnote_numbers(out: list[Finding], index: int, data: dict[str, Any], _anchors: Anchors) -> None:
    out.extend(iter_footnote_findings(index, data))


@rule(
    Kind.RECORD,
    ("documents",),
    error("DD408", "a footnote's printed text differs from the text its anchor covers"),
    when="footnotes",
)
def _footnote_texts(out: list[Finding], index: int, data: dict[str, Any], _anchors: Anchors) -> None:
    out.extend(iter_footnote_text_findings(index, data))
