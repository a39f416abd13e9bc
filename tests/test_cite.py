"""Citations: text, BibTeX, biblatex and CFF, of a release or one record; the repository's own
CITATION.cff never drifts from dataset.yaml."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from click.testing import CliRunner

import dispatchdata
from dispatchdata.citation import cite_text
from dispatchdata.cli import main
from dispatchdata.identity import identified, releases_of
from dispatchdata.release.release import dump_bundle, open_bundle

from .conftest import ROOT
from .test_validate import MINIMAL

runner = CliRunner()


def released_minimal(tmp_path: Path, released: str = "2026-11-28") -> Path:
    """A copy of the minimal dataset with its release 1.0.0 (of date ``released``) frozen in
    ``releases/``, as ``dispatchdata release`` leaves it."""
    folder = tmp_path / "minimal"
    shutil.copytree(MINIMAL, folder)
    data = dump_bundle(open_bundle(MINIMAL) | {"released": released})
    (folder / "releases").mkdir()
    (folder / "releases" / "1.0.0.json").write_bytes(data)
    line = f"{hashlib.sha256(data).hexdigest()}  1.0.0.json\n"
    (folder / "releases" / "SHA256SUMS").write_text(line, encoding="utf-8")
    return folder


def test_text_citation_names_the_version_and_the_release_date(tmp_path: Path) -> None:
    """Authors (year). Title (Version x) [Data set]. License: of data that is its release."""
    folder = released_minimal(tmp_path)
    assert cite_text(identified(open_bundle(folder), releases_of(folder))) == (
        "dispatchdata tests (2026). A minimal dataset for tests (Version 1.0.0) [Data set]. License CC0-1.0."
    )


def test_a_release_date_the_bundle_claims_is_not_believed() -> None:
    """A bundle saying it was released, but not equal to a release: cited as unreleased data,
    labelled by the SHA-256 of its canonical bundle, with no year."""
    bundle = open_bundle(MINIMAL)
    digest = hashlib.sha256(dump_bundle(bundle)).hexdigest()
    assert cite_text(bundle | {"released": "2026-11-28"}) == (
        f"dispatchdata tests. A minimal dataset for tests (Version 1.0.0+unreleased.{digest[:8]}) "
        "[Data set]. License CC0-1.0."
    )


def test_record_citation_names_the_record_and_the_release(tmp_path: Path) -> None:
    """--record: the record's collection and id, then the release's citation."""
    folder = released_minimal(tmp_path)
    assert cite_text(identified(open_bundle(folder), releases_of(folder)), "orlova-unfair") == (
        "Record 'statement orlova-unfair' in: dispatchdata tests (2026). "
        "A minimal dataset for tests (Version 1.0.0) [Data set]. License CC0-1.0."
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
