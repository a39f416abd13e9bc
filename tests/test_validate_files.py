"""``dispatchdata validate FILE...`` (issue #22, item 4): data files, as pre-commit passes them,
validated as part of their dataset folder, and the files that are no dataset's refused clearly."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from dispatchdata.cli import main

from .conftest import DATASET

runner = CliRunner()


def _folder(tmp_path: Path) -> Path:
    target = tmp_path / "dataset"
    shutil.copytree(DATASET, target, ignore=shutil.ignore_patterns("releases"))
    return target


def test_one_valid_file_is_validated_with_its_folder(tmp_path: Path) -> None:
    """dataset/actors.yaml: the whole folder checked, named as validating the folder names it;
    no invented file name (it used to be 'actors.yaml.json: DD102 JSON syntax error')."""
    folder = _folder(tmp_path)
    result = runner.invoke(main, ["validate", str(folder / "actors.yaml")])
    assert result.exit_code == 0
    assert result.stdout == "valid: 0 errors, 0 warnings in 5 files, 114 records\n"


def test_a_reference_broken_by_a_changed_file_is_shown_where_it_is(tmp_path: Path) -> None:
    """Renaming an actor in actors.yaml breaks references in other files: those errors are
    shown (the folder is invalid), exit 1."""
    folder = _folder(tmp_path)
    actors = folder / "actors.yaml"
    text = actors.read_text(encoding="utf-8").replace("- id: andrey-klishas\n", "- id: andrei-klishas\n", 1)
    actors.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(actors)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{folder.as_posix()}/proposals.yaml:197:5: DD302 unknown actor 'andrey-klishas' "
        "(did you mean 'andrei-klishas'?)"
    )
    assert all("DD302 unknown actor 'andrey-klishas'" in line for line in lines[:-1])
    assert lines[-1] == f"invalid: {len(lines) - 1} errors, 0 warnings in 5 files, 114 records"


def test_warnings_of_other_files_are_counted_not_shown(tmp_path: Path) -> None:
    """A warning in documents.yaml (an unquoted `no`), validating actors.yaml: one line on
    stderr counts it; validating documents.yaml shows it."""
    folder = _folder(tmp_path)
    (folder / "documents.yaml").write_text(
        (folder / "documents.yaml").read_text(encoding="utf-8").replace("language: en", "language: no", 1),
        encoding="utf-8",
    )
    result = runner.invoke(main, ["validate", str(folder / "actors.yaml")])
    shown = runner.invoke(main, ["validate", str(folder / "documents.yaml")])
    assert (result.exit_code, shown.exit_code) == (0, 0)
    assert result.stdout == "valid: 0 errors, 0 warnings in 5 files, 114 records\n"
    assert result.stderr == (
        f"dispatchdata: {folder}: 1 warning(s) in other files, not shown "
        f"(dispatchdata validate {folder} shows them)\n"
    )
    assert shown.stderr == ""
    assert shown.stdout.endswith("valid: 0 errors, 1 warning in 5 files, 114 records\n")
    assert shown.stdout.startswith(f"{folder.as_posix()}/documents.yaml:")


def test_several_files_of_one_folder_are_one_report(tmp_path: Path) -> None:
    """Two files of one folder: the folder validated once."""
    folder = _folder(tmp_path)
    result = runner.invoke(main, ["validate", str(folder / "actors.yaml"), str(folder / "dataset.yaml")])
    assert result.exit_code == 0
    assert result.stdout == "valid: 0 errors, 0 warnings in 5 files, 114 records\n"


def test_a_file_in_a_collection_folder_belongs_to_the_dataset(tmp_path: Path) -> None:
    """statements/part.yaml: its dataset folder is the collection folder's parent."""
    folder = _folder(tmp_path)
    (folder / "statements").mkdir()
    (folder / "statements.yaml").rename(folder / "statements" / "part.yaml")
    result = runner.invoke(main, ["validate", str(folder / "statements" / "part.yaml")])
    assert result.exit_code == 0
    assert result.stdout == "valid: 0 errors, 0 warnings in 5 files, 114 records\n"


def test_a_collection_file_outside_a_dataset_folder_is_refused(tmp_path: Path) -> None:
    """actors.yaml with no dataset.yaml beside it: exit 2, saying why."""
    stray = tmp_path / "actors.yaml"
    stray.write_text("[]\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(stray)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"dispatchdata: error: {stray}: not in a dataset folder (no dataset.yaml where it would be): "
        "a data file is validated as part of its dataset folder\n"
    )


def test_a_file_that_is_no_collection_is_refused_among_data_files(tmp_path: Path) -> None:
    """notes.txt with a data file: exit 2, naming what a data file is; nothing validated."""
    folder = _folder(tmp_path)
    notes = tmp_path / "notes.txt"
    notes.write_text("x\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(folder / "actors.yaml"), str(notes)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"dispatchdata: error: {notes}: not a data file of a dataset (dataset.yaml, or a collection's "
        "file: documents, actors, proposals, statements, as .yaml, .yml or .json, or in a folder of "
        "that name); a dataset folder or a release bundle file is validated alone\n"
    )


def test_a_missing_file_is_exit_2(tmp_path: Path) -> None:
    """A file that does not exist: the usual usage error, naming it."""
    folder = _folder(tmp_path)
    result = runner.invoke(main, ["validate", str(folder / "actors.yaml"), str(folder / "gone.yaml")])
    assert result.exit_code == 2
    assert "gone.yaml" in result.stderr


def test_one_copy_of_a_collection_in_two_formats_is_one_layout_error(tmp_path: Path) -> None:
    """actors.yaml and actors.json side by side: one DD110 on the second, not a DD301 for
    every actor found twice."""
    folder = _folder(tmp_path)
    shutil.copy(folder / "actors.yaml", folder / "actors.json")
    result = runner.invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{folder}/actors.json:1:1: DD110 a second file of collection 'actors': not read (actors.yaml is)\n"
        "invalid: 1 error, 0 warnings in 5 files, 114 records\n"
    )
