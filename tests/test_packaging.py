"""The artifact, not the checkout: build the wheel, install it in a fresh virtual environment,
and use it from a folder that has nothing to do with the repository."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.packaging


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel, built once as a release builds them: `python -m build` makes the
    sdist, then the wheel from the sdist (so a file the sdist leaves out is missing from the
    wheel too). --no-isolation uses the build backend of the dev extra: no network."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    (built,) = dist.glob("dispatchdata-*.whl")
    return built


def test_build_makes_an_sdist_and_a_wheel_twine_accepts(dist: Path) -> None:
    """Ready to publish: one sdist and one wheel of the dataset's version, the sdist holding what
    its tests read, and `twine check --strict` (metadata complete, the README renders as the long
    description) passes both."""
    import dispatchdata

    version = dispatchdata.__version__
    assert sorted(p.name for p in dist.iterdir()) == [
        f"dispatchdata-{version}-py3-none-any.whl",
        f"dispatchdata-{version}.tar.gz",
    ]
    with tarfile.open(dist / f"dispatchdata-{version}.tar.gz") as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    # what the tests it ships read: the standalone schemas, the workflows, the hook
    for name in (
        "schema/standalone/release.schema.json",
        ".github/workflows/release.yml",
        ".pre-commit-hooks.yaml",
        "tests/test_workflows.py",
    ):
        assert name in names
    result = subprocess.run(
        [sys.executable, "-m", "twine", "--no-color", "check", "--strict", *sorted(map(str, dist.iterdir()))],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "500"},  # twine's console wraps long lines at 80 columns
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [f"Checking {p}: PASSED" for p in sorted(dist.iterdir())]


def _tag_check(dist: Path, tag: str, dataset: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The release workflow's step that compares the tag with what was built, run as the workflow
    runs it (bash, the checkout as the working folder: here ``dist`` and ``dataset`` linked in)."""
    from dispatchdata.read.parse import parse_bytes

    workflow = parse_bytes((ROOT / ".github" / "workflows" / "release.yml").read_bytes(), "release.yml").data
    (step,) = [s for s in workflow["jobs"]["build"]["steps"] if s.get("name", "").startswith("The tag names")]
    cwd.mkdir()
    (cwd / "dist").symlink_to(dist)
    (cwd / "dataset").symlink_to(dataset)
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "TAG": tag},
    )


def test_release_workflow_publishes_only_the_tag_of_the_version_built(dist: Path, tmp_path: Path) -> None:
    """The tag v<version of dataset.yaml> passes, when its release is frozen; another version,
    or a tag of a version without a frozen release, stops the release before anything is
    published."""
    import dispatchdata

    version = dispatchdata.__version__
    passed = _tag_check(dist, f"v{version}", ROOT / "dataset", tmp_path / "ok")
    assert (passed.returncode, passed.stdout, passed.stderr) == (0, "", "")
    other = _tag_check(dist, "v9.9.9", ROOT / "dataset", tmp_path / "other")
    assert other.returncode == 1
    assert other.stdout == (
        "::error::tag v9.9.9 is not the version built from dataset/dataset.yaml: "
        f"dispatchdata-{version}-py3-none-any.whl dispatchdata-{version}.tar.gz\n"
    )
    (tmp_path / "unreleased" / "releases").mkdir(parents=True)
    unreleased = _tag_check(dist, f"v{version}", tmp_path / "unreleased", tmp_path / "here")
    assert unreleased.returncode == 1
    assert unreleased.stdout == (
        f"::error::tag v{version} names no frozen release: dataset/releases/{version}.json is missing "
        f"(dispatchdata release {version})\n"
    )


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True)
    python = root / ("Scripts" if os.name == "nt" else "bin") / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True)
    return root


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def _run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    return subprocess.run(
        [str(bindir / args[0]), *args[1:]], capture_output=True, text=True, cwd=cwd, env=_clean_env()
    )


def test_wheel_ships_the_data_the_schema_and_the_type_marker(wheel: Path) -> None:
    """dataset/, schema/ (its standalone files too) and the source text are inside the package;
    the tests are not."""
    names = set(zipfile.ZipFile(wheel).namelist())
    for collection in ("dataset", "documents", "actors", "proposals", "statements"):
        assert f"dispatchdata/_data/dataset/{collection}.yaml" in names
    assert "dispatchdata/_data/schema/statements.schema.json" in names
    for name in ("actors", "dataset", "documents", "proposals", "release", "statements"):
        shipped = zipfile.ZipFile(wheel).read(f"dispatchdata/_data/schema/standalone/{name}.schema.json")
        assert shipped == (ROOT / "schema" / "standalone" / f"{name}.schema.json").read_bytes()
    assert "dispatchdata/py.typed" in names
    assert "dispatchdata/_data/sources/memri-special-dispatch-10423.txt" in names
    assert "dispatchdata/_data/sources/SHA256SUMS" in names  # the texts that must always be found
    # The releases' hashes are built into the wheel beside them, byte for byte.
    assert "dispatchdata/_data/dataset/releases/1.0.0.json" in names
    shipped = zipfile.ZipFile(wheel).read("dispatchdata/_data/dataset/releases/SHA256SUMS")
    assert shipped == (ROOT / "dataset" / "releases" / "SHA256SUMS").read_bytes()
    assert not any(n.startswith("tests/") for n in names)


def test_installed_wheel_loads_from_outside_the_checkout(venv: Path, tmp_path: Path) -> None:
    """The issue's check: counts printed from an unrelated folder, the package found in the venv."""
    code = (
        "import dispatchdata, pathlib; ds = dispatchdata.load(); "
        "print(len(ds.actors), len(ds.proposals), len(ds.statements)); "
        f"print(pathlib.Path(dispatchdata.__file__).resolve().is_relative_to(pathlib.Path(r'{ROOT}').resolve()))"
    )
    result = _run(venv, "python", "-c", code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "41 12 60\nFalse\n"


def test_installed_command_prints_the_version(venv: Path, tmp_path: Path) -> None:
    """`dispatchdata --version` and `python -m dispatchdata --version` work after a plain install."""
    import dispatchdata

    for args in (("dispatchdata", "--version"), ("python", "-m", "dispatchdata", "--version")):
        result = _run(venv, *args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout == f"dispatchdata {dispatchdata.__version__}\n"


def test_installed_command_prints_a_standalone_schema(venv: Path, tmp_path: Path) -> None:
    """`dispatchdata schema release` prints the file shipped in the wheel, from outside the checkout."""
    result = _run(venv, "dispatchdata", "schema", "release", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    shipped = ROOT / "schema" / "standalone" / "release.schema.json"
    assert result.stdout == shipped.read_text(encoding="utf-8")


def test_installed_validator_checks_the_installed_data_against_the_source(venv: Path, tmp_path: Path) -> None:
    """The installed dataset validates, every anchor checked against the source text shipped in the
    wheel, with no --sources and nothing of the checkout in reach."""
    result = _run(venv, "dispatchdata", "validate", "-v", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "valid: 0 errors, 0 warnings in 5 files, 114 records\n"
    assert "note: source texts: 1 of 1 found: every anchor checked against its text\n" in result.stderr


def test_installed_wheel_loads_a_frozen_release(venv: Path, tmp_path: Path) -> None:
    """`dispatchdata.load(version="1.0.0")` returns the release shipped in the wheel."""
    code = "import dispatchdata as d; print(d.releases()); print(d.load(version='1.0.0').version)"
    result = _run(venv, "python", "-c", code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    releases, version = result.stdout.splitlines()
    assert "'1.0.0'" in releases
    assert version == "1.0.0"


def test_installed_wheel_refuses_a_release_swapped_in_the_installed_package(
    venv: Path, tmp_path: Path
) -> None:
    """A release file edited in site-packages does not match the SHA256SUMS shipped beside it:
    load(version=...) and `export --release` refuse it (exit 2, DD320)."""
    code = "import dispatchdata.resources as r; print(r.dataset_dir() / 'releases' / '1.0.0.json')"
    located = _run(venv, "python", "-c", code, cwd=tmp_path)
    assert located.returncode == 0, located.stderr
    release = Path(located.stdout.strip())
    original = release.read_bytes()
    try:
        release.write_bytes(original.replace(b'"summary": "', b'"summary": "Not ', 1))
        result = _run(
            venv, "dispatchdata", "export", "json", "--release", "1.0.0", "--output", "out", cwd=tmp_path
        )
        assert result.returncode == 2
        assert result.stderr.startswith(
            f"dispatchdata: error: {release}: DD320 changed since it was released"
        )
        loaded = _run(venv, "python", "-c", "import dispatchdata as d; d.load(version='1.0.0')", cwd=tmp_path)
        assert loaded.returncode == 1
        assert loaded.stderr.splitlines()[-1].startswith(
            f"dispatchdata.read.frozen.ReleaseIntegrityError: {release}: DD320 changed since it was released"
        )
    finally:
        release.write_bytes(original)


def test_installed_wheel_exports_sqlite_and_a_valid_data_package(venv: Path, tmp_path: Path) -> None:
    """The issue's check: a database naming 1.0.0 and its licence; a data package frictionless accepts;
    two exports byte-identical."""
    import sqlite3

    for out in ("out", "again"):
        result = _run(
            venv, "dispatchdata", "export", "sqlite", "--release", "1.0.0", "--output", out, cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr
    db_bytes = [(tmp_path / d / "dispatchdata.db").read_bytes() for d in ("out", "again")]
    assert db_bytes[0] == db_bytes[1]
    db = sqlite3.connect(tmp_path / "out" / "dispatchdata.db")
    assert dict(
        db.execute("SELECT key, value FROM metadata WHERE key IN ('version', 'license')").fetchall()
    ) == {
        "version": "1.0.0",
        "license": "CC-BY-4.0",
    }
    db.close()
    result = _run(venv, "dispatchdata", "export", "datapackage", "--output", "dp", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    frictionless = pytest.importorskip("frictionless")
    assert frictionless.validate(str(tmp_path / "dp" / "datapackage.json")).valid
