"""Shared fixtures: the repository's dataset, and the source texts the anchors count into."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import settings

import dispatchdata
from dispatchdata import Dataset
from dispatchdata.cli import main
from dispatchdata.read import frozen
from dispatchdata.release.release import open_bundle

from .helpers import SHIPPED_IN_TEST

# Hypothesis profiles. "ci": the same examples every run and no example database, so a CI run is
# repeatable (chosen when CI is set). "thorough": ten times the examples of every property
# (tests.helpers.examples) from random seeds, to hunt for rare failures:
#     python -m pytest --hypothesis-profile thorough
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("thorough", max_examples=1000, derandomize=False)
if os.environ.get("CI") and not os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile("ci")
elif os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "dataset"
SCHEMA = ROOT / "schema"
SOURCE_SHA256 = "4139fafea273c92e40a7ccc0e3a4e31737f1146576ad25ada140e2994ebae09f"


SOURCES = ROOT / "sources"


@pytest.fixture(scope="session")
def sources() -> Path:
    """The repository's folder of source texts (shipped in the wheel too)."""
    return SOURCES


@pytest.fixture(scope="session")
def source_text(sources: Path) -> str:
    """The text of Special Dispatch No. 10423, found by its SHA-256."""
    return (sources / "memri-special-dispatch-10423.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def real() -> dict[str, Any]:
    """The repository's dataset read as a release bundle, once per test module (read only)."""
    return open_bundle(DATASET)


@pytest.fixture(scope="module")
def ds() -> Dataset:
    """The installed dataset, loaded once per test module (read only)."""
    return dispatchdata.load()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the installed dataset, as the command writes it (read only)."""
    out = tmp_path_factory.mktemp("site") / "out"
    done = CliRunner().invoke(main, ["export", "site", "--output", str(out)])
    assert done.exit_code == 0, done.output
    return out


@pytest.fixture
def dataset_copy(tmp_path: Path) -> Path:
    """A writable copy of the repository's dataset folder, for tests that break it on purpose."""
    target = tmp_path / "dataset"
    shutil.copytree(DATASET, target, ignore=shutil.ignore_patterns("releases"))
    return target


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home, configuration and cache folder of the test's own: a cache's secret key is made in
    the user's configuration folder, and no test may touch the real one."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("DISPATCHDATA_CACHE", raising=False)
    return home


@pytest.fixture(autouse=True)
def releases_shipped_by_a_test(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The releases the package ships, and those a test ships with tests.helpers.ship(): what
    frozen.trusted_digests returns during the test (the real ones always included)."""
    real = frozen.trusted_digests
    monkeypatch.setattr(frozen, "trusted_digests", lambda: real() | SHIPPED_IN_TEST)
    yield
    SHIPPED_IN_TEST.clear()
