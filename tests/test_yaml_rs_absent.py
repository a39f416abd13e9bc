"""DISPATCHDATA_YAML_READER=yaml-rs where yaml-rs cannot be loaded (not installed, or installed
but failing to import, as a wheel whose shared library is missing does): the careful reader
reads every file, ``validate -v`` names it, and no traceback. These run with or without the
fast extra."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from dispatchdata.cli import main
from dispatchdata.read import yaml_rs
from dispatchdata.read.parse import HAVE_LIBYAML, parse_bytes

from .test_validate import MINIMAL, SOURCES

#: Why a module found fails to load.
_BROKEN = "libfoo.so.1: cannot open shared object file: No such file or directory"


@pytest.fixture(autouse=True)
def _fresh_installed() -> Iterator[None]:
    """Whether yaml-rs is installed is asked again here, and after (for the other tests)."""
    yaml_rs.installed.cache_clear()
    yield
    yaml_rs.installed.cache_clear()


@pytest.mark.parametrize("how", ["missing", "broken yaml_rs", "broken orjson"])
def test_yaml_rs_asked_for_but_not_loadable_reads_with_the_careful_reader(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """yaml-rs asked for, but missing or failing to load (itself, or orjson): the careful reader
    reads, ``-v`` names it, exit 0; it was a traceback (exit 1) where a module found failed to load."""
    monkeypatch.setenv("DISPATCHDATA_YAML_READER", "yaml-rs")
    if how == "missing":
        monkeypatch.setitem(sys.modules, "yaml_rs", None)  # what Python does for a module it lacks
    else:
        name = how.split()[1]
        (tmp_path / f"{name}.py").write_text(f"raise ImportError({_BROKEN!r})\n")
        monkeypatch.syspath_prepend(str(tmp_path))  # found first, as an installed module is
        monkeypatch.delitem(sys.modules, name, raising=False)
    assert parse_bytes(b"- a: 1\n", "f.yaml").data == [{"a": 1}]
    result = CliRunner().invoke(main, ["validate", str(MINIMAL), "--sources", str(SOURCES), "-v"])
    assert result.exception is None, result.exception
    assert result.exit_code == 0
    careful = "libyaml" if HAVE_LIBYAML else "pure Python (libyaml is not installed)"
    assert result.stderr.splitlines()[0] == f"note: YAML parser: {careful}"
    assert not yaml_rs.enabled()
