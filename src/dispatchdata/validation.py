"""Validation: parse → schema → rules → :class:`Report`."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from .cache import ParseCache
from .errors import Problem, Report, Severity, sorted_problems
from .layout import RawDataset, SourceFile, read_dataset
from .parse import HAVE_LIBYAML
from .parse_common import gc_paused
from .resources import dataset_dir
from .rules import iter_rule_problems
from .schema import fast_check, iter_schema_problems
from .sources import find_sources


def _iter_file_problems(file: SourceFile, schema_files: dict[str, Any] | None = None) -> Iterator[Problem]:
    yield from file.parsed.problems
    if any(
        p.severity is Severity.ERROR and p.code in ("DD100", "DD101", "DD102", "DD105", "DD106")
        for p in file.parsed.problems
    ):
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


def document_texts(raw: RawDataset, sources: Iterable[str | Path]) -> tuple[list[str], dict[str, str]]:
    """The SHA-256s the dataset's documents name (in order, once each), and the texts of those
    found in ``sources`` (folders or files), by SHA-256."""
    digests = list(
        dict.fromkeys(
            r["sha256"]
            for f in raw.collection("documents")
            for r in f.records
            if isinstance(r, dict) and isinstance(r.get("sha256"), str)
        )
    )
    return digests, (find_sources(sources, digests) if digests else {})


def check(
    raw: RawDataset,
    texts: dict[str, str] | None = None,
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> Report:
    """Validate an already-read dataset against the schema and every rule.

    ``texts`` maps SHA-256 → source text, for the anchor checks. ``select`` and ``ignore`` filter
    problems by code prefix (``DD4`` means every ``DD4xx``).
    """
    select, ignore = (
        (list(select) if select is not None else None),
        (list(ignore) if ignore is not None else None),
    )
    files = ([raw.metadata] if raw.metadata else []) + raw.files
    problems: list[Problem] = list(raw.problems)
    clock = time.perf_counter()
    if raw.bundle is not None:
        bundle_problems = list(_iter_file_problems(raw.bundle))
        problems.extend(bundle_problems)
        # A release is checked against the schema it carries (when that schema is intact).
        schema_files = None if bundle_problems else raw.bundle.data["schema"]["files"]
        files = [f for f in files if f.data is not None]
        problems.extend(p for f in files for p in _iter_file_problems(f, schema_files))
    else:
        for file in files:
            problems.extend(_iter_file_problems(file))
    timings = {"schema": time.perf_counter() - clock}
    problems.extend(iter_rule_problems(raw, texts or {}, timings))
    kept = [p for p in problems if _selected(p.code, select, ignore)]
    records = sum(len(f.records) for f in raw.files)
    count = 1 if raw.bundle else len(files)
    notes = ("timing: " + " ".join(f"{k}={v:.3f}s" for k, v in timings.items()),)
    return Report(problems=sorted_problems(kept), files=count, records=records, notes=notes)


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
    ``cache`` is a folder where parsed files are kept by content hash, so that re-validating after a
    few files changed reads only those (safe to delete; see :mod:`dispatchdata.cache`).
    Raises :class:`~dispatchdata.errors.DataNotFoundError` when ``path`` is not a folder.
    """
    with gc_paused():
        clock = time.perf_counter()
        raw = read_dataset(
            path if path is not None else dataset_dir(), ParseCache(cache) if cache is not None else None
        )
        parse_time = time.perf_counter() - clock
        clock = time.perf_counter()
        digests, texts = document_texts(raw, sources)
        sources_time = time.perf_counter() - clock
        report = check(raw, texts, select=select, ignore=ignore)
        notes = [f"YAML parser: {'libyaml' if HAVE_LIBYAML else 'pure Python (libyaml is not installed)'}"]
        fast = "jsonschema-rs" if fast_check("dataset") else "off (jsonschema-rs is not installed)"
        notes.append(f"schema fast path: {fast}")
        missing = [d for d in digests if d not in texts]
        notes.append(f"source texts: {len(digests) - len(missing)} of {len(digests)} found, anchors checked")
        notes += [f"source text not found: sha256 {digest}" for digest in missing[:20]]
        rest = report.notes[0].removeprefix("timing: ")
        timing = f"timing: parse={parse_time:.3f}s sources={sources_time:.3f}s {rest}"
        return replace(report, notes=(*notes, timing))
