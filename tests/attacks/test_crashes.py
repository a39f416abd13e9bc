"""Attacks that ended in a traceback: an integer SQLite cannot store, a release file that cannot
be written, Ctrl-C. Each ends in one clear line and a documented exit status."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from dispatchdata.cli import main
from dispatchdata.parse import parse_bytes
from dispatchdata.release import dump_bundle, open_bundle

from ..golden.regenerate import MINIMAL

runner = CliRunner()

#: 2**63: valid for JSON Schema ("type": "integer"), one beyond what SQLite stores.
BEYOND = 9223372036854775808
RANGE = "(-9223372036854775808 to 9223372036854775807)"


def _outside(where: str, value: int = BEYOND) -> str:
    range_ = f"the signed 64-bit range {RANGE} that every export can store"
    return f"{where}: DD117 the integer {value} is outside {range_}"


def test_an_integer_beyond_64_bits_in_yaml_is_refused_before_export(tmp_path: Path) -> None:
    """A footnote numbered 2**63 (and cited so): `export sqlite` ended in OverflowError. The
    reading rule DD117 refuses it: exit 2, the problems named, no output made."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    documents = data / "documents.yaml"
    documents.write_text(
        documents.read_text("utf-8").replace("    - number: 1\n", f"    - number: {BEYOND}\n"), "utf-8"
    )
    statements = data / "statements.yaml"
    statements.write_text(
        statements.read_text("utf-8").replace("footnotes: [1]", f"footnotes: [{BEYOND}]"), "utf-8"
    )
    output = tmp_path / "out"
    result = runner.invoke(main, ["export", "sqlite", "--release", str(data), "--output", str(output)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "dispatchdata: error: invalid dataset: 3 error(s)\n" + "".join(
        _outside(where) + "\n"
        for where in ("documents.yaml:11:15", "statements.yaml:8:15", "statements.yaml:22:15")
    )
    assert not output.exists()


def test_an_integer_beyond_64_bits_in_a_json_bundle_is_refused(tmp_path: Path) -> None:
    """The same in a release bundle (JSON): DD117 at each number's place."""
    raw = dump_bundle(open_bundle(MINIMAL, jobs=None)).decode("utf-8")
    raw = raw.replace('"number": 1,', f'"number": {BEYOND},')
    raw = raw.replace('"footnotes": [\n          1\n', f'"footnotes": [\n          {BEYOND}\n')
    bundle = tmp_path / "bundle.json"
    bundle.write_text(raw, "utf-8")
    output = tmp_path / "out"
    result = runner.invoke(main, ["export", "sqlite", "--release", str(bundle), "--output", str(output)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "dispatchdata: error: invalid dataset: 3 error(s)\n" + "".join(
        _outside(where) + "\n" for where in ("bundle.json:121:23", "bundle.json:172:11", "bundle.json:210:11")
    )
    assert not output.exists()


def test_integers_at_the_ends_of_the_64_bit_range_are_read_and_one_beyond_is_not() -> None:
    """Both ends of the range are read as they are; one beyond either end is DD117, in YAML and
    in JSON, read as itself (so no other check reports the value again)."""
    low, high = -(2**63), 2**63 - 1
    for name in ("a.json", "a.yaml"):
        inside = parse_bytes(f"[{low}, {high}]".encode(), name)
        assert ([low, high], []) == (inside.data, inside.problems)
        outside = parse_bytes(f"[{low - 1}, {high + 1}]".encode(), name)
        assert [low - 1, high + 1] == outside.data
        assert [_outside(f"{name}:1:2", low - 1), _outside(f"{name}:1:{len(str(low)) + 4}", high + 1)] == [
            f"{p.file}:{p.line}:{p.column}: {p.code} {p.message}" for p in outside.problems
        ]
