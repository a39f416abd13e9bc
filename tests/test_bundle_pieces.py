"""A release bundle file is read in pieces, some two hundred records at a time, not whole: the
report, the records and every position are exactly those of reading it whole, and a file that
cannot be cut up safely is read whole."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dispatchdata
from dispatchdata.check.pieces import validate_in_pieces
from dispatchdata.check.validation import _validate_whole_bundle
from dispatchdata.errors import Problem
from dispatchdata.read import bundle as slices
from dispatchdata.read.folder import read_dataset
from dispatchdata.read.parse import parse_bytes
from dispatchdata.read.records import index_bundle
from dispatchdata.release.release import dump_bundle, open_bundle, open_indexed

from .helpers import examples, ship
from .test_streaming import _broken_corpus
from .test_validate import INVALID, MINIMAL, SOURCES, apply_case, line


def _bundle_of(folder: Path) -> dict[str, Any]:
    """The bundle of a folder as it is, valid or not (what a release of it would hold)."""
    from dispatchdata.release.release import bundle_of

    return bundle_of(read_dataset(folder))


def _placed(problem: Problem) -> str:
    """A problem as one comparable line, with its JSON pointer in the bundle."""
    return f"{line(problem)} @{problem.pointer}"


def _reports(path: Path, sources: list[Path]) -> tuple[list[str], list[str], tuple[int, int]]:
    """The problems found reading ``path`` in pieces and whole, and the records each counted."""
    in_pieces = validate_in_pieces(path, sources, None, None)
    assert in_pieces is not None, "not read in pieces"
    whole, _, _ = _validate_whole_bundle(path, sources, None, None)
    pieces = in_pieces[0]
    return (
        [_placed(p) for p in pieces.problems],
        [_placed(p) for p in whole.problems],
        (pieces.records, whole.records),
    )


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated corpus with problems within and across files, as one bundle file."""
    out = tmp_path_factory.mktemp("broken")
    _broken_corpus(out)
    (out / "bundle.json").write_bytes(dump_bundle(_bundle_of(out / "json")))
    return out


@pytest.mark.parametrize("piece_bytes", [1, 5000, None])
@pytest.mark.parametrize("with_texts", [True, False])
def test_pieces_report_exactly_what_the_whole_file_does(
    broken: Path, piece_bytes: int | None, with_texts: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Problems within a record, across records (a duplicate id, answers to statements read
    later or to nothing), against the source texts, and DD405 for every document without its
    text: each placed at the same line, column and pointer, one record per piece or many."""
    if piece_bytes is not None:
        monkeypatch.setattr(slices, "PIECE_BYTES", piece_bytes)
    pieces, whole, (counted, expected) = _reports(
        broken / "bundle.json", [broken / "sources"] if with_texts else []
    )
    assert pieces == whole
    assert counted == expected == 327
    codes = sorted(p.split(": ")[1].split()[0] for p in whole)
    against_texts = ["DD401", "DD402"] if with_texts else ["DD405"] * 6  # a warning per document
    assert codes == sorted(["DD203", "DD301", "DD302", "DD302", *against_texts])
    duplicate = next(p for p in pieces if " DD301 " in p)
    assert duplicate.endswith("/id")
    assert "@/collections/statements/" in duplicate
    assert duplicate.startswith("bundle.json:")
    assert "(first defined at bundle.json:" in duplicate


def test_a_bundle_of_many_pieces_is_cut_between_records(
    broken: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 300 statements are cut into pieces of about 5000 bytes, each starting on the line
    of its first byte; the frame keeps every line, so that its positions are the file's."""
    path = broken / "bundle.json"
    raw = path.read_bytes()
    sliced = slices.slice_bundle(path, 5000)
    assert sliced is not None
    assert [s.collection for s in sliced.spans] == ["actors", "documents", "proposals", "statements"]
    statements = [p for p in sliced.pieces if p.collection == "statements"]
    assert 40 < len(statements) < 80
    for piece in sliced.pieces:
        assert piece.line == raw.count(b"\n", 0, piece.start) + 1
    assert sliced.frame.count(b"\n") == raw.count(b"\n")
    assert json.loads(sliced.frame)["collections"] == {
        c: [] for c in ("actors", "documents", "proposals", "statements")
    }


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.stem)
def test_every_invalid_case_as_a_bundle_reads_the_same_in_pieces(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each case of tests/cases/invalid/ that a bundle can hold (the files parse, the metadata
    has a version) reports the same in pieces of one record as whole."""
    spec = parse_bytes(case.read_bytes(), case.name).data
    apply_case(spec, tmp_path / "dataset")
    raw = read_dataset(tmp_path / "dataset")
    metadata = raw.metadata.data if raw.metadata is not None else None
    if not (isinstance(metadata, dict) and isinstance(metadata.get("version"), str)):
        pytest.skip("no bundle holds a dataset without its metadata")
    if any(f.data is None for f in raw.files):
        pytest.skip("a file that does not parse is not in a bundle")
    if any(p.code == "DD117" for f in raw.files for p in f.parsed.problems):
        # The bundle holds the integer too, and a piece with a reading problem is read whole.
        pytest.skip("a bundle with an integer beyond 64 bits is read whole (tests/attacks/test_crashes.py)")
    path = tmp_path / "bundle.json"
    path.write_bytes(dump_bundle(_bundle_of(tmp_path / "dataset")))
    monkeypatch.setattr(slices, "PIECE_BYTES", 1)
    pieces, whole, (counted, expected) = _reports(path, [SOURCES] if spec.get("sources", True) else [])
    assert pieces == whole
    assert counted == expected


def _minimal_bundle() -> bytes:
    return dump_bundle(_bundle_of(MINIMAL))


def test_a_file_laid_out_otherwise_is_read_whole(tmp_path: Path) -> None:
    """One line of JSON has no list to cut: read whole, valid the same."""
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(json.loads(_minimal_bundle())), encoding="utf-8")
    assert validate_in_pieces(path, [SOURCES], None, None) is None
    assert dispatchdata.validate(path, sources=[SOURCES]).valid


@pytest.mark.parametrize(
    ("find", "replace", "expected"),
    [
        # A syntax error inside a record: that piece does not parse.
        ('"kind": "direct-quote"', '"kind": "direct-quote",', "DD102 JSON syntax error"),
        # A duplicate key inside a record.
        (
            '"kind": "direct-quote"',
            '"kind": "direct-quote", "kind": "paraphrase"',
            "DD103 duplicate key 'kind'",
        ),
        # A second list named as a collection, in the metadata: not the collection's.
        (
            '"metadata": {\n',
            '"metadata": {\n    "actors": [\n      {}\n    ],\n',
            "DD202 unexpected property 'actors'",
        ),
    ],
)
def test_what_cannot_be_cut_safely_is_read_whole(
    tmp_path: Path, find: str, replace: str, expected: str
) -> None:
    """The file is then read whole, and its problem reported as it always was."""
    text = _minimal_bundle().decode()
    assert find in text
    path = tmp_path / "bundle.json"
    path.write_text(text.replace(find, replace, 1), encoding="utf-8")
    assert validate_in_pieces(path, [SOURCES], None, None) is None
    problems = [line(p) for p in dispatchdata.validate(path, sources=[SOURCES]).problems]
    assert any(expected in p for p in problems), problems


def test_a_schema_that_counts_the_list_is_checked_whole(tmp_path: Path) -> None:
    """A release carries its schema; one that says something of a list as a whole (here: at least
    99 statements) is checked against the whole list, so the file is read whole. (Only a release
    verified against its SHA256SUMS is read with its own schema.)"""
    import hashlib

    from dispatchdata.check.schema import schema_digest
    from dispatchdata.display import excerpt

    bundle = json.loads(_minimal_bundle())
    files = bundle["schema"]["files"]
    files["statements.schema.json"]["minItems"] = 99
    bundle["schema"]["sha256"] = schema_digest(files)
    path = tmp_path / "releases" / "1.0.0.json"
    path.parent.mkdir()
    path.write_bytes(dump_bundle(bundle))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    (path.parent / "SHA256SUMS").write_text(f"{digest}  1.0.0.json\n", encoding="utf-8")
    ship(digest)
    assert validate_in_pieces(path, [SOURCES], None, None, own_schema=True) is None
    problems = [line(p) for p in dispatchdata.validate(path, sources=[SOURCES]).problems]
    assert [p.split(": ", 1)[1] for p in problems] == [
        f"DD206 {excerpt(repr(bundle['collections']['statements']))} is too short"  # not at length
    ]


def test_open_bundle_and_open_indexed_read_the_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What export and diff read from a bundle file in pieces is the bundle, record for record."""
    monkeypatch.setattr(slices, "PIECE_BYTES", 1)
    path = tmp_path / "bundle.json"
    path.write_bytes(_minimal_bundle())
    expected = json.loads(path.read_bytes())
    assert open_bundle(path, [SOURCES]) == expected
    compact = open_bundle(path, [SOURCES], compact=True)
    assert {name: list(records) for name, records in compact["collections"].items()} == expected[
        "collections"
    ]
    frame, indexes = open_indexed(path, [SOURCES])
    assert indexes == index_bundle(expected)
    assert frame == {k: v for k, v in expected.items() if k != "collections"}


_TOKENS = ["", "\n", ",", '"', "{", "}", "[", "]", "\n      },\n      {", "\n    ]", '"id": "x", ', "0", ":"]


@settings(
    max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edits=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 40), st.sampled_from(_TOKENS)), max_size=3
    ),
    piece_bytes=st.sampled_from([1, 300, 4000]),
    block=st.sampled_from([7, 64, 1 << 23]),
)
def test_any_edit_of_a_bundle_reads_the_same_as_whole(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    edits: list[tuple[float, int, str]],
    piece_bytes: int,
    block: int,
) -> None:
    """Whatever is deleted or inserted (brackets, commas, quotes, a record separator, a list's
    end), and however the file is read in blocks and cut: validate reports exactly what reading
    the file whole does, in pieces when it can."""
    monkeypatch.setattr(slices, "PIECE_BYTES", piece_bytes)
    monkeypatch.setattr(slices, "_BLOCK", block)
    text = _minimal_bundle().decode()
    for where, deleted, inserted in edits:
        at = int(where * len(text))
        text = text[:at] + inserted + text[at + deleted :]
    path = tmp_path / "bundle.json"
    path.write_text(text, encoding="utf-8")
    report = dispatchdata.validate(path, sources=[SOURCES])
    whole, _, _ = _validate_whole_bundle(path, [SOURCES], None, None)
    assert [_placed(p) for p in report.problems] == [_placed(p) for p in whole.problems]
    assert report.records == whole.records
