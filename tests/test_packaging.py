"""The artifact, not the checkout: build the wheel, install it in a fresh virtual environment,
and use it from a folder that has nothing to do with the repository."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.packaging


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheels")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(ROOT)],
        check=True,
    )
    (built,) = out.glob("dispatchdata-*.whl")
    return built


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
    """dataset/, schema/ and the source text are inside the package; the tests are not."""
    names = set(zipfile.ZipFile(wheel).namelist())
    for collection in ("dataset", "documents", "actors", "proposals", "statements"):
        assert f"dispatchdata/_data/dataset/{collection}.yaml" in names
    assert "dispatchdata/_data/schema/statements.schema.json" in names
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
    db_bytes = [(tmp_path / d / "dispatchdata-1.0.0.db").read_bytes() for d in ("out", "again")]
    assert db_bytes[0] == db_bytes[1]
    db = sqlite3.connect(tmp_path / "out" / "dispatchdata-1.0.0.db")
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
