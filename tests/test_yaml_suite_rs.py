"""The YAML test suite (``tests/data/yaml-test-suite``) read by the yaml-rs reader: yaml-rs reads
the cases it reads exactly as the careful reader does and hands the others over, so every case's
outcome is the careful (libyaml) reader's, and of the cases yaml-rs reads itself none is invalid
and none is misread. The counts are the README's."""

from __future__ import annotations

from collections import Counter

import pytest

from dispatchdata.read import yaml_rs

from .helpers import typed
from .test_yaml_suite import SUITE, WITHOUT_JSON, Outcome, cases, classify, documents

pytestmark = pytest.mark.skipif(not yaml_rs.installed(), reason="yaml-rs is not installed (the fast extra)")

#: The cases yaml-rs reads itself, by class (the README's, below its table).
TAKEN = {"read exactly": 46, "empty": 2, "misread": 0, "invalid accepted": 0}


def _outcomes(monkeypatch: pytest.MonkeyPatch, reader: str) -> dict[str, Outcome]:
    """Every case's outcome with the libyaml reader, yaml-rs on or off."""
    monkeypatch.setenv("DISPATCHDATA_YAML_READER", reader)
    return {case: classify(case, False) for case in cases()}


def test_every_case_reads_as_without_yaml_rs(monkeypatch: pytest.MonkeyPatch) -> None:
    """With yaml-rs, each case gets the careful reader's class, value and codes: what yaml-rs
    reads it reads exactly so, the rest it hands over (where they are refused, with a DD1xx)."""
    with_rs = _outcomes(monkeypatch, "yaml-rs")
    without = _outcomes(monkeypatch, "pyyaml")
    differ = [
        case
        for case in cases()
        if (with_rs[case].kind, with_rs[case].codes, typed(with_rs[case].data))
        != (without[case].kind, without[case].codes, typed(without[case].data))
    ]
    assert differ == []


def _taken(case: str) -> str | None:
    """The class of a case yaml-rs reads itself (None: handed over or not UTF-8)."""
    folder = SUITE / case
    try:
        text = (folder / "in.yaml").read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None
    data = yaml_rs.read_fast(text)
    if data is yaml_rs.DEFER:
        return None
    if (folder / "error").exists():
        return "invalid accepted"
    if not (folder / "in.json").exists():
        return "read exactly" if typed(WITHOUT_JSON.get(case)) == typed(data) else "misread"
    expected = documents((folder / "in.json").read_text(encoding="utf-8"))
    if not expected and data is None:
        return "empty"
    return "read exactly" if len(expected) == 1 and typed(expected[0]) == typed(data) else "misread"


def test_what_yaml_rs_reads_itself_it_reads_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    """Of the cases yaml-rs reads itself, none is invalid, none is misread: the counts exact."""
    monkeypatch.setenv("DISPATCHDATA_YAML_READER", "yaml-rs")
    found = Counter(kind for case in cases() if (kind := _taken(case)) is not None)
    assert {kind: found[kind] for kind in TAKEN} == TAKEN
    assert found.total() == sum(TAKEN.values())
