"""Anchors: into the record's own document, within range, and equal to the source text."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from ..errors import Problem
from .context import Context, Record, as_int, values


def iter_anchor_documents(ctx: Context) -> Iterator[Problem]:
    """DD307: a statement's anchors and quotes point into the statement's own document."""
    for record, pointer, anchor in ctx.anchors:
        if record.collection != "statements":
            continue
        document = record.data.get("document")
        other = anchor.get("document")
        if isinstance(other, str) and isinstance(document, str) and other != document:
            yield ctx.problem(
                "DD307",
                f"anchor is into {other!r}, but the statement is in {document!r}",
                record,
                f"{pointer}/document",
            )


def _check_anchor(
    ctx: Context, record: Record, pointer: str, anchor: dict[str, Any], text: str
) -> Iterator[Problem]:
    start, end, exact = as_int(anchor.get("start")), as_int(anchor.get("end")), anchor.get("exact")
    if start is None or end is None or not isinstance(exact, str):
        return
    if not 0 <= start < end <= len(text):
        yield ctx.problem(
            "DD404",
            f"offsets [{start}:{end}] are outside the text (0 to {len(text)}) or empty",
            record,
            f"{pointer}/start",
        )
        return
    if text[start:end] != exact:
        found = text.find(exact)
        hint = ""
        if found != -1 and text.find(exact, found + 1) == -1:
            hint = f"; the exact text is at [{found}:{found + len(exact)}]"
        yield ctx.problem(
            "DD401",
            f"exact text differs from the document text at [{start}:{end}] ({text[start:end][:40]!r}){hint}",
            record,
            f"{pointer}/exact",
        )
        return
    prefix, suffix = anchor.get("prefix"), anchor.get("suffix")
    if isinstance(prefix, str) and text[max(0, start - len(prefix)) : start] != prefix:
        yield ctx.problem(
            "DD402",
            f"prefix differs from the text before the anchor ({text[max(0, start - len(prefix)) : start]!r})",
            record,
            f"{pointer}/prefix",
        )
    if isinstance(suffix, str) and text[end : end + len(suffix)] != suffix:
        yield ctx.problem(
            "DD403",
            f"suffix differs from the text after the anchor ({text[end : end + len(suffix)]!r})",
            record,
            f"{pointer}/suffix",
        )


def iter_anchor_problems(ctx: Context) -> Iterator[Problem]:
    """DD401-DD408: anchors match the source texts found; a missing source is a warning."""
    skipped: dict[str, int] = defaultdict(int)
    for record in ctx.records["documents"]:
        digest, length = record.data.get("sha256"), as_int(record.data.get("length"))
        text = ctx.texts.get(digest) if isinstance(digest, str) else None
        if text is not None and length is not None and length != len(text):
            yield ctx.problem(
                "DD406",
                f"length is {length}, but the source text has {len(text)} code points",
                record,
                "/length",
            )
    texts: dict[str, str | None] = {}
    for record, pointer, anchor in ctx.anchors:
        document = anchor.get("document")
        if not isinstance(document, str) or document not in ctx.ids["documents"]:
            continue
        if document not in texts:
            texts[document] = ctx.text_of(document)
        text = texts[document]
        if text is None:
            skipped[document] += 1
            continue
        yield from _check_anchor(ctx, record, pointer, anchor, text)
    for record in ctx.records["documents"]:
        yield from _check_footnote_text(ctx, record)
    for record in ctx.records["statements"]:
        yield from _check_quotes_inside(ctx, record)
    for document, count in sorted(skipped.items()):
        record = ctx.ids["documents"][document]
        digest = record.data.get("sha256")
        yield ctx.problem(
            "DD405",
            f"source text of {document!r} (sha256 {digest}) not found: {count} anchor check(s) skipped; "
            "pass the folder holding it with --sources",
            record,
            "/sha256",
        )


def _check_footnote_text(ctx: Context, record: Record) -> Iterator[Problem]:
    for pointer, note in values(record.data, ["footnotes", "*"]):
        if not isinstance(note, dict) or not isinstance(note.get("anchor"), dict):
            continue
        printed, exact = note.get("printed"), note["anchor"].get("exact")
        if isinstance(printed, str) and isinstance(exact, str) and printed != exact:
            yield ctx.problem(
                "DD408",
                "printed differs from the text of the footnote's anchor",
                record,
                f"{pointer}/printed",
            )


def _span(anchor: dict[str, Any]) -> tuple[int, int] | None:
    start, end = as_int(anchor.get("start")), as_int(anchor.get("end"))
    return (start, end) if start is not None and end is not None else None


def _check_quotes_inside(ctx: Context, record: Record) -> Iterator[Problem]:
    passages = [
        s for _, a in values(record.data, ["anchors", "*"]) if isinstance(a, dict) and (s := _span(a))
    ]
    for pointer, quote in values(record.data, ["quotes", "*"]):
        span = _span(quote) if isinstance(quote, dict) else None
        if span and passages and not any(a <= span[0] and span[1] <= b for a, b in passages):
            yield ctx.problem("DD407", "quote lies outside the statement's anchored passage", record, pointer)
