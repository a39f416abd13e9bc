"""Checking one file: parse, schema, the record-local rules and the checks against the source
texts, giving the file's problems and the compact facts the cross-record rules need.

The files of a dataset folder are checked one at a time, through an optional cache, and — for a
large folder — by a pool of worker processes (:mod:`dispatchdata.check.workers`), since files are
independent until their facts are joined (which stays in the main process, in reading order).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..codes import problem
from ..errors import Problem, Severity
from ..read.folder import SourceFile, max_file_size, read_bytes, unreadable
from ..read.jsontext import Canonical
from ..read.parse import parse_bytes
from .cache import Entry, ResultCache
from .rules.anchors import Texts
from .rules.characters import character_check
from .rules.context import Finding
from .rules.facts import FileFacts, check_texts, extract
from .schema import iter_schema_problems

PHASES = ("parse", "sources", "schema", "rules", "anchors")
Timings = dict[str, float]

_UNREADABLE = ("DD100", "DD101", "DD102", "DD105", "DD106", "DD118")


def new_timings() -> Timings:
    """Seconds per phase, all zero."""
    return dict.fromkeys(PHASES, 0.0)


def _timed(timings: Timings, phase: str, started: float) -> float:
    now = time.perf_counter()
    timings[phase] += now - started
    return now


def iter_file_problems(file: SourceFile, schema_files: dict[str, Any] | None = None) -> Iterator[Problem]:
    """A parsed file's reading problems, then (if it could be read) its schema problems."""
    yield from file.parsed.problems
    if any(p.severity is Severity.ERROR and p.code in _UNREADABLE for p in file.parsed.problems):
        return  # unreadable: nothing to check against the schema
    if file.data is None:
        if file.prefix:
            return  # a part of a bundle that is missing: the bundle's own schema says so
        what = "the dataset's metadata (a mapping)" if file.collection == "dataset" else "a list of records"
        yield problem("DD112", f"file is empty: expected {what}", file=file.path, line=1, column=1)
        return
    yield from iter_schema_problems(file, schema_files)
    if file.collection == "dataset" and isinstance(file.data, dict):
        findings: list[Finding] = []
        character_check("dataset")(findings, 0, file.data, [])
        for _, code, message, pointer, _ in findings:
            yield file.problem(code, message, pointer)


def rule_records(file: SourceFile) -> list[Any]:
    """The file's records as the rules see them: without its integers outside the 64-bit range.
    The readers keep such a value (so that the schema does not call it missing), and say once,
    where it is read, that it cannot be stored (DD117); a rule comparing it (offsets outside the
    text, a footnote that does not exist) would say so again, with all its digits. So the rules
    see it as a value the readers leave out (DD104, DD107): not there; in a list, None, so that
    the items after it keep their places."""
    records = file.records
    outside = [p.pointer for p in file.parsed.problems if p.code == "DD117"]
    if not outside:
        return records
    records, prefix = list(records), file.prefix + "/"
    for pointer in outside:
        if pointer.startswith(prefix):
            tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer[len(prefix) :].split("/")]
            _leave_out(records, tokens)
    return records


def _leave_out(records: list[Any], tokens: list[str]) -> None:
    """Leave out of ``records`` the integer at the path ``tokens``, copying each collection on
    the way (the parsed data stays as read)."""
    parent: Any = records
    for depth, token in enumerate(tokens):
        if type(parent) is list and token.isdigit() and int(token) < len(parent):
            key: Any = int(token)
        elif type(parent) is dict and token in parent:
            key = token
        else:
            return  # not where the reader said (never so): nothing to leave out
        value = parent[key]
        if depth == len(tokens) - 1:
            if type(value) is int:
                if type(parent) is list:
                    parent[key] = None
                else:
                    del parent[key]
            return
        if type(value) is not list and type(value) is not dict:
            return
        parent[key] = value = list(value) if type(value) is list else dict(value)
        parent = value


def locate(file: SourceFile, finding: Finding) -> Problem:
    """A finding in one of the file's records, as a problem with its place in the file."""
    index, code, message, pointer, key = finding
    return file.problem(code, message, f"/{index}{pointer}", key=key)


@dataclass(slots=True)
class Checked:
    """What checking one file gave: its facts, its own problems, and its problems against the
    source texts with the anchors skipped for want of a text (empty until those checks ran)."""

    facts: FileFacts
    problems: list[Problem]
    anchored: list[Problem]
    skipped: dict[str, int]


def check_parsed(
    file: SourceFile, timings: Timings, schema_files: dict[str, Any] | None = None, texts: Texts | None = None
) -> Checked:
    """Check a parsed file: schema, record-local rules, and (with ``texts``) the source texts."""
    clock = time.perf_counter()
    problems = list(iter_file_problems(file, schema_files))
    clock = _timed(timings, "schema", clock)
    checked = extract(file.collection, rule_records(file), texts)
    problems += [locate(file, f) for f in checked.findings]
    anchored = [locate(file, f) for f in checked.text_findings]
    _timed(timings, "rules", clock)
    timings["rules"] -= checked.text_seconds
    timings["anchors"] += checked.text_seconds
    return Checked(checked.facts, problems, anchored, checked.skipped)


def check_against_texts(
    file: SourceFile, texts: Texts, timings: Timings
) -> tuple[list[Problem], dict[str, int]]:
    """A parsed file's problems against the source texts (anchors, lengths, aliases)."""
    clock = time.perf_counter()
    findings, skipped = check_texts(file.collection, rule_records(file), texts)
    located = [locate(file, f) for f in findings]
    _timed(timings, "anchors", clock)
    return located, skipped


#: What is handed each file's records: (collection, the records as canonical JSON).
Keep = Callable[[str, Canonical], None]


class FolderFiles:
    """Checks the files of a dataset folder one by one, through an optional cache.

    Each file is read once (twice when the cache does not hold it: once to find its key, once
    to check it, perhaps in a worker). With a cache, a file's entry is keyed by the SHA-256 of its bytes and
    the digest of what the checks against the source texts used; a documents file has two entries
    (its facts decide which texts there are, so they are needed before that digest is known).
    """

    def __init__(
        self, root: Path, cache: str | Path | None, timings: Timings, keep: Keep | None = None
    ) -> None:
        self.root, self.timings, self.cache_folder = root, timings, cache
        self.cache = ResultCache(cache) if cache is not None else None
        # Handed each file's records as it is parsed (to build a bundle from one reading); a file
        # taken from the cache is not parsed, so the two do not go together.
        assert keep is None or cache is None
        self.keep = keep

    def _read(self, collection: str, path: Path, rel: str) -> tuple[bytes | None, SourceFile | None]:
        """The file's bytes, or (None, the unreadable file)."""
        clock = time.perf_counter()
        try:
            raw = read_bytes(path, follow_links=False, limit=max_file_size())
        except OSError as error:
            return None, SourceFile(collection, rel, unreadable(rel, error))
        _timed(self.timings, "parse", clock)
        return raw, None

    def _parse(self, collection: str, rel: str, raw: bytes | None, file: SourceFile | None) -> SourceFile:
        if file is not None:
            return file  # unreadable
        assert raw is not None
        clock = time.perf_counter()
        file = SourceFile(collection, rel, parse_bytes(raw, rel))
        _timed(self.timings, "parse", clock)
        if self.keep is not None:
            self.keep(collection, Canonical.of(file.records))
        return file

    def parse_file(self, collection: str, path: Path, rel: str) -> SourceFile:
        """The file at ``path`` (``rel`` in the folder) read and parsed, unreadable or not."""
        return self._parse(collection, rel, *self._read(collection, path, rel))

    def _get(self, key: str | None, rel: str, collection: str | None) -> Entry | None:
        if self.cache is None or key is None:
            return None
        return self.cache.get(key, rel, collection)

    def _put(self, key: str | None, entry: Entry) -> None:
        if self.cache is not None and key is not None:
            self.cache.put(key, entry)

    def document(self, path: Path) -> DocumentsFile:
        """A documents file's facts and own problems (its checks against the texts come later)."""
        rel = path.relative_to(self.root).as_posix()
        raw, file = self._read("documents", path, rel)
        key = self.cache.key(raw) if self.cache is not None and raw is not None else None
        entry = self._get(key, rel, "documents")
        if entry is not None and entry.facts is not None:
            checked = Checked(entry.facts, entry.problems, [], {})
            return DocumentsFile(path, rel, key, None, checked)
        file = self._parse("documents", rel, raw, file)
        checked = check_parsed(file, self.timings)
        self._put(key, Entry(facts=checked.facts, problems=checked.problems, anchored=[], skipped={}))
        return DocumentsFile(path, rel, key, file, checked)

    def document_texts(self, document: DocumentsFile, texts: Texts, digest: str) -> Checked:
        """A documents file checked against the texts too (or that taken from the cache)."""
        key = f"{document.key}-{digest}" if document.key is not None else None
        entry = self._get(key, document.rel, None)
        if entry is not None:
            anchored, skipped = entry.anchored, entry.skipped
        else:
            file = document.file
            if file is None:  # its facts came from the cache, but not these checks
                file = self.parse_file("documents", document.path, document.rel)
            anchored, skipped = check_against_texts(file, texts, self.timings)
            self._put(key, Entry(facts=None, problems=[], anchored=anchored, skipped=skipped))
        return Checked(document.checked.facts, document.checked.problems, anchored, skipped)

    def other(self, collection: str, path: Path, texts: Texts, digest: str) -> Checked:
        """A file of actors, proposals or statements, checked (or taken from the cache)."""
        rel = path.relative_to(self.root).as_posix()
        raw, file = self._read(collection, path, rel)
        key = f"{self.cache.key(raw)}-{digest}" if self.cache is not None and raw is not None else None
        cached = self.cached(collection, rel, key)
        if cached is not None:
            return cached
        checked = check_parsed(self._parse(collection, rel, raw, file), self.timings, texts=texts)
        entry = Entry(
            facts=checked.facts, problems=checked.problems, anchored=checked.anchored, skipped=checked.skipped
        )
        self._put(key, entry)
        return checked

    def cached(self, collection: str, rel: str, key: str | None) -> Checked | None:
        """The results of the file ``rel`` of ``collection`` stored under ``key`` (see
        :meth:`other`), if the cache holds a good entry there."""
        entry = self._get(key, rel, collection)
        if entry is None or entry.facts is None:
            return None
        return Checked(entry.facts, entry.problems, entry.anchored, entry.skipped)

    def key_of(self, path: Path, digest: str) -> str | None:
        """The cache key :meth:`other` uses for the file at ``path`` now (None if unreadable)."""
        assert self.cache is not None
        clock = time.perf_counter()
        try:
            raw = read_bytes(path, follow_links=False, limit=max_file_size())
        except OSError:
            return None
        _timed(self.timings, "parse", clock)
        return f"{self.cache.key(raw)}-{digest}"


@dataclass(slots=True)
class DocumentsFile:
    """A documents file after its first step."""

    path: Path
    rel: str
    key: str | None  # its cache key, with a cache
    file: SourceFile | None  # the parsed file, unless it came from the cache
    checked: Checked
