"""Shared fixtures: the repository's dataset, and the source texts the anchors count into."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dispatchdata.sources import find_sources

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "dataset"
SCHEMA = ROOT / "schema"
SOURCE_SHA256 = "4139fafea273c92e40a7ccc0e3a4e31737f1146576ad25ada140e2994ebae09f"


def sources_dir() -> Path | None:
    """DISPATCHDATA_SOURCES if set, else ../shared/sources beside the checkout, else None."""
    configured = os.environ.get("DISPATCHDATA_SOURCES")
    candidates = [Path(configured)] if configured else [ROOT.parent / "shared" / "sources"]
    return next((c for c in candidates if c.is_dir()), None)


@pytest.fixture(scope="session")
def sources() -> Path:
    """The folder holding the source texts; skips the test (saying why) when there is none."""
    folder = sources_dir()
    if folder is None and os.environ.get("CI"):
        pytest.fail("CI must check the anchors: the source texts were not found (set DISPATCHDATA_SOURCES)")
    if folder is None:
        pytest.skip(
            "source texts not found: set DISPATCHDATA_SOURCES to the folder holding "
            "memri-special-dispatch-10423.txt, or place it in ../shared/sources"
        )
    return folder


@pytest.fixture(scope="session")
def source_text(sources: Path) -> str:
    """The text of Special Dispatch No. 10423, found by its SHA-256."""
    texts = find_sources([sources], [SOURCE_SHA256])
    if SOURCE_SHA256 not in texts:
        pytest.skip(f"no file in {sources} has the SHA-256 of Special Dispatch No. 10423")
    return texts[SOURCE_SHA256]


@pytest.fixture
def dataset_copy(tmp_path: Path) -> Path:
    """A writable copy of the repository's dataset folder, for tests that break it on purpose."""
    target = tmp_path / "dataset"
    shutil.copytree(DATASET, target, ignore=shutil.ignore_patterns("releases"))
    return target
