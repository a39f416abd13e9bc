"""Nothing in a dataset folder is passed over in silence (issue 17, item 8).

Anything that is not ``dataset.yaml``, a collection file or folder, ``releases/`` with its
bundles and ``SHA256SUMS``, or a ``README.md`` is an error (DD110) with "did you mean"; names
starting with "." are not part of the layout and are passed over."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from dispatchdata.cli import main

from ..test_validate import MINIMAL, SOURCES

runner = CliRunner()
CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-11-28\n\n### Added\n\n- Everything.\n"


def _validate(target: Path) -> Result:
    return runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES)])


def _dataset(tmp_path: Path) -> Path:
    target = tmp_path / "project" / "dataset"
    shutil.copytree(MINIMAL, target)
    return target


def test_a_misspelt_collection_folder_is_an_error_and_its_records_go_nowhere(tmp_path: Path) -> None:
    """statments/ (the statements moved there): exit 1 with "did you mean 'statements/'", and
    neither export nor release goes on without its records."""
    target = _dataset(tmp_path)
    (target / "statments").mkdir()
    shutil.move(target / "statements.yaml", target / "statments" / "statements.yaml")
    result = _validate(target)
    assert result.exit_code == 1
    assert result.stdout == (
        f"{target}/: DD111 collection 'statements' is missing: no statements.yaml and no statements/ folder\n"
        f"{target}/statments:1:1: DD110 unexpected folder in the dataset folder: not read "
        "(did you mean 'statements/'?)\n"
        "invalid: 2 errors, 0 warnings in 4 files, 5 records\n"
    )

    (target / "statements").mkdir()  # the collection is there: only the misspelt folder is wrong
    shutil.copy(target / "statments" / "statements.yaml", target / "statements" / "a.yaml")
    (target / "statments" / "statements.yaml").write_text("- id: lost-record\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES), "-q"])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{target}/statments:1:1: DD110 unexpected folder in the dataset folder: not read "
        "(did you mean 'statements/'?)\n"
    )
    out = tmp_path / "out"
    exported = runner.invoke(main, ["export", "csv", "--release", str(target), "--output", str(out)])
    assert exported.exit_code != 0
    assert "DD110" in exported.stderr
    assert not out.exists()
    (target.parent / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    released = runner.invoke(
        main,
        ["release", "1.0.0", "--dataset", str(target), "--changelog", str(target.parent / "CHANGELOG.md")],
    )
    assert released.exit_code == 1
    assert "DD110" in released.output
    assert not (target / "releases").exists()


def test_every_stray_entry_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    """A misspelt collection file, a stray file in a collection's folder, one in releases/, a
    second metadata file: each an error, exit 1, with a suggestion where one is close."""
    target = _dataset(tmp_path)
    shutil.copy(target / "actors.yaml", target / "actor.yaml")
    (target / "statements").mkdir()
    (target / "statements" / "more.yalm").write_text("[]\n", encoding="utf-8")
    (target / "releases").mkdir()
    (target / "releases" / "notes.txt").write_text("x\n", encoding="utf-8")
    (target / "dataset.json").write_text("{}\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES), "-q"])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{target}/actor.yaml:1:1: DD110 unexpected file in the dataset folder: not read "
        "(did you mean 'actors.yaml'?)\n"
        f"{target}/dataset.json:1:1: DD110 a second metadata file: not read (dataset.yaml is)\n"
        f"{target}/releases/notes.txt:1:1: DD110 unexpected file in releases/: only release bundles "
        "(VERSION.json) and SHA256SUMS\n"
        f"{target}/statements/more.yalm:1:1: DD110 not a YAML or JSON file (did you mean 'more.yaml'?), "
        "so not read as part of 'statements'\n"
    )


def test_hidden_entries_release_files_and_a_readme_are_part_of_the_layout(tmp_path: Path) -> None:
    """.gitkeep, .DS_Store, a hidden folder (its files too), releases/ with a bundle and its
    SHA256SUMS, and README.md are no problem: exit 0."""
    target = _dataset(tmp_path)
    (target / ".DS_Store").write_bytes(b"\0\1")
    (target / "statements").mkdir()
    (target / "statements" / ".gitkeep").write_text("", encoding="utf-8")
    (target / "statements" / ".old").mkdir()
    (target / "statements" / ".old" / "draft.yaml").write_text("not: [valid\n", encoding="utf-8")
    (target / "releases").mkdir()
    (target / "releases" / "1.0.0.json").write_text("{}\n", encoding="utf-8")
    digest = hashlib.sha256(b"{}\n").hexdigest()
    (target / "releases" / "SHA256SUMS").write_text(f"{digest}  1.0.0.json\n", encoding="utf-8")
    (target / "README.md").write_text("# data\n", encoding="utf-8")
    result = _validate(target)
    assert result.exit_code == 0
    assert result.stdout == "valid: 0 errors, 0 warnings in 5 files, 7 records\n"


def test_a_readme_that_is_not_a_file_is_an_error(tmp_path: Path) -> None:
    """README.md may only be a file: a folder so named (records put there go nowhere) and a link
    to nothing are DD110, exit 1."""
    target = _dataset(tmp_path)
    (target / "README.md").mkdir()
    shutil.copy(target / "statements.yaml", target / "README.md" / "statements.yaml")
    result = _validate(target)
    assert result.exit_code == 1
    assert result.stdout == (
        f"{target}/README.md:1:1: DD110 a folder, not a file: not read "
        "('README.md' may only be a file explaining the folder)\n"
        "invalid: 1 error, 0 warnings in 5 files, 7 records\n"
    )
    shutil.rmtree(target / "README.md")
    (target / "README.md").symlink_to(target / "gone.md")
    result = _validate(target)
    assert result.exit_code == 1
    assert result.stdout == (
        f"{target}/README.md:1:1: DD110 a link to nothing: not read\n"
        "invalid: 1 error, 0 warnings in 5 files, 7 records\n"
    )
