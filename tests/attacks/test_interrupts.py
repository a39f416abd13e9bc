"""Ctrl-C, wherever it comes: one line, `dispatchdata: interrupted`, and exit 130 (as shells
report a command SIGINT ended), never a traceback, and never click's `Aborted!` with exit 1,
which here means invalid data."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from dispatchdata.check import validation
from dispatchdata.cli import main

from ..conftest import DATASET
from ..golden.regenerate import MINIMAL

runner = CliRunner()

#: Installed as sitecustomize: a real SIGINT to this process when the module named in
#: DISPATCHDATA_TEST_INTERRUPT_AT is first imported (so at a known point, every time).
HOOK = """
import importlib.abc, os, signal, sys

class _Interrupt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == os.environ.get("DISPATCHDATA_TEST_INTERRUPT_AT"):
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, _Interrupt())
"""


def _as_a_terminal_starts_it() -> None:
    """Run in each child before it starts: SIGINT at its default, as a shell starts a command in
    the foreground. A test run started in the background (`cmd &` in a script, nohup) has SIGINT
    ignored, its children inherit that, and Python then never raises KeyboardInterrupt: every
    test here would see the Ctrl-C ignored, rightly, and fail."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupted_at(tmp_path: Path, module: str, command: list[str]) -> subprocess.CompletedProcess[str]:
    (tmp_path / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "DISPATCHDATA_TEST_INTERRUPT_AT": module}
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
        preexec_fn=_as_a_terminal_starts_it,
    )


#: The console script (dispatchdata.cli:run), as installed beside this Python, and `python -m`.
ENTRY_POINTS = {
    "console script": [str(Path(sys.executable).with_name("dispatchdata"))],
    "python -m": [sys.executable, "-m", "dispatchdata"],
}


#: Modules first imported as the command line loads: click, the first of the package's own (the
#: package's `__init__` imported these before any handler was in place: a traceback), and the
#: locale, which building a path option's help loads (after the shell's handler, before the group's).
LOADING = ["click", "dispatchdata.errors", "dispatchdata.resources", "locale"]


@pytest.mark.parametrize("module", LOADING)
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_ctrl_c_while_the_command_line_loads(tmp_path: Path, entry: str, module: str) -> None:
    """SIGINT while the CLI imports its modules (start-up): was a KeyboardInterrupt traceback."""
    done = _interrupted_at(tmp_path, module, [*ENTRY_POINTS[entry], "validate", str(MINIMAL)])
    assert done.returncode == 130
    assert done.stdout == ""
    assert done.stderr == "dispatchdata: interrupted\n"


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_ctrl_c_while_a_command_runs(tmp_path: Path, entry: str) -> None:
    """SIGINT inside `validate` (as it imports its core): was `Aborted!` and exit 1."""
    done = _interrupted_at(
        tmp_path, "dispatchdata.check.validation", [*ENTRY_POINTS[entry], "validate", str(MINIMAL)]
    )
    assert done.returncode == 130
    assert done.stdout == ""
    assert done.stderr == "dispatchdata: interrupted\n"


def test_ctrl_c_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """KeyboardInterrupt from inside a command, through CliRunner: exit 130 and the one line."""

    def interrupt(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(validation, "validate", interrupt)
    result = runner.invoke(main, ["validate", str(MINIMAL)])
    assert result.exit_code == 130
    assert result.stdout == ""
    assert result.stderr == "dispatchdata: interrupted\n"


def _ctrl_c_among_workers(
    patch: str = "", wait: float = 0, timeout: int = 60
) -> subprocess.CompletedProcess[str]:
    """`validate -j 2` run with ``patch`` applied first (code run in the process, before the pool
    starts), sent a Ctrl-C to its whole group ``wait`` seconds after the pool started, as a
    terminal sends it."""
    script = (
        "import os, signal, sys, time\n"
        "from concurrent.futures import process\n"
        "from dispatchdata import cli\n"
        "from dispatchdata.check import workers\n"
        f"{patch}"
        "original = workers._results\n"
        "def results(*args, **kwargs):\n"
        f"    time.sleep({wait})\n"
        "    os.killpg(0, signal.SIGINT)  # the pool is running: as a terminal does, to the group\n"
        "    yield from original(*args, **kwargs)\n"
        "workers._results = results\n"
        "sys.argv = ['dispatchdata', *sys.argv[1:]]\n"
        "cli.run()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script, "validate", "-j", "2", str(MINIMAL)],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        start_new_session=True,  # the signal goes to this run's group only
        preexec_fn=_as_a_terminal_starts_it,
    )


def test_ctrl_c_with_worker_processes() -> None:
    """A terminal's Ctrl-C reaches every process of its group, the workers of `validate -j 2`
    too: still the one line and exit 130, no worker's traceback, no worker left running."""
    done = _ctrl_c_among_workers()
    assert done.returncode == 130
    assert done.stdout == ""
    assert done.stderr == "dispatchdata: interrupted\n"


def test_ctrl_c_with_workers_leaves_no_traceback_at_exit() -> None:
    """Under load, about one run in four printed a traceback after "interrupted": the pool's
    thread, still ending, closed its wake-up pipe while concurrent.futures' exit hook wrote to it
    (a race in CPython). Widened here (the hook's write waits a little after its check): the
    thread must have ended before the run exits."""
    done = _ctrl_c_among_workers(
        "def wakeup(self):\n"
        "    if not self._closed:\n"
        "        if process._global_shutdown:  # the exit hook's write: the race's window, wide open\n"
        "            time.sleep(0.3)\n"
        "        self._writer.send_bytes(b'')\n"
        "process._ThreadWakeup.wakeup = wakeup\n"
        "close = process._ThreadWakeup.close\n"
        "def slow_close(self):\n"
        "    time.sleep(0.1)  # the pool's thread, still ending when the run exits\n"
        "    close(self)\n"
        "process._ThreadWakeup.close = slow_close\n"
    )
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "dispatchdata: interrupted\n")


def test_ctrl_c_does_not_wait_for_busy_workers() -> None:
    """Ctrl-C while the workers are busy (here each file takes 30 s): the pool was shut down
    waiting for every file queued, so the run went on long after saying "interrupted" (an
    attacker saw it hang for minutes). Now the workers are stopped: the run ends at once."""
    started = time.monotonic()
    done = _ctrl_c_among_workers(
        "def slow(task):\n"
        "    time.sleep(30)\n"
        "workers._in_worker = slow  # the workers are forked: they run this\n",
        wait=0.5,  # the workers have their files
        timeout=120,
    )
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "dispatchdata: interrupted\n")
    assert time.monotonic() - started < 25  # not the 30 s a worker's file takes


def test_an_interrupt_while_jsonschema_rs_would_import_decimal_is_ours(tmp_path: Path) -> None:
    """jsonschema-rs imports decimal lazily from Rust, where a Ctrl-C then is a panic (a traceback,
    exit 1); decimal is imported first, so the interrupt is said in one line, exit 130. (A decimal
    module that raises KeyboardInterrupt stands in for the Ctrl-C at that moment.)"""
    (tmp_path / "decimal.py").write_text("raise KeyboardInterrupt\n", encoding="utf-8")
    release = DATASET / "releases" / "1.0.0.json"
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "dispatchdata", "diff", str(release), str(DATASET)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "dispatchdata: interrupted\n")
