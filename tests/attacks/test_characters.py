"""Invisible and control characters: refused in every text a person reads (DD317), kept where
the source holds them (anchor text); quotes without stray white space (DD410); names equal
after Unicode normalisation are one name (DD312)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dispatchdata.check.rules.characters import FREE_TEXT, VERBATIM, describe_character, odd_characters
from dispatchdata.check.schema import schemas
from dispatchdata.cli import main

from ..test_validate import SOURCES, apply_case

runner = CliRunner()

SUMMARY = "  summary: Petrov said leavers must pay more."
NOTE_AFTER = "  summary: Orlova replied that the tax would be unfair."


def _dataset(tmp_path: Path, *edits: tuple[str, str, str]) -> Path:
    target = tmp_path / "dataset"
    apply_case({"edits": [{"file": f, "find": a, "replace": b} for f, a, b in edits]}, target)
    return target


def _validate(target: Path, *options: str) -> Any:
    return runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES), *options])


def test_a_right_to_left_override_in_a_summary_is_an_error(tmp_path: Path) -> None:
    """U+202E in a summary (it shows the rest of the line reversed) is DD317, naming the
    character and where it is; exit 1."""
    target = _dataset(
        tmp_path, ("statements.yaml", SUMMARY, '  summary: "Petrov said \\u202Eerom yap tsum sreveal."')
    )
    result = _validate(target)
    assert result.exit_code == 1
    assert result.output == (
        f"{target.as_posix()}/statements.yaml:5:12: DD317 summary holds U+202E RIGHT-TO-LEFT OVERRIDE at "
        "character 13: a control or invisible formatting character, not allowed outside anchor text\n"
        "invalid: 1 error, 0 warnings in 5 files, 7 records\n"
    )


def test_nul_and_escape_in_a_note_are_errors(tmp_path: Path) -> None:
    """NUL and ESC (which starts a terminal's escape sequences) in a note: one DD317 naming both."""
    target = _dataset(tmp_path, ("statements.yaml", NOTE_AFTER, NOTE_AFTER + '\n  note: "a\\0b \\e[2Jc"'))
    result = _validate(target, "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.output)["problems"]
    assert [(p["code"], p["line"], p["column"], p["pointer"], p["message"]) for p in problems] == [
        (
            "DD317",
            21,
            9,
            "/1/note",
            "note holds U+0000 NULL at character 2, U+001B ESCAPE at character 5: control or invisible "
            "formatting characters, not allowed outside anchor text",
        )
    ]


def test_a_zero_width_space_in_a_json_alias_is_an_error(tmp_path: Path) -> None:
    """The same rule for JSON files: a zero-width space written as an escape in an actor's name."""
    target = _dataset(tmp_path)
    actors = json.loads(json.dumps(__import__("yaml").safe_load((target / "actors.yaml").read_text("utf-8"))))
    actors[2]["name"] = "Du\u200bma"
    (target / "actors.yaml").unlink()
    (target / "actors.json").write_text(json.dumps(actors, indent=2), encoding="utf-8")
    result = _validate(target, "--select", "DD317")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{target.as_posix()}/actors.json:72:13: DD317 name holds U+200B ZERO WIDTH SPACE at character 3: "
        "a control or invisible formatting character, not allowed outside anchor text"
    )


def test_many_odd_characters_are_counted_not_listed(tmp_path: Path) -> None:
    """A value full of them is not echoed at length: the first three, then a count."""
    target = _dataset(tmp_path, ("statements.yaml", SUMMARY, '  summary: "' + "\\e" * 10 + '"'))
    result = _validate(target, "-q")
    assert result.exit_code == 1
    assert result.output == (
        f"{target.as_posix()}/statements.yaml:5:12: DD317 summary holds U+001B ESCAPE at character 1, "
        "U+001B ESCAPE at character 2, U+001B ESCAPE at character 3, 7 more: control or invisible "
        "formatting characters, not allowed outside anchor text\n"
    )


def test_metadata_holds_no_control_characters(tmp_path: Path) -> None:
    """dataset.yaml's title (what every citation prints) is held to the same rule."""
    target = _dataset(
        tmp_path,
        (
            "dataset.yaml",
            "title: A minimal dataset for tests\nversion",
            'title: "A minimal\\e[8m dataset"\nversion',
        ),
    )
    result = _validate(target, "-q")
    assert result.exit_code == 1
    assert result.output == (
        f"{target.as_posix()}/dataset.yaml:2:8: DD317 title holds U+001B ESCAPE at character 10: "
        "a control or invisible formatting character, not allowed outside anchor text\n"
    )


def test_export_refuses_data_with_control_characters(tmp_path: Path) -> None:
    """What CSV and SQLite exports wrote raw before is now invalid data: nothing is exported."""
    target = _dataset(tmp_path, ("statements.yaml", SUMMARY, '  summary: "Petrov \\u202Esaid"'))
    output = tmp_path / "out"
    result = runner.invoke(main, ["export", "csv", "--release", str(target), "--output", str(output)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "dispatchdata: error: invalid dataset: 1 error(s)\n"
        f"{target}/statements.yaml:5:12: DD317 summary holds U+202E RIGHT-TO-LEFT OVERRIDE at character 8: "
        "a control or invisible formatting character, not allowed outside anchor text\n"
    )
    assert not output.exists()


def test_anchor_text_may_hold_what_the_source_holds(tmp_path: Path) -> None:
    """Line breaks in an anchor's prefix and suffix are the source's own: no DD317 (the minimal
    dataset's anchors hold some, as 115 of the dataset's 191 do)."""
    result = _validate(_dataset(tmp_path))
    assert result.exit_code == 0
    assert result.output == "valid: 0 errors, 0 warnings in 5 files, 7 records\n"


def test_a_quote_that_starts_with_white_space_is_a_warning(tmp_path: Path) -> None:
    """DD410: a quote covers the quoted words, no more; exit 0 (a warning)."""
    quote = (
        '    - {"document": "doc-1", "start": 55, "end": 77, "exact": "Leavers must pay more.", '
        '"prefix": "\\nThe Senator Ivan Petrov said: \\"", "suffix": "\\" Anna Orlova, a deputy of the D"}\n'
    )
    spaced = (
        '    - {"document": "doc-1", "start": 53, "end": 77, "exact": " \\"Leavers must pay more.", '
        '"prefix": "tor Ivan Petrov said:", "suffix": "\\" Anna Orlova, a deputy of the D"}\n'
    )
    target = _dataset(tmp_path, ("statements.yaml", quote, spaced))
    result = _validate(target)
    assert result.exit_code == 0
    assert result.output == (
        f"{target.as_posix()}/statements.yaml:7:62: DD410 (warning) quote starts with U+0020 SPACE: "
        "a quote covers exactly the quoted words\n"
        "valid: 0 errors, 1 warning in 5 files, 7 records\n"
    )


def test_names_equal_after_normalisation_are_one_name(tmp_path: Path) -> None:
    """'Iván' written with U+00E1 and with 'a' + U+0301 are the same name: DD312 says they differ
    only by normalisation, with the code points."""
    target = _dataset(
        tmp_path,
        (
            "actors.yaml",
            "    - name: Ivan Petrov\n",
            '    - name: Ivan Petrov\n    - name: "Iv\\u00E1n Petrov"\n',
        ),
        (
            "actors.yaml",
            "    - name: Anna Orlova\n",
            '    - name: Anna Orlova\n    - name: "Iva\\u0301n Petrov"\n',
        ),
    )
    result = _validate(target, "--select", "DD312")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == (
        f"{target.as_posix()}/actors.yaml:17:13: DD312 (warning) name 'Iva\u0301n Petrov' is also used by "
        "actor 'ivan-petrov' (as 'Iv\u00e1n Petrov': the two differ only by Unicode normalisation: "
        "U+0061 U+0301 here, U+00E1 there)"
    )


@pytest.mark.parametrize(
    ("char", "described"),
    [
        ("\x00", "U+0000 NULL"),
        ("\x1b", "U+001B ESCAPE"),
        ("\x7f", "U+007F DELETE"),
        ("\x85", "U+0085 NEXT LINE"),
        ("\x9b", "U+009B C1 CONTROL"),
        ("\u00ad", "U+00AD SOFT HYPHEN"),
        ("\u200b", "U+200B ZERO WIDTH SPACE"),
        ("\u200f", "U+200F RIGHT-TO-LEFT MARK"),
        ("\u2028", "U+2028 LINE SEPARATOR"),
        ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("\U000e0041", "U+E0041 TAG LATIN CAPITAL LETTER A"),
    ],
)
def test_every_kind_of_invisible_character_is_found(char: str, described: str) -> None:
    """Controls (C0, DEL, C1), format characters (Cf) and line/paragraph separators are found
    and named; a no-break space, curly quotes and accents are not."""
    assert odd_characters(f"a{char}b") == [(2, char)]
    assert describe_character(char) == described
    assert odd_characters("Kamnev\u00a0\u2019s \u201cno\u201d \u00e9\u2013") == []


def _string_fields(schema: Any, local: dict[str, Any], path: str, found: dict[str, Any]) -> None:
    """Every property path of a schema whose value is a string, following $refs (to the
    schema's own $defs, ``local``, and to the shared defs)."""
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref", "")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        defs = local if ref.startswith("#") else schemas()["defs.schema.json"]["$defs"]
        schema = defs[name]
        if not ref.startswith("#"):
            local = defs
    if schema.get("type") == "string":
        found[path] = schema
    for key, sub in schema.get("properties", {}).items():
        _string_fields(sub, local, f"{path}/{key}".lstrip("/"), found)
    if "items" in schema:
        _string_fields(schema["items"], local, f"{path}/*", found)


@pytest.mark.parametrize("collection", ["documents", "actors", "proposals", "statements"])
def test_every_string_field_is_decided(collection: str) -> None:
    """Each string field of the schema is free text (checked for odd characters), verbatim source
    text, or held by the schema to a pattern, a format or a set of values: a field added to the
    schema without a decision fails here."""
    schema = schemas()[f"{collection}.schema.json"]
    found: dict[str, Any] = {}
    _string_fields(schema["$defs"][collection[:-1]], schema["$defs"], "", found)
    undecided = [
        path
        for path, field in found.items()
        if path not in FREE_TEXT[collection]
        and not any(path == v or path.endswith("/" + v) for v in VERBATIM)
        and not ({"pattern", "format", "enum", "const"} & set(field))
    ]
    assert undecided == []
    assert set(FREE_TEXT[collection]) <= set(found), "a free-text path the schema does not have"


def test_the_rule_is_in_the_rules_list() -> None:
    """`dispatchdata rules` lists DD317 and DD410."""
    result = runner.invoke(main, ["rules"])
    assert result.exit_code == 0
    assert re.search(r"^DD317 +error", result.output, re.M)
    assert re.search(r"^DD410 +warning", result.output, re.M)


def test_an_anchor_that_differs_only_by_normalisation_says_so() -> None:
    """An anchor copied from a rendering that decomposes accents differs from the text; the
    message says it differs only by normalisation, with the code points on each side."""
    from dispatchdata.check.rules.anchors import Texts, add_anchor_findings

    text = "Le caf\u00e9 est fermé. Il dit: rien."
    texts = Texts({"doc": "d" * 64}, {"d" * 64: text})
    anchor = {"document": "doc", "start": 3, "end": 7, "exact": "caf\u00e9", "prefix": "Le ", "suffix": " e"}
    out: list[Any] = []
    add_anchor_findings(out, 0, [("/anchors/0", {**anchor, "prefix": "Le "})], texts, {})
    assert out == []
    add_anchor_findings(out, 0, [("/anchors/0", {**anchor, "exact": "cafe\u0301"})], texts, {})
    add_anchor_findings(
        out, 0, [("/anchors/0", {**anchor, "end": 6, "exact": "caf", "suffix": "e\u0301 e"})], texts, {}
    )
    assert [(code, message) for _, code, message, _, _ in out] == [
        (
            "DD401",
            "exact text differs from the document text at [3:7], which reads 'café'; the two differ only "
            "by Unicode normalisation: U+0065 U+0301 in the anchor, U+00E9 in the document",
        ),
        (
            "DD403",
            "suffix differs from the text after the anchor ('é es'); the two differ only by Unicode "
            "normalisation: U+0065 U+0301 in the anchor, U+00E9 in the document",
        ),
    ]


def test_names_equal_after_compatibility_normalisation_are_one_name(tmp_path: Path) -> None:
    """A full-width twin of a name (U+FF29 for 'I') is the same name (NFKC): DD312."""
    target = _dataset(
        tmp_path,
        (
            "actors.yaml",
            "    - name: Anna Orlova\n",
            '    - name: Anna Orlova\n    - name: "\\uFF29van Petrov"\n',
        ),
    )
    result = _validate(target, "--select", "DD312")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == (
        f"{target.as_posix()}/actors.yaml:16:13: DD312 (warning) name '\uff29van Petrov' is also used by "
        "actor 'ivan-petrov'"
    )
