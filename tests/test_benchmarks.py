"""Smoke run (untimed) of the benchmark generator and runner: the synthetic corpus is valid, in
YAML and in JSON, and the runner measures it end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks import generate, run

import dispatchdata


def test_generated_corpus_is_valid_in_both_formats(tmp_path: Path) -> None:
    """Every anchor of the generated corpus matches its generated text; YAML and JSON agree."""
    generate.write(generate.generate(120, seed=7), tmp_path)
    for fmt in ("yaml", "json"):
        report = dispatchdata.validate(tmp_path / fmt, sources=[tmp_path / "sources"])
        assert [p.code for p in report.problems] == [], fmt
        assert report.records == 2 + 11 + 5 + 120  # documents, actors (publisher too), proposals, statements
    assert dispatchdata.diff(tmp_path / "yaml", tmp_path / "json").changes == ()


def test_generation_is_deterministic() -> None:
    """Same seed, same corpus."""
    assert generate.generate(60, seed=3) == generate.generate(60, seed=3)


def test_runner_measures_a_small_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The runner's measurements and report, without the comparison tools."""
    monkeypatch.setattr(run, "CORPUS", tmp_path)
    result = run.measure(100, compare=False)
    assert result["validate_yaml"]["code"] == result["validate_json"]["code"] == 0
    assert "parse=" in result["validate_json"]["phases"]
    assert result["records"] == 2 + 11 + 5 + 100  # as validate counted them
    text = run.report([result], {"dispatchdata --version": 0.1}, compare=False)
    assert "| 100 | YAML |" in text
    (sqlite,) = [line for line in text.splitlines() if "| export sqlite |" in line]
    seconds = result["export_sqlite"]["wall"]
    assert sqlite.split(" | ")[3] == f"{118 / seconds:,.0f}"  # records/s
    assert result["validate_bundle"]["code"] == result["diff_bundle"]["code"] == 0
    assert result["export_bundle"]["code"] == 0
    for label in (
        "validate the release bundle (the json export)",
        "diff the release bundle vs the YAML folder",
        "export csv from the release bundle",
    ):
        assert f"| 100 | {label} |" in text
