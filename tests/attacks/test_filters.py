"""A filter cannot make a skipped check look passed: `--select DD412` (or `--ignore DD405`) on a
dataset whose source text is not found said "valid", exit 0, with `--strict` too, although not one
anchor (nor the first mention) had been checked against a text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dispatchdata.cli import main

from ..test_validate import MINIMAL

runner = CliRunner()


def _without_its_text(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(MINIMAL, folder)
    documents = folder / "documents.yaml"
    text = documents.read_text(encoding="utf-8")
    start = text.index("sha256: ") + len("sha256: ")
    documents.write_text(text[:start] + "'" + "0" * 64 + "'" + text[start + 64 :], encoding="utf-8")
    return folder


SKIPPED = f"DD405 source text of 'doc-1' (sha256 {'0' * 64}) not found"


@pytest.mark.parametrize(
    ("option", "kept"),
    [
        (["--select", "DD412"], True),
        (["--select", "DD401,DD3"], True),
        (["--ignore", "DD405"], True),
        (["--select", "DD405"], True),
        (["--ignore", "DD4"], False),  # no check against the texts asked for: none skipped
        (["--select", "DD3"], False),
    ],
)
def test_a_text_not_found_is_said_while_a_check_needing_it_is_asked_for(
    tmp_path: Path, option: list[str], kept: bool
) -> None:
    result = runner.invoke(main, ["validate", str(_without_its_text(tmp_path)), "--strict", *option])
    said = [line for line in result.output.splitlines() if "DD405" in line]
    if kept:
        assert result.exit_code == 1
        assert len(said) == 1
        assert SKIPPED in said[0]
    else:
        assert (result.exit_code, said) == (0, [])
        assert result.output.endswith("valid: 0 errors, 0 warnings in 5 files, 7 records\n")
