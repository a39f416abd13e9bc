"""A source text that is not found never passes unnoticed (issue 17, item 7).

With ``--sources`` given, or for a text the package ships, a text not found is an error (DD411)
whose message says what comes closest: a file equal to it but for line endings or Unicode
normalisation, or a SHA-256 a digit away. Otherwise it is a DD405 warning, which ``--strict``
makes an error."""

from __future__ import annotations

import hashlib
import shutil
import unicodedata
from pathlib import Path
from typing import Literal

import pytest
from click.testing import CliRunner

import dispatchdata
from dispatchdata.check import sources as sources_module
from dispatchdata.cli import main
from dispatchdata.resources import dataset_dir

from ..conftest import SOURCE_SHA256, SOURCES
from ..test_validate import MINIMAL
from ..test_validate import SOURCES as MINIMAL_SOURCES

runner = CliRunner()
MINIMAL_SHA256 = "9743f7e91418144ac6c366eb6dc3b37f89ea946fd12cd0a39400f8c4c2846790"
SKIPPED = "11 anchor check(s) skipped"
SUMMARY = "invalid: 1 error, 0 warnings in 5 files, 7 records\n"


def _minimal(tmp_path: Path, sha256: str = MINIMAL_SHA256) -> Path:
    """A copy of the minimal dataset whose document records ``sha256``."""
    target = tmp_path / "data"
    shutil.copytree(MINIMAL, target)
    documents = target / "documents.yaml"
    documents.write_text(
        documents.read_text(encoding="utf-8").replace(MINIMAL_SHA256, sha256), encoding="utf-8"
    )
    return target


def _folder(tmp_path: Path, text: str, newline: str = "\n") -> Path:
    """A folder of source texts holding ``text`` (written with ``newline`` line endings)."""
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "copy.txt").write_bytes(text.replace("\n", newline).encode("utf-8"))
    return folder


def test_a_one_digit_sha256_error_with_sources_is_an_error(tmp_path: Path) -> None:
    """--sources given and no file has the recorded SHA-256 (one digit off): DD411, exit 1, the
    file whose hash is that close named; -q still prints the error."""
    wrong = MINIMAL_SHA256[:-1] + "1"
    target = _minimal(tmp_path, wrong)
    line = (
        f"{target}/documents.yaml:8:11: DD411 source text of 'doc-1' (sha256 {wrong}) not found: "
        f"{SKIPPED}; is the sha256 mistyped? {MINIMAL_SOURCES / 'minimal.txt'} has sha256 {MINIMAL_SHA256}\n"
    )
    result = runner.invoke(main, ["validate", str(target), "--sources", str(MINIMAL_SOURCES)])
    assert result.exit_code == 1
    assert result.stdout == line + SUMMARY
    quiet = runner.invoke(main, ["validate", str(target), "--sources", str(MINIMAL_SOURCES), "-q"])
    assert quiet.exit_code == 1
    assert quiet.stdout == line


def test_a_text_not_found_anywhere_with_sources_is_an_error(tmp_path: Path) -> None:
    """--sources given, no file anywhere near: DD411 says so, exit 1 (the library too)."""
    target = _minimal(tmp_path, "f" * 64)
    result = runner.invoke(main, ["validate", str(target), "--sources", str(MINIMAL_SOURCES)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{target}/documents.yaml:8:11: DD411 source text of 'doc-1' (sha256 {'f' * 64}) not found: "
        f"{SKIPPED}; no file in the --sources folders or among the package's texts has this sha256\n"
        + SUMMARY
    )
    report = dispatchdata.validate(target, sources=[MINIMAL_SOURCES])
    assert [(p.code, p.severity.value) for p in report.problems] == [("DD411", "error")]
    assert not report.valid


def test_a_crlf_copy_of_the_text_is_named_for_its_line_endings(tmp_path: Path) -> None:
    """A file that is the text with CRLF line endings: DD411 names it and says exactly that."""
    text = (MINIMAL_SOURCES / "minimal.txt").read_text(encoding="utf-8")
    folder = _folder(tmp_path, text, "\r\n")
    target = _minimal(tmp_path)
    result = runner.invoke(main, ["validate", str(target), "--sources", str(folder)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{target}/documents.yaml:8:11: DD411 source text of 'doc-1' (sha256 {MINIMAL_SHA256}) not found: "
        f"{SKIPPED}; {folder / 'copy.txt'} is that text but for line endings "
        "(CRLF in the file, LF in the text)\n" + SUMMARY
    )


@pytest.mark.parametrize(("form", "other"), [("NFC", "NFD"), ("NFD", "NFC")])
def test_a_copy_in_another_unicode_normalisation_is_named_so(
    tmp_path: Path, form: Literal["NFC", "NFD"], other: Literal["NFC", "NFD"]
) -> None:
    """A file that is the text in another normalisation form: DD411 names it and says which form
    the text is."""
    text = "Minimal Dispatch No. 1\n\nThe café of Señor Petrov.\n"
    digest = hashlib.sha256(unicodedata.normalize(form, text).encode("utf-8")).hexdigest()
    folder = _folder(tmp_path, unicodedata.normalize(other, text))
    target = _minimal(tmp_path, digest)
    result = runner.invoke(main, ["validate", str(target), "--sources", str(folder)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{target}/documents.yaml:8:11: DD411 source text of 'doc-1' (sha256 {digest}) not found: "
        f"{SKIPPED}; {folder / 'copy.txt'} is that text but for Unicode normalisation (the text is the "
        f"file in {form})\n" + SUMMARY
    )


def test_without_sources_an_unknown_text_is_a_warning_and_strict_makes_it_an_error(tmp_path: Path) -> None:
    """No --sources and a hash the package does not ship: another project's data, a DD405
    warning and exit 0; --strict (warnings are errors) exits 1 and -q then still shows it."""
    target = _minimal(tmp_path)
    message = (
        f"DD405 source text of 'doc-1' (sha256 {MINIMAL_SHA256}) not found: {SKIPPED}; "
        "pass the folder holding it with --sources\n"
    )
    result = runner.invoke(main, ["validate", str(target)])
    assert result.exit_code == 0
    assert result.stdout == (
        f"{target}/documents.yaml:8:11: {message.replace('DD405', 'DD405 (warning)')}"
        "valid: 0 errors, 1 warning in 5 files, 7 records\n"
    )
    strict = runner.invoke(main, ["validate", str(target), "--strict"])
    assert strict.exit_code == 1
    assert strict.stdout == f"{target}/documents.yaml:8:11: {message}{SUMMARY}"
    quiet = runner.invoke(main, ["validate", str(target), "--strict", "-q"])
    assert quiet.exit_code == 1
    assert quiet.stdout == f"{target}/documents.yaml:8:11: {message}"
    report = dispatchdata.validate(target, strict=True)
    assert [(p.code, p.severity.value) for p in report.problems] == [("DD405", "error")]


def test_the_verbose_note_says_what_was_not_checked(tmp_path: Path) -> None:
    """-v no longer says "anchors checked" when no text was found."""
    target = _minimal(tmp_path, "f" * 64)
    result = runner.invoke(main, ["validate", str(target), "--sources", str(MINIMAL_SOURCES), "-v"])
    assert result.exit_code == 1
    notes = result.stderr.splitlines()
    assert notes[2:4] == [
        "note: source texts: 0 of 1 found: no anchor checked against a text",
        f"note: source text not found: sha256 {'f' * 64}",
    ]


def test_a_shipped_text_not_found_is_an_error_naming_its_line_endings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A text the package ships (sources/SHA256SUMS) must be found, --sources or not: a checkout
    that converted it to CRLF (git's autocrlf) is an error, not a warning, and says why."""
    text = (SOURCES / "memri-special-dispatch-10423.txt").read_text(encoding="utf-8")
    converted = _folder(tmp_path, text, "\r\n")
    monkeypatch.setattr(sources_module, "_packaged", lambda: [converted])
    result = runner.invoke(main, ["validate", "-q"])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{dataset_dir().as_posix()}/documents.yaml:9:11: DD411 "
        "source text of 'memri-special-dispatch-10423' "
        f"(sha256 {SOURCE_SHA256}) (shipped with the package as sources/memri-special-dispatch-10423.txt) "
        f"not found: 196 anchor check(s) skipped; {converted / 'copy.txt'} is that text but for line "
        "endings (CRLF in the file, LF in the text)\n"
    )


def test_a_strict_load_never_returns_data_whose_anchors_were_not_checked(tmp_path: Path) -> None:
    """load(strict=True) is validate --strict: a text not found (a DD405 warning elsewhere)
    raises, as does any other warning; given the text, the same data loads."""
    target = _minimal(tmp_path)
    with pytest.raises(dispatchdata.InvalidDatasetError) as caught:
        dispatchdata.load(target, strict=True)
    assert [(p.code, p.severity.value) for p in caught.value.report.problems] == [("DD405", "error")]
    assert dispatchdata.load(target, strict=True, sources=[MINIMAL_SOURCES]).info.version == "1.0.0"
    assert dispatchdata.load(target).info.version == "1.0.0"  # not strict: no validation at all


def test_a_mistyped_sha256_of_a_shipped_text_is_an_error_without_sources(dataset_copy: Path) -> None:
    """One digit changed in the SHA-256 of the text the package ships switched every anchor check
    off with only a warning (exit 0, nothing under -q): a document meant to count into a shipped
    text must find it, --sources or not (DD411), and the message names the fix."""
    documents = dataset_copy / "documents.yaml"
    mistyped = SOURCE_SHA256[:-1] + "e"
    documents.write_text(
        documents.read_text(encoding="utf-8").replace(SOURCE_SHA256, mistyped), encoding="utf-8"
    )
    result = runner.invoke(main, ["validate", str(dataset_copy), "-q"])
    assert result.exit_code == 1
    assert result.output == (
        f"{dataset_copy}/documents.yaml:9:11: DD411 source text of 'memri-special-dispatch-10423' "
        f"(sha256 {mistyped}) not found: 196 anchor check(s) skipped; is the sha256 mistyped? "
        f"{SOURCES}/memri-special-dispatch-10423.txt has sha256 {SOURCE_SHA256}\n"
    )
