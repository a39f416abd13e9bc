"""Footnotes and dates: cited footnotes exist, printed and ISO dates agree, no statement
postdates its sources or answers a later one."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from ...display import excerpt
from .context import Finding


def iter_footnote_findings(index: int, data: dict[str, Any]) -> Iterator[Finding]:
    """DD310, DD311: a document's footnote numbers are unique; ISO dates match the printed ones."""
    notes = data.get("footnotes")
    if not isinstance(notes, list):
        return
    seen: set[int] = set()
    for i, note in enumerate(notes):
        if not isinstance(note, dict):
            continue
        number = note.get("number")
        if isinstance(number, int):
            if number in seen:
                yield Finding(
                    index, "DD310", f"footnote {number} is listed twice", f"/footnotes/{i}/number", False
                )
            seen.add(number)
        dates = note.get("dates")
        if isinstance(dates, list):  # as values(note, ["dates", "*"]), without its pointers
            for j, date in enumerate(dates):
                if isinstance(date, dict):
                    yield from _check_printed_date(index, i, j, date)


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


def _check_printed_date(index: int, note: int, at: int, date: dict[str, Any]) -> Iterator[Finding]:
    """DD311 for the date at ``/footnotes/{note}/dates/{at}`` (its pointer made only for a finding)."""
    printed, iso = date.get("printed"), date.get("date")
    if not (isinstance(printed, str) and isinstance(iso, str)):
        return
    match = _PRINTED_DATE.fullmatch(printed.strip())
    if match is None or match.group(1).lower() not in _MONTHS:
        return  # a format this rule does not read; nothing to compare
    month, day, year = _MONTHS[match.group(1).lower()], int(match.group(2)), int(match.group(3))
    expected = f"{year:04d}-{month:02d}-{day:02d}"
    if iso != expected:
        message = f"date {excerpt(iso)!r} does not match the printed {excerpt(printed)!r} ({expected})"
        yield Finding(index, "DD311", message, f"/footnotes/{note}/dates/{at}/date", False)


def iso_date(value: Any) -> str | None:
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
    return iso_date(corrected) or iso_date(date.get("date"))


class DocumentFacts(NamedTuple):
    """What the rules need of a document."""

    sha256: str | None
    published: str | None
    footnotes: dict[int, list[str]]  # each footnote's dates (as an erratum corrects them), by number


#: The key under which a document's facts record a footnote whose number could not be read (left
#: out by the reader, DD104/DD107, or missing, DD201): which numbers it has is then not known, so
#: no citation into it is called unknown. No footnote number is below 1 (the schema says so).
UNREAD_NUMBER = -1


def document_facts(data: dict[str, Any]) -> DocumentFacts:
    """The facts of one document record."""
    notes = data.get("footnotes")
    footnotes: dict[int, list[str]] = {}
    if isinstance(notes, list):
        for note in notes:
            if isinstance(note, dict) and isinstance(note.get("number"), int):
                dates = note.get("dates")
                effective = [_effective_date(d) for d in dates] if isinstance(dates, list) else []
                footnotes[note["number"]] = [d for d in effective if d is not None]
            elif isinstance(note, dict):  # its number unread: its error is reported where it is
                footnotes.setdefault(UNREAD_NUMBER, [])
    sha = data.get("sha256")
    return DocumentFacts((sha if isinstance(sha, str) else None), iso_date(data.get("published")), footnotes)


#: What the rules need of a statement: (its date, its document, the footnotes it cites as
#: (position in its list, number)). A bare tuple, unlike the other records' facts, and always
#: unpacked into these names: one is made and read for every statement, and CPython's fast paths
#: for unpacking and indexing take exact tuples only (a NamedTuple made validate measurably slower).
StatementFacts = tuple[str | None, str | None, list[tuple[int, int]]]


def statement_facts(data: dict[str, Any]) -> StatementFacts:
    """The facts of one statement record."""
    document = data.get("document")
    notes = data.get("footnotes")
    cited = [(i, n) for i, n in enumerate(notes) if isinstance(n, int)] if isinstance(notes, list) else []
    return iso_date(data.get("date")), (document if isinstance(document, str) else None), cited


def iter_self_responses(index: int, data: dict[str, Any]) -> Iterator[Finding]:
    """DD304: no statement responds to itself."""
    targets = data.get("responds_to")
    own = data.get("id")
    if isinstance(targets, list) and isinstance(own, str):
        for i, target in enumerate(targets):
            if target == own:
                yield Finding(index, "DD304", "statement responds to itself", f"/responds_to/{i}", False)


def iter_citation_findings(
    index: int, facts: StatementFacts, document: DocumentFacts | None
) -> Iterator[Finding]:
    """DD303, DD306: a statement's footnotes exist in its document (unless one of the document's
    footnote numbers could not be read: see :data:`UNREAD_NUMBER`), and it postdates neither the
    document nor the sources its footnotes give."""
    if document is None:
        return
    own, document_id, cited = facts
    published, notes = document.published, document.footnotes
    for position, number in cited:
        if number not in notes and UNREAD_NUMBER not in notes:  # (an unread number may be this one)
            message = f"document {excerpt(repr(document_id))} has no footnote {number}"
            yield Finding(index, "DD303", message, f"/footnotes/{position}", False)
    if own is None:
        return
    if published is not None and own > published:
        yield Finding(
            index, "DD306", f"dated {own}, after its document was published ({published})", "/date", False
        )
    for _, number in cited:
        for effective in notes.get(number, ()):
            if own > effective:
                message = f"dated {own}, after footnote {number}'s source ({effective})"
                yield Finding(index, "DD306", message, "/date", False)


def later_response(own: str | None, target: str, theirs: str | None) -> str | None:
    """DD305's message when a statement dated ``own`` answers ``target``, dated later, else None."""
    if own is not None and theirs is not None and theirs > own:
        return f"responds to {excerpt(target)!r}, dated {theirs}, after this statement ({own})"
    return None
