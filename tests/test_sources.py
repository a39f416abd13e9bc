"""The source text is shipped with the project, byte for byte, and found without being asked for."""

from __future__ import annotations

import hashlib

import yaml

from dispatchdata.check.sources import find_sources

from .conftest import DATASET, SOURCE_SHA256, SOURCES


def test_the_shipped_text_is_the_one_the_documents_record() -> None:
    """sources/ holds, byte for byte, the text whose SHA-256 documents.yaml records."""
    documents = yaml.safe_load((DATASET / "documents.yaml").read_text(encoding="utf-8"))
    recorded = {d["sha256"] for d in documents}
    shipped = {hashlib.sha256(p.read_bytes()).hexdigest() for p in SOURCES.iterdir() if p.suffix == ".txt"}
    assert recorded == shipped == {SOURCE_SHA256}


def test_packaged_texts_are_found_without_a_folder() -> None:
    """find_sources looks among the shipped texts even when no folder is given."""
    assert set(find_sources([], [SOURCE_SHA256])) == {SOURCE_SHA256}
    assert find_sources([], ["0" * 64]) == {}


def test_the_manifest_lists_every_shipped_text_with_its_sha256() -> None:
    """sources/SHA256SUMS (what makes a shipped text one that must be found) lists exactly the
    files of sources/, each with the SHA-256 of its bytes."""
    from dispatchdata.check.sources import shipped_texts
    from dispatchdata.read.frozen import SUMS

    files = {hashlib.sha256(p.read_bytes()).hexdigest(): p.name for p in SOURCES.iterdir() if p.name != SUMS}
    assert shipped_texts() == files
    assert SOURCE_SHA256 in files
