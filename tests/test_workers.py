"""With worker processes, the report is the one a single process gives, whatever way the workers
are started, and no file is left behind."""

from __future__ import annotations

import multiprocessing
import tempfile
from pathlib import Path
from typing import Any

import pytest
from benchmarks import generate

import dispatchdata

from .test_streaming import _lines


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated corpus with problems against the texts in the first file after the documents
    (actors: whichever worker takes it is taking its first file after the documents), in the
    next, in a statements file and in a documents file, and problems of their own in a documents
    file and across files."""
    out = tmp_path_factory.mktemp("corpus")
    corpus: dict[str, Any] = generate.generate(300, seed=11)
    corpus["actors"][0]["anchors"][0]["exact"] = "Not in the text"
    corpus["proposals"][0]["anchors"][0]["suffix"] = "Not after it"
    statements = list(corpus["statements"].values())
    statements[0][0]["anchors"][0]["exact"] = "Nor is this"
    statements[-1][1]["speaker"] = "nobody"
    corpus["documents"][1]["footnotes"][1]["anchor"]["prefix"] = "Not before it"
    corpus["documents"][3]["language"] = 7
    generate.write(corpus, out)
    return out


def test_the_corpus_has_a_problem_in_each_place(corpus: Path) -> None:
    """What the tests below compare is not empty: one process finds each problem."""
    report = dispatchdata.validate(corpus / "yaml", sources=[corpus / "sources"], jobs=1)
    assert [(p.file, p.code) for p in report.problems] == [
        ("actors.yaml", "DD401"),
        ("documents/doc-000001.yaml", "DD402"),
        ("documents/doc-000003.yaml", "DD203"),
        ("proposals.yaml", "DD403"),
        ("statements/doc-000000.yaml", "DD401"),
        ("statements/doc-000005.yaml", "DD302"),
    ]


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder temporary files go to in this test (multiprocessing may keep one of its own there)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_one_pool_reports_what_one_process_does_however_workers_start(
    corpus: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch, method: str, fmt: str
) -> None:
    """Problems in documents files, against the texts and across files are the same, in the
    same places, whatever the start method; no temporary file is left."""
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} start method here")
    sources = [corpus / "sources"]
    alone = dispatchdata.validate(corpus / fmt, sources=sources, jobs=1)
    context = multiprocessing.get_context(method)
    monkeypatch.setattr(multiprocessing, "get_context", lambda: context)
    report = dispatchdata.validate(corpus / fmt, sources=sources, jobs=2)
    assert _lines(alone) == _lines(report)
    assert (alone.files, alone.records) == (report.files, report.records)
    assert list(private_tmp.glob("dispatchdata-*")) == []
