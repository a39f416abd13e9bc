"""Attack: messages that sent the user the wrong way (issue 18, items 9-11). JSON nested too
deeply or holding an escaped lone surrogate was reported at 1:1; values the reader drops gave
secondary errors that did not say what was wrong, in Python's words (``None``) where the files
say ``null``; ``diff`` with an invalid side said only how many errors there were."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from dispatchdata.cli import main

MINIMAL = Path(__file__).parent.parent / "cases" / "minimal"
SOURCES = Path(__file__).parent.parent / "cases" / "sources"

runner = CliRunner()


def _dataset(tmp_path: Path) -> Path:
    target = tmp_path / "dataset"
    shutil.copytree(MINIMAL, target)
    return target


def _validate(target: Path) -> tuple[int, str]:
    result = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES), "-q"])
    return result.exit_code, result.output


# -- item 10: JSON errors at their place ---------------------------------------------------------


def test_json_nested_too_deeply_is_reported_where_it_nests_too_deep(tmp_path: Path) -> None:
    """Nesting deeper than 1000 levels (YAML's limit) is placed at the bracket that goes one
    level too deep, not at 1:1."""
    target = _dataset(tmp_path)
    (target / "proposals.yaml").unlink()
    (target / "proposals.json").write_text("[\n  " + "[" * 3000 + "]" * 3000 + "\n]\n", encoding="utf-8")
    code, output = _validate(target)
    assert code == 1
    assert output == (
        f"{target}/proposals.json:2:1002: DD102 JSON syntax error: exceeded maximum nesting depth\n"
    )


def test_json_lone_surrogate_is_reported_at_its_escape(tmp_path: Path) -> None:
    """An escaped lone surrogate is placed at its escape (after a valid pair and an escaped
    backslash that only looks like one), and the message shows it."""
    target = _dataset(tmp_path)
    (target / "proposals.yaml").unlink()
    text = '[\n  {"id": "a-\\ud83d\\ude00 \\\\ud800",\n   "title": "x \\udc01"}\n]\n'
    (target / "proposals.json").write_text(text, encoding="utf-8")
    code, output = _validate(target)
    assert code == 1
    assert output == (
        f"{target}/proposals.json:3:16: DD102 JSON holds an escaped lone surrogate, \\udc01,"
        " which is not text\n"
    )


# -- item 11: diff with an invalid side shows its errors ----------------------------------------


def test_diff_with_an_invalid_side_shows_its_errors_escaped_and_capped(tmp_path: Path) -> None:
    """An invalid side's errors are printed on stderr as validate prints them (values escaped),
    the first 20 of them and how many more, then the one-line error; exit 2."""
    target = _dataset(tmp_path)
    path = target / "proposals.yaml"
    record = path.read_text(encoding="utf-8")
    copies = [
        record.replace("id: higher-tax", f"id: p-{n}").replace("[ivan-petrov]", f"[nobody-{n}]")
        for n in range(22)
    ]
    copies[0] = copies[0].replace("nobody-0", '"nobody\\e[31m"')
    path.write_text(record + "".join(copies), encoding="utf-8")
    result = runner.invoke(main, ["diff", str(MINIMAL), str(target), "--sources", str(SOURCES)])
    assert result.exit_code == 2
    assert result.stdout == ""
    shown = [
        f"{target}/proposals.yaml:{13 + 8 * n}:17: DD302 unknown actor 'nobody-{n}'" for n in range(1, 18)
    ]
    assert result.stderr.splitlines() == [
        f"{target}/proposals.yaml:13:17: DD205 'nobody\\x1b[31m' does not match '^[a-z0-9]+(-[a-z0-9]+)*$'",
        f"{target}/proposals.yaml:13:17: DD302 unknown actor 'nobody\\x1b[31m'",
        f"{target}/proposals.yaml:13:17: DD313 'nobody\\x1b[31m' contains U+001B UNNAMED",
        *shown,
        "... and 4 more",
        f"dispatchdata: error: NEW ({target}) is invalid: 24 error(s); run dispatchdata validate {target}",
    ]
