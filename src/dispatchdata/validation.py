"""Validation: parse → schema → rules → :class:`Report`, one file at a time.

Each file is read, checked against the schema and by the record-local rules, reduced to the
compact facts the cross-record rules need, and let go; so validating a large corpus holds its
ids and a few facts per record, never all of its records. With a cache, a file whose bytes are
unchanged is not even parsed: its problems and facts come from the cache.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .cache import ResultCache, problem_rows, problems_from_rows
from .codes import CODES
from .errors import DataNotFoundError, Problem, Report, Severity, sorted_problems
from .layout import (
    COLLECTIONS,
    METADATA,
    RawDataset,
    SourceFile,
    located_later,
    read_bundle,
    read_file,
    scan_dataset,
    unreadable,
)
from .parse import HAVE_LIBYAML, parse_bytes
from .parse_common import gc_paused
from .resources import dataset_dir
from .rules import FileFacts, Finding, Join, Texts, check_texts, extract, iter_bundle_problems
from .schema import fast_check, iter_schema_problems
from .sources import find_sources

_UNREADABLE = ("DD100", "DD101", "DD102", "DD105", "DD106")


def _iter_file_problems(file: SourceFile, schema_files: dict[str, Any] | None = None) -> Iterator[Problem]:
    yield from file.parsed.problems
    if any(p.severity is Severity.ERROR and p.code in _UNREADABLE for p in file.parsed.problems):
        return  # unreadable: nothing to check against the schema
    if file.data is None:
        if file.prefix:
            return  # a part of a bundle that is missing: the bundle's own schema says so
        what = "the dataset's metadata (a mapping)" if file.collection == "dataset" else "a list of records"
        yield Problem(
            code="DD112",
            severity=Severity.ERROR,
            message=f"file is empty: expected {what}",
            file=file.path,
            line=1,
            column=1,
        )
        return
    yield from iter_schema_problems(file, schema_files)


def _selected(code: str, select: Iterable[str] | None, ignore: Iterable[str] | None) -> bool:
    if select is not None and not any(code.startswith(s) for s in select):
        return False
    return not (ignore is not None and any(code.startswith(i) for i in ignore))


def _locate(file: SourceFile, finding: Finding) -> Problem:
    index, code, message, pointer, key = finding
    absolute = f"/{index}{pointer}"
    line, column = file.position(absolute, key=key)
    return Problem(
        code=code,
        severity=CODES[code].severity,
        message=message,
        file=file.path,
        line=line,
        column=column,
        pointer=file.prefix + absolute,
    )


def _texts(facts: list[FileFacts], found: dict[str, str]) -> Texts:
    documents: dict[str, str | None] = {}
    for file in facts:
        if file.collection != "documents":
            continue
        for _, identifier, (sha, _, _) in file.records:
            if identifier is not None and identifier not in documents:
                documents[identifier] = sha
    return Texts(documents, found)


def _digests(facts: list[FileFacts]) -> list[str]:
    """The SHA-256s the documents name, in order, once each."""
    return list(dict.fromkeys(sha for f in facts for _, _, (sha, _, _) in f.records if sha is not None))


@dataclass(slots=True)
class _Run:
    """One validation: the cross-record state, every problem so far, and where time went."""

    schema_files: dict[str, Any] | None = None
    join: Join | None = None
    handles: list[SourceFile] | None = None  # by file number, to place cross-record findings
    problems: list[Problem] | None = None
    records: int = 0
    timings: dict[str, float] | None = None

    def __post_init__(self) -> None:
        self.join, self.handles, self.problems = Join(), [], []
        self.timings = dict.fromkeys(("parse", "sources", "schema", "rules", "anchors"), 0.0)

    def _timed(self, phase: str, started: float) -> float:
        assert self.timings is not None
        now = time.perf_counter()
        self.timings[phase] += now - started
        return now

    def local(
        self, file: SourceFile, texts: Texts | None = None
    ) -> tuple[FileFacts, list[Problem], list[Problem], dict[str, int]]:
        """Schema and record-local problems of a parsed file, its facts, and (with ``texts``) its
        problems against the source texts and the anchors skipped for want of a text."""
        clock = time.perf_counter()
        problems = list(_iter_file_problems(file, self.schema_files))
        clock = self._timed("schema", clock)
        checked = extract(file.collection, file.records, texts)
        problems += [_locate(file, f) for f in checked.findings]
        anchored = [_locate(file, f) for f in checked.text_findings]
        self._timed("rules", clock)
        assert self.timings is not None
        self.timings["rules"] -= checked.text_seconds
        self.timings["anchors"] += checked.text_seconds
        return checked.facts, problems, anchored, checked.skipped

    def against_texts(self, file: SourceFile, texts: Texts) -> tuple[list[Problem], dict[str, int]]:
        """Problems of a parsed file's anchors (and lengths, aliases) against the source texts."""
        clock = time.perf_counter()
        findings, skipped = check_texts(file.collection, file.records, texts)
        located = [_locate(file, f) for f in findings]
        self._timed("anchors", clock)
        return located, skipped

    def add(
        self, handle: SourceFile, facts: FileFacts, problems: list[Problem], skipped: dict[str, int]
    ) -> None:
        """Take in one file's results."""
        assert self.join is not None
        assert self.handles is not None
        assert self.problems is not None
        clock = time.perf_counter()
        self.join.add(len(self.handles), facts, skipped)
        self.handles.append(handle)
        self.problems.extend(problems)
        self.records += facts.size
        self._timed("rules", clock)

    def finish(self) -> list[Problem]:
        """Every problem: the files' own, then the cross-record ones, placed in their files."""
        assert self.join is not None
        assert self.handles is not None
        assert self.problems is not None
        clock = time.perf_counter()
        problems = list(self.problems)
        for file_no, index, code, message, pointer, key, other in self.join.finish():
            if other is not None:  # a duplicate: say where the first one is
                first = self.handles[other[0]]
                line, column = first.position(f"/{other[1]}")
                message = f"{message} (first defined at {first.path}:{line}:{column})"
            problems.append(_locate(self.handles[file_no], (index, code, message, pointer, key)))
        self._timed("rules", clock)
        return problems


def _report(run: _Run, problems: list[Problem], files: int, select: Any, ignore: Any) -> Report:
    assert run.timings is not None
    kept = [p for p in problems if _selected(p.code, select, ignore)]
    notes = ("timing: " + " ".join(f"{k}={v:.3f}s" for k, v in run.timings.items()),)
    return Report(problems=sorted_problems(kept), files=files, records=run.records, notes=notes)


def check(
    raw: RawDataset,
    texts: dict[str, str] | None = None,
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> Report:
    """Validate an already-read dataset (a folder or a release bundle) against the schema and
    every rule.

    ``texts`` maps SHA-256 → source text, for the anchor checks. ``select`` and ``ignore`` filter
    problems by code prefix (``DD4`` means every ``DD4xx``).
    """
    select, ignore = (
        (list(select) if select is not None else None),
        (list(ignore) if ignore is not None else None),
    )
    return _check(raw, texts, _Run(), select, ignore)


def _check(raw: RawDataset, texts: dict[str, str] | None, run: _Run, select: Any, ignore: Any) -> Report:
    assert run.problems is not None
    run.problems.extend(raw.problems)
    files = [f for f in raw.files if f.collection in COLLECTIONS]
    if raw.bundle is not None:
        bundle_problems = list(_iter_file_problems(raw.bundle))
        run.problems.extend(bundle_problems)
        run.problems.extend(iter_bundle_problems(raw.bundle))
        # A release is checked against the schema it carries (when that schema is intact).
        run.schema_files = None if bundle_problems else raw.bundle.data["schema"]["files"]
        files = [f for f in files if f.data is not None]
    if raw.metadata is not None and (raw.bundle is None or raw.metadata.data is not None):
        run.problems.extend(_iter_file_problems(raw.metadata, run.schema_files))
    local = [run.local(f)[:2] for f in files]
    found = _texts([facts for facts, _ in local], texts or {})
    for file, (facts, problems) in zip(files, local, strict=True):
        anchored, skipped = run.against_texts(file, found)
        run.add(file, facts, problems + anchored, skipped)
    count = 1 if raw.bundle else len(raw.files) + (raw.metadata is not None)
    return _report(run, run.finish(), count, select, ignore)


def document_texts(raw: RawDataset, sources: Iterable[str | Path]) -> tuple[list[str], dict[str, str]]:
    """The SHA-256s the dataset's documents name (in order, once each), and the texts of those
    found in ``sources`` (folders or files), by SHA-256."""
    digests = list(
        dict.fromkeys(
            r["sha256"]
            for f in raw.files
            if f.collection == "documents"
            for r in f.records
            if isinstance(r, dict) and isinstance(r.get("sha256"), str)
        )
    )
    return digests, (find_sources(sources, digests) if digests else {})


class _Streamed:
    """Validation of a dataset folder file by file, through an optional cache.

    Each file is read once. With a cache, a file's entry is keyed by the SHA-256 of its bytes and
    the digest of what the checks against the source texts used; a documents file has two entries
    (its facts decide which texts there are, so they are needed before that digest is known).
    """

    def __init__(self, root: Path, run: _Run, cache: ResultCache | None) -> None:
        self.root, self.run, self.cache = root, run, cache

    def _read(self, collection: str, path: Path, rel: str) -> tuple[bytes | None, SourceFile | None]:
        """The file's bytes, or (None, the unreadable file)."""
        clock = time.perf_counter()
        try:
            raw = path.read_bytes()
        except OSError as error:
            return None, SourceFile(collection, rel, unreadable(rel, error))
        self.run._timed("parse", clock)
        return raw, None

    def _parse(self, collection: str, rel: str, raw: bytes) -> SourceFile:
        clock = time.perf_counter()
        file = SourceFile(collection, rel, parse_bytes(raw, rel))
        self.run._timed("parse", clock)
        return file

    def _get(self, key: str | None) -> Any:
        return self.cache.get(key) if self.cache is not None and key is not None else None

    def _put(self, key: str | None, entry: Any) -> None:
        if self.cache is not None and key is not None:
            self.cache.put(key, entry)

    def document(self, path: Path) -> _Document:
        """A documents file's facts and own problems (its checks against the texts come later)."""
        rel = path.relative_to(self.root).as_posix()
        raw, file = self._read("documents", path, rel)
        key = self.cache.key(raw) if self.cache is not None and raw is not None else None
        entry = self._get(key)
        if entry is not None:
            return _Document(path, rel, key, None, FileFacts(*entry[0]), problems_from_rows(entry[1], rel))
        if file is None:
            assert raw is not None
            file = self._parse("documents", rel, raw)
        facts, problems, _, _ = self.run.local(file)
        self._put(key, (tuple(facts), problem_rows(problems)))
        return _Document(path, rel, key, file, facts, problems)

    def document_texts(self, document: _Document, texts: Texts, digest: str) -> None:
        """Check a documents file against the texts (or take that from the cache), hand it over."""
        key = f"{document.key}-{digest}" if document.key is not None else None
        entry = self._get(key)
        if entry is not None:
            anchored, skipped = problems_from_rows(entry[0], document.rel), entry[1]
        else:
            file = document.file
            if file is None:  # its facts came from the cache, but not these checks
                raw, file = self._read("documents", document.path, document.rel)
                if file is None:
                    assert raw is not None
                    file = self._parse("documents", document.rel, raw)
            anchored, skipped = self.run.against_texts(file, texts)
            self._put(key, (problem_rows(anchored), skipped))
        handle = located_later(document.path, document.rel, "documents")
        self.run.add(handle, document.facts, document.problems + anchored, skipped)

    def other(self, collection: str, path: Path, texts: Texts, digest: str) -> None:
        """Check a file of actors, proposals or statements (or take that from the cache), hand it over."""
        rel = path.relative_to(self.root).as_posix()
        raw, file = self._read(collection, path, rel)
        key = f"{self.cache.key(raw)}-{digest}" if self.cache is not None and raw is not None else None
        entry = self._get(key)
        if entry is not None:
            facts, rows, anchored_rows, skipped = entry
            problems = problems_from_rows(rows, rel) + problems_from_rows(anchored_rows, rel)
            self.run.add(located_later(path, rel, collection), FileFacts(*facts), problems, skipped)
            return
        if file is None:
            assert raw is not None
            file = self._parse(collection, rel, raw)
        facts, problems, anchored, skipped = self.run.local(file, texts)
        self._put(key, (tuple(facts), problem_rows(problems), problem_rows(anchored), skipped))
        self.run.add(located_later(path, rel, collection), facts, problems + anchored, skipped)


@dataclass(slots=True)
class _Document:
    """A documents file after its first step."""

    path: Path
    rel: str
    key: str | None  # its cache key, with a cache
    file: SourceFile | None  # the parsed file, unless it came from the cache
    facts: FileFacts
    problems: list[Problem]


def validate(
    path: str | Path | None = None,
    *,
    sources: Iterable[str | Path] = (),
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    cache: str | Path | None = None,
) -> Report:
    """Validate the dataset folder (or release bundle) at ``path`` (the installed dataset by default).

    ``sources`` are folders (or files) searched for the documents' source texts by SHA-256; anchor
    checks of a document whose text is not found are skipped with a DD405 warning.
    ``cache`` is a folder where each file's results are kept by content hash, so that
    re-validating after a few files changed reads only those (safe to delete; see
    :mod:`dispatchdata.cache`). A folder is validated one file at a time.
    Raises :class:`~dispatchdata.errors.DataNotFoundError` when ``path`` does not exist.
    """
    root = Path(path) if path is not None else dataset_dir()
    with gc_paused():
        if root.is_file():
            run = _Run()
            clock = time.perf_counter()
            raw = read_bundle(root)
            clock = run._timed("parse", clock)
            digests, found = document_texts(raw, sources)
            run._timed("sources", clock)
            report = _check(raw, found, run, select, ignore)
        elif root.is_dir():
            report, digests, found = _validate_folder(root, sources, select, ignore, cache)
        else:
            raise DataNotFoundError(f"{root}: does not exist")
    notes = [f"YAML parser: {'libyaml' if HAVE_LIBYAML else 'pure Python (libyaml is not installed)'}"]
    fast = "jsonschema-rs" if fast_check("dataset") else "off (jsonschema-rs is not installed)"
    notes.append(f"schema fast path: {fast}")
    missing = [d for d in digests if d not in found]
    notes.append(f"source texts: {len(digests) - len(missing)} of {len(digests)} found, anchors checked")
    notes += [f"source text not found: sha256 {digest}" for digest in missing[:20]]
    return replace(report, notes=(*notes, *report.notes))


def _validate_folder(
    root: Path, sources: Iterable[str | Path], select: Any, ignore: Any, cache: str | Path | None
) -> tuple[Report, list[str], dict[str, str]]:
    layout = scan_dataset(root)
    run = _Run()
    assert run.problems is not None
    run.problems.extend(layout.problems)
    streamed = _Streamed(root, run, ResultCache(cache) if cache is not None else None)
    if layout.metadata is not None:
        clock = time.perf_counter()
        metadata = read_file(root, layout.metadata, METADATA)
        clock = run._timed("parse", clock)
        run.problems.extend(_iter_file_problems(metadata))
        run._timed("schema", clock)
    # The documents come first: which texts the anchors are checked against depends on them.
    documents = [streamed.document(p) for c, p in layout.files if c == "documents"]
    clock = time.perf_counter()
    digests = _digests([d.facts for d in documents])
    found = find_sources(sources, digests) if digests else {}
    texts = _texts([d.facts for d in documents], found)
    digest = texts.digest()
    run._timed("sources", clock)
    for document in documents:
        streamed.document_texts(document, texts, digest)
    del documents
    for collection, path in layout.files:
        if collection != "documents":
            streamed.other(collection, path, texts, digest)
    files = len(layout.files) + (layout.metadata is not None)
    return _report(run, run.finish(), files, select, ignore), digests, found
