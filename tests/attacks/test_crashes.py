"""Attacks that ended in a traceback: an integer SQLite cannot store, a release file that cannot
be written, Ctrl-C. Each ends in one clear line and a documented exit status."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from dispatchdata import DataNotFoundError, InvalidDatasetError, atomic, load
from dispatchdata.cli import main
from dispatchdata.read.parse import parse_bytes
from dispatchdata.release import release
from dispatchdata.release.release import dump_bundle, open_bundle

from ..golden.regenerate import MINIMAL
from ..test_validate import SOURCES

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
        _outside(f"{data}/{where}") + "\n"
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
        _outside(f"{tmp_path}/{where}") + "\n"
        for where in ("bundle.json:121:23", "bundle.json:172:11", "bundle.json:210:11")
    )
    assert not output.exists()


#: 300 digits: far beyond 64 bits, and excerpted in the message that says so.
HUGE = "9" * 300


def _huge(where: str, sign: str = "") -> str:
    shown = f"{sign}{HUGE}"[:80] + "…"  # excerpted: its first 80 characters
    return _outside(where, 0).replace("integer 0 ", f"integer {shown} ")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_integer_beyond_64_bits_is_reported_once_not_again_by_a_rule(tmp_path: Path, jobs: str) -> None:
    """A document's length, an anchor's start and end, a cited footnote of 300 digits: each was
    DD117 and then again, all its digits shown, what a rule or the schema makes of it (DD406
    length differs, DD206 below the minimum, DD404 offsets outside the text, DD303 no such
    footnote). Now DD117 alone, excerpted, in one process as with workers."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    for name, old, new in (
        ("documents.yaml", "length: 168", f"length: {HUGE}"),
        ("documents.yaml", '"start": 0,', f'"start": -{HUGE},'),
        ("proposals.yaml", '"end": 77', f'"end": {HUGE}'),
        ("statements.yaml", "footnotes: [1]", f"footnotes: [{HUGE}]"),
    ):
        text = (data / name).read_text("utf-8")
        (data / name).write_text(text.replace(old, new, 1), "utf-8")
    result = runner.invoke(main, ["validate", str(data), "--sources", str(SOURCES), "-j", jobs])
    assert result.exit_code == 1
    assert (
        result.stdout
        == "".join(
            _huge(f"{data}/{where}", sign) + "\n"
            for where, sign in (
                ("documents.yaml:9:11", ""),
                ("documents.yaml:18:38", "-"),
                ("proposals.yaml:8:49", ""),
                ("statements.yaml:8:15", ""),
            )
        )
        + "invalid: 4 errors, 0 warnings in 5 files, 7 records\n"
    )


def test_an_integer_beyond_64_bits_in_a_bundle_is_reported_once(tmp_path: Path) -> None:
    """The same in a release bundle (JSON, read whole when a piece has a problem)."""
    raw = dump_bundle(open_bundle(MINIMAL, jobs=None)).decode("utf-8")
    raw = raw.replace('"length": 168,', f'"length": {HUGE},').replace('"start": 0,', f'"start": -{HUGE},')
    raw = raw.replace('"footnotes": [\n          1\n', f'"footnotes": [\n          {HUGE}\n', 1)
    bundle = tmp_path / "bundle.json"
    bundle.write_text(raw, "utf-8")
    result = runner.invoke(main, ["validate", str(bundle), "--sources", str(SOURCES)])
    assert result.exit_code == 1
    assert (
        result.stdout
        == "".join(
            _huge(f"{bundle}:{where}", sign) + "\n"
            for where, sign in (("101:22", "-"), ("127:19", ""), ("172:11", ""))
        )
        + "invalid: 3 errors, 0 warnings in 1 file, 7 records\n"
    )


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


CHANGELOG = "# Changelog\n\n## [1.0.0] - 2026-11-28\n\n### Added\n\n- Everything.\n"


def _project(tmp_path: Path) -> list[str]:
    """The minimal dataset and a CHANGELOG describing 1.0.0: `release 1.0.0`'s arguments."""
    shutil.copytree(MINIMAL, tmp_path / "dataset")
    (tmp_path / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    dataset, changelog = tmp_path / "dataset", tmp_path / "CHANGELOG.md"
    return [
        "release",
        "1.0.0",
        "--dataset",
        str(dataset),
        "--changelog",
        str(changelog),
        "--sources",
        str(SOURCES),
    ]


def _fails_with(code: int) -> Callable[..., None]:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EFBIG, errno.EACCES], ids=errno.errorcode.get)
@pytest.mark.parametrize("where", ["release file", "SHA256SUMS"])
def test_a_release_that_cannot_be_written_is_exit_2_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, where: str
) -> None:
    """Disk full, file too large, permission denied, while writing the release file or its line in
    SHA256SUMS: was a traceback. Now one line naming the release and its folder, exit 2, and the
    releases folder as it was (empty: no release file, no SHA256SUMS, no temporary file)."""
    args = _project(tmp_path)
    if where == "release file":
        monkeypatch.setattr(release, "write_bundle", _fails_with(code))
    else:
        monkeypatch.setattr(atomic, "write_atomically", _fails_with(code))
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    folder = tmp_path / "dataset" / "releases"
    assert result.stderr == (
        f"dispatchdata: error: cannot write release 1.0.0 in {folder}: {os.strerror(code)}; "
        "nothing was written\n"
    )
    assert list(folder.iterdir()) == []


def test_a_release_over_the_file_size_limit_is_exit_2_and_leaves_nothing(tmp_path: Path) -> None:
    """A real limit: RLIMIT_FSIZE (ulimit -f) makes the write fail with EFBIG."""
    args = _project(tmp_path)
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "from dispatchdata.cli import main\n"
        "sys.argv = ['dispatchdata', *sys.argv[1:]]\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stdout == ""
    folder = tmp_path / "dataset" / "releases"
    assert done.stderr == (
        f"dispatchdata: error: cannot write release 1.0.0 in {folder}: File too large; nothing was written\n"
    )
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_release_into_a_read_only_folder_is_exit_2_and_leaves_nothing(tmp_path: Path) -> None:
    """A real read-only releases/ folder: permission denied, exit 2, the folder still empty."""
    args = _project(tmp_path)
    folder = tmp_path / "dataset" / "releases"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = runner.invoke(main, args)
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 2
    assert result.stderr == (
        f"dispatchdata: error: cannot write release 1.0.0 in {folder}: Permission denied; "
        "nothing was written\n"
    )
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_an_integer_beyond_64_bits_written_as_a_float_is_reported_once(tmp_path: Path, suffix: str) -> None:
    """``start: 1e300`` reads as a whole number written as a float (DD113) that is also beyond 64
    bits: it was DD113, and then DD404 "offsets [1000…(301 digits)…:563] are outside the text"
    with all its digits; and a footnote ``1e300`` a DD303 naming every digit. Now DD117 alone, for
    the number as written, and nothing else of it."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    statements = data / "statements.yaml"
    text = statements.read_text("utf-8")
    if suffix == ".json":
        statements.unlink()
        statements = data / "statements.json"
        text = json.dumps(parse_bytes(text.encode(), "statements.yaml").data, indent=2)
        text = text.replace('"footnotes": [\n      1\n', '"footnotes": [\n      1e300\n', 1)
    else:
        text = text.replace("footnotes: [1]", "footnotes: [1e300]", 1)
    statements.write_text(text, "utf-8")
    text = (data / "documents.yaml").read_text("utf-8").replace('"start": 0,', '"start": 1e300,', 1)
    (data / "documents.yaml").write_text(text, "utf-8")
    result = runner.invoke(main, ["validate", str(data), "--sources", str(SOURCES)])
    assert result.exit_code == 1
    place = "statements.yaml:8:15" if suffix == ".yaml" else "statements.json:19:7"
    assert result.stdout == (
        _outside(f"{data}/documents.yaml:18:38", 0).replace("integer 0 ", "integer 1e300 ")
        + "\n"
        + _outside(f"{data}/{place}", 0).replace("integer 0 ", "integer 1e300 ")
        + "\n"
        + "invalid: 2 errors, 0 warnings in 5 files, 7 records\n"
    )


#: A version whose major has 5000 digits: more than Python converts to an integer (4300).
BIG_VERSION = "9" * 5000 + ".0.0"
BIG_SAID = "9" * 80 + "…"


def test_a_release_version_of_5000_digits_is_not_a_version(tmp_path: Path) -> None:
    """`release 999…(5000 digits).0.0` ended in "ValueError: Exceeds the limit (4300 digits)":
    a component of more than 18 digits is no version; said so, excerpted, exit 1 (as any
    version refused)."""
    args = _project(tmp_path)
    args[1] = BIG_VERSION
    result = runner.invoke(main, args)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"dispatchdata: error: '{BIG_SAID}' is not a MAJOR.MINOR.PATCH version\n"
    assert not (tmp_path / "dataset" / "releases").exists()


def test_a_dataset_version_of_5000_digits_is_not_a_step(tmp_path: Path) -> None:
    """`diff 1.0.0 D --check-version` with `version: 999…(5000 digits).0.0` in dataset.yaml
    ended in a traceback: now "not a step forward", the version excerpted, exit 1."""
    args = _project(tmp_path)
    assert runner.invoke(main, args).exit_code == 0
    metadata = tmp_path / "dataset" / "dataset.yaml"
    text = metadata.read_text(encoding="utf-8")
    metadata.write_text(text.replace("version: 1.0.0", f"version: {BIG_VERSION}"), encoding="utf-8")
    old = tmp_path / "dataset" / "releases" / "1.0.0.json"
    result = runner.invoke(main, ["diff", str(old), str(tmp_path / "dataset"), "--check-version"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"dispatchdata: 1.0.0 -> {BIG_SAID} is not a step forward; the changes require patch"
    )


def test_loading_a_version_of_5000_digits_is_no_release() -> None:
    """`dispatchdata.load(version=…)` raised a bare ValueError for such a version."""
    with pytest.raises(DataNotFoundError, match=r"^no release '9{80}…' "):
        load(version=BIG_VERSION)


@pytest.mark.parametrize(
    ("line", "written", "code"),
    [
        ("  - proposal: higher-tax-rate-for-leavers", "  - proposal: [a, b]", "DD203"),
        ("    holder: ministry-of-finance", "    holder: {x: 1}", "DD203"),
        ("    stance: opposes", "    stance: [opposes]", "DD204"),
        ("  summary: About 1,000,000 people", "  summary: 5\n  verb: About 1,000,000 people", "DD203"),
    ],
)
def test_load_never_hands_out_a_text_field_of_another_type(
    dataset_copy: Path, line: str, written: str, code: str
) -> None:
    """`load()` without `strict` does not run the schema, but never returns a record whose id,
    reference or text is of another type (a list as a stance's proposal made `stance_matrix()`
    fail with "unhashable type", far from the file): the schema's report is raised instead."""
    path = dataset_copy / "statements.yaml"
    text = path.read_text(encoding="utf-8")
    assert line in text
    path.write_text(text.replace(line, written, 1), encoding="utf-8")
    with pytest.raises(InvalidDatasetError) as loose:
        load(dataset_copy)
    assert [(p.code, p.file) for p in loose.value.report.errors] == [(code, "statements.yaml")]
