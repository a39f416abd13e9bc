"""Nothing echoed at length: a message quotes an excerpt of about 80 characters of a value, around
the point that matters, with "…" where it is cut — never the whole value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dispatchdata.cli import main
from dispatchdata.display import excerpt, first_difference

from ..test_validate import SOURCES, apply_case

runner = CliRunner()
MEGABYTE = 1_000_000


def test_excerpt_keeps_a_short_value_whole() -> None:
    """Up to the width, the value itself: no ellipsis."""
    assert excerpt("a" * 80) == "a" * 80
    assert excerpt("") == ""


def test_excerpt_cuts_around_the_point_that_matters() -> None:
    """Eighty characters: from the start by default, else a quarter before the point and the rest
    after it, with "…" on each side that was cut."""
    text = "".join(chr(ord("a") + i % 26) for i in range(1000))
    assert excerpt(text) == text[:80] + "…"
    assert excerpt(text, at=500) == "…" + text[480:560] + "…"
    assert excerpt(text, at=990) == "…" + text[920:]
    assert excerpt(text, at=10, width=20) == "…" + text[5:25] + "…"


def test_first_difference() -> None:
    """The index where two strings part; the shorter's length when one starts the other."""
    assert first_difference("abcdef", "abcxef") == 3
    assert first_difference("abc", "abcdef") == 3
    assert first_difference("", "x") == 0


def _huge(tmp_path: Path) -> Path:
    """The minimal dataset with a 1 MB unknown speaker id and a 1 MB summary."""
    target = tmp_path / "data"
    edits = [
        {"file": "statements.yaml", "find": "speaker: ivan-petrov", "replace": "speaker: " + "a" * MEGABYTE},
        {
            "file": "statements.yaml",
            "find": "summary: Orlova replied that the tax would be unfair.",
            "replace": "summary: " + "b" * MEGABYTE,
        },
    ]
    apply_case({"edits": edits}, target)
    return target


def test_a_megabyte_id_and_summary_are_excerpted_in_text(tmp_path: Path) -> None:
    """The schema's and the rules' messages quote 80 characters of each value (about 460 bytes of
    output where there were 3 MB)."""
    target = _huge(tmp_path)
    result = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES)])
    assert result.exit_code == 1
    a, b = "a" * 80 + "…", "b" * 80 + "…"
    assert result.output == (
        f"{target}/statements.yaml:3:12: DD206 '{a}' is too long\n"
        f"{target}/statements.yaml:3:12: DD302 unknown actor '{a}'\n"
        f"{target}/statements.yaml:20:12: DD206 '{b}' is too long\n"
        "invalid: 3 errors, 0 warnings in 5 files, 7 records\n"
    )


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_a_megabyte_id_and_summary_make_little_output_in_every_format(tmp_path: Path, fmt: str) -> None:
    """Whatever the format, the whole output stays under 2 KB."""
    result = runner.invoke(
        main, ["validate", str(_huge(tmp_path)), "--sources", str(SOURCES), "--format", fmt]
    )
    assert result.exit_code == 1
    assert len(result.stdout.encode()) + len(result.stderr.encode()) < 2048
    if fmt == "json":
        messages = [p["message"] for p in json.loads(result.stdout)["problems"]]
        assert [m.count("…") for m in messages] == [1, 1, 1]


def test_a_200_character_unknown_id_is_shown_by_its_start(tmp_path: Path) -> None:
    """An unknown id (too long for the schema too): its first 80 characters, then "…" (the exact
    problem lines)."""
    target = tmp_path / "data"
    unknown = "x" + "-abc" * 50 + "y"  # 202 characters, a valid id pattern
    edit = {"file": "statements.yaml", "find": "speaker: anna-orlova", "replace": f"speaker: {unknown}"}
    apply_case({"edits": [edit]}, target)
    result = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES), "-q"])
    assert result.exit_code == 1
    shown = "'x" + "-abc" * 19 + "-ab…'"
    assert result.output == (
        f"{target}/statements.yaml:18:12: DD206 {shown} is too long\n"
        f"{target}/statements.yaml:18:12: DD302 unknown actor {shown}\n"
    )


def test_an_anchor_mismatch_is_shown_around_its_first_difference(dataset_copy: Path, sources: Path) -> None:
    """A 386-character anchor changed in its middle: the message shows the source text from 20
    characters before the first difference (the "a" of "males"), not from the anchor's start."""
    path = dataset_copy / "statements.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("number of young males") == 1
    path.write_text(text.replace("number of young males", "number of young mules"), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(dataset_copy), "--sources", str(sources), "-q"])
    assert result.exit_code == 1
    assert result.output == (
        f"{dataset_copy}/statements.yaml:17:12: DD401 exact text differs from the document text at "
        "[177:563], which reads '…te number of young males and professionals who can find employment "
        "abroad or eve…'\n"
    )


def test_a_megabyte_change_is_excerpted_in_the_diff(tmp_path: Path) -> None:
    """diff text and markdown show a changed value around where it changed, not at length."""
    old, new = tmp_path / "old", tmp_path / "new"
    find = "  type: person\n  name: Ivan Petrov\n"
    said = "  description: A senator who says leavers must pay {}more.\n"
    apply_case({"edits": [{"file": "actors.yaml", "find": find, "replace": find + said.format("")}]}, old)
    edit = {"file": "actors.yaml", "find": find, "replace": find + said.format("much " * 200_000)}
    apply_case({"edits": [edit]}, new)
    result = runner.invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == (
        'PATCH  actors ivan-petrov /description: "…o says leavers must pay [--]'
        "{+" + "much " * 16 + '…+}more."'
    )
    for fmt in ("text", "markdown"):
        result = runner.invoke(main, ["diff", str(old), str(new), "--format", fmt])
        assert result.exit_code == 0
        assert len(result.output.encode()) < 2048


def test_a_megabyte_sha256_is_excerpted_in_messages_and_notes(tmp_path: Path) -> None:
    """A document's sha256 is quoted by the schema's message, the text-not-found warning and the
    -v note: each an excerpt, the whole output under 2 KB."""
    target = tmp_path / "data"
    digest = "9743f7e91418144ac6c366eb6dc3b37f89ea946fd12cd0a39400f8c4c2846790"
    apply_case({"edits": [{"file": "documents.yaml", "find": digest, "replace": "f" * MEGABYTE}]}, target)
    result = runner.invoke(main, ["validate", str(target), "-v"])
    assert result.exit_code == 1
    assert len(result.stdout.encode()) + len(result.stderr.encode()) < 2048
    assert "f" * 81 not in result.stdout + result.stderr  # however the messages are worded
    assert f"{'f' * 80}…" in result.stderr
