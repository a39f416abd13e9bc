"""The pre-commit hooks the README documents: the local hook, run by pre-commit itself in a scratch
git repository holding a copy of the dataset, passes on the dataset and fails on a broken one or
on a skipped check; the hook this repository ships for the `repo:`/`rev:` form runs the same
command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dispatchdata.read.parse import parse_bytes

from .conftest import DATASET, ROOT, SOURCE_SHA256
from .test_release_history import is_checkout

README = (ROOT / "README.md").read_text(encoding="utf-8")
#: The directory of the interpreter running the tests, where the `dispatchdata` command is installed
#: beside it (the README's `.venv/bin`; .ci/run's venv).
BIN = Path(sys.executable).parent


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", README, flags=re.DOTALL)


def _readme_config(marker: str) -> Any:
    """The README's pre-commit configuration holding ``marker``, read as pre-commit reads it."""
    (block,) = [b for b in _yaml_blocks() if marker in b]
    return block, parse_bytes(block.encode(), "config.yaml").data


def _hook(config: Any) -> dict[str, Any]:
    ((repo,),) = [config["repos"]]
    (hook,) = repo["hooks"]
    assert isinstance(hook, dict)
    return hook


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A git repository holding a copy of the dataset and the README's local hook, staged."""
    if shutil.which("git") is None:
        pytest.fail("git is needed to run pre-commit")
    assert (BIN / "dispatchdata").exists(), f"dispatchdata is not installed beside {sys.executable}"
    repo = tmp_path / "repo"
    shutil.copytree(DATASET, repo / "dataset")
    block, _ = _readme_config("repo: local")
    (repo / ".pre-commit-config.yaml").write_text(block, encoding="utf-8")
    _git(repo, "init", "--quiet")
    _git(repo, "add", "--all")
    return repo


def _shipped(hook_id: str) -> dict[str, Any]:
    """The hook of this id in .pre-commit-hooks.yaml, as pre-commit reads it."""
    hooks = parse_bytes((ROOT / ".pre-commit-hooks.yaml").read_bytes(), ".pre-commit-hooks.yaml").data
    (hook,) = [h for h in hooks if h["id"] == hook_id]
    assert isinstance(hook, dict)
    return hook


def _fmt_hook_block() -> str:
    """The README's fmt hook: an item for the hooks of its local configuration."""
    (block,) = [b for b in _yaml_blocks() if "id: dispatchdata-fmt" in b]
    return block


def _env(repo: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PRE_COMMIT_HOME"] = str(repo.parent / "pre-commit-home")  # never the user's cache
    env["NO_COLOR"] = "1"
    return env


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, env=_env(repo), capture_output=True)


def _pre_commit(repo: Path) -> subprocess.CompletedProcess[str]:
    _git(repo, "add", "--all")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=_env(repo),
    )


def _edit(path: Path, find: str, replace: str) -> int:
    """Replace the first ``find`` in ``path``; the line it is on (1-based)."""
    text = path.read_text(encoding="utf-8")
    at = text.index(find)
    path.write_text(text[:at] + replace + text[at + len(find) :], encoding="utf-8")
    return text.count("\n", 0, at) + 1


def test_the_readme_local_hook_runs_the_installed_command_strictly() -> None:
    """The hook that works today: the installed command (language: system, nothing fetched),
    --strict in the entry, the folder in args, run once per commit touching the dataset."""
    _, config = _readme_config("repo: local")
    assert _hook(config) == {
        "id": "dispatchdata-validate",
        "name": "dispatchdata validate",
        "entry": "dispatchdata validate --strict",
        "args": ["dataset/"],
        "language": "system",
        "pass_filenames": False,
        "files": "^dataset/",
    }


def test_the_shipped_hook_runs_the_same_command_and_the_readme_uses_it_by_tag() -> None:
    """.pre-commit-hooks.yaml: the README's hook (pre-commit installs the package: language
    python), and the README's `repo:`/`rev:` form names it at a release tag."""
    shipped = _shipped("dispatchdata-validate")
    local = _hook(_readme_config("repo: local")[1])
    assert shipped["language"] == "python"
    for key in ("id", "name", "entry", "args", "pass_filenames", "files"):
        assert shipped[key] == local[key], key
    _, config = _readme_config("rev: v")
    ((remote,),) = [config["repos"]]
    assert re.fullmatch(r"v\d+\.\d+\.\d+", remote["rev"])
    assert remote["hooks"] == [{"id": shipped["id"]}]


def test_the_hook_passes_on_the_dataset(scratch: Path) -> None:
    """pre-commit run --all-files: the hook runs and passes."""
    result = _pre_commit(scratch)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(r"dispatchdata validate\.+Passed\n", result.stdout), result.stdout


def test_the_hook_fails_on_broken_data_showing_the_problem(scratch: Path) -> None:
    """A statement naming an unknown speaker: exit 1, the DD302 line shown."""
    statements = scratch / "dataset" / "statements.yaml"
    line = _edit(statements, "speaker: dmitry-medvedev", "speaker: medvedev-d")
    result = _pre_commit(scratch)
    assert result.returncode == 1
    assert result.stdout.startswith("dispatchdata validate")
    assert "Failed\n- hook id: dispatchdata-validate\n- exit code: 1\n" in result.stdout
    expected = "DD302 unknown actor 'medvedev-d' (did you mean 'dmitry-medvedev'?)"
    assert f"dataset/statements.yaml:{line}:12: {expected}\n" in result.stdout
    assert "invalid: 1 error, 0 warnings in 5 files, 114 records\n" in result.stdout


def test_the_hook_fails_when_a_check_is_skipped(scratch: Path) -> None:
    """A document whose source text is not found: its anchors cannot be checked (a warning,
    DD405, without --strict); the hook, strict, fails."""
    line = _edit(scratch / "dataset" / "documents.yaml", SOURCE_SHA256, "a" * 64)
    result = _pre_commit(scratch)
    assert result.returncode == 1
    assert (
        f"dataset/documents.yaml:{line}:11: DD405 source text of 'memri-special-dispatch-10423'"
        in result.stdout
    )
    assert "invalid: 1 error, 0 warnings in 5 files, 114 records\n" in result.stdout


@pytest.mark.packaging
def test_the_shipped_hook_installs_from_the_checkout_and_is_strict(scratch: Path) -> None:
    """`pre-commit try-repo` on this checkout (the `repo:`/`rev:` form, without a code host):
    pre-commit installs dispatchdata from the repository, as it will at a tag (which needs the
    package index), and the hook fails on a check skipped, which only --strict makes an error."""
    if not is_checkout(ROOT):
        pytest.skip("not a git checkout (an sdist, say): pre-commit try-repo needs one")
    line = _edit(scratch / "dataset" / "documents.yaml", SOURCE_SHA256, "a" * 64)
    _git(scratch, "add", "--all")
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "dispatchdata-validate"]
    result = subprocess.run(
        [*command, "--all-files", "--color", "never"],
        cwd=scratch,
        capture_output=True,
        text=True,
        env=_env(scratch),
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "dispatchdata validate...." in result.stdout
    assert "Failed\n- hook id: dispatchdata-validate\n- exit code: 1\n" in result.stdout
    assert (
        f"dataset/documents.yaml:{line}:11: DD405 source text of 'memri-special-dispatch-10423'"
        in result.stdout
    )


def test_the_readme_fmt_hook_checks_and_never_rewrites() -> None:
    """The README's fmt hook: the installed command with --check in the entry (a hook that
    rewrote files would change what is being committed), the folder in args."""
    (hook,) = parse_bytes(_fmt_hook_block().encode(), "hook.yaml").data
    assert hook == {
        "id": "dispatchdata-fmt",
        "name": "dispatchdata fmt",
        "entry": "dispatchdata fmt --check",
        "args": ["dataset/"],
        "language": "system",
        "pass_filenames": False,
        "files": "^dataset/",
    }


def test_the_shipped_fmt_hook_runs_the_same_command_with_the_edit_extra() -> None:
    """.pre-commit-hooks.yaml's dispatchdata-fmt: the README's hook, pre-commit installing
    ruamel.yaml (the `edit` extra's one dependency) beside the package."""
    shipped = _shipped("dispatchdata-fmt")
    (local,) = parse_bytes(_fmt_hook_block().encode(), "hook.yaml").data
    assert shipped["language"] == "python"
    assert shipped["additional_dependencies"] == ["ruamel.yaml>=0.18"]
    for key in ("id", "name", "entry", "args", "pass_filenames", "files"):
        assert shipped[key] == local[key], key


def test_the_fmt_hook_passes_on_the_dataset_and_lists_a_file_out_of_layout(scratch: Path) -> None:
    """The README's fmt hook beside the validate hook: both pass on the dataset; a value quoted
    where it need not be fails the fmt hook alone (exit 1, the file named), and nothing is rewritten."""
    config = scratch / ".pre-commit-config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + _fmt_hook_block(), encoding="utf-8")
    result = _pre_commit(scratch)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(r"dispatchdata validate\.+Passed\ndispatchdata fmt\.+Passed\n", result.stdout), (
        result.stdout
    )
    metadata = scratch / "dataset" / "dataset.yaml"
    _edit(metadata, "license: CC-BY-4.0", "license: 'CC-BY-4.0'")
    edited = metadata.read_bytes()
    result = _pre_commit(scratch)
    assert result.returncode == 1
    assert re.match(r"dispatchdata validate\.+Passed\ndispatchdata fmt\.+Failed\n", result.stdout), (
        result.stdout
    )
    assert "- hook id: dispatchdata-fmt\n- exit code: 1\n" in result.stdout
    assert "would reformat dataset/dataset.yaml\n" in result.stdout
    assert metadata.read_bytes() == edited
