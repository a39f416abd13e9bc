"""Progress on stderr for long work (issue #22, item 6): a bar on a terminal, and nothing in CI,
in a file or pipe, with --format json or github, or with -q."""

from __future__ import annotations

import os
import select
import sys
from pathlib import Path

import pytest

import dispatchdata.cli.progress as progress
from dispatchdata.cli import main

#: What the bar looks like when done (click's, on a terminal: the cursor shown again, a line end).
DONE = "  [####################################]  100%\x1b[?25h\r\n"


def _run(args: list[str]) -> None:
    """Run the command line in this process (its stderr is ``sys.stderr`` as the test set it)."""
    code: object = None
    try:
        main.main(args=args, prog_name="dispatchdata", standalone_mode=False)
    except SystemExit as exit:
        code = exit.code
    finally:
        sys.stderr.flush()
    assert code in (0, None)


def _on_a_terminal(args: list[str], monkeypatch: pytest.MonkeyPatch) -> str:
    """What the command writes to stderr when stderr is a terminal (a pseudo-terminal here)."""
    master, slave = os.openpty()
    stream = open(slave, "w", encoding="utf-8", buffering=1)  # noqa: SIM115 - closed below
    monkeypatch.setattr(sys, "stderr", stream)
    try:
        _run(args)
    finally:
        stream.close()
    written = b""
    while select.select([master], [], [], 0.5)[0]:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # the terminal's other end is closed: all was read
            break
        if not chunk:
            break
        written += chunk
    os.close(master)
    return written.decode("utf-8")


@pytest.fixture
def small_is_long(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any work counts as long (the test dataset takes no time), and no CI in the environment."""
    monkeypatch.setattr(progress, "LONG_VALIDATION_BYTES", 0)
    monkeypatch.setattr(progress, "LONG_EXPORT_RECORDS", 0)
    monkeypatch.delenv("CI", raising=False)


def test_a_terminal_sees_the_progress_of_validating(
    small_is_long: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The four collection files of the installed dataset: from 0 % to 100 %, on stderr."""
    shown = _on_a_terminal(["validate"], monkeypatch)
    assert shown.startswith("\r\x1b[?25lvalidating  [------------------------------------]    0%")
    assert shown.endswith(f"validating{DONE}")


def test_a_terminal_sees_the_progress_of_exporting(
    small_is_long: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A table export of a folder: the bar of reading (validating) it, as validate's, then the
    export's, counting its records (issue #22, D5: the reading was silent)."""
    shown = _on_a_terminal(["export", "sqlite", "--output", str(tmp_path / "db")], monkeypatch)
    reading, exporting = shown.split(f"validating{DONE}")
    assert reading.startswith("\r\x1b[?25lvalidating  [------------------------------------]    0%")
    assert exporting.startswith("\r\x1b[?25lexporting sqlite  [------------------------------------]    0%")
    assert exporting.endswith(f"exporting sqlite{DONE}")


def test_no_progress_of_reading_a_release_or_in_ci(
    small_is_long: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A release bundle is no folder to count: only the export's bar; with CI set, none."""
    shown = _on_a_terminal(
        ["export", "sqlite", "--release", "1.1.0", "--output", str(tmp_path / "a")], monkeypatch
    )
    assert shown.startswith("\r\x1b[?25lexporting sqlite  [------------------------------------]    0%")
    monkeypatch.setenv("CI", "true")
    assert _on_a_terminal(["export", "sqlite", "--output", str(tmp_path / "b")], monkeypatch) == ""


@pytest.mark.parametrize("extra", [["--format", "json"], ["--format", "github"], ["-q"]])
def test_no_progress_in_machine_readable_or_quiet_output(
    extra: list[str], small_is_long: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal too: --format json or github, or -q, draw no bar (github's summary aside)."""
    shown = _on_a_terminal(["validate", *extra], monkeypatch)
    summary = "valid: 0 errors, 0 warnings in 5 files, 114 records\r\n"
    assert shown == (summary if extra[-1] == "github" else "")


def test_no_progress_in_ci(small_is_long: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """CI set: no bar, terminal or not (a CI log is no place for one)."""
    monkeypatch.setenv("CI", "true")
    assert _on_a_terminal(["validate"], monkeypatch) == ""


def test_no_progress_when_stderr_is_a_file(
    small_is_long: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """stderr redirected to a file: nothing there."""
    with (tmp_path / "stderr").open("w", encoding="utf-8") as stream:
        monkeypatch.setattr(sys, "stderr", stream)
        _run(["validate"])
    assert (tmp_path / "stderr").read_text(encoding="utf-8") == ""


def test_no_progress_for_short_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """The installed dataset is small: no bar even on a terminal."""
    monkeypatch.delenv("CI", raising=False)
    assert _on_a_terminal(["validate"], monkeypatch) == ""
