"""Footnotes and dates: cited footnotes exist, printed and ISO dates agree, no statement
postdates its sources or answers a later one."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

from ..errors import Problem
from .context import Context, Record, values


def _footnotes_of(record: Record | None) -> dict[int, Any]:
    if record is None:
        return {}
    notes = record.data.get("footnotes")
    if not isinstance(notes, list):
        return {}
    return {n["number"]: n for n in notes if isinstance(n, dict) and isinstance(n.get("number"), int)}


def iter_footnote_problems(ctx: Context) -> Iterator[Problem]:
    """DD303, DD310, DD311: footnotes cited exist; numbers are unique; ISO dates match print."""
    for record in ctx.records["documents"]:
        notes = record.data.get("footnotes")
        if not isinstance(notes, list):
            continue
        seen: set[int] = set()
        for i, note in enumerate(notes):
            if not isinstance(note, dict):
                continue
            number = note.get("number")
            if isinstance(number, int):
                if number in seen:
                    yield ctx.problem(
                        "DD310",
                        f"footnote {number} is listed twice",
                        record,
                        f"/footnotes/{i}/number",
                    )
                seen.add(number)
            for pointer, date in values(note, ["dates", "*"]):
                if isinstance(date, dict):
                    yield from _check_printed_date(ctx, record, f"/footnotes/{i}{pointer}", date)
    for record in ctx.records["statements"]:
        document_id = record.data.get("document")
        document = ctx.ids["documents"].get(document_id) if isinstance(document_id, str) else None
        if document is None:
            continue
        available = _footnotes_of(document)
        for pointer, number in values(record.data, ["footnotes", "*"]):
            if isinstance(number, int) and number not in available:
                yield ctx.problem(
                    "DD303", f"document {document_id!r} has no footnote {number}", record, pointer
                )


_MONTHS = {
    name: i
    for i, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_PRINTED_DATE = re.compile(r"([A-Za-z]+)\.? (\d{1,2}), (\d{4})")


def _check_printed_date(
    ctx: Context, record: Record, pointer: str, date: dict[str, Any]
) -> Iterator[Problem]:
    printed, iso = date.get("printed"), date.get("date")
    if not (isinstance(printed, str) and isinstance(iso, str)):
        return
    match = _PRINTED_DATE.fullmatch(printed.strip())
    if match is None or match.group(1).lower() not in _MONTHS:
        return  # a format this rule does not read; nothing to compare
    month, day, year = _MONTHS[match.group(1).lower()], int(match.group(2)), int(match.group(3))
    expected = f"{year:04d}-{month:02d}-{day:02d}"
    if iso != expected:
        yield ctx.problem(
            "DD311",
            f"date {iso!r} does not match the printed {printed!r} ({expected})",
            record,
            f"{pointer}/date",
        )


def _date(value: Any) -> str | None:
    """The value if it is a real ISO calendar date (YYYY-MM-DD), else None."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return None
    return value


def _effective_date(date: Any) -> str | None:
    """A footnote date's corrected value where it has an erratum, else its printed value."""
    if not isinstance(date, dict):
        return None
    erratum = date.get("erratum")
    corrected = erratum.get("corrected") if isinstance(erratum, dict) else None
    return _date(corrected) or _date(date.get("date"))


def iter_statement_order(ctx: Context) -> Iterator[Problem]:
    """DD304, DD305, DD306: no statement answers itself or a later one, or postdates its sources."""
    statements = ctx.ids["statements"]
    for record in ctx.records["statements"]:
        own = _date(record.data.get("date"))
        for pointer, target in values(record.data, ["responds_to", "*"]):
            if target == record.id:
                yield ctx.problem("DD304", "statement responds to itself", record, pointer)
                continue
            other = statements.get(target) if isinstance(target, str) else None
            theirs = _date(other.data.get("date")) if other else None
            if own is not None and theirs is not None and theirs > own:
                yield ctx.problem(
                    "DD305",
                    f"responds to {target!r}, dated {theirs}, after this statement ({own})",
                    record,
                    pointer,
                )
        if own is None:
            continue
        document_id = record.data.get("document")
        document = ctx.ids["documents"].get(document_id) if isinstance(document_id, str) else None
        published = _date(document.data.get("published")) if document else None
        if published is not None and own > published:
            yield ctx.problem(
                "DD306", f"dated {own}, after its document was published ({published})", record, "/date"
            )
        notes = _footnotes_of(document)
        for _, number in values(record.data, ["footnotes", "*"]):
            for _, date in values(notes.get(number), ["dates", "*"]):
                effective = _effective_date(date)
                if effective is not None and own > effective:
                    yield ctx.problem(
                        "DD306",
                        f"dated {own}, after footnote {number}'s source ({effective})",
                        record,
                        "/date",
                    )
