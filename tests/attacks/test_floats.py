"""Attack: offsets written as floats (``start: 177.0``) passed the schema, which counts 177.0 as an
integer, and every rule skipped them (they test ``type(x) is int``), so a quote with a word
changed validated. An integer written as a float is now a reading error (DD113), read as the
integer it is, so that the schema and every rule check it too; in YAML and JSON files, in
release bundles, in ``validate``, ``load(strict=True)`` and ``load()``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import dispatchdata
from dispatchdata.cli import main
from dispatchdata.read.parse import parse_text

from ..conftest import DATASET

runner = CliRunner()

WORD = ("is estimated at 1,000,000. That", "is estimated at 3,000,000. That")
DD401 = (
    "DD401 exact text differs from the document text at [177:563], which reads"
    " '…sia is estimated at 1,000,000. That figure includes a disproportionate number of…'"
)


def _falsified(target: Path, start: str = "177.0", end: str = "563.0") -> Path:
    """The repository's first statement with a word of its quote changed and its offsets
    written as floats: the README's promise is that this is caught."""
    path = target / "statements.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("    start: 177\n    end: 563\n") == 1
    text = text.replace("    start: 177\n    end: 563\n", f"    start: {start}\n    end: {end}\n")
    path.write_text(text.replace(*WORD, 1), encoding="utf-8")
    return target


def test_float_offsets_do_not_switch_the_anchor_check_off(dataset_copy: Path) -> None:
    """`validate` (the shipped text found by default): exit 1, both floats, and the changed word."""
    target = _falsified(dataset_copy).as_posix()
    result = runner.invoke(main, ["validate", target])
    assert result.exit_code == 1
    assert result.output == (
        f"{target}/statements.yaml:15:12: DD113 177.0 is an integer written as a float; write 177\n"
        f"{target}/statements.yaml:16:10: DD113 563.0 is an integer written as a float; write 563\n"
        f"{target}/statements.yaml:17:12: {DD401}\n"
        "invalid: 3 errors, 0 warnings in 5 files, 114 records\n"
    )


def test_float_offsets_in_json_format(dataset_copy: Path) -> None:
    """The same findings in `--format json`, with their pointers."""
    result = runner.invoke(
        main, ["validate", str(_falsified(dataset_copy, "1.77e2", "5.63E+2")), "--format", "json"]
    )
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["valid"] is False
    assert report["summary"] == {"errors": 3, "files": 5, "records": 114, "warnings": 0}
    assert [(p["code"], p["line"], p["column"], p["pointer"], p["message"]) for p in report["problems"]] == [
        ("DD113", 15, 12, "/0/anchors/0/start", "1.77e2 is an integer written as a float; write 177"),
        ("DD113", 16, 10, "/0/anchors/0/end", "5.63E+2 is an integer written as a float; write 563"),
        ("DD401", 17, 12, "/0/anchors/0/exact", DD401.removeprefix("DD401 ")),
    ]


def test_load_refuses_float_offsets_strict_or_not(dataset_copy: Path) -> None:
    """`load(strict=True)` raises InvalidDatasetError; so does `load()`, which never hands out
    float offsets (DD113 is a reading error, and every reading error stops it)."""
    target = _falsified(dataset_copy)
    with pytest.raises(dispatchdata.InvalidDatasetError) as strict:
        dispatchdata.load(target, strict=True)
    assert [p.code for p in strict.value.report.problems] == ["DD113", "DD113", "DD401"]
    with pytest.raises(dispatchdata.InvalidDatasetError) as loose:
        dispatchdata.load(target)
    assert [p.code for p in loose.value.report.problems] == ["DD113", "DD113"]


def test_load_never_hands_out_a_non_integer_offset(dataset_copy: Path) -> None:
    """177.5 is not an integer written as a float but a value of the wrong type: the schema says
    so (DD203), and `load()`, which does not run the schema, refuses it rather than return it
    (the anchor rules leave to the schema what it types wrongly)."""
    target = _falsified(dataset_copy, "177.5", "563")
    assert [p.code for p in dispatchdata.validate(target).problems] == ["DD203"]
    with pytest.raises(dispatchdata.InvalidDatasetError) as loose:
        dispatchdata.load(target)
    assert [p.code for p in loose.value.report.errors] == ["DD203"]


def test_float_offsets_in_a_json_collection_file(dataset_copy: Path) -> None:
    """A collection written in JSON is read under the same rule, with its own positions."""
    target = _falsified(dataset_copy)
    records = parse_text((target / "statements.yaml").read_text(encoding="utf-8"), "statements.yaml").data
    (target / "statements.yaml").unlink()
    text = json.dumps(records, indent=2, ensure_ascii=False)
    text = text.replace('"start": 177,', '"start": 177.0,', 1).replace('"end": 563,', '"end": 5.63e2,', 1)
    (target / "statements.json").write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["validate", target.as_posix()])
    file = f"{target.as_posix()}/statements.json"
    assert result.exit_code == 1
    assert result.output == (
        f"{file}:18:18: DD113 177.0 is an integer written as a float; write 177\n"
        f"{file}:19:16: DD113 5.63e2 is an integer written as a float; write 563\n"
        f"{file}:20:18: {DD401}\n"
        "invalid: 3 errors, 0 warnings in 5 files, 114 records\n"
    )


def test_float_offsets_in_a_release_bundle(tmp_path: Path) -> None:
    """A release bundle (read in pieces where it can be) is read under the same rule: `validate`
    finds the floats and the changed word, `load` refuses it, strict or not."""
    bundle = tmp_path / "bundle.json"
    text = (DATASET / "releases" / "1.1.0.json").read_text(encoding="utf-8")
    assert text.count('"end": 563,\n') == text.count('"start": 177,\n') == 1
    text = text.replace('"end": 563,\n', '"end": 563.0,\n').replace('"start": 177,\n', '"start": 1.77e2,\n')
    bundle.write_text(text.replace(*WORD, 1), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(bundle)])
    assert result.exit_code == 1
    assert result.output == (
        f"{bundle}:1902:20: DD113 563.0 is an integer written as a float; write 563\n"
        f"{bundle}:1903:22: {DD401}\n"
        f"{bundle}:1905:22: DD113 1.77e2 is an integer written as a float; write 177\n"
        "invalid: 3 errors, 0 warnings in 1 file, 114 records\n"
    )
    with pytest.raises(dispatchdata.InvalidDatasetError):
        dispatchdata.load(bundle, strict=True)
    with pytest.raises(dispatchdata.InvalidDatasetError):
        dispatchdata.load(bundle)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("177.0", "177.0 is an integer written as a float; write 177"),
        ("177.", "177. is an integer written as a float; write 177"),
        ("1.77e2", "1.77e2 is an integer written as a float; write 177"),
        ("1770E-1", "1770E-1 is an integer written as a float; write 177"),
        ("+17.7e+1", "+17.7e+1 is an integer written as a float; write 177"),
        ("1e2", "1e2 is an integer written as a float; write 100"),
        ("-0.0", "-0.0 is an integer written as a float; write 0"),
        ("177.0000000000000001", "177.0000000000000001 is an integer written as a float; write 177"),
        ("!!float 177", "!!float 177 is an integer written as a float; write 177"),
    ],
)
def test_every_yaml_spelling_of_an_integer_as_a_float(written: str, message: str) -> None:
    """Every number that reads as a whole one but is written with a fraction, an exponent or the
    float tag: DD113 at its place, read as the integer (by the quick reader's builder too)."""
    parsed = parse_text(f"start: {written}\n", "f.yaml")
    assert [(p.code, p.line, p.column, p.message) for p in parsed.problems] == [("DD113", 1, 8, message)]
    assert type(parsed.data["start"]) is int


@pytest.mark.parametrize("written", ["177.0", "1.77e2", "1770E-1", "17.7e+1", "-0.0", "1e-400"])
def test_every_json_spelling_of_an_integer_as_a_float(written: str) -> None:
    """The same in JSON, whichever reader takes the file (orjson steps aside for any float)."""
    from dispatchdata.read.parse import parse_bytes

    parsed = parse_bytes(f'{{"start": {written}}}'.encode(), "f.json")
    assert [(p.code, p.line, p.column) for p in parsed.problems] == [("DD113", 1, 11)]
    assert type(parsed.data["start"]) is int


def test_a_fraction_is_a_float_and_too_large_a_number_is_refused() -> None:
    """177.5 stays a float (the schema refuses it where an integer is wanted); 1e400, which
    every reader turns into infinity, is refused as NaN and infinity are (DD107)."""
    assert parse_text("a: 177.5\n", "f.yaml").data == {"a": 177.5}
    assert parse_text('{"a": 177.5}', "f.json").data == {"a": 177.5}
    too_large = "1e400 is too large for a number: it reads as infinity, which JSON cannot hold"
    for text, file in (("a: 1e400\n", "f.yaml"), ('{"a": 1e400}', "f.json")):
        parsed = parse_text(text, file)
        assert [(p.code, p.message) for p in parsed.problems] == [("DD107", too_large)]


def test_the_repository_dataset_holds_no_float(tmp_path: Path) -> None:
    """The data, the release and the schemas a bundle embeds hold no float, so none of them
    trips DD113 (the rule applies everywhere in a file, the embedded schema included)."""
    shutil.copytree(DATASET, tmp_path / "dataset", ignore=shutil.ignore_patterns("releases"))
    assert dispatchdata.validate(tmp_path / "dataset").problems == ()
    assert dispatchdata.validate(DATASET / "releases" / "1.0.0.json").problems == ()


@pytest.mark.parametrize(
    ("text", "file", "column"),
    [
        ("a: " + "1" * 5000 + "\n", "f.yaml", 4),
        ("a: !!int " + "1" * 5000 + "\n", "f.yaml", 4),
        ('{"a": -' + "1" * 5000 + "}", "f.json", 7),
    ],
)
def test_an_integer_too_long_to_read_is_refused_not_a_traceback(text: str, file: str, column: int) -> None:
    """Python refuses to convert an integer of more than 4300 digits (ValueError, which both
    readers let through as a traceback): it is refused as a number too large to read."""
    from dispatchdata.read.parse import parse_bytes

    parsed = parse_bytes(text.encode(), file)
    message = "an integer of 5000 digits is too large to read (at most 4300); JSON tools cannot hold it"
    assert [(p.code, p.line, p.column, p.message) for p in parsed.problems] == [("DD107", 1, column, message)]
