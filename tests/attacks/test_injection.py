"""Nothing injected: a file name or value holding a line break, an ANSI escape or a bidi override
is shown escaped in every output format (never a GitHub Actions workflow command of its own, never
a redrawn terminal line), and citation fields are text, never LaTeX commands."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from dispatchdata import diff
from dispatchdata.cli import main
from dispatchdata.display import printable
from dispatchdata.release.diff_report import DIFF_REPORTERS
from dispatchdata.release.release import dump_bundle, open_bundle

from ..test_validate import MINIMAL, SOURCES, apply_case

runner = CliRunner()

INJECTED = "notes\n::error title=Security::INJECTED"
REDRAWN = "a\x1b[2K\rvalid: 0 errors\x1b[8m"
REVERSED = "x\u202egnp"
#: Anything that acts on a terminal or a log reader rather than being shown (tab and line feed
#: are checked apart: they are the output's own).
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _folder_dataset(tmp_path: Path, names: list[str]) -> Path:
    """The minimal dataset with its statements in a folder, beside one file per name (each a
    schema error: a list holding 5), so every name is reported."""
    target = tmp_path / "data"
    apply_case({}, target)
    folder = target / "statements"
    folder.mkdir()
    (target / "statements.yaml").rename(folder / "main.yaml")
    for name in names:
        (folder / f"{name}.yaml").write_text("- 5\n", encoding="utf-8")
    return target


def test_printable_escapes_every_control_character() -> None:
    """C0 (line breaks named), DEL, C1, separators and bidi controls become escapes; the rest,
    non-ASCII letters included, stays."""
    assert printable("a\nb\rc\td\x00e\x1bf\x7fg\x85h\x9bi") == "a\\nb\\rc\\td\\x00e\\x1bf\\x7fg\\x85h\\x9bi"
    assert printable("\u2028\u2029\u202a\u202e\u2066\u2069\u200e\u200f\u061c") == (
        "\\u2028\\u2029\\u202a\\u202e\\u2066\\u2069\\u200e\\u200f\\u061c"
    )
    assert printable("Ёлка – “ok” café") == "Ёлка – “ok” café"


def test_text_format_escapes_file_names(tmp_path: Path) -> None:
    """A name with a line break stays on its line; an ANSI escape cannot draw a 'valid:' line."""
    target = _folder_dataset(tmp_path, [INJECTED, REDRAWN, REVERSED])
    result = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES)])
    assert result.exit_code == 1
    end = ".yaml:1:3: DD203 5 is not of type 'object'\n"
    assert result.output == (
        f"{target}/statements/a\\x1b[2K\\rvalid: 0 errors\\x1b[8m{end}"
        f"{target}/statements/notes\\n::error title=Security::INJECTED{end}"
        f"{target}/statements/x\\u202egnp{end}"
        "invalid: 3 errors, 0 warnings in 8 files, 10 records\n"
    )


def test_github_format_cannot_start_a_workflow_command(tmp_path: Path) -> None:
    """Every line of the github format is one of ours: the injected '::error title=Security'
    stays inside the file property, escaped."""
    target = _folder_dataset(tmp_path, [INJECTED, REDRAWN, REVERSED])
    result = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES), "--format", "github"])
    assert result.exit_code == 1
    end = ",line=1,col=3,title=DD203::5 is not of type 'object'\n"
    assert result.stdout == (
        f"::error file={target}/statements/a\\x1b[2K\\rvalid%3A 0 errors\\x1b[8m.yaml{end}"
        f"::error file={target}/statements/notes\\n%3A%3Aerror title=Security%3A%3AINJECTED.yaml{end}"
        f"::error file={target}/statements/x\\u202egnp.yaml{end}"
    )
    assert result.stderr == "invalid: 3 errors, 0 warnings in 8 files, 10 records\n"


def test_json_format_keeps_names_exact_and_escaped(tmp_path: Path) -> None:
    """JSON escapes every control character (those json.dumps leaves raw too): the names decode
    exactly, and the output holds none raw."""
    target = _folder_dataset(tmp_path, [INJECTED, REDRAWN, REVERSED])
    result = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES), "--format", "json"])
    assert result.exit_code == 1
    assert RAW.search(result.stdout) is None
    assert '"file": "statements/x\\u202egnp.yaml"' in result.stdout
    files = [p["file"] for p in json.loads(result.stdout)["problems"]]
    assert files == [
        f"statements/{REDRAWN}.yaml",
        f"statements/{INJECTED}.yaml",
        f"statements/{REVERSED}.yaml",
    ]


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_an_unexpected_file_with_a_hostile_name_injects_nothing(tmp_path: Path, fmt: str) -> None:
    """A file of that name at the top of the dataset folder (not a collection): however it is
    reported, no line starts a workflow command or carries a raw control character."""
    target = _folder_dataset(tmp_path, [])
    for name in (INJECTED, REDRAWN):
        (target / name).write_text("x", encoding="utf-8")
    (target / "statements" / "broken.yaml").write_text("- 5\n", encoding="utf-8")  # exit 1 either way
    result = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES), "--format", fmt])
    assert result.exit_code == 1
    for stream in (result.stdout, result.stderr):
        assert RAW.search(stream) is None
        lines = stream.splitlines()
        assert not [line for line in lines if line.startswith("::error title=Security")]
        assert not [line for line in lines if line.startswith("valid:")]
    if fmt != "json":
        assert "notes\\n" in result.stdout


def test_cli_error_messages_escape_paths(tmp_path: Path) -> None:
    """An operational error naming a path escapes it too (stderr)."""
    missing = tmp_path / "gone\x1b[2K\rvalid"
    result = runner.invoke(main, ["validate", str(missing)])
    assert result.exit_code == 2
    assert result.stderr == f"dispatchdata: error: {tmp_path}/gone\\x1b[2K\\rvalid: does not exist\n"


def test_the_invalid_dataset_exception_escapes_names(tmp_path: Path) -> None:
    """load(strict=True) raises with the problems in its text (shown in a traceback): escaped."""
    import dispatchdata
    from dispatchdata.errors import InvalidDatasetError

    from ..test_validate import SOURCES

    target = _folder_dataset(tmp_path, [INJECTED])
    with pytest.raises(InvalidDatasetError) as raised:
        dispatchdata.load(target, strict=True, sources=[SOURCES])
    assert str(raised.value).splitlines()[1] == (
        "statements/notes\\n::error title=Security::INJECTED.yaml:1:3: DD203 5 is not of type 'object'"
    )


def _hostile_bundles() -> tuple[dict[str, object], dict[str, object]]:
    """Two bundles whose record ids and a summary hold control characters (unvalidated: the
    renderers must hold whatever a diff holds)."""
    old = open_bundle(MINIMAL)
    new = copy.deepcopy(old)
    statements = new["collections"]["statements"]
    for record_id in (INJECTED, REDRAWN):
        statements.append(copy.deepcopy(statements[0]) | {"id": record_id})
    statements[1]["summary"] = f"Orlova replied\n::error title=Security::INJECTED{REDRAWN}{REVERSED}"
    return old, new


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_a_diff_of_records_with_control_characters_is_escaped(fmt: str) -> None:
    """diff text, Markdown and JSON: ids and values with line breaks, escapes and bidi controls
    are shown escaped, every line is one of ours."""
    old, new = _hostile_bundles()
    output = DIFF_REPORTERS[fmt](diff(old, new), "old", "new")
    assert RAW.search(output) is None
    lines = output.splitlines()
    assert not [line for line in lines if line.startswith(("::", "valid:"))]
    if fmt == "json":
        ids = {c["id"] for c in json.loads(output)["changes"]}
        assert ids == {INJECTED, REDRAWN, "orlova-unfair"}
    if fmt == "text":
        assert lines[-3:] == [
            "MINOR  statements a\\x1b[2K\\rvalid: 0 errors\\x1b[8m added",
            "MINOR  statements notes\\n::error title=Security::INJECTED added",
            'PATCH  statements orlova-unfair /summary: "Orlova replied[- that the tax would be unfair.-]'
            '{+\\n::error title=Security::INJECTEDa\\u001b[2K\\rvalid: 0 errors\\u001b[8mx\\u202egnp+}"',
        ]


# Citations ---------------------------------------------------------------------------------------

SPECIAL = r"\input{/etc/passwd} ^ { } % & # _ $ ~ end"
SPECIAL_TEX = (
    r"\textbackslash{}input\textbraceleft{}/etc/passwd\textbraceright{} \textasciicircum{} "
    r"\textbraceleft{} \textbraceright{} \% \& \# \_ \$ \textasciitilde{} end"
)


def _cited(tmp_path: Path) -> Path:
    """The minimal dataset, its citation title, author and note holding every LaTeX special."""
    target = tmp_path / "data"
    edits = [
        {
            "file": "dataset.yaml",
            "find": "citation:\n  title: A minimal dataset for tests",
            "replace": f"citation:\n  title: '{SPECIAL}'\n  note: '50% off {{sic}}'",
        },
        {
            "file": "dataset.yaml",
            "find": "- name: dispatchdata tests",
            "replace": "- name: 'Smith & Co_ {Lab}'",
        },
    ]
    apply_case({"edits": edits}, target)
    return target


def _hash8(bundle: dict[str, Any]) -> str:
    """The first 8 hex of a bundle's canonical SHA-256: what labels data that is no release."""
    return hashlib.sha256(dump_bundle(bundle)).hexdigest()[:8]


def test_bibtex_escapes_every_special_character(tmp_path: Path) -> None:
    """`cite --format bibtex`: the title is text (no \\input, no unbalanced brace), the author too."""
    dataset = _cited(tmp_path)
    digest = _hash8(open_bundle(dataset))
    result = runner.invoke(main, ["cite", "--release", str(dataset), "--format", "bibtex"])
    assert result.exit_code == 0
    assert result.output == (
        f"@misc{{minimal_1_0_0_unreleased_{digest},\n"
        r"  author = {{Smith \& Co\_ \textbraceleft{}Lab\textbraceright{}}}," + "\n"
        f"  title = {{{{{SPECIAL_TEX}}}}},\n"
        f"  version = {{1.0.0+unreleased.{digest}}},\n"
        "  howpublished = {Data set},\n"
        "  license = {CC0-1.0},\n"
        f"  note = {{Version 1.0.0+unreleased.{digest}}}\n"
        "}\n"
    )


def test_biblatex_escapes_every_special_character_of_a_record_citation(tmp_path: Path) -> None:
    """`cite --format biblatex --record`: the same escaping, the record named in the note."""
    dataset = _cited(tmp_path)
    digest = _hash8(open_bundle(dataset))
    args = ["cite", "--release", str(dataset), "--format", "biblatex", "--record", "orlova-unfair"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0
    assert result.output == (
        f"@dataset{{minimal_1_0_0_unreleased_{digest}_orlova_unfair,\n"
        r"  author = {{Smith \& Co\_ \textbraceleft{}Lab\textbraceright{}}}," + "\n"
        f"  title = {{{{{SPECIAL_TEX}}}}},\n"
        f"  version = {{1.0.0+unreleased.{digest}}},\n"
        "  license = {CC0-1.0},\n"
        "  note = {Record 'statement orlova-unfair'}\n"
        "}\n"
    )


def test_exported_bib_files_are_escaped_alike(tmp_path: Path) -> None:
    """`export citation` writes the same escaped entries as `cite`."""
    dataset = _cited(tmp_path)
    result = runner.invoke(
        main, ["export", "citation", "--release", str(dataset), "--output", str(tmp_path / "out")]
    )
    assert result.exit_code == 0
    cited = runner.invoke(main, ["cite", "--release", str(dataset), "--format", "bibtex"]).output
    assert (tmp_path / "out" / "minimal.bib").read_text(encoding="utf-8") == cited
    assert SPECIAL_TEX in (tmp_path / "out" / "minimal-biblatex.bib").read_text(encoding="utf-8")


def test_cff_and_text_citations_keep_the_title_as_text(tmp_path: Path) -> None:
    """CFF: the YAML emitter quotes the title, which reads back exactly; text: as written."""
    dataset = _cited(tmp_path)
    cff = runner.invoke(main, ["cite", "--release", str(dataset), "--format", "cff"])
    assert cff.exit_code == 0
    assert yaml.safe_load(cff.output)["title"] == SPECIAL
    text = runner.invoke(main, ["cite", "--release", str(dataset)])
    assert text.exit_code == 0
    digest = _hash8(open_bundle(dataset))
    assert text.output == (
        f"Smith & Co_ {{Lab}}. {SPECIAL} (Version 1.0.0+unreleased.{digest}) [Data set]. "
        "License CC0-1.0.\n50% off {sic}\n"
    )


def test_citations_escape_control_characters() -> None:
    """A title holding a line break and a bidi override (from a bundle no schema stopped): text and
    BibTeX show escapes; CFF writes them as YAML escapes that read back exactly."""
    from dispatchdata.citation import cite_bibtex, cite_cff, cite_text

    bundle = open_bundle(MINIMAL)
    bundle["metadata"]["citation"]["title"] = f"Title\n@misc{{evil, {REVERSED}"
    assert cite_text(bundle).splitlines()[0] == (
        f"dispatchdata tests. Title\\n@misc{{evil, x\\u202egnp (Version 1.0.0+unreleased.{_hash8(bundle)}) "
        "[Data set]. License CC0-1.0."
    )
    assert (
        "  title = {{Title\\textbackslash{}n@misc\\textbraceleft{}evil, x\\textbackslash{}u202egnp}},\n"
        in (cite_bibtex(bundle))
    )
    cff = cite_cff(bundle)
    assert RAW.search(cff) is None
    assert 'title: "Title\\n@misc{evil, x\\u202egnp"\n' in cff
    assert yaml.safe_load(cff)["title"] == bundle["metadata"]["citation"]["title"]


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_a_file_name_that_is_not_utf8_or_zero_width_is_escaped(tmp_path: Path, fmt: str) -> None:
    """A file name's byte 0x9b (not UTF-8; the 8-bit terminal escape CSI) and a zero-width space
    are written as escapes, never raw: the JSON output stays valid UTF-8 JSON."""
    target = _folder_dataset(tmp_path, ["a\u200bb"])
    (target / "statements" / "a\u200bb.yaml").rename(
        os.fsdecode(bytes(target / "statements") + b"/g\x9b31m.yaml")
    )
    (target / "statements" / "z\u200bz.yaml").write_text("- 5\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(target), "--format", fmt])
    assert result.exit_code == 1
    raw = result.stdout_bytes
    assert b"\x9b" not in raw
    assert "\u200b".encode() not in raw
    if fmt == "json":
        files = [p["file"] for p in json.loads(raw)["problems"] if p["severity"] == "error"]
        assert files == [os.fsdecode(b"statements/g\x9b31m.yaml"), "statements/z\u200bz.yaml"]
    else:
        assert b"g\\udc9b31m.yaml" in raw
        assert b"z\\u200bz.yaml" in raw


def test_no_output_line_starts_a_workflow_command(dataset_copy: Path, tmp_path: Path) -> None:
    """GitHub Actions obeys any output line starting with '::'. A citation note written so, or a
    bundle file in the current folder named so, cannot start one: the first colon is written
    \\x3a (text formats; the github format's own commands are ours)."""
    metadata = dataset_copy / "dataset.yaml"
    text = metadata.read_text(encoding="utf-8")
    start = text.index("  note: ")  # the citation's note, on one line or folded over several
    end = text.index("\n", start)
    while text[end + 1 : end + 5] == "    ":
        end = text.index("\n", end + 1)
    metadata.write_text(text[:start] + "  note: '::stop-commands::pwned'" + text[end:], encoding="utf-8")
    result = runner.invoke(main, ["cite", "--release", str(dataset_copy)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == "\\x3a:stop-commands::pwned"
    bundle = tmp_path / "::warning title=Pwn::INJECTED.json"
    bundle.write_text("[5]\n", encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = runner.invoke(main, ["validate", bundle.name])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 1
    assert result.output.splitlines()
    assert not [line for line in result.output.splitlines() if line.startswith("::")]
    assert result.output.startswith("\\x3a:warning title=Pwn::INJECTED.json")
