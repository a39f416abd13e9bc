"""The parse cache: same reports with and without it, exact positions from cached files, and an
entry is never used for other bytes, another tool version, or when it is corrupt."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

import dispatchdata
from dispatchdata.check import cache as cache_module
from dispatchdata.check import file as filecheck

from .test_validate import MINIMAL, SOURCES, line


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(MINIMAL, target)
    return target


def _report(data: Path, cache: Path | None) -> list[str]:
    return [line(p) for p in dispatchdata.validate(data, sources=[SOURCES], cache=cache).problems]


def test_cached_run_reports_exactly_what_an_uncached_run_does(tmp_path: Path) -> None:
    """A rule problem located in a file that comes from the cache keeps its exact place."""
    data, cache = _copy(tmp_path), tmp_path / "cache"
    assert _report(data, cache) == []  # fills the cache
    assert any(cache.rglob("*.json"))
    actors = data / "actors.yaml"  # break another file: statements.yaml is read from the cache
    actors.write_text(
        actors.read_text(encoding="utf-8").replace("- id: anna-orlova", "- id: anna-orlova-x"),
        encoding="utf-8",
    )
    expected = _report(data, None)
    assert (
        "statements.yaml:18:12: DD302 unknown actor 'anna-orlova' (did you mean 'anna-orlova-x'?)" in expected
    )
    assert _report(data, cache) == expected


def test_parse_problems_come_back_from_the_cache(tmp_path: Path) -> None:
    """A file with a duplicate key: the same problem, cold and warm."""
    data, cache = _copy(tmp_path), tmp_path / "cache"
    path = data / "statements.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "  kind: paraphrase\n", "  kind: paraphrase\n  kind: editorial\n"
        ),
        encoding="utf-8",
    )
    cold = _report(data, cache)
    assert cold == _report(data, cache) == _report(data, None)
    assert any("DD103" in p for p in cold)


def test_changed_bytes_are_never_served_from_the_cache(tmp_path: Path) -> None:
    """The key is the content hash: an edited file is parsed again."""
    data, cache = _copy(tmp_path), tmp_path / "cache"
    _report(data, cache)
    path = data / "statements.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("speaker: anna-orlova", "speaker: nobody"), encoding="utf-8"
    )
    assert [p.split(": ", 1)[1][:5] for p in _report(data, cache)] == ["DD302"]


def test_other_versions_and_corrupt_entries_are_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries of another tool version are not read; a corrupt entry is skipped and rewritten."""
    data, cache = _copy(tmp_path), tmp_path / "cache"
    _report(data, cache)
    for entry in cache.rglob("*.json"):
        entry.write_bytes(b"not marshal data")
    assert _report(data, cache) == []
    monkeypatch.setattr(cache_module, "CACHE_FORMAT", 999)
    assert _report(data, cache) == []
    assert len(list(cache.iterdir())) == 2  # one folder per version: the old one was not read


def test_deleting_the_cache_is_safe(tmp_path: Path) -> None:
    """Delete it at any time: the next run simply parses again."""
    data, cache = _copy(tmp_path), tmp_path / "cache"
    _report(data, cache)
    shutil.rmtree(cache)
    assert _report(data, cache) == []


def test_a_warm_run_reads_every_entry_it_wrote(
    dataset_copy: Path, sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every entry the cache writes passes its own checks when read back (documents with their
    footnotes, actors with their aliases, proposals, statements): with the cache full, nothing is
    parsed, and the report is the same. (A check too strict would make every run a cold one.)"""
    cache = dataset_copy.parent / "cache"
    cold = dispatchdata.validate(dataset_copy, sources=[sources], cache=cache)
    entries = sorted(cache.rglob("*.json"))

    def no_parsing(*_args: object) -> None:
        raise AssertionError("a file was parsed although its entry was stored")

    monkeypatch.setattr(filecheck, "parse_bytes", no_parsing)
    warm = dispatchdata.validate(dataset_copy, sources=[sources], cache=cache)
    assert (warm.problems, warm.files, warm.records) == (cold.problems, cold.files, cold.records)
    assert len(entries) == 5  # two for the documents file, one for each other collection file
    assert sorted(cache.rglob("*.json")) == entries


def test_entries_round_trip_exactly(dataset_copy: Path) -> None:
    """An entry read back is equal to the one written: the same facts (tuples where tuples were,
    footnote numbers as integers; a statement's cited footnotes are pairs in lists, which the
    rules only unpack), problems and counts."""
    from dispatchdata.check.file import FolderFiles, new_timings

    files = FolderFiles(dataset_copy, None, new_timings())
    for collection in ("documents", "actors", "proposals", "statements"):
        path = dataset_copy / f"{collection}.yaml"
        checked = filecheck.check_parsed(files.parse_file(collection, path, path.name), new_timings())
        entry = cache_module.Entry(
            facts=checked.facts, problems=checked.problems, anchored=[], skipped={"doc": 2}
        )
        again = cache_module.decode_entry(cache_module.encode_entry(entry), path.name, collection)
        assert again.facts is not None
        if collection == "statements":
            records = [(i, n, (d, doc, [tuple(p) for p in c])) for i, n, (d, doc, c) in again.facts.records]
            again = dataclasses.replace(again, facts=again.facts._replace(records=records))
        assert entry == again
        assert checked.facts.records
