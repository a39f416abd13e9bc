"""The Python API: load(), lookups, the stance matrix, metadata and the version."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import pytest

import dispatchdata
from dispatchdata import Dataset, InvalidDatasetError

from .conftest import DATASET, ROOT


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return dispatchdata.load()


def test_load_returns_every_record(ds: Dataset) -> None:
    """The installed dataset loads with its four collections."""
    assert (len(ds.documents), len(ds.actors), len(ds.proposals), len(ds.statements)) == (1, 41, 12, 60)


def test_records_are_frozen(ds: Dataset) -> None:
    """Records are immutable values."""
    with pytest.raises(AttributeError):
        ds.actors[0].name = "changed"  # type: ignore[misc]


def test_lookup_by_id_and_did_you_mean(ds: Dataset) -> None:
    """Lookups return the record; an unknown id names the closest one."""
    assert ds.actor("dmitry-medvedev").positions[0].title == "Deputy Chairman"
    assert ds.proposal("court-ordered-entry-ban").proposed_by == ("oleg-morozov",)
    with pytest.raises(
        KeyError, match=re.escape("no actor 'medvedev-dmitry' (did you mean 'dmitry-medvedev'?)")
    ):
        ds.actor("medvedev-dmitry")


def test_statements_by_an_actor(ds: Dataset) -> None:
    """statements_by gives the actor's statements in document order."""
    assert [s.id for s in ds.statements_by("andrey-klishas")] == [
        "klishas-no-need-to-play-with-words",
        "klishas-leave-constitutional-bodies",
        "klishas-wartime-rules-not-introduced",
    ]


def test_statements_on_a_proposal(ds: Dataset) -> None:
    """statements_on gives every statement taking a stance on the proposal."""
    assert [s.id for s in ds.statements_on("wartime-rules-for-traitors")] == [
        "medvedev-special-rules-of-wartime",
        "klishas-wartime-rules-not-introduced",
    ]


def test_stance_matrix_with_backing_statements(ds: Dataset) -> None:
    """Actor x proposal: stances and the statements that back them; disagreement is 'mixed'."""
    matrix = ds.stance_matrix()
    klishas = matrix[("andrey-klishas", "cancel-passports")]
    assert (klishas.stances, klishas.statements, klishas.overall) == (
        ("opposes",),
        ("klishas-no-need-to-play-with-words",),
        "opposes",
    )
    siluanov = matrix[("anton-siluanov", "higher-tax-rate-for-leavers")]
    assert siluanov.stances == ("opposes", "mixed", "neutral")
    assert siluanov.overall == "mixed"
    assert list(matrix) == sorted(matrix)


def test_footnote_dates_apply_the_erratum(ds: Dataset) -> None:
    """A statement citing footnote 8 is dated by its corrected year, the printed one kept."""
    (date,) = ds.footnote_dates("makarkin-mixed-results")
    assert (date.printed, date.date, date.effective) == ("December 25, 3033", "3033-12-25", "2022-12-25")


def test_info_version_license_citation(ds: Dataset) -> None:
    """Dataset.info carries the metadata; the citation names the version."""
    assert ds.info.license == "CC-BY-4.0"
    assert ds.info.version == ds.version
    assert f"(Version {ds.version})" in ds.info.citation


def test_one_version_everywhere(ds: Dataset) -> None:
    """__version__, the installed package's metadata and dataset.yaml agree."""
    written = re.search(r"(?m)^version: (\S+)$", (DATASET / "dataset.yaml").read_text(encoding="utf-8"))
    assert written is not None
    assert dispatchdata.__version__ == ds.info.version == written.group(1)
    assert importlib.metadata.version("dispatchdata") == dispatchdata.__version__


def test_changelog_has_a_section_for_the_version_or_unreleased() -> None:
    """The version is either released (has its section) or being prepared under [Unreleased]."""
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    version = dispatchdata.__version__
    assert f"## [{version}]" in changelog or "## [Unreleased]" in changelog


def test_importing_the_package_does_not_import_click_or_jsonschema() -> None:
    """The library is importable without the CLI, and cheap to import."""
    import subprocess
    import sys

    code = "import sys, dispatchdata; print('click' in sys.modules, 'jsonschema' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_validating_in_one_process_imports_no_process_machinery() -> None:
    """Validating a small folder starts no worker, and so pays for neither multiprocessing nor
    concurrent.futures (which imports logging and threading): start-up is the main cost there."""
    import subprocess
    import sys

    code = (
        "import sys, dispatchdata; dispatchdata.validate(jobs=None)\n"
        "print(*(m in sys.modules for m in ('multiprocessing', 'concurrent.futures', 'logging')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "False"]


@pytest.mark.parametrize("args", [["--version"], ["validate"], ["validate", "--help"]])
def test_a_command_that_writes_nothing_imports_no_file_machinery(args: list[str]) -> None:
    """``--version``, ``validate`` and its help write no file, and so import neither tempfile
    (what exports and the cache write with, which imports shutil, random, bz2 and lzma) nor
    importlib.resources (the installed data is found beside the package): a few milliseconds of
    every run's start-up."""
    import subprocess
    import sys

    pytest.importorskip("jsonschema_rs")  # jsonschema's own metaschemas come by importlib.resources
    code = (
        "import sys\nfrom dispatchdata.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "print(*(m in sys.modules for m in ('tempfile', 'importlib.resources')), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.split()[-2:] == ["False", "False"]


def test_load_a_folder_given_by_path(dataset_copy: Path) -> None:
    """load(path) reads any dataset folder of the same shape."""
    assert len(dispatchdata.load(dataset_copy).statements) == 60


def test_strict_load_raises_with_the_problems(dataset_copy: Path) -> None:
    """strict=True validates first; the exception carries the report with exact places."""
    path = dataset_copy / "statements.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("speaker: dmitry-medvedev", "speaker: medvedev-d", 1),
        encoding="utf-8",
    )
    dispatchdata.load(dataset_copy)  # not strict: loads
    with pytest.raises(InvalidDatasetError) as caught:
        dispatchdata.load(dataset_copy, strict=True)
    (problem,) = caught.value.report.errors
    assert (problem.code, problem.file, problem.line, problem.column) == ("DD302", "statements.yaml", 98, 12)
    assert problem.message == "unknown actor 'medvedev-d' (did you mean 'dmitry-medvedev'?)"


def test_broken_data_raises_invalid_dataset_error_not_a_traceback(dataset_copy: Path) -> None:
    """Data too broken to build records raises InvalidDatasetError with the schema's findings."""
    path = dataset_copy / "proposals.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  category: taxation\n", "", 1), encoding="utf-8"
    )
    with pytest.raises(InvalidDatasetError) as caught:
        dispatchdata.load(dataset_copy)
    assert [(p.code, p.message) for p in caught.value.report.errors] == [
        ("DD201", "'category' is a required property")
    ]


def test_unreadable_yaml_raises_invalid_dataset_error(dataset_copy: Path) -> None:
    """A duplicate key is an error even when loading without strict."""
    path = dataset_copy / "dataset.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "license: MIT\n", encoding="utf-8")
    with pytest.raises(InvalidDatasetError) as caught:
        dispatchdata.load(dataset_copy)
    assert [p.code for p in caught.value.report.errors] == ["DD103"]
