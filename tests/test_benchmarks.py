"""Smoke run (untimed) of the benchmark generator and runner: the synthetic corpus is valid, in
YAML and in JSON, and the runner measures it end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def test_in_process_timings_and_their_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """orjson one file at a time and holding them all, and validate(), each in a fresh process
    (orjson from this environment here, instead of the runner's own), and the ratios reported."""
    pytest.importorskip("orjson")  # the fast extra: the runner installs its own, this test does not
    generate.write(generate.generate(100, seed=5), tmp_path / "100")
    monkeypatch.setattr(run, "tools", lambda: run.BIN)
    timings = run.in_process(tmp_path / "100")
    assert set(timings) == {"orjson_each", "orjson_parse", "inprocess_json"}
    assert all(0 < seconds < 60 for seconds in timings.values())
    walls = {"wall": 1.0, "mb": 1.0, "peak_mb": 1.0, "phases": ""}
    result: dict[str, Any] = {
        "size": 100,
        "records": 118,
        **{
            f"{k}_{f}": dict(walls)
            for k in ("validate", "validate1", "check_jsonschema")
            for f in ("yaml", "json")
        },
        "orjson_each": 0.02,
        "orjson_parse": 0.05,
        "inprocess_json": 0.1,
    }
    text = run.report([result], {"dispatchdata --version": 0.1}, compare=True)
    assert "| 100 | 0.020 s | 0.050 s | 0.100 s | 5.00x | 2.00x |" in text.splitlines()
    assert "| 100 | 1.00 s | 1.00 s (1.00 s) | 1.0x (1.0x) | 1.00 s | 1.00 s (1.00 s) | 1.0x (1.0x) |" in text


def test_compare_reports_instructions_and_ratios(capsys: pytest.CaptureFixture[str]) -> None:
    """compare.py --instructions: each revision's count in billions and the head's ratio to each
    base, to three places, one row per command."""
    import argparse

    from benchmarks import compare

    base, other, head = "a" * 40, "b" * 40, "c" * 40
    sides = [(base, Path()), (other, Path()), (head, Path())]
    counted = {
        (base, "validate yaml"): 7_268_000_000,
        (other, "validate yaml"): 8_395_000_000,
        (head, "validate yaml"): 8_104_000_000,
    }
    compare.report_instructions(argparse.Namespace(size=10000), sides, ["validate yaml"], counted)
    assert capsys.readouterr().out == (
        "10000 statements, instructions (valgrind callgrind, one processor, one process); "
        "bases aaaaaaa, bbbbbbb, head ccccccc\n\n"
        "| command | aaaaaaa G | bbbbbbb G | ccccccc G | /aaaaaaa | /bbbbbbb |\n"
        "|---|---:|---:|---:|---:|---:|\n"
        "| `validate yaml` | 7.268 | 8.395 | 8.104 | 1.115 | 0.965 |\n"
    )


def test_compare_reports_the_ratio_round_by_round(capsys: pytest.CaptureFixture[str]) -> None:
    """compare.py's timed report: the best wall time of each revision and the head's ratio to
    it; then each round's ratio (the head's time over the base's of the same round), as median
    and range, so that a slow minute that fell on one side only shows; then the best CPU time."""
    import argparse

    from benchmarks import compare

    base, head = "a" * 40, "c" * 40
    sides = [(base, Path()), (head, Path())]
    # each round's ratio: 1.1, 1.0, 1.25, 1.06; each side's best round is not its first
    walls = {base: [4.4, 5.0, 4.0, 4.2], head: [4.84, 5.0, 5.0, 4.452]}
    runs = {
        (c, "validate yaml"): [{"wall": w, "cpu": 2 * w, "peak_mb": 90.0 + n} for n, w in enumerate(ws)]
        for c, ws in walls.items()
    }
    compare.report(argparse.Namespace(size=100000, rounds=4), sides, ["validate yaml"], runs)
    out = capsys.readouterr().out
    assert out.split("\n", 1)[0].startswith(
        "100000 statements, best of 4, alternating; bases aaaaaaa, head ccccccc"
    )
    assert out.split("\n", 2)[2] == (
        "| command | aaaaaaa s | ccccccc s | /aaaaaaa | aaaaaaa MB | ccccccc MB |\n"
        "|---|---:|---:|---:|---:|---:|\n"
        "| `validate yaml` | 4.00 | 4.45 | 1.11 | 92 | 93 |\n"
        "\n"
        "The head's wall time over each base's in the same round (the two ran minutes apart at most):"
        " median [lowest, highest] of the rounds:\n"
        "\n"
        "| command | /aaaaaaa |\n"
        "|---|---:|\n"
        "| `validate yaml` | 1.08 [1.00, 1.25] |\n"
        "\n"
        "CPU time (user + sys, workers included), best of the rounds:\n"
        "\n"
        "| command | aaaaaaa CPU s | ccccccc CPU s | /aaaaaaa |\n"
        "|---|---:|---:|---:|\n"
        "| `validate yaml` | 8.00 | 8.90 | 1.11 |\n"
    )
