"""The data is the release it names, or says it is not (issue #22, item 2): exports of the
installed data are byte for byte those of ``--release <its version>`` while the data equals that
release, decided by content; changed data is labelled ``<version>+unreleased.<hash>`` everywhere
and given no release date; one citation string, in ``ds.info``, ``cite()`` and the exports."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import dispatchdata
from dispatchdata.cli import main
from dispatchdata.export import FORMATS, MARKER, export
from dispatchdata.identity import identify, releases_of
from dispatchdata.read.folder import COLLECTIONS
from dispatchdata.release.release import dump_bundle, open_bundle
from dispatchdata.resources import dataset_dir

from .conftest import DATASET

runner = CliRunner()

VERSION = dispatchdata.__version__
#: The installed data's release, as frozen (its date is the one every export must carry).
RELEASE = json.loads((DATASET / "releases" / f"{VERSION}.json").read_text(encoding="utf-8"))
TITLE = RELEASE["metadata"]["citation"]["title"]
NOTE = RELEASE["metadata"]["citation"]["note"]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _changed(folder: Path) -> Path:
    """``folder`` (a copy of the dataset) with one summary reworded: valid, and not the release."""
    path = folder / "statements.yaml"
    text = path.read_text(encoding="utf-8")
    old = "  summary: About 1,000,000 people are estimated"
    assert text.count(old) == 1
    path.write_text(text.replace(old, "  summary: About a million people are estimated"), encoding="utf-8")
    return folder


def _label(folder: Path) -> str:
    """What changed data must be labelled: its version and its canonical bundle's SHA-256."""
    return f"{VERSION}+unreleased.{hashlib.sha256(dump_bundle(open_bundle(folder))).hexdigest()[:8]}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_exports_of_the_installed_data_are_its_release_byte_for_byte(fmt: str, tmp_path: Path) -> None:
    """Without --release, every file (SHA256SUMS and the marker included) is the one --release
    <the installed version> writes: the data equals that release, so it is that release."""
    done = runner.invoke(main, ["export", fmt, "--output", str(tmp_path / "installed")])
    assert done.exit_code == 0, done.output
    assert done.output.startswith(f"exported dispatchdata {VERSION} as {fmt} to ")
    done = runner.invoke(main, ["export", fmt, "--release", VERSION, "--output", str(tmp_path / "release")])
    assert done.exit_code == 0, done.output
    assert _files(tmp_path / "installed") == _files(tmp_path / "release")


def test_the_installed_data_carries_its_release_date_in_every_export(tmp_path: Path) -> None:
    """The SQLite metadata's released row, CITATION.cff's date-released, BibTeX's year."""
    for fmt in ("sqlite", "citation"):
        assert runner.invoke(main, ["export", fmt, "--output", str(tmp_path / fmt)]).exit_code == 0
    db = sqlite3.connect(tmp_path / "sqlite" / "dispatchdata.db")
    try:
        metadata = dict(db.execute("SELECT key, value FROM metadata").fetchall())
    finally:
        db.close()
    released = RELEASE["released"]
    assert (metadata["version"], metadata["released"]) == (VERSION, released)
    cff = (tmp_path / "citation" / "CITATION.cff").read_text(encoding="utf-8")
    assert f"version: {VERSION}\ndate-released: '{released}'\n" in cff
    bib = (tmp_path / "citation" / "dispatchdata.bib").read_text(encoding="utf-8")
    assert f"  year = {{{released[:4]}}},\n  version = {{{VERSION}}},\n" in bib


def _metadata_citation(bundle_spec: str | Path, tmp_path: Path) -> str:
    bundle = open_bundle(bundle_spec)
    done = export(bundle, "sqlite", tmp_path / "db", releases=releases_of(bundle_spec))
    (path,) = (p for p in done.files if p.suffix == ".db")
    db = sqlite3.connect(path)
    try:
        return str(db.execute("SELECT value FROM metadata WHERE key = 'citation'").fetchone()[0])
    finally:
        db.close()


def test_one_citation_for_the_installed_data(tmp_path: Path) -> None:
    """ds.info.citation, cite() and the export's metadata: one string."""
    expected = (
        f"dispatchdata contributors ({RELEASE['released'][:4]}). {TITLE} (Version {VERSION}) "
        f"[Data set]. License CC-BY-4.0.\n{NOTE}"
    )
    assert dispatchdata.load().info.citation == expected
    assert dispatchdata.cite() == expected
    assert _metadata_citation(dataset_dir(), tmp_path) == expected


def test_one_citation_for_an_older_release(tmp_path: Path) -> None:
    """The same for --release 1.0.0: its own version and its own date."""
    old = json.loads((DATASET / "releases" / "1.0.0.json").read_text(encoding="utf-8"))
    expected = (
        f"dispatchdata contributors ({old['released'][:4]}). {TITLE} (Version 1.0.0) "
        f"[Data set]. License CC-BY-4.0.\n{NOTE}"
    )
    assert dispatchdata.load(version="1.0.0").info.citation == expected
    assert dispatchdata.cite("1.0.0") == expected
    assert _metadata_citation("1.0.0", tmp_path) == expected


def test_one_citation_for_changed_data(dataset_copy: Path, tmp_path: Path) -> None:
    """Changed data: labelled by its content, no year, the same string in all three."""
    folder = _changed(dataset_copy)
    expected = (
        f"dispatchdata contributors. {TITLE} (Version {_label(folder)}) [Data set]. "
        f"License CC-BY-4.0.\n{NOTE}"
    )
    assert dispatchdata.load(folder).info.citation == expected
    assert dispatchdata.cite(str(folder)) == expected
    assert _metadata_citation(folder, tmp_path) == expected


def test_a_copy_equal_to_the_release_is_the_release(dataset_copy: Path) -> None:
    """Equal is decided by content: a copy of the data elsewhere, without releases/ of its own,
    is the installed release all the same."""
    identity = identify(open_bundle(dataset_copy), releases_of(dataset_copy))
    assert (identity.label, identity.released) == (VERSION, RELEASE["released"])


def test_changed_data_is_labelled_unreleased_in_every_export(dataset_copy: Path, tmp_path: Path) -> None:
    """No released row, no date-released, no year, no 'created'; the label as the version in
    each file, file name and marker; the package's version (dataset.yaml's) unchanged."""
    folder = _changed(dataset_copy)
    label = _label(folder)
    for fmt in FORMATS:
        done = runner.invoke(main, ["export", fmt, "--release", str(folder), "--output", str(tmp_path / fmt)])
        assert done.exit_code == 0, done.output
        assert done.output.startswith(f"exported dispatchdata {label} as {fmt} to {tmp_path / fmt} (")
        marker = json.loads((tmp_path / fmt / MARKER).read_text(encoding="utf-8"))
        assert marker["version"] == label
    metadata = (tmp_path / "csv" / "metadata.csv").read_text(encoding="utf-8")
    assert f"\nversion,{label}\n" in metadata
    assert "\nreleased," not in metadata
    package = json.loads((tmp_path / "datapackage" / "datapackage.json").read_text(encoding="utf-8"))
    assert (package["version"], "created" in package) == (label, False)
    cff = (tmp_path / "citation" / "CITATION.cff").read_text(encoding="utf-8")
    assert f"\nversion: {label}\nauthors:\n" in cff
    assert "date-released" not in cff
    bib = (tmp_path / "citation" / "dispatchdata.bib").read_text(encoding="utf-8")
    assert "year" not in bib
    assert f"  note = {{Version {label}}}\n" in bib
    assert (tmp_path / "json" / f"dispatchdata-{label}.json").is_file()
    assert (tmp_path / "sqlite" / "dispatchdata.db").is_file()  # the label is inside
    bundle = json.loads((tmp_path / "json" / f"dispatchdata-{label}.json").read_text(encoding="utf-8"))
    assert (bundle["version"], bundle["metadata"]["version"]) == (VERSION, VERSION)
    assert "released" not in bundle


def test_a_release_date_a_bundle_file_claims_is_not_believed(dataset_copy: Path, tmp_path: Path) -> None:
    """A bundle file outside releases/ that says it was released, its data changed: unreleased."""
    folder = _changed(dataset_copy)
    path = tmp_path / "claimed.json"
    path.write_bytes(dump_bundle(open_bundle(folder) | {"released": RELEASE["released"]}))
    identity = identify(open_bundle(path), releases_of(path))
    assert (identity.label, identity.released) == (_label(folder), None)


def test_the_bibtex_entry_renders_with_its_version_and_year() -> None:
    """BibTeX's standard styles print no `version` field: the entry's note carries it, and
    pybtex's plain and unsrt styles (as bibtex would) print the version and the year."""
    from pybtex.database import parse_string  # type: ignore[import-untyped]
    from pybtex.plugin import find_plugin  # type: ignore[import-untyped]

    entries = parse_string(dispatchdata.cite(format="bibtex"), "bibtex").entries.values()
    for name in ("plain", "unsrt"):
        style = find_plugin("pybtex.style.formatting", name)()
        (rendered,) = (e.text.render_as("text") for e in style.format_entries(entries))
        assert rendered == (
            f"dispatchdata contributors. {TITLE}. Data set, {RELEASE['released'][:4]}. Version {VERSION}."
        )


def test_cite_an_unknown_record_suggests_the_closest() -> None:
    """--record with a near miss: exit 2, and the id it was probably meant to be."""
    result = runner.invoke(main, ["cite", "--record", "medvedev-d"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"dispatchdata: error: no record 'medvedev-d' in release {VERSION} "
        "(did you mean 'dmitry-medvedev'?)\n"
    )


def _writes_of_records(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times each collection's records are serialized from now on."""
    from dispatchdata.release import release

    written: list[int] = []
    write = release._write_records

    def counted(records: Any, out: Any) -> None:
        written.append(1)
        write(records, out)

    monkeypatch.setattr(release, "_write_records", counted)
    return written


@pytest.mark.parametrize("changed", [False, True])
def test_an_identity_is_decided_from_the_bytes_written(
    changed: bool, dataset_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """identify with an ``out`` writes the data's canonical bytes as identified (the release's,
    its date in them, or the data's without a date) and decides as identify alone does, from
    one serialization of the records, whether the data is the release or not (two candidates:
    the folder's own releases and the installed ones)."""
    folder = _changed(dataset_copy) if changed else dataset_copy
    bundle = open_bundle(folder)
    expected = identify(bundle, releases_of(folder))
    written = _writes_of_records(monkeypatch)
    out = io.BytesIO()
    assert identify(bundle, releases_of(folder), out) == expected
    assert len(written) == len(bundle["collections"])
    released = {"released": RELEASE["released"]} if not changed else {}
    assert out.getvalue() == dump_bundle({k: v for k, v in bundle.items() if k != "released"} | released)
    assert hashlib.sha256(out.getvalue()).hexdigest() == expected.sha256


@pytest.mark.parametrize("changed", [False, True])
def test_a_json_export_serializes_the_records_once(
    changed: bool, dataset_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The json export writes the bundle and decides its name, marker and label from those very
    bytes: each collection serialized once, whether the data is the release or not."""
    folder = _changed(dataset_copy) if changed else dataset_copy
    bundle = open_bundle(folder, compact=True)
    written = _writes_of_records(monkeypatch)
    done = export(bundle, "json", tmp_path / "out", releases=releases_of(folder))
    assert len(written) == len(bundle["collections"])
    label = _label(folder) if changed else VERSION
    assert [p.name for p in done.files] == ["SHA256SUMS", f"dispatchdata-{label}.json"]
    assert json.loads((tmp_path / "out" / MARKER).read_text(encoding="utf-8"))["version"] == label


def test_loading_pays_for_the_identity_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """load() hashes nothing; the label, the date and the citation decide the identity once,
    the first time one of them is asked for; a pickled dataset carries the identity decided."""
    import pickle

    written = _writes_of_records(monkeypatch)
    ds = dispatchdata.load()
    assert written == []
    assert (ds.info.label, ds.info.released) == (VERSION, RELEASE["released"])  # type: ignore[attr-defined]
    assert ds.info.citation.startswith(f"dispatchdata contributors ({RELEASE['released'][:4]}). ")
    assert len(written) == len(COLLECTIONS)  # once each
    again = pickle.loads(pickle.dumps(ds))
    assert (again.info.label, again.info.citation) == (VERSION, ds.info.citation)
    assert len(written) == len(COLLECTIONS)


def _aside(case: str, folder: Path, out: Path) -> dict[str, Any]:
    """What tests/aside_probe.py reports of ``case``, run in a fresh interpreter: a process of
    one thread, as the CLI's is (this one may have others by now: pyarrow starts some)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "tests.aside_probe", case, str(folder), str(out)],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parent.parent,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    if not report.pop("forks"):
        pytest.skip("the identity is decided aside only on Linux, with two processors")
    return report


@pytest.mark.parametrize("changed", [False, True])
def test_a_table_export_has_its_identity_decided_aside(
    changed: bool, dataset_copy: Path, tmp_path: Path
) -> None:
    """A table export starts deciding the identity in a child process before it writes the
    tables, and takes the child's answer for the label it writes last: the parent never
    serializes the records (identify fails in it once the child is started), and the answer is
    the one deciding in one process gives, for the release and for changed data."""
    folder = _changed(dataset_copy) if changed else dataset_copy
    report = _aside("child", folder, tmp_path / "out")
    expected = identify(open_bundle(folder), releases_of(folder))
    assert report == {"children": 1, "identity": [expected.version, expected.released, expected.sha256]}
    label = _label(folder) if changed else VERSION
    assert json.loads((tmp_path / "out" / MARKER).read_text(encoding="utf-8"))["version"] == label
    rows = (tmp_path / "out" / "metadata.csv").read_text(encoding="utf-8").splitlines()
    assert f"version,{label}" in rows


def test_an_identity_the_child_does_not_give_is_decided_here(dataset_copy: Path, tmp_path: Path) -> None:
    """A child that ends without answering (it fails) leaves the decision to the parent: the same
    identity; a failed export ends its child and waits for it (the export's own error raised,
    nothing left in the output's folder)."""
    folder = _changed(dataset_copy)
    report = _aside("failing-child", folder, tmp_path / "out")
    expected = identify(open_bundle(folder), releases_of(folder))
    assert report == {
        "identity": [expected.version, expected.released, expected.sha256],
        "raised": "OSError: disk full",
        "children": 1,
        "child_gone": True,
        "left": [],
    }


def test_no_child_where_the_process_is_not_alone_with_its_children(
    dataset_copy: Path, tmp_path: Path
) -> None:
    """No fork beside another thread (it may hold a lock the child would wait on for ever), nor
    where SIGCHLD is ignored or handled (a child may then be reaped, and its number reused,
    before it is waited for): the export is the same, decided in one process."""
    report = _aside("not-alone", dataset_copy, tmp_path / "out")
    assert report == {
        "with_a_thread": False,
        "sigchld_ignored": False,
        "sigchld_handled": False,
        "label": VERSION,
    }
