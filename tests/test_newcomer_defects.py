"""Defects a newcomer's review found (issue #22, session 13): every command shows an invalid
dataset's problems as ``validate`` does; one file of a dataset folder that is no data file is
refused alone as it is beside a data file; an empty ``--release`` and a tag's name for a version
get a clear message."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import dispatchdata.cli.releases as releases_cli
from dispatchdata.cli import main

from .conftest import DATASET

runner = CliRunner()

#: The one error of :func:`_broken`, as ``validate`` names it relative to the folder given.
BROKEN = "statements.yaml:4:12: DD302 unknown actor 'memri-nobody' (did you mean 'memri'?)\n"


def _broken(folder: Path) -> Path:
    """``folder`` with its first statement's speaker unknown: one DD302 error."""
    statements = folder / "statements.yaml"
    text = statements.read_text(encoding="utf-8")
    statements.write_text(
        text.replace("  speaker: memri\n", "  speaker: memri-nobody\n", 1), encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize(
    "command",
    [["cite", "--release", "{}"], ["export", "json", "--release", "{}", "--output", "out"]],
    ids=["cite", "export"],
)
def test_an_invalid_folder_is_shown_as_validate_shows_it(
    command: list[str], dataset_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """cite and export say how many errors there are, then name each problem's file from the
    folder as given (as validate and diff do); exit 2, nothing written."""
    folder = _broken(dataset_copy)
    monkeypatch.chdir(folder.parent)
    shown = runner.invoke(main, ["validate", "-q", folder.name])
    assert (shown.exit_code, shown.stdout) == (1, f"dataset/{BROKEN}")
    result = runner.invoke(main, [part.format(folder.name) for part in command])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"dispatchdata: error: invalid dataset: 1 error(s)\ndataset/{BROKEN}"
    assert not (folder.parent / "out").exists()


@pytest.mark.parametrize("command", [["cite"], ["export", "csv", "--output", "out"]], ids=["cite", "export"])
def test_a_broken_installed_dataset_is_named_by_its_real_path(
    command: list[str], dataset_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --release: the installed dataset's files by their real path, not a bare name."""
    folder = _broken(dataset_copy)
    monkeypatch.setattr(releases_cli, "dataset_dir", lambda: folder)
    monkeypatch.chdir(folder.parent)
    result = runner.invoke(main, command)
    assert result.exit_code == 2
    assert result.stderr == f"dispatchdata: error: invalid dataset: 1 error(s)\n{folder}/{BROKEN}"


def _with_releases(folder: Path) -> Path:
    """``folder`` with a copy of the repository's releases and a README."""
    shutil.copytree(DATASET / "releases", folder / "releases")
    (folder / "README.md").write_text("# Notes\n", encoding="utf-8")
    return folder


REFUSED = (
    "dispatchdata: error: {}: not a data file of a dataset (dataset.yaml, or a collection's "
    "file: documents, actors, proposals, statements, as .yaml, .yml or .json, or in a folder of "
    "that name); a dataset folder or a release bundle file is validated alone\n"
)


@pytest.mark.parametrize("name", ["README.md", "releases/SHA256SUMS"])
def test_a_file_of_a_dataset_folder_that_is_no_data_is_refused_alone(dataset_copy: Path, name: str) -> None:
    """dataset/README.md alone: exit 2 and the message it gets beside actors.yaml (it used to be
    read as a release bundle: 'DD102 JSON syntax error', exit 1)."""
    path = _with_releases(dataset_copy) / name
    alone = runner.invoke(main, ["validate", str(path)])
    beside = runner.invoke(main, ["validate", str(path), str(dataset_copy / "actors.yaml")])
    assert (alone.exit_code, alone.stdout, alone.stderr) == (2, "", REFUSED.format(path))
    assert (beside.exit_code, beside.stderr) == (alone.exit_code, alone.stderr)


def test_a_release_bundle_in_a_dataset_folder_is_still_a_bundle(dataset_copy: Path) -> None:
    """releases/1.1.0.json is validated as the release bundle it is."""
    path = _with_releases(dataset_copy) / "releases" / "1.1.0.json"
    result = runner.invoke(main, ["validate", str(path)])
    assert (result.exit_code, result.stdout) == (0, "valid: 0 errors, 0 warnings in 1 file, 114 records\n")


def test_a_file_outside_any_dataset_is_still_read_as_a_bundle(tmp_path: Path) -> None:
    """notes.txt in no dataset folder: read as the bundle it was given as, a JSON syntax error."""
    notes = tmp_path / "notes.txt"
    notes.write_text("x\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(notes)])
    assert result.exit_code == 1
    assert "notes.txt:1:1: DD102 JSON syntax error" in result.stdout


@pytest.mark.parametrize(
    "command", [["cite", "--release", ""], ["export", "csv", "--release", "", "--output", "out"]]
)
def test_an_empty_release_is_a_usage_error(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--release '': named as the empty argument it is (it read the current folder, and reported
    a placeholder '<dataset>'), exit 2."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, command)
    assert (result.exit_code, result.stdout) == (2, "")
    assert (
        result.stderr
        == "dispatchdata: error: --release is empty: give a value ('.' for the current folder)\n"
    )


@pytest.mark.parametrize("command", [["cite"], ["export", "csv", "--output", "out"]], ids=["cite", "export"])
def test_a_tag_for_a_version_gets_did_you_mean(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """v1.1.0 (a tag's name): the version it names is suggested; v9.9.9 names none: no hint."""
    monkeypatch.chdir(tmp_path)
    given = runner.invoke(main, [*command, "--release", "v1.1.0"])
    assert (given.exit_code, given.stderr) == (
        2,
        "dispatchdata: error: v1.1.0: does not exist (did you mean 1.1.0?)\n",
    )
    unknown = runner.invoke(main, [*command, "--release", "v9.9.9"])
    assert (unknown.exit_code, unknown.stderr) == (2, "dispatchdata: error: v9.9.9: does not exist\n")


def test_diff_suggests_the_version_for_a_tag() -> None:
    """diff v1.0.0 1.1.0: the same hint, for the side it is about."""
    result = runner.invoke(main, ["diff", "v1.0.0", "1.1.0"])
    assert (result.exit_code, result.stderr) == (
        2,
        "dispatchdata: error: OLD: v1.0.0: does not exist (did you mean 1.0.0?)\n",
    )


def test_export_file_names_are_made_of_the_name_and_the_label(
    dataset_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the README says: the bundle is named '<name>-<label>', the label of edited data its
    unreleased one, and the database '<name>.db', the label inside; a name that is no slug is
    invalid data, not exported."""
    monkeypatch.chdir(dataset_copy.parent)
    statements = dataset_copy / "statements.yaml"
    statements.write_text(
        statements.read_text(encoding="utf-8").replace("young men", "young people", 1), encoding="utf-8"
    )
    result = runner.invoke(main, ["export", "sqlite", "--release", "dataset", "--output", "db"])
    assert result.exit_code == 0
    label = result.stdout.split(" ")[2]
    assert label.startswith("1.1.0+unreleased.")
    assert sorted(p.name for p in (dataset_copy.parent / "db").iterdir()) == [
        ".dispatchdata-export",
        "SHA256SUMS",
        "dispatchdata.db",
        "metadata.json",
    ]
    db = sqlite3.connect(dataset_copy.parent / "db" / "dispatchdata.db")
    try:
        assert db.execute("SELECT value FROM metadata WHERE key = 'version'").fetchone() == (label,)
    finally:
        db.close()
    result = runner.invoke(main, ["export", "json", "--release", "dataset", "--output", "json"])
    assert result.exit_code == 0
    assert (dataset_copy.parent / "json" / f"dispatchdata-{label}.json").is_file()
    metadata = dataset_copy / "dataset.yaml"
    text = metadata.read_text(encoding="utf-8").replace("name: dispatchdata\n", "name: ../Odd Name\n", 1)
    metadata.write_text(text, encoding="utf-8")
    odd = runner.invoke(main, ["export", "json", "--release", "dataset", "--output", "odd"])
    assert odd.exit_code == 2
    assert odd.stderr.startswith(
        "dispatchdata: error: invalid dataset: 1 error(s)\n"
        "dataset/dataset.yaml:2:7: DD205 '../Odd Name' does not match"
    )
    assert not (dataset_copy.parent / "odd").exists()
