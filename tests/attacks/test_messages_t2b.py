"""Attack: messages that sent the user the wrong way (issue 18, items 9-11). JSON nested too
deeply or holding an escaped lone surrogate was reported at 1:1; values the reader drops gave
secondary errors that did not say what was wrong, in Python's words (``None``) where the files
say ``null``; ``diff`` with an invalid side said only how many errors there were."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dispatchdata.cli import main
from dispatchdata.read.parse import parse_bytes, parse_text

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


# -- item 9: values the reader drops, and null as the files say it -----------------------------


def _edit(path: Path, find: str, replace: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(find) == 1
    path.write_text(text.replace(find, replace), encoding="utf-8")


def _as_json(target: Path, name: str, change: dict[str, object]) -> None:
    """The collection ``name`` of ``target`` written as JSON (indented), its first record changed."""
    records = parse_bytes((target / f"{name}.yaml").read_bytes(), f"{name}.yaml").data
    records[0].update(change)
    (target / f"{name}.yaml").unlink()
    (target / f"{name}.json").write_text(json.dumps(records, indent=2), encoding="utf-8")


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (
            lambda t: _edit(t / "documents.yaml", "length: 168", "length: .nan"),
            "documents.yaml:9:11: DD107 '.nan' is not a finite number; JSON cannot hold it",
        ),
        (
            lambda t: _as_json(t, "documents", {"length": float("nan")}),
            "documents.json:11:15: DD107 NaN is not a finite number; JSON cannot hold it",
        ),
        (
            lambda t: _as_json(t, "documents", {"length": 1e400}),
            "documents.json:11:15: DD107 Infinity is not a finite number; JSON cannot hold it",
        ),
        (
            lambda t: _edit(t / "documents.yaml", "length: 168", "length: !foo 168"),
            "documents.yaml:9:11: DD104 unsupported tag '!foo': only the standard JSON-like tags are allowed",
        ),
    ],
    ids=["yaml-nan", "json-nan", "json-infinity", "yaml-tag"],
)
def test_a_dropped_value_is_one_error_where_it_is(tmp_path: Path, make: object, expected: str) -> None:
    """NaN, infinity or a tag not allowed, for a required integer, in YAML or JSON: one reading
    error at the value, not also "'length' is a required property" (YAML) or "None is not of
    type 'integer'" (JSON), which are not what is wrong."""
    target = _dataset(tmp_path)
    make(target)  # type: ignore[operator]
    code, output = _validate(target)
    assert code == 1
    assert output == f"{target}/{expected}\n"


def test_both_readers_leave_a_dropped_value_out() -> None:
    """The YAML and the JSON reader give the same data: a value that cannot be read is left out
    of its mapping or list (and what follows in the list is placed where it is)."""
    yaml_data = parse_text("a: .nan\nb: [1, .inf, 3]\nc: 1\n", "f.yaml").data
    parsed = parse_text('{"a": NaN, "b": [1, 1e400,\n 3], "c": 1}', "f.json")
    assert yaml_data == parsed.data == {"b": [1, 3], "c": 1}
    assert parsed.position("/b/1") == (2, 2)


@pytest.mark.parametrize(
    ("file", "find", "replace", "expected"),
    [
        (
            "statements.yaml",
            "summary: Petrov said leavers must pay more.",
            "summary: null",
            "statements.yaml:5:12: DD203 summary: null is not of type 'string'",
        ),
        (
            "proposals.yaml",
            "title: Higher tax",
            "title: true",
            "proposals.yaml:2:10: DD203 title: true is not of type 'string'",
        ),
        (
            "statements.yaml",
            "  footnotes: [1]\n  stances:\n    - proposal: higher-tax\n      stance: supports",
            "  footnotes: [1]\n  stances:\n    - proposal: higher-tax\n      stance: false",
            "statements.yaml:11:15: DD204 stances/0/stance: false is not one of"
            " ['supports', 'opposes', 'mixed', 'neutral']",
        ),
        (
            "dataset.yaml",
            "name: minimal\ntitle: A minimal dataset for tests",
            "name: minimal\ntitle: ~",
            "dataset.yaml:2:8: DD203 title: null is not of type 'string'",
        ),
    ],
    ids=["null", "true", "false-nested", "metadata"],
)
def test_schema_messages_say_null_true_false_and_name_the_field(
    tmp_path: Path, file: str, find: str, replace: str, expected: str
) -> None:
    """null, true and false are spelt as YAML and JSON spell them (not None, True, False), after
    the field they are the value of."""
    target = _dataset(tmp_path)
    _edit(target / file, find, replace)
    code, output = _validate(target)
    assert code == 1
    assert output == f"{target}/{expected}\n"


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
        f"{target}/proposals.yaml:13:17: DD313 'nobody\\x1b[31m' contains U+001B ESCAPE",
        *shown,
        "... and 4 more",
        f"dispatchdata: error: NEW ({target}) is invalid: 24 error(s); run dispatchdata validate {target}",
    ]
