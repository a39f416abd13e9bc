"""Loading a dataset folder into a :class:`~dispatchdata.dataset.Dataset` of frozen records."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .dataset import Dataset
from .errors import InvalidDatasetError, Report, Severity, sorted_problems
from .layout import RawDataset, read_dataset
from .model import (
    Actor,
    Alias,
    Anchor,
    Creator,
    Document,
    Erratum,
    Footnote,
    FootnoteDate,
    Info,
    Position,
    Proposal,
    Stance,
    Statement,
)
from .resources import dataset_dir


def _int(value: Any) -> int:
    """An integer field's value, which must be an ``int``: a float offset or number (``177.5``;
    ``177.0`` is refused when read, DD113) is never handed out, even by ``load()`` without
    ``strict``, which does not run the schema (the TypeError brings its report)."""
    if type(value) is not int:
        raise TypeError(f"not an integer: {value!r}")
    return value


def _anchor(d: dict[str, Any]) -> Anchor:
    return Anchor(
        document=d["document"],
        start=_int(d["start"]),
        end=_int(d["end"]),
        exact=d["exact"],
        prefix=d["prefix"],
        suffix=d["suffix"],
    )


def _anchors(items: list[dict[str, Any]]) -> tuple[Anchor, ...]:
    return tuple(_anchor(a) for a in items)


def _footnote_date(d: dict[str, Any]) -> FootnoteDate:
    erratum = d.get("erratum") or {}
    return FootnoteDate(
        printed=d["printed"],
        date=d["date"],
        corrected=erratum.get("corrected"),
        correction_note=erratum.get("note"),
    )


def _document(d: dict[str, Any]) -> Document:
    footnotes = tuple(
        Footnote(
            number=_int(f["number"]),
            printed=f["printed"],
            dates=tuple(_footnote_date(x) for x in f["dates"]),
            anchor=_anchor(f["anchor"]),
        )
        for f in d["footnotes"]
    )
    return Document(
        id=d["id"],
        title=d["title"],
        publisher=d["publisher"],
        series=d["series"],
        number=d["number"],
        published=d["published"],
        language=d["language"],
        sha256=d["sha256"],
        length=_int(d["length"]),
        footnotes=footnotes,
        anchors=_anchors(d["anchors"]),
    )


def _actor(d: dict[str, Any]) -> Actor:
    positions = tuple(
        Position(
            title=p["title"],
            anchor=_anchor(p["anchor"]),
            organisation=p.get("organisation"),
            represents=p.get("represents"),
            former=p.get("former", False),
        )
        for p in d.get("positions", ())
    )
    aliases = tuple(
        Alias(
            name=a["name"],
            misspelling=a.get("misspelling", False),
            corrected=a.get("corrected"),
            note=a.get("note"),
        )
        for a in d["aliases"]
    )
    return Actor(
        id=d["id"],
        type=d["type"],
        name=d["name"],
        aliases=aliases,
        anchors=_anchors(d["anchors"]),
        kind=d.get("kind"),
        parent=d.get("parent"),
        description=d.get("description"),
        positions=positions,
    )


def _proposal(d: dict[str, Any]) -> Proposal:
    return Proposal(
        id=d["id"],
        title=d["title"],
        description=d["description"],
        category=d["category"],
        proposed_by=tuple(d["proposed_by"]),
        status=d["status"],
        status_note=d.get("status_note"),
        anchors=_anchors(d["anchors"]),
    )


def _statement(d: dict[str, Any]) -> Statement:
    return Statement(
        id=d["id"],
        document=d["document"],
        speaker=d["speaker"],
        kind=d["kind"],
        summary=d["summary"],
        quotes=_anchors(d["quotes"]),
        footnotes=tuple(_int(n) for n in d["footnotes"]),
        stances=tuple(
            Stance(proposal=s["proposal"], stance=s["stance"], note=s.get("note")) for s in d["stances"]
        ),
        responds_to=tuple(d["responds_to"]),
        targets=tuple(d["targets"]),
        anchors=_anchors(d["anchors"]),
        verb=d.get("verb"),
        date=d.get("date"),
        medium=d.get("medium"),
        errata=tuple(
            Erratum(printed=e["printed"], corrected=e["corrected"], note=e["note"])
            for e in d.get("errata", ())
        ),
        note=d.get("note"),
    )


def _info(d: dict[str, Any]) -> Info:
    citation = d["citation"]
    return Info(
        name=d["name"],
        title=d["title"],
        version=d["version"],
        license=d["license"],
        description=d["description"],
        keywords=tuple(d["keywords"]),
        creators=tuple(Creator(name=c["name"], orcid=c.get("orcid")) for c in d["creators"]),
        citation_title=citation["title"],
        citation_note=citation.get("note"),
    )


def build(raw: RawDataset) -> Dataset:
    """Turn parsed data into frozen records. Assumes schema-valid data: raises KeyError,
    TypeError or AttributeError on data of the wrong shape."""

    def records(name: str) -> Iterable[dict[str, Any]]:
        return (r for f in raw.collection(name) for r in f.records)

    assert raw.metadata is not None
    return Dataset(
        info=_info(raw.metadata.data),
        documents=tuple(_document(r) for r in records("documents")),
        actors=tuple(_actor(r) for r in records("actors")),
        proposals=tuple(_proposal(r) for r in records("proposals")),
        statements=tuple(_statement(r) for r in records("statements")),
    )


def load(
    path: str | Path | None = None,
    *,
    version: str | None = None,
    strict: bool = False,
    sources: Iterable[str | Path] = (),
) -> Dataset:
    """Load a dataset as a :class:`Dataset` of frozen records.

    ``path`` is a dataset folder or a release bundle file (default: the installed dataset);
    ``version`` picks a frozen release of that dataset instead (``load(version="1.0.0")``).

    With ``strict=True`` the data is first validated against the schema and every rule (anchors
    too, for texts found in ``sources`` or shipped with the package) and
    :class:`InvalidDatasetError` is raised, carrying the report, if anything is wrong, warnings
    included (as ``validate --strict``): a strict load never returns data whose anchors were
    not all checked. Without it, loading is fast and checks only what building the
    records needs; data too broken to build raises the same error with the full validation report.

    A release file (``releases/<version>.json``, as ``version`` names) is read only when its
    bytes match its ``SHA256SUMS`` line: else :class:`~dispatchdata.frozen.ReleaseIntegrityError`
    (an :class:`InvalidDatasetError`) is raised, strict or not.
    """
    from .frozen import verify_release
    from .release import release_path
    from .validation import check, validate

    root = Path(path) if path is not None else dataset_dir()
    if version is not None:
        root = release_path(version, root if root.is_dir() else None)
    verified = root.is_file() and verify_release(root)
    if strict:
        report = validate(root, sources=sources, strict=True)
        if not report.valid:
            raise InvalidDatasetError(report)
    raw = read_dataset(root)
    files = ([raw.metadata] if raw.metadata else []) + raw.files
    problems = list(raw.problems) + [p for f in files for p in f.parsed.problems]
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise InvalidDatasetError(Report(problems=sorted_problems(errors)))
    try:
        return build(raw)
    except (KeyError, TypeError, AttributeError, ValueError, AssertionError):
        report = check(raw, own_schema=verified)
        if report.valid:  # pragma: no cover - the schema admits only buildable data
            raise
        raise InvalidDatasetError(report) from None
