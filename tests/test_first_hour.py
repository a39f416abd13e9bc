"""The smaller things a newcomer meets in the first hour (issue #22, item 7): shell completion,
"did you mean" for a missing stance, a one-line ``repr`` of a dataset, real paths in messages,
``Diff.apply`` taking what ``diff()`` takes, and ``validate --help`` on ``-v``."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import dispatchdata
from dispatchdata.check import sources as sources_module
from dispatchdata.cli import main
from dispatchdata.release.release import open_bundle
from dispatchdata.resources import dataset_dir

from .test_validate import MINIMAL

runner = CliRunner()


def test_bash_completion_prints_a_script() -> None:
    """_DISPATCHDATA_COMPLETE=bash_source dispatchdata prints click's bash completion script."""
    result = runner.invoke(main, [], prog_name="dispatchdata", env={"_DISPATCHDATA_COMPLETE": "bash_source"})
    assert result.exit_code == 0
    assert result.stdout.startswith("_dispatchdata_completion() {\n")
    assert result.stdout.rstrip("\n").endswith("_dispatchdata_completion_setup;")


def test_a_missing_stance_names_the_closest_actor() -> None:
    """stance_matrix()[('medvedev-d', …)]: a KeyError with the id it probably meant."""
    matrix = dispatchdata.load().stance_matrix()
    with pytest.raises(KeyError) as raised:
        matrix["medvedev-d", "cancel-passports"]
    assert (
        raised.value.args[0]
        == "no stance of actor 'medvedev-d' in the matrix (did you mean 'dmitry-medvedev'?)"
    )
    with pytest.raises(KeyError) as raised:
        matrix["dmitry-medvedev", "cancel-passports"]
    assert raised.value.args[0] == "actor 'dmitry-medvedev' takes no stance on proposal 'cancel-passports'"


def test_repr_of_a_dataset_is_one_line() -> None:
    """What it is, its version, its records counted (it was the whole data, 119,677 characters)."""
    assert repr(dispatchdata.load()) == (
        f"<Dataset dispatchdata {dispatchdata.__version__}: "
        "1 document, 41 actors, 12 proposals, 60 statements>"
    )


def test_validate_names_the_installed_files_by_their_real_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Problems of the installed dataset name its real folder, not '<installed dataset>'."""
    monkeypatch.setattr(sources_module, "_packaged", lambda: [])  # its text not found: one error
    result = runner.invoke(main, ["validate", "-q"])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{dataset_dir().as_posix()}/documents.yaml:9:11: DD411 ")


def test_diff_apply_takes_what_diff_takes() -> None:
    """apply() takes a folder (or a version, or a bundle file) as diff() does, not only a dict."""
    bundle = open_bundle(MINIMAL)
    same = dispatchdata.diff(MINIMAL, bundle)
    assert same.apply(MINIMAL) == same.apply(bundle)
    assert same.apply(str(MINIMAL))["collections"] == bundle["collections"]


def test_validate_help_says_verbose_prints_timings() -> None:
    """-v is where the timings are: its help says so."""
    result = runner.invoke(main, ["validate", "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert (
        "-v, --verbose Also say which parser ran, which source texts were found, and how long "
        "each stage took (timings: parse, sources, schema, rules, anchors)."
    ) in " ".join(result.stdout.split())
