"""Citations: text, BibTeX, biblatex and CFF, of a release or one record; the repository's own
CITATION.cff never drifts from dataset.yaml."""

from __future__ import annotations

from click.testing import CliRunner

import dispatchdata
from dispatchdata.citation import cite_text
from dispatchdata.cli import main
from dispatchdata.release.release import open_bundle

from .conftest import ROOT
from .test_validate import MINIMAL

runner = CliRunner()


def test_text_citation_names_the_version_and_the_release_date() -> None:
    """Authors (year). Title (Version x) [Data set]. License."""
    bundle = open_bundle(MINIMAL) | {"released": "2026-11-28"}
    assert cite_text(bundle) == (
        "dispatchdata tests (2026). A minimal dataset for tests (Version 1.0.0) [Data set]. "
        "License CC0-1.0.\n"
    )


def test_record_citation_names_the_record_and_the_release() -> None:
    """--record: the record's collection and id, then the release's citation."""
    assert cite_text(open_bundle(MINIMAL), "orlova-unfair") == (
        "Record 'statement orlova-unfair' in: dispatchdata tests. "
        "A minimal dataset for tests (Version 1.0.0) [Data set]. License CC0-1.0.\n"
    )


def test_cli_cite_prints_the_installed_version() -> None:
    """`dispatchdata cite` names the installed version."""
    result = runner.invoke(main, ["cite"])
    assert result.exit_code == 0
    assert f"(Version {dispatchdata.__version__})" in result.output


def test_cli_cite_unknown_record_exits_2() -> None:
    """A record id the release does not have: exit 2 and a message."""
    result = runner.invoke(main, ["cite", "--record", "nobody"])
    assert result.exit_code == 2
    assert result.stderr == f"dispatchdata: error: no record 'nobody' in release {dispatchdata.__version__}\n"


def test_repository_citation_cff_is_generated_from_dataset_yaml() -> None:
    """CITATION.cff is exactly `dispatchdata cite --format cff`: regenerate it when dataset.yaml changes."""
    result = runner.invoke(main, ["cite", "--format", "cff"])
    assert result.exit_code == 0
    assert (ROOT / "CITATION.cff").read_text(encoding="utf-8") == result.output
