"""A corpus of many files is validated file by file: problems that cross files are found exactly,
and the report is the same whether files are checked in this process, by worker processes, or
come from the cache."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from benchmarks import generate

import dispatchdata
from dispatchdata.check.schema import fast_check
from dispatchdata.check.workers import JSON_WEIGHT, PARALLEL_MIN_YAML, _worker_count, default_jobs
from dispatchdata.read import json as json_parse
from dispatchdata.read import json_scan
from dispatchdata.read import yaml as yaml_parse

from .test_validate import line


def _broken_corpus(out: Path) -> list[str]:
    """A generated corpus of 6 documents with errors across its statements files and in two
    documents files; returns the statement files' names in reading order."""
    corpus: dict[str, Any] = generate.generate(300, seed=11)
    files = list(corpus["statements"].values())
    files[1][3]["id"] = files[0][2]["id"]  # the same id in two files
    files[2][0]["responds_to"] = [files[5][7]["id"]]  # an answer to a statement read later: fine
    files[2][1]["responds_to"] = ["statement-none"]  # an answer to nothing
    files[3][4]["speaker"] = files[3][4]["speaker"] + "x"  # an unknown actor, with a close one
    files[4][0]["anchors"][0]["exact"] = "Not in the text"
    documents = corpus["documents"]
    documents[1]["footnotes"][1]["anchor"]["prefix"] = "Not before it"  # found against the text
    documents[3]["language"] = 7  # found in the file itself
    generate.write(corpus, out)
    return [f"statements/{d}.yaml" for d in corpus["statements"]]


def _lines(report: dispatchdata.Report) -> list[str]:
    return [line(p) for p in report.problems]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("corpus")
    return out, _broken_corpus(out)


def test_problems_across_files_are_found_and_placed(corpus: tuple[Path, list[str]]) -> None:
    """Duplicate ids name where the first one is; unknown references get a hint; forward ones pass."""
    out, names = corpus
    report = dispatchdata.validate(out / "yaml", sources=[out / "sources"], jobs=1)
    codes = [(p.file, p.code) for p in report.problems]
    assert codes == [
        ("documents/doc-000001.yaml", "DD402"),
        ("documents/doc-000003.yaml", "DD203"),
        (names[1], "DD301"),
        (names[2], "DD302"),
        (names[3], "DD302"),
        (names[4], "DD401"),
    ]
    assert [(p.line, p.column) for p in report.problems[:2]] == [(40, 15), (7, 13)]
    _, _, duplicate, answer, speaker, _ = report.problems
    assert duplicate.message.endswith(f"(first defined at {names[0]}:{_line_of_record(out, names[0], 2)}:3)")
    assert answer.pointer == "/1/responds_to/0"
    assert "did you mean" in speaker.message


def _line_of_record(out: Path, name: str, index: int) -> int:
    lines = (out / "yaml" / name).read_text(encoding="utf-8").splitlines()
    starts = [i + 1 for i, text in enumerate(lines) if text.startswith("- ")]
    return starts[index]


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_workers_and_cache_report_exactly_what_one_process_does(
    corpus: tuple[Path, list[str]], tmp_path: Path, fmt: str
) -> None:
    """Same problems, same places, same counts: one process, two workers, cold and warm cache
    (documents files too: their own problems, and those against the texts, which a worker's
    data is checked for in this process and placed by reading the file again)."""
    out, _ = corpus
    data, sources = out / fmt, [out / "sources"]
    alone = dispatchdata.validate(data, sources=sources, jobs=1)
    assert len(alone.problems) == 6
    runs = [
        dispatchdata.validate(data, sources=sources, jobs=2),
        dispatchdata.validate(data, sources=sources, jobs=2, cache=tmp_path / "cache"),
        dispatchdata.validate(data, sources=sources, jobs=1, cache=tmp_path / "cache"),
        dispatchdata.validate(data, sources=sources, jobs=2, cache=tmp_path / "cache"),
    ]
    for report in runs:
        assert _lines(alone) == _lines(report)
        assert (alone.files, alone.records) == (report.files, report.records)


def test_the_cache_is_not_used_when_the_source_texts_differ(
    corpus: tuple[Path, list[str]], tmp_path: Path
) -> None:
    """Anchor results depend on which texts were found: without them, every anchor check is skipped."""
    out, _ = corpus
    cache = tmp_path / "cache"
    dispatchdata.validate(out / "yaml", sources=[out / "sources"], cache=cache)
    without = dispatchdata.validate(out / "yaml", cache=cache)
    assert [p.code for p in without.problems].count("DD405") == 6
    assert "DD401" not in [p.code for p in without.problems]


def test_workers_start_only_for_enough_work(tmp_path: Path) -> None:
    """A small folder is checked in this process, a large one by one worker per processor; a
    byte of JSON counts JSON_WEIGHT of a byte of YAML (checking it costs that much less), so a
    JSON folder needs that much more before workers start by themselves (for validate, an export
    or a diff alike); asked for, they start."""

    def sized(name: str, size: int) -> Path:
        path = tmp_path / name
        path.touch()
        os.truncate(path, size)  # its size is what counts, not what it holds
        return path

    small = sized("small.yaml", 1000)
    assert _worker_count([("statements", small)], None) == 1
    assert _worker_count([("statements", small)], 3) == 3
    yaml_short, yaml_enough = (
        sized("short.yaml", PARALLEL_MIN_YAML - 1),
        sized("enough.yaml", PARALLEL_MIN_YAML),
    )
    assert _worker_count([("statements", yaml_short)], None) == 1
    assert _worker_count([("statements", yaml_enough)], None) == default_jobs()
    enough = int(PARALLEL_MIN_YAML / JSON_WEIGHT)
    json_short, json_enough = sized("short.json", enough - 8), sized("enough.json", enough)
    assert _worker_count([("statements", yaml_short)] * 4, None) == default_jobs()
    assert _worker_count([("statements", json_short)], None) == 1
    assert _worker_count([("statements", json_short)], 2) == 2
    assert _worker_count([("statements", json_enough)], None) == default_jobs()
    # What is missing (a file gone since it was listed) counts nothing.
    assert _worker_count([("statements", tmp_path / "gone.json"), ("statements", json_short)], None) == 1


def test_a_json_folder_is_validated_without_pyyaml(corpus: tuple[Path, list[str]]) -> None:
    """Reading only JSON never imports PyYAML (a faster start), and -v names no YAML parser."""
    out, _ = corpus
    script = (
        "import sys; from dispatchdata.cli import main\n"
        "sys.argv = ['dispatchdata', 'validate', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    print(e.code, 'yaml' in sys.modules)"
    )
    args = [sys.executable, "-c", script, str(out / "json"), "--sources", str(out / "sources"), "-q", "-v"]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    assert done.stdout.splitlines()[-1] == "1 False"  # findings (exit 1), placed without PyYAML too
    assert [
        "note: schema fast path: jsonschema-rs"
        if fast_check("dataset")
        else "note: schema fast path: off (jsonschema-rs is not installed)",
        "note: source texts: 6 of 6 found: every anchor checked against its text",
    ] == done.stderr.splitlines()[:2]


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_a_folder_is_bundled_from_one_reading(tmp_path: Path, fmt: str) -> None:
    """open_bundle (what diff, export and cite read) checks a folder file by file and keeps only
    the records: the bundle is the one made from the whole dataset in memory, and an invalid
    folder is refused with the report validate gives."""
    from dispatchdata.read.folder import read_dataset
    from dispatchdata.read.records import index_bundle
    from dispatchdata.release.release import bundle_of, open_bundle, open_indexed

    generate.write(generate.generate(300, seed=5), tmp_path)
    folder, sources = tmp_path / fmt, [tmp_path / "sources"]
    expected = bundle_of(read_dataset(folder))
    assert open_bundle(folder, sources) == expected
    assert open_bundle(folder, sources, jobs=2) == expected  # records read by workers, in order
    for jobs in (1, 2):  # held as canonical JSON (made in the workers), for an export or a diff
        compact = open_bundle(folder, sources, jobs=jobs, compact=True)
        assert {**compact, "collections": {k: list(v) for k, v in compact["collections"].items()}} == expected
        _, indexes = open_indexed(folder, sources, jobs=jobs)
        assert indexes == index_bundle(expected)
    _broken_corpus(tmp_path / "broken")
    with pytest.raises(dispatchdata.InvalidDatasetError) as refused:
        open_bundle(tmp_path / "broken" / fmt, [tmp_path / "broken" / "sources"])
    report = dispatchdata.validate(tmp_path / "broken" / fmt, sources=[tmp_path / "broken" / "sources"])
    assert _lines(refused.value.report) == _lines(report)


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_a_file_no_longer_held_is_read_again_only_as_far_as_its_messages(
    corpus: tuple[Path, list[str]], fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the texts every document gets a DD405 warning at its sha256, placed after its file's
    data was dropped: the file is read again for its positions only (its data is not parsed
    twice), and only as far as that value (thousands of documents each paid a whole reading
    with positions); the place is the value's own line and column."""
    out, _ = corpus

    def whole(*_args: Any) -> Any:
        raise AssertionError("a whole file was read for one position")

    monkeypatch.setattr(json_scan.Scanner, "index", whole)
    seek = yaml_parse._Reading.seek
    monkeypatch.setattr(yaml_parse._Reading, "seek", lambda self, p: whole() if p is None else seek(self, p))
    parses: list[None] = []

    def counting(real: Any) -> Any:
        def counted(*args: Any, **kwargs: Any) -> Any:
            parses.append(None)
            return real(*args, **kwargs)

        return counted

    monkeypatch.setattr(yaml_parse, "_quick", counting(yaml_parse._quick))
    monkeypatch.setattr("dispatchdata.read.parse.parse_json_fast", counting(json_parse.parse_json_fast))
    report = dispatchdata.validate(out / fmt, jobs=1)
    assert len(parses) == report.files  # each file's data parsed once
    warnings = [p for p in report.problems if p.code == "DD405"]
    assert len(warnings) == 6
    for warning in warnings:
        digest = re.search(r"sha256 ([0-9a-f]{64})", warning.message).group(1)  # type: ignore[union-attr]
        text = (out / fmt / warning.file).read_text(encoding="utf-8")
        value = text.index(digest) - (fmt == "json")  # a JSON string's place is its opening quote
        expected = (text.count("\n", 0, value) + 1, value - text.rfind("\n", 0, value))
        assert (warning.line, warning.column) == expected
        assert warning.pointer == "/0/sha256"


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_files_read_again_and_closed_are_read_again_when_asked_again(
    tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the most recently opened files read again for positions stay open (each holds its
    reading, libyaml's parser for YAML); a message in a file closed since reads it again from
    the start, to the same place as when it stayed open."""
    from dispatchdata.read.folder import _ReadAgain, located_later
    from dispatchdata.read.parse import positions_of

    records = [{"id": f"r{i}", "names": ["a", "b"]} for i in range(300)]
    paths = [tmp_path / f"{name}{suffix}" for name in ("first", "second")]
    for path in paths:
        text = (
            json.dumps(records, indent=1) if suffix == ".json" else yaml.safe_dump(records, sort_keys=False)
        )
        path.write_text(text, encoding="utf-8")
    expected = [
        positions_of(path.read_bytes(), path.name).position(pointer)
        for path, pointer in ((paths[0], "/200/names/1"), (paths[1], "/0/id"), (paths[0], "/2/id"))
    ]
    read: list[str] = []

    def counted(raw: bytes, rel: str) -> Any:
        read.append(rel)
        return positions_of(raw, rel)

    monkeypatch.setattr("dispatchdata.read.parse.positions_of", counted)
    monkeypatch.setattr(_ReadAgain, "OPEN_AT_MOST", 1)
    first, second = (located_later(p, p.name, "statements") for p in paths)
    assert first.position("/200/names/1") == expected[0]
    assert second.position("/0/id") == expected[1]  # closes the first
    assert first.position("/2/id") == expected[2]  # read again from the start
    assert read == ["first" + suffix, "second" + suffix, "first" + suffix]
