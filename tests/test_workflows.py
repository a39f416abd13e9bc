"""The project's GitHub workflows (.github/workflows/): valid by the GitHub-workflow JSON Schema that
check-jsonschema ships (actionlint cannot be installed offline), and saying what the README says
they do: CI runs .ci/run on pushes and pull requests, with annotations; a tag publishes by trusted
publishing, with no secret and every action pinned to a major version."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dispatchdata.read.parse import parse_bytes

from .conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
CI = WORKFLOWS / "ci.yml"
RELEASE = WORKFLOWS / "release.yml"


def _load(path: Path) -> Any:
    """A workflow as GitHub reads it: YAML 1.2, where the key `on` is the string "on"."""
    return parse_bytes(path.read_bytes(), path.name).data


def _check(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
    )


def _steps(workflow: Any) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_the_workflows_are_the_two_expected() -> None:
    """ci.yml and release.yml, nothing else that would run unreviewed here."""
    assert sorted(p.name for p in WORKFLOWS.iterdir()) == ["ci.yml", "release.yml"]


def test_each_workflow_is_valid_by_githubs_schema() -> None:
    """check-jsonschema with its vendored GitHub-workflow schema passes both files."""
    result = _check(CI, RELEASE)
    assert (result.returncode, result.stdout) == (0, "ok -- validation done\n"), result.stdout + result.stderr


def test_the_schema_check_finds_a_broken_workflow(tmp_path: Path) -> None:
    """What the test above relies on: a job without `runs-on` fails the check."""
    broken = tmp_path / "ci.yml"
    broken.write_text(CI.read_text(encoding="utf-8").replace("    runs-on: ubuntu-latest\n", "", 1))
    result = _check(broken)
    assert result.returncode == 1
    assert "Schema validation errors were encountered." in result.stdout


def test_ci_runs_the_projects_checks_on_pushes_and_pull_requests() -> None:
    """ci.yml: on every push and pull request, .ci/run; when it fails, the dataset validated with
    --format github (annotations) and --strict (as .ci/run validates it)."""
    workflow = _load(CI)
    assert set(workflow["on"]) == {"push", "pull_request"}
    runs = [step.get("run", "") for step in _steps(workflow)]
    assert ".ci/run" in runs
    (annotate,) = [s for s in _steps(workflow) if "--format github" in s.get("run", "")]
    assert annotate["if"].startswith("failure()")
    assert "validate dataset/ --strict --format github" in annotate["run"]
    assert "dispatchdata validate dataset/ -v --strict" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_release_builds_checks_and_publishes_on_a_version_tag_by_trusted_publishing() -> None:
    """release.yml: on a `v*` tag, the checks, then a build checked by twine and against the tag,
    then PyPI's publishing action in an environment, the only job that may ask for a token."""
    workflow = _load(RELEASE)
    assert workflow["on"] == {"push": {"tags": ["v*"]}}
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert [step.get("run") for step in jobs["check"]["steps"]][-1] == ".ci/run"
    assert jobs["build"]["needs"] == "check"
    build = "\n".join(step.get("run", "") for step in jobs["build"]["steps"])
    assert "python -m build" in build
    assert "twine check --strict dist/*" in build
    publish = jobs["publish"]
    assert publish["needs"] == "build"
    assert publish["environment"]["name"] == "pypi"
    assert publish["permissions"] == {"id-token": "write"}
    assert [s["uses"] for s in publish["steps"]][-1] == "pypa/gh-action-pypi-publish@release/v1"
    assert [name for name, job in jobs.items() if "id-token" in job.get("permissions", {})] == ["publish"]


@pytest.mark.parametrize("path", [CI, RELEASE], ids=lambda p: p.name)
def test_no_secret_and_every_action_pinned(path: Path) -> None:
    """No `secrets.` anywhere (trusted publishing needs none), and every action pinned to a major
    version at least (`@v4`, `@release/v1`) or a commit, never a branch like `@main`."""
    text = path.read_text(encoding="utf-8")
    assert "secrets." not in text
    uses = [step["uses"] for step in _steps(_load(path)) if "uses" in step]
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@(v\d+(\.\d+)*|release/v\d+|[0-9a-f]{40})", action), action
