"""The command line's package: it alone imports click, and its start-up imports no core."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import dispatchdata


def _imported(code: str) -> list[str]:
    """What ``code``, run in a fresh interpreter, prints (one word per line)."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()


def test_only_the_command_line_imports_click() -> None:
    """Every module of the library but the command line's imports without click: the library
    comes first, the CLI is a thin shell over it."""
    names = [
        info.name
        for info in pkgutil.walk_packages(dispatchdata.__path__, "dispatchdata.")
        if not info.name.startswith(("dispatchdata.cli", "dispatchdata.__main__"))
    ]
    assert "dispatchdata.check.validation" in names  # the walk found the core
    code = (
        f"import importlib, sys\nfor name in {names!r}:\n    importlib.import_module(name)\n"
        "print('click' in sys.modules)"
    )
    assert _imported(code) == ["False"]


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["validate", "--help"], ["export", "--help"]])
def test_starting_imports_no_core(args: list[str]) -> None:
    """``--version`` and the help import neither the validator, nor the release and diff
    machinery, nor PyYAML: the commands defer them to when they run."""
    core = (
        "dispatchdata.check.validation",
        "dispatchdata.release.release",
        "dispatchdata.release.diff",
        "yaml",
    )
    code = (
        "import sys\nfrom dispatchdata.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        f"print(*(m in sys.modules for m in {core!r}), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.split() == ["False"] * len(core)
