"""The command line, through click's CliRunner: exit code first, then the exact output."""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import dispatchdata
from dispatchdata.check.schema import fast_check
from dispatchdata.cli import main
from dispatchdata.read import yaml_rs
from dispatchdata.read.parse import HAVE_LIBYAML

from .test_validate import MINIMAL, SOURCES, apply_case

runner = CliRunner()


def _broken(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    edit = {"file": "statements.yaml", "find": "speaker: anna-orlova", "replace": "speaker: ana-orlova"}
    apply_case({"edits": [edit]}, target)
    return target


def test_version() -> None:
    """--version prints the one version."""
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"dispatchdata {dispatchdata.__version__}\n"


def test_export_help_names_every_format() -> None:
    """A user finds the formats in --help, not only in the error for a wrong one."""
    from dispatchdata.export import FORMATS

    result = runner.invoke(main, ["export", "--help"])
    assert result.exit_code == 0
    assert f"FORMAT is one of: {', '.join(FORMATS)}." in " ".join(result.output.split())
    assert FORMATS == ("citation", "csv", "datapackage", "json", "parquet", "site", "sqlite")


def test_validate_clean_dataset_exits_0() -> None:
    """A valid dataset: exit 0 and a summary line."""
    result = runner.invoke(main, ["validate", str(MINIMAL), "--sources", str(SOURCES)])
    assert result.exit_code == 0
    assert result.output == "valid: 0 errors, 0 warnings in 5 files, 7 records\n"


def test_validate_text_output_is_compiler_style(tmp_path: Path) -> None:
    """FILE:LINE:COL: CODE message, with the path as the user gave it; exit 1."""
    target = _broken(tmp_path)
    result = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES)])
    assert result.exit_code == 1
    assert result.output == (
        f"{target.as_posix()}/statements.yaml:18:12: "
        "DD302 unknown actor 'ana-orlova' (did you mean 'anna-orlova'?)\n"
        "invalid: 1 error, 0 warnings in 5 files, 7 records\n"
    )


def test_validate_with_workers_reports_the_same(tmp_path: Path) -> None:
    """`-j 2` (worker processes) prints exactly what one process prints; `-j 0` is a usage error."""
    target = _broken(tmp_path)
    alone = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES), "-j", "1"])
    workers = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES), "-j", "2"])
    assert alone.exit_code == workers.exit_code == 1
    assert alone.output == workers.output
    zero = runner.invoke(main, ["validate", str(target), "-j", "0"])
    assert zero.exit_code == 2
    assert "Invalid value for '-j' / '--jobs'" in zero.output


def test_validate_warnings_only_still_exits_0(tmp_path: Path) -> None:
    """Without the source texts: a DD405 warning, and the data is still valid."""
    result = runner.invoke(main, ["validate", str(MINIMAL), "-q"])
    assert result.exit_code == 0
    assert result.output == ""


def test_validate_json_output_has_the_documented_shape(tmp_path: Path) -> None:
    """One object: valid, problems (code, severity, message, file, line, column, pointer), summary."""
    result = runner.invoke(
        main, ["validate", str(_broken(tmp_path)), "--format", "json", "--sources", str(SOURCES)]
    )
    assert result.exit_code == 1
    assert json.loads(result.output) == {
        "valid": False,
        "problems": [
            {
                "code": "DD302",
                "severity": "error",
                "message": "unknown actor 'ana-orlova' (did you mean 'anna-orlova'?)",
                "file": "statements.yaml",
                "line": 18,
                "column": 12,
                "pointer": "/1/speaker",
            }
        ],
        "summary": {"files": 5, "records": 7, "errors": 1, "warnings": 0},
    }


def test_validate_github_output_escapes_workflow_commands(tmp_path: Path) -> None:
    """Workflow commands with GitHub's escaping of properties and data; summary on stderr."""
    target = tmp_path / "a,b:c"
    shutil.copytree(_broken(tmp_path), target)
    result = runner.invoke(main, ["validate", str(target), "--format", "github", "--sources", str(SOURCES)])
    assert result.exit_code == 1
    path = target.as_posix().replace(":", "%3A").replace(",", "%2C")
    assert result.stdout == (
        f"::error file={path}/statements.yaml,line=18,col=12,title=DD302::"
        "unknown actor 'ana-orlova' (did you mean 'anna-orlova'?)\n"
    )
    assert result.stderr == "invalid: 1 error, 0 warnings in 5 files, 7 records\n"


def test_validate_missing_path_exits_2_without_traceback(tmp_path: Path) -> None:
    """A path that does not exist is an operational error: exit 2, a one-line message."""
    result = runner.invoke(main, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.stderr == f"dispatchdata: error: {tmp_path / 'nope'}: does not exist\n"
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_validate_a_path_that_is_not_a_folder_or_file_says_what_it_is(tmp_path: Path) -> None:
    """A link to nothing and a pipe are not said not to exist (they do): the message names them."""
    (tmp_path / "link").symlink_to("gone")
    os.mkfifo(tmp_path / "pipe")
    for name, what in (
        ("link", "is a link to gone, which does not exist"),
        ("pipe", "is not a folder or a regular file (a pipe, a socket or a device)"),
    ):
        for command in (["validate", str(tmp_path / name)], ["diff", str(tmp_path / name), str(MINIMAL)]):
            result = runner.invoke(main, command)
            assert result.exit_code == 2
            prefix = "OLD: " if command[0] == "diff" else ""
            assert result.stderr == f"dispatchdata: error: {prefix}{tmp_path / name}: {what}\n"


def test_validate_unknown_code_is_a_usage_error() -> None:
    """--select with a code that does not exist: exit 2 with the usage message."""
    result = runner.invoke(main, ["validate", str(MINIMAL), "--select", "XX9"])
    assert result.exit_code == 2
    assert "unknown problem code(s): XX9" in result.stderr


def test_validate_defaults_to_the_installed_dataset() -> None:
    """Without PATH, the installed dataset is validated (anchors skipped without sources)."""
    result = runner.invoke(main, ["validate", "--ignore", "DD405"])
    assert result.exit_code == 0
    assert result.output == "valid: 0 errors, 0 warnings in 5 files, 114 records\n"


def test_rules_lists_every_code() -> None:
    """`dispatchdata rules` documents each code with its severity."""
    result = runner.invoke(main, ["rules"])
    assert result.exit_code == 0
    assert "DD302  error    a reference to an id that does not exist\n" in result.output
    assert (
        "DD405  warning  a document's source text was not found: its anchor checks were skipped\n"
        in result.output
    )


def test_every_code_the_package_reports_is_listed() -> None:
    """Each DDxxx code written anywhere in the package is one `dispatchdata rules` documents
    (and one a problem can be made with: an unlisted code was a KeyError, a traceback)."""
    from dispatchdata.codes import CODES

    package = Path(dispatchdata.__file__).parent
    written = {
        code for path in package.rglob("*.py") for code in re.findall(r'"(DD\d{3})"', path.read_text())
    }
    assert written - set(CODES) == set()
    assert len(written) > 40  # the search does find them


def test_a_bundle_that_disagrees_with_itself_is_invalid(tmp_path: Path) -> None:
    """A bundle whose version is not its metadata's (DD314), or whose schema files do not hash
    to the digest it records (DD315): one error each, placed, exit code 1."""
    from dispatchdata.release.release import dump_bundle, open_bundle

    bundle = open_bundle(MINIMAL)
    bundle["version"] = "9.9.9"
    bundle["schema"]["files"]["defs.schema.json"]["title"] = "edited"
    path = tmp_path / "bundle.json"
    path.write_bytes(dump_bundle(bundle))
    text = path.read_text(encoding="utf-8").splitlines()
    version_line = text.index('  "version": "9.9.9"') + 1
    digest_line = next(i for i, t in enumerate(text, 1) if t.startswith('    "sha256": '))
    result = runner.invoke(main, ["validate", str(path), "--sources", str(SOURCES)])
    assert result.exit_code == 1
    assert result.output == (
        f"{path}:{digest_line}:15: DD315 schema sha256 is {bundle['schema']['sha256']}, "
        f"but its files hash to {_digest(bundle)}\n"
        f"{path}:{version_line}:14: DD314 bundle version '9.9.9' but metadata version '1.0.0'\n"
        "invalid: 2 errors, 0 warnings in 1 file, 7 records\n"
    )


def _digest(bundle: dict[str, object]) -> str:
    from dispatchdata.check.schema import schema_digest

    schema = bundle["schema"]
    assert isinstance(schema, dict)
    return schema_digest(schema["files"])


def test_unquoted_yaml_date_stays_a_string(tmp_path: Path) -> None:
    """YAML 1.2 meaning: an unquoted 2023-03-04 is the string the schema wants, not a date object."""
    target = tmp_path / "data"
    edit = {"file": "documents.yaml", "find": 'published: "2023-03-04"', "replace": "published: 2023-03-04"}
    apply_case({"edits": [edit]}, target)
    result = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES)])
    assert result.exit_code == 0, result.output


def test_validate_verbose_notes_go_to_stderr() -> None:
    """-v says which parser and schema path ran, which source texts were found, and the timings."""
    result = runner.invoke(main, ["validate", str(MINIMAL), "--sources", str(SOURCES), "-v"])
    assert result.exit_code == 0
    parser = "libyaml" if HAVE_LIBYAML else "pure Python (libyaml is not installed)"
    if yaml_rs.enabled():
        parser = f"yaml-rs, and {parser} for positions and for the files yaml-rs cannot read exactly"
    fast = "jsonschema-rs" if fast_check("dataset") else "off (jsonschema-rs is not installed)"
    notes = result.stderr.splitlines()
    assert notes[:3] == [
        f"note: YAML parser: {parser}",
        f"note: schema fast path: {fast}",
        "note: source texts: 1 of 1 found: every anchor checked against its text",
    ]
    assert re.fullmatch(
        r"note: timing: parse=\S+s sources=\S+s schema=\S+s rules=\S+s anchors=\S+s", notes[3]
    )


def test_validate_unreadable_file_exits_2(tmp_path: Path) -> None:
    """A file that cannot be read is an operational error (exit 2), reported with its place."""
    target = tmp_path / "data"
    shutil.copytree(MINIMAL, target)
    (target / "actors.yaml").unlink()
    (target / "actors.yaml").mkdir()  # the name of a collection file, but not a readable file
    (target / "actors.yaml" / "x").write_text("", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES), "-q"])
    assert result.exit_code == 2
    assert (
        result.output.splitlines()[0]
        == f"{target.as_posix()}/actors.yaml: DD100 cannot read file: Is a directory"
    )


def _link_to_nothing(path: Path) -> None:
    path.symlink_to("gone")


@pytest.mark.parametrize(
    ("make", "unreadable", "not_read"),
    [
        (_link_to_nothing, "it is a link to gone, which does not exist", "a link to nothing"),
        (
            os.mkfifo,
            "not a regular file (a pipe, a socket or a device)",
            "not a regular file (a pipe, a socket or a device)",
        ),
    ],
)
def test_validate_never_skips_or_waits_on_a_data_file_that_is_not_a_file(
    tmp_path: Path, make: Callable[[Path], None], unreadable: str, not_read: str
) -> None:
    """A link to nothing or a pipe where a data file should be (a collection file, one in a
    collection's folder) is a file that cannot be read (exit 2): never skipped without a word,
    never waited on (a pipe waits for a writer). In a collection's folder, one without a data
    file's name is not read, with an error (DD110) that says what it is."""
    target = tmp_path / "data"
    shutil.copytree(MINIMAL, target)
    (target / "actors.yaml").unlink()
    (target / "statements").mkdir()
    for path in (
        target / "actors.yaml",
        target / "statements" / "more.yaml",
        target / "statements" / "notes",
    ):
        make(path)
    result = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES)])
    assert result.exit_code == 2
    assert [line for line in result.output.splitlines() if " DD1" in line] == [
        f"{target.as_posix()}/actors.yaml: DD100 cannot read file: {unreadable}",
        f"{target.as_posix()}/documents.yaml:3:14: DD119 (warning) reference to actor 'duma' and 4 more"
        " not checked: actors.yaml could not be read",
        f"{target.as_posix()}/statements/more.yaml: DD100 cannot read file: {unreadable}",
        f"{target.as_posix()}/statements/notes:1:1: DD110 {not_read}, so not read as part of 'statements'",
    ]


def test_pre_commit_hook_runs_the_validator() -> None:
    """The hook's entry and arguments are a working `dispatchdata validate` invocation."""
    from dispatchdata.read.parse import parse_bytes

    from .conftest import ROOT

    hooks = parse_bytes((ROOT / ".pre-commit-hooks.yaml").read_bytes(), ".pre-commit-hooks.yaml").data
    (hook,) = [h for h in hooks if h["id"] == "dispatchdata-validate"]
    program, command, *options = hook["entry"].split()
    assert (program, command, options, hook["pass_filenames"]) == (
        "dispatchdata",
        "validate",
        ["--strict"],
        False,
    )
    result = runner.invoke(main, [command, *options, str(ROOT / hook["args"][0]), "-q"])
    assert result.exit_code == 0, result.output


def test_validate_a_bundle_file_names_it_once(tmp_path: Path) -> None:
    """Problems in a release bundle are placed in the bundle file itself."""
    from dispatchdata.release.release import dump_bundle, open_bundle

    bundle = open_bundle(MINIMAL)
    bundle["collections"]["statements"][1]["speaker"] = "nobody"
    path = tmp_path / "minimal-1.0.0.json"
    path.write_bytes(dump_bundle(bundle))
    result = runner.invoke(main, ["validate", str(path), "--sources", str(SOURCES), "-q"])
    assert result.exit_code == 1
    assert result.output.startswith(f"{path.as_posix()}:")
    assert " DD302 unknown actor 'nobody'" in result.output


@pytest.mark.parametrize(
    ("argv", "status", "out", "err"),
    [
        (["--version"], 0, f"dispatchdata {dispatchdata.__version__}\n", ""),
        (["validate", "/no/such/dataset"], 2, "", "dispatchdata: error: /no/such/dataset: does not exist\n"),
        (["validate", "--no-such-option"], 2, "", None),
    ],
)
def test_the_console_script_exits_with_the_status_and_everything_said(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    status: int,
    out: str,
    err: str | None,
) -> None:
    """run() (the `dispatchdata` script) exits with the status main() gave, its output said,
    and leaves what is alive then out of the garbage collector's last pass at exit."""
    from dispatchdata import cli

    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))  # not this test process's objects
    monkeypatch.setattr(sys, "argv", ["dispatchdata", *argv])
    with pytest.raises(SystemExit) as caught:
        cli.run()
    said = capsys.readouterr()
    assert (caught.value.code, said.out, frozen) == (status, out, [True])
    if err is not None:
        assert said.err == err
    else:
        assert said.err.endswith("Error: No such option '--no-such-option'.\n")


def test_the_installed_script_prints_everything_before_it_exits(tmp_path: Path) -> None:
    """The installed `dispatchdata` script prints all that the command line says, to the last
    line, with its exit status."""
    script = Path(sys.executable).with_name("dispatchdata")
    assert script.exists(), "the project's install puts the dispatchdata script beside python"
    target = _broken(tmp_path)
    (target / "statements").mkdir()
    for index in range(300):  # a problem each (an empty file): output well beyond one buffer
        (target / "statements" / f"{index:03}.yaml").write_text("", encoding="utf-8")
    expected = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES)])
    done = subprocess.run(
        [str(script), "validate", str(target), "--sources", str(SOURCES)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout + done.stderr) == (expected.exit_code, expected.output)
    assert expected.exit_code == 1


def test_a_link_in_a_loop_is_said_to_be_one(tmp_path: Path) -> None:
    """A data file that is a link to itself (or round a loop of links) leads to no file: said so,
    not "which does not exist" (it does: it is the link)."""
    target = tmp_path / "data"
    shutil.copytree(MINIMAL, target)
    (target / "actors.yaml").unlink()
    (target / "actors.yaml").symlink_to("actors.yaml")
    result = runner.invoke(main, ["validate", str(target), "--sources", str(SOURCES)])
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        f"{target.as_posix()}/actors.yaml: DD100 cannot read file: it is a link to actors.yaml, "
        "a loop of links that leads to no file"
    )
