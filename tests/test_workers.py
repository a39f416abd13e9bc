"""With worker processes, one pool reads the documents and goes on to the other files while the
main process finds the source texts, which reach the workers later: the report is the one a
single process gives, whatever way the workers are started, and a validation that stops before
the texts are known stops its workers and leaves no file behind."""

from __future__ import annotations

import multiprocessing
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from benchmarks import generate

import dispatchdata
from dispatchdata import workers
from dispatchdata.filecheck import Document, FolderFiles, new_timings
from dispatchdata.layout import scan_dataset
from dispatchdata.rules.anchors import Texts

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


def _given(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """What each hand-over of the texts to a pool's workers returned, as they happen."""
    calls: list[bool] = []
    give = workers._Handoff.give

    def recorded(self: workers._Handoff, texts: Texts, digest: str) -> bool:
        calls.append(give(self, texts, digest))
        return calls[-1]

    monkeypatch.setattr(workers._Handoff, "give", recorded)
    return calls


@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_one_pool_reports_what_one_process_does_however_workers_start(
    corpus: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch, method: str, fmt: str
) -> None:
    """The texts are handed over once (the start method decides how the event that announces
    them reaches the workers); problems in documents files, against the texts and across files
    are the same, in the same places; the temporary file is gone."""
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} start method here")
    sources = [corpus / "sources"]
    alone = dispatchdata.validate(corpus / fmt, sources=sources, jobs=1)
    given = _given(monkeypatch)
    context = multiprocessing.get_context(method)
    monkeypatch.setattr(multiprocessing, "get_context", lambda: context)
    report = dispatchdata.validate(corpus / fmt, sources=sources, jobs=2)
    assert given == [True]
    assert _lines(alone) == _lines(report)
    assert (alone.files, alone.records) == (report.files, report.records)
    assert list(private_tmp.glob("dispatchdata-*")) == []


def test_texts_that_cannot_be_handed_over_go_to_a_new_pool(
    corpus: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the texts cannot be written for the workers (a full disk), the waiting workers are
    stopped and the other files are checked by workers that start with the texts: same report."""
    alone = dispatchdata.validate(corpus / "yaml", sources=[corpus / "sources"], jobs=1)
    monkeypatch.setattr(workers._Handoff, "give", lambda self, texts, digest: False)
    report = dispatchdata.validate(corpus / "yaml", sources=[corpus / "sources"], jobs=2)
    assert _lines(alone) == _lines(report)
    assert list(private_tmp.glob("dispatchdata-*")) == []


def test_workers_stop_when_finding_the_texts_fails(corpus: Path, private_tmp: Path) -> None:
    """An error while the main process finds the texts (the workers already waiting for them)
    comes out as it is, promptly: the workers are stopped, not left waiting, and no file is left."""
    root = corpus / "yaml"
    layout = scan_dataset(root)
    documents = [p for c, p in layout.files if c == "documents"]
    others = [(c, p) for c, p in layout.files if c != "documents"]
    seen: list[list[Document]] = []

    def failing(read: list[Document]) -> tuple[Texts, str]:
        seen.append(read)
        time.sleep(0.5)  # time for each worker to parse a file and wait for the texts
        raise OSError("the sources folder went away")

    outcome: list[BaseException] = []

    def run() -> None:
        try:
            list(workers.check_folder(FolderFiles(root, None, new_timings()), documents, others, 2, failing))
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "the workers were left waiting for the texts"
    assert [str(e) for e in outcome] == ["the sources folder went away"]
    assert [d.rel for d in seen[0]] == [p.relative_to(root).as_posix() for p in documents]
    assert multiprocessing.active_children() == []
    assert list(private_tmp.glob("dispatchdata-*")) == []
