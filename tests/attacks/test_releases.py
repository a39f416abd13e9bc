"""Attacks on releases: frozen without the anchor checks (item 4), changed after they were made
(item 5), read with a permissive schema they carry (item 6), made twice at once (item 17)."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import dispatchdata
from dispatchdata.check.schema import schema_digest
from dispatchdata.cli import main
from dispatchdata.errors import DataNotFoundError, InvalidDatasetError
from dispatchdata.read import frozen
from dispatchdata.read.frozen import ReleaseIntegrityError
from dispatchdata.release.release import ReleaseError, dump_bundle, make_release, open_bundle

from ..conftest import DATASET
from ..test_validate import MINIMAL, SOURCES, as_release, line

runner = CliRunner()
CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-11-28\n\n### Added\n\n- Everything.\n"
MINIMAL_SHA256 = "9743f7e91418144ac6c366eb6dc3b37f89ea946fd12cd0a39400f8c4c2846790"


def _project(tmp_path: Path, dataset: Path = MINIMAL) -> Path:
    """A project folder: ``dataset`` (without its releases) as dataset/, a CHANGELOG for 1.0.0."""
    shutil.copytree(dataset, tmp_path / "dataset", ignore=shutil.ignore_patterns("releases"))
    (tmp_path / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    return tmp_path


def _release_args(project: Path, version: str = "1.0.0") -> list[str]:
    return [
        "release",
        version,
        "--dataset",
        str(project / "dataset"),
        "--changelog",
        str(project / "CHANGELOG.md"),
    ]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- item 4: a release requires every anchor checked ---------------------------------------------


def test_a_release_whose_document_text_is_not_found_is_refused(tmp_path: Path) -> None:
    """The dataset's document names a SHA-256 no text has (nothing in sources/, no --sources): the
    data is valid (the anchors unchecked are only a warning to validate), but a release would
    freeze them unchecked for good: refused, exit 1, naming the document and its SHA-256."""
    project = _project(tmp_path, DATASET)
    documents = project / "dataset" / "documents.yaml"
    text = documents.read_text(encoding="utf-8")
    documents.write_text(
        text.replace("4139fafea273c92e40a7ccc0e3a4e31737f1146576ad25ada140e2994ebae09f", "0" * 64)
    )
    result = runner.invoke(main, _release_args(project))
    assert result.exit_code == 1
    assert result.stderr == (
        "dispatchdata: error: the source text of 1 document was not found, so not every anchor could "
        f"be checked: 'memri-special-dispatch-10423' (sha256 {'0' * 64}); a release requires every "
        "anchor checked: put the text in sources/ or pass its folder with --sources\n"
    )
    assert not (project / "dataset" / "releases").exists()


def test_a_release_of_a_dataset_whose_text_was_not_passed_is_refused(tmp_path: Path) -> None:
    """The minimal dataset's text is not shipped: without --sources, refused; with it, released."""
    project = _project(tmp_path)
    with pytest.raises(ReleaseError) as caught:
        make_release("1.0.0", project / "dataset", project / "CHANGELOG.md")
    assert str(caught.value) == (
        "the source text of 1 document was not found, so not every anchor could be checked: "
        f"'doc-1' (sha256 {MINIMAL_SHA256}); a release requires every anchor checked: put the text "
        "in sources/ or pass its folder with --sources"
    )
    assert make_release("1.0.0", project / "dataset", project / "CHANGELOG.md", [SOURCES]).is_file()


def test_a_falsified_quote_is_never_released(tmp_path: Path) -> None:
    """A quote with a word changed, released with nothing but the packaged text: refused (exit 1),
    the changed quote named; nothing is written."""
    project = _project(tmp_path, DATASET)
    statements = project / "dataset" / "statements.yaml"
    text = statements.read_text(encoding="utf-8")
    assert text.count("is estimated at 1,000,000") == 1
    statements.write_text(text.replace("is estimated at 1,000,000", "is estimated at 3,000,000"))
    result = runner.invoke(main, _release_args(project))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    # The message's excerpt is left to the anchor rule: the code and the place are the point here.
    assert lines[0].startswith(f"{project / 'dataset'}/statements.yaml:17:12: DD401 exact text differs ")
    assert lines[1:] == [
        "invalid: 1 error, 0 warnings in 5 files, 114 records",
        "dispatchdata: error: the dataset is invalid (1 error(s)); run dispatchdata validate",
    ]
    assert not (project / "dataset" / "releases").exists()


# -- item 5: a release's SHA-256 is recorded, and checked by every reader -----------------------


def test_a_release_records_its_sha256_in_sha256sums(tmp_path: Path) -> None:
    """SHA256SUMS gets the release's line (sha256sum's format), then the next release's, sorted,
    each line kept as it was."""
    project = _project(tmp_path)
    first = make_release("1.0.0", project / "dataset", project / "CHANGELOG.md", [SOURCES])
    sums = project / "dataset" / "releases" / "SHA256SUMS"
    assert sums.read_bytes() == f"{_sha256(first)}  1.0.0.json\n".encode()
    metadata = project / "dataset" / "dataset.yaml"
    metadata.write_text(metadata.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 1.0.1"))
    changelog = project / "CHANGELOG.md"
    changelog.write_text(CHANGELOG.replace("## [1.0.0]", "## [1.0.1] - 2026-11-29\n\n## [1.0.0]"))
    second = make_release("1.0.1", project / "dataset", changelog, [SOURCES])
    assert sums.read_bytes() == f"{_sha256(first)}  1.0.0.json\n{_sha256(second)}  1.0.1.json\n".encode()


def test_the_shipped_sha256sums_matches_every_shipped_release() -> None:
    """dataset/releases/SHA256SUMS lists every release file, sorted, with its SHA-256 (what
    `sha256sum -c SHA256SUMS` checks), and nothing else."""
    folder = DATASET / "releases"
    files = sorted(p.name for p in folder.glob("*.json"))
    expected = "".join(f"{_sha256(folder / name)}  {name}\n" for name in files)
    assert (folder / "SHA256SUMS").read_bytes() == expected.encode()
    assert "1.0.0.json" in files


@pytest.fixture
def tampered(tmp_path: Path) -> Path:
    """A project whose release 1.0.0 was edited after it was made (a summary changed)."""
    project = _project(tmp_path)
    release = make_release("1.0.0", project / "dataset", project / "CHANGELOG.md", [SOURCES])
    text = release.read_text(encoding="utf-8")
    release.write_text(text.replace('"summary": "', '"summary": "Not ', 1), encoding="utf-8")
    return release


def _changed(release: Path) -> str:
    digest = (release.parent / "SHA256SUMS").read_text(encoding="utf-8").split()[0]
    return (
        f"DD320 changed since it was released: its SHA-256 is not {digest}, which SHA256SUMS line 1 "
        "records; restore the release as it was made (from git, or by reinstalling dispatchdata)"
    )


def test_validate_reports_a_changed_release(tampered: Path) -> None:
    """validate RELEASE: DD320, exit 1 (invalid data), at the file's first line."""
    result = runner.invoke(main, ["validate", str(tampered), "--sources", str(SOURCES)])
    assert result.exit_code == 1
    assert result.output == (
        f"{tampered}:1:1: {_changed(tampered)}\ninvalid: 1 error, 0 warnings in 1 file, 7 records\n"
    )


@pytest.mark.parametrize("strict", [False, True])
def test_load_refuses_a_changed_release(tampered: Path, strict: bool) -> None:
    """load(version=...) and load(file), strict or not: ReleaseIntegrityError, an
    InvalidDatasetError whose report holds the DD320 problem."""
    dataset = tampered.parent.parent
    for path, version in ((dataset, "1.0.0"), (tampered, None)):
        with pytest.raises(ReleaseIntegrityError) as caught:
            dispatchdata.load(path, version=version, strict=strict, sources=[SOURCES])
        assert str(caught.value) == f"{tampered}: {_changed(tampered)}"
        assert isinstance(caught.value, InvalidDatasetError)
        assert [line(p) for p in caught.value.report.problems] == [f"1.0.0.json:1:1: {_changed(tampered)}"]


@pytest.mark.parametrize(
    ("args", "prefix"),
    [
        (["export", "csv", "--release", "{release}", "--output", "{out}"], ""),
        (["export", "sqlite", "--release", "{release}", "--output", "{out}"], ""),
        (["cite", "--release", "{release}"], ""),
        (["diff", "{release}", "{dataset}", "--sources", "{sources}"], "OLD: "),
        (["diff", "{dataset}", "{release}", "--sources", "{sources}"], "NEW: "),
    ],
)
def test_export_cite_and_diff_refuse_a_changed_release(
    tampered: Path, tmp_path: Path, args: list[str], prefix: str
) -> None:
    """A changed release is refused as any invalid input of these commands is: exit 2, the file
    and the reason on stderr, nothing written."""
    values = {"release": tampered, "out": tmp_path / "out", "dataset": tampered.parent.parent}
    argv = [a.format(**values, sources=SOURCES) for a in args]
    result = runner.invoke(main, argv)
    assert result.exit_code == 2
    dataset = values["dataset"]
    refused = (
        # the dataset folder, read first, is itself invalid for the release it holds: its error shown
        f"{dataset}/releases/1.0.0.json:1:1: {_changed(tampered)}\n"
        f"dispatchdata: error: OLD ({dataset}) is invalid: 1 error(s); run dispatchdata validate {dataset}\n"
        if prefix == "NEW: "
        else f"dispatchdata: error: {prefix}{tampered}: {_changed(tampered)}\n"
    )
    assert (result.stdout, result.stderr) == ("", refused)
    assert not (tmp_path / "out").exists()


def test_release_refuses_to_build_on_a_changed_release(tampered: Path) -> None:
    """The next release reads the last one (to diff against it): refused, exit 1."""
    project = tampered.parent.parent.parent
    metadata = project / "dataset" / "dataset.yaml"
    metadata.write_text(metadata.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 1.0.1"))
    (project / "CHANGELOG.md").write_text(
        CHANGELOG.replace("## [1.0.0]", "## [1.0.1] - 2026-11-29\n\n## [1.0.0]")
    )
    result = runner.invoke(main, [*_release_args(project, "1.0.1"), "--sources", str(SOURCES)])
    assert result.exit_code == 1
    # The dataset folder holding the changed release is itself invalid, so it is refused first.
    assert result.stderr == (
        f"{tampered}:1:1: {_changed(tampered)}\n"
        "invalid: 1 error, 0 warnings in 5 files, 7 records\n"
        "dispatchdata: error: the dataset is invalid (1 error(s)); run dispatchdata validate\n"
    )
    assert not (tampered.parent / "1.0.1.json").exists()


def test_a_changed_release_of_the_installed_package_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A release swapped in an installed package (its SHA256SUMS shipped beside it): `--release
    1.0.0` and load(version="1.0.0") refuse it."""
    installed = tmp_path / "installed"
    shutil.copytree(DATASET, installed)
    release = installed / "releases" / "1.0.0.json"
    release.write_bytes(release.read_bytes().replace(b'"summary": "', b'"summary": "Not ', 1))
    monkeypatch.setattr("dispatchdata.release.release.dataset_dir", lambda: installed)
    monkeypatch.setattr("dispatchdata.loader.dataset_dir", lambda: installed)
    result = runner.invoke(main, ["export", "json", "--release", "1.0.0", "--output", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr == f"dispatchdata: error: {release}: {_changed(release)}\n"
    with pytest.raises(ReleaseIntegrityError):
        dispatchdata.load(version="1.0.0")


def test_an_unlisted_release_is_refused(tmp_path: Path) -> None:
    """A release file its SHA256SUMS does not list cannot be checked: DD321, not read."""
    project = _project(tmp_path)
    release = make_release("1.0.0", project / "dataset", project / "CHANGELOG.md", [SOURCES])
    shutil.copy(release, release.parent / "1.0.1.json")
    with pytest.raises(ReleaseIntegrityError) as caught:
        dispatchdata.load(project / "dataset", version="1.0.1")
    assert str(caught.value) == (
        f"{release.parent / '1.0.1.json'}: DD321 not listed in SHA256SUMS: a release's SHA-256 is "
        "recorded there when it is made, and a release that cannot be checked is not read (once you "
        "know the file is as released, add its line: sha256sum 1.0.1.json >> SHA256SUMS)"
    )


# -- item 6: only a verified release is read with the schema it carries ----------------------------

GARBAGE: dict[str, Any] = {
    "documents": [{"id": 5}],
    "actors": [{"name": ["not", "a", "name"]}],
    "proposals": [17],
    "statements": [{"id": "s", "stances": "all of them"}],
}


def _permissive(tmp_path: Path, schema: Any) -> Path:
    """The minimal bundle, its collection schemas replaced by ``schema`` (its digest made to
    match), holding garbage records: a bundle "valid" by the schema it carries."""
    bundle = open_bundle(MINIMAL, [SOURCES])
    for name in ("documents", "actors", "proposals", "statements"):
        bundle["schema"]["files"][f"{name}.schema.json"] = schema
    bundle["schema"]["sha256"] = schema_digest(bundle["schema"]["files"])
    bundle["collections"] = GARBAGE
    path = tmp_path / "bundle.json"
    path.write_bytes(dump_bundle(bundle))
    return path


@pytest.mark.parametrize("schema", [{}, True], ids=["empty", "true"])
def test_a_permissive_schema_a_bundle_carries_lets_nothing_through(tmp_path: Path, schema: Any) -> None:
    """validate reports what the package's schema finds; export (every table format) fails
    cleanly (exit 2, no TypeError); load() raises InvalidDatasetError (no KeyError)."""
    path = _permissive(tmp_path, schema)
    report = dispatchdata.validate(path)
    codes = sorted({p.code for p in report.errors})
    # The schema `true` is not even a schema file the frame allows (DD203 there, DD316).
    assert codes == (["DD201", "DD203"] if schema == {} else ["DD201", "DD203", "DD316"])
    assert [p.code for p in report.warnings] == (["DD323"] if schema == {} else [])
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    for fmt in ("csv", "sqlite", "datapackage"):
        result = runner.invoke(main, ["export", fmt, "--release", str(path), "--output", str(tmp_path / fmt)])
        assert result.exit_code == 2, result.output
        assert not isinstance(result.exception, TypeError)
        assert result.stderr.startswith(
            f"dispatchdata: error: invalid dataset: {len(report.errors)} error(s)\n"
        )
        assert not (tmp_path / fmt).exists()
    with pytest.raises(InvalidDatasetError) as caught:
        dispatchdata.load(path)
    assert caught.value.report.errors == report.errors


def test_a_verified_release_is_read_with_the_schema_it_carries(tmp_path: Path) -> None:
    """A release whose schema allowed what the package's no longer does (a property since
    removed, say) stays valid and loadable as a release; a copy elsewhere is checked against the
    package's schema."""
    bundle = open_bundle(MINIMAL, [SOURCES])
    statement = bundle["schema"]["files"]["statements.schema.json"]["$defs"]["statement"]
    statement["properties"]["mood"] = {"type": "string"}
    bundle["schema"]["sha256"] = schema_digest(bundle["schema"]["files"])
    bundle["collections"]["statements"][0]["mood"] = "calm"
    data = dump_bundle(bundle)
    release = as_release(tmp_path, data, shipped=True)
    assert [line(p) for p in dispatchdata.validate(release, sources=[SOURCES]).problems] == []
    assert dispatchdata.load(release, strict=True, sources=[SOURCES]).statements[0].id
    copy = tmp_path / "copy.json"
    copy.write_bytes(data)
    assert [p.code for p in dispatchdata.validate(copy, sources=[SOURCES]).problems] == ["DD202", "DD323"]


# -- item 17: two releases at once ------------------------------------------------------------


def test_a_release_made_by_another_run_meanwhile_is_never_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another run writes release 1.0.0 between this run's checks and its final write: this run
    is refused (exit 1) and the other run's file stays as it was; no temporary file is left."""
    project = _project(tmp_path)
    final = project / "dataset" / "releases" / "1.0.0.json"
    link = os.link

    def racing(source: Path, target: Path) -> None:
        Path(target).write_bytes(b"the other run's release\n")
        link(source, target)

    monkeypatch.setattr(os, "link", racing)
    result = runner.invoke(main, [*_release_args(project), "--sources", str(SOURCES)])
    assert result.exit_code == 1
    assert result.stderr == (
        "dispatchdata: error: release 1.0.0 was made by another run while this one ran; "
        "releases are immutable: this run wrote nothing\n"
    )
    assert final.read_bytes() == b"the other run's release\n"
    assert sorted(p.name for p in final.parent.iterdir()) == ["1.0.0.json"]


def test_a_line_recorded_meanwhile_by_another_release_is_kept(tmp_path: Path) -> None:
    """While another release holds the lock and adds its line, this one waits, then adds its own
    line to the file as the other left it: no line lost."""
    project = _project(tmp_path)
    folder = project / "dataset" / "releases"
    folder.mkdir()
    lock = folder / ".SHA256SUMS.lock"
    lock.write_text("another release\n")
    made: list[Path] = []
    thread = threading.Thread(
        target=lambda: made.append(
            make_release("1.0.0", project / "dataset", project / "CHANGELOG.md", [SOURCES])
        )
    )
    thread.start()
    deadline = time.monotonic() + 60
    while not list(folder.glob(".1.0.0.json.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.01)  # this run has written its release and waits for the lock
    other = f"{'1' * 64}  0.9.0.json\n"
    (folder / "SHA256SUMS").write_text(other)
    lock.unlink()
    thread.join()
    assert made == [folder / "1.0.0.json"]
    assert (folder / "SHA256SUMS").read_text() == f"{other}{_sha256(made[0])}  1.0.0.json\n"


def test_a_lock_held_too_long_refuses_the_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A lock left by a killed release is named, with what to do; nothing is written."""
    project = _project(tmp_path)
    folder = project / "dataset" / "releases"
    folder.mkdir()
    (folder / ".SHA256SUMS.lock").write_text("a killed release\n")
    monkeypatch.setattr(frozen, "LOCK_WAIT", 0.1)
    result = runner.invoke(main, [*_release_args(project), "--sources", str(SOURCES)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"dispatchdata: error: {folder / '.SHA256SUMS.lock'} exists: another release is recording its "
        "line, or one was killed; if no dispatchdata release is running, delete it and release again\n"
    )
    assert sorted(p.name for p in folder.iterdir()) == [".SHA256SUMS.lock"]


def test_two_processes_releasing_the_same_version_at_once(tmp_path: Path) -> None:
    """Two `release 1.0.0` processes at once: one releases, the other is refused (exit 1, by
    whichever check it reaches first: the release found made, made meanwhile, or, validating the
    dataset while the other has linked its file but not yet listed it, a release file without
    its SHA256SUMS line, DD321); one file, one line."""
    project = _project(tmp_path)
    command = [sys.executable, "-m", "dispatchdata", *_release_args(project), "--sources", str(SOURCES)]
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    outputs = [run.communicate() for run in runs]  # waits for each, closing its pipes
    outcomes = sorted((run.returncode, out, err) for run, (out, err) in zip(runs, outputs, strict=True))
    release = project / "dataset" / "releases" / "1.0.0.json"
    assert outcomes[0] == (0, f"released 1.0.0: {release}\n", "")
    assert outcomes[1][:2] == (1, "")
    refused = outcomes[1][2]
    half_made = refused.startswith(f"{release}:1:1: DD321 ") and refused.endswith(
        "dispatchdata: error: the dataset is invalid (1 error(s)); run dispatchdata validate\n"
    )
    assert half_made or refused in (
        "dispatchdata: error: release 1.0.0 exists already; releases are immutable, choose a new version\n",
        "dispatchdata: error: release 1.0.0 was made by another run while this one ran; "
        "releases are immutable: this run wrote nothing\n",
    )
    assert (release.parent / "SHA256SUMS").read_text() == f"{_sha256(release)}  1.0.0.json\n"
    assert json.loads(release.read_bytes())["version"] == "1.0.0"


def test_a_changed_release_is_refused_however_its_path_is_given(
    tampered: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given as `1.0.0.json` from inside its releases folder, it is still a release file, checked."""
    monkeypatch.chdir(tampered.parent)
    result = runner.invoke(main, ["validate", "1.0.0.json", "--sources", str(SOURCES)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"1.0.0.json:1:1: {_changed(tampered)}"


def test_an_empty_sha256sums_lists_nothing(tampered: Path) -> None:
    """An empty SHA256SUMS is one that lists no release (DD321), not a malformed one."""
    (tampered.parent / "SHA256SUMS").write_bytes(b"")
    with pytest.raises(ReleaseIntegrityError, match=r"DD321 not listed in SHA256SUMS: "):
        dispatchdata.load(tampered)


def test_without_hard_links_a_release_still_never_replaces_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file system without hard links (FAT, some network shares), the release file is
    reserved with O_EXCL instead: released when it is new, refused when another run made it."""
    import errno

    def no_links(source: Path, target: Path) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    project = _project(tmp_path)
    release = make_release("1.0.0", project / "dataset", project / "CHANGELOG.md", [SOURCES])
    assert json.loads(release.read_bytes())["version"] == "1.0.0"
    assert sorted(p.name for p in release.parent.iterdir()) == ["1.0.0.json", "SHA256SUMS"]
    release.unlink()
    (release.parent / "SHA256SUMS").unlink()
    real_open = os.open

    def racing(path: Any, flags: int, mode: int = 0o777) -> int:
        if Path(path) == release:  # the other run's file appears just before this one's
            release.write_bytes(b"the other run's release\n")
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", racing)
    with pytest.raises(ReleaseError, match=r"^release 1\.0\.0 was made by another run while this one ran"):
        make_release("1.0.0", project / "dataset", project / "CHANGELOG.md", [SOURCES])
    assert release.read_bytes() == b"the other run's release\n"


def test_validating_a_dataset_folder_checks_its_releases(dataset_copy: Path) -> None:
    """validate DATASET (not only validate RELEASE) refuses an edited release in its releases/
    folder (DD320) and one SHA256SUMS does not list (DD321): CI's validate of dataset/ sees it."""
    releases = dataset_copy / "releases"
    shutil.copytree(DATASET / "releases", releases)
    assert runner.invoke(main, ["validate", str(dataset_copy)]).exit_code == 0
    release = releases / "1.0.0.json"
    release.write_bytes(release.read_bytes().replace(b"Kamnev", b"Kamenev", 1))
    (releases / "2.0.0.json").write_text("{}\n", encoding="utf-8")
    recorded = (releases / "SHA256SUMS").read_text(encoding="utf-8").split()[0]
    result = runner.invoke(main, ["validate", str(dataset_copy)])
    assert result.exit_code == 1
    assert result.output == (
        f"{dataset_copy}/releases/1.0.0.json:1:1: DD320 changed since it was released: its SHA-256 is "
        f"not {recorded}, which SHA256SUMS line 1 records; restore the release as it was made (from "
        "git, or by reinstalling dispatchdata)\n"
        f"{dataset_copy}/releases/2.0.0.json:1:1: DD321 not listed in SHA256SUMS: a release's SHA-256 "
        "is recorded there when it is made, and a release that cannot be checked is not read (once you "
        "know the file is as released, add its line: sha256sum 2.0.0.json >> SHA256SUMS)\n"
        "invalid: 2 errors, 0 warnings in 5 files, 114 records\n"
    )


def test_a_release_that_vouches_for_itself_is_checked_against_the_package_schema(tmp_path: Path) -> None:
    """A releases/1.0.0.json sent with a SHA256SUMS of its own proves only that whoever made it
    wrote both: unless the package ships that SHA-256, the package's schema decides, so a
    permissive schema it carries lets nothing through (exports and load() refuse it cleanly)."""
    bundle = open_bundle(MINIMAL, [SOURCES])
    for name, schema in bundle["schema"]["files"].items():
        bundle["schema"]["files"][name] = {k: v for k, v in schema.items() if k in ("$schema", "$id")}
    bundle["schema"]["sha256"] = schema_digest(bundle["schema"]["files"])
    anchor = bundle["collections"]["statements"][0]["anchors"][0]
    anchor["start"] = str(anchor["start"])
    release = as_release(tmp_path, dump_bundle(bundle))
    report = dispatchdata.validate(release, sources=[SOURCES])
    assert [(p.code, p.pointer) for p in report.problems] == [
        ("DD203", "/collections/statements/0/anchors/0/start"),
        ("DD323", "/schema"),
    ]
    result = runner.invoke(
        main, ["export", "csv", "--release", str(release), "--output", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("dispatchdata: error: invalid dataset: 1 error(s)\n")
    with pytest.raises(InvalidDatasetError):
        dispatchdata.load(release)


@pytest.mark.parametrize("linked", ["SHA256SUMS", "1.0.0.json"])
def test_a_linked_release_or_sha256sums_is_never_followed(tmp_path: Path, linked: str) -> None:
    """A SHA256SUMS (or a release) that is a symbolic link, to a secret say, is refused (DD116)
    without being read: nothing of its target is shown, by any command."""
    secret = tmp_path / "secret.env"
    secret.write_text("SECRET_API_TOKEN=sk_live_TOPSECRET\n", encoding="utf-8")
    release = as_release(tmp_path, (DATASET / "releases" / "1.0.0.json").read_bytes())
    (release.parent / linked).unlink()
    (release.parent / linked).symlink_to(secret)
    for argv in (["validate", str(release)], ["cite", "--release", str(release)]):
        result = runner.invoke(main, argv)
        assert result.exit_code in (1, 2)
        assert "TOPSECRET" not in result.output + result.stderr
        assert "DD116 a symbolic link: a release and its SHA256SUMS are read only as files of their own" in (
            result.output + result.stderr
        )


@pytest.mark.parametrize("version", ["../../elsewhere/releases/1.0.0", "1.0", "latest"])
def test_only_a_version_names_a_release(version: str) -> None:
    """load(version=...) and --release take a version, not a path that reaches another file."""
    shipped = re.escape(", ".join(dispatchdata.releases()))
    with pytest.raises(DataNotFoundError, match=rf"^no release '.*' \(released: {shipped}\)$"):
        dispatchdata.load(version=version)


# -- releases/ replaced: a pipe, a socket, a link, a file gone, a folder that cannot be listed ----

VALID_TAIL = "in 5 files, 114 records\n"
NOT_REGULAR = "not a regular file (a pipe, a socket or a device)"


def _shipped_copy(tmp_path: Path) -> Path:
    """``cp -r dataset D``: the shipped dataset, its release and SHA256SUMS, to be tampered with."""
    shutil.copytree(DATASET, tmp_path / "D")
    return tmp_path / "D"


def _run(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own, in ``tmp_path``: one that waits on a pipe is ended."""
    command = [sys.executable, "-m", "dispatchdata", *argv]
    return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)


def _replace(path: Path, kind: str) -> None:
    """Put a pipe, a Unix socket or a link to a file in the same folder where ``path`` was."""
    if kind == "link":
        path.rename(path.with_name("copy.json"))
        path.symlink_to("copy.json")
        return
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
        return
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))


def test_a_sha256sums_that_is_a_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    """A FIFO as releases/SHA256SUMS: every reader says DD322 at once, where it waited forever."""
    sums = _shipped_copy(tmp_path) / "releases" / "SHA256SUMS"
    sums.unlink()
    os.mkfifo(sums)
    said = f"D/releases/SHA256SUMS:1:1: DD322 cannot read: {NOT_REGULAR}"
    result = _run(tmp_path, "validate", "D")
    assert (result.returncode, result.stdout) == (1, f"{said}\ninvalid: 1 error, 0 warnings {VALID_TAIL}")
    result = _run(tmp_path, "export", "json", "--release", "D/releases/1.0.0.json", "--output", "O")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"dispatchdata: error: {said.replace(':1:1', '')}\n"
    with pytest.raises(ReleaseIntegrityError, match=r"SHA256SUMS: DD322 cannot read: not a regular file"):
        dispatchdata.load(tmp_path / "D" / "releases" / "1.0.0.json")


@pytest.mark.parametrize(
    ("kind", "code", "said"),
    [
        ("fifo", 2, f": DD100 cannot read file: {NOT_REGULAR}"),
        ("socket", 2, f": DD100 cannot read file: {NOT_REGULAR}"),
        (
            "link",
            1,
            ":1:1: DD116 a symbolic link: a release and its SHA256SUMS are read only as files of "
            "their own, never followed",
        ),
    ],
)
def test_a_release_replaced_by_what_is_not_a_file_is_a_problem(
    tmp_path: Path, kind: str, code: int, said: str
) -> None:
    """A release replaced by a pipe, a socket or a link (to a file in the same folder) is not
    passed over as valid: "left to the layout", which never said it."""
    _replace(_shipped_copy(tmp_path) / "releases" / "1.0.0.json", kind)
    result = _run(tmp_path, "validate", "D")
    assert (result.returncode, result.stderr) == (code, "")
    assert result.stdout == f"D/releases/1.0.0.json{said}\ninvalid: 1 error, 0 warnings {VALID_TAIL}"


def test_a_release_listed_in_sha256sums_and_gone_is_a_problem(tmp_path: Path) -> None:
    """A release deleted (its line kept) is DD320: not as it was released."""
    (_shipped_copy(tmp_path) / "releases" / "1.0.0.json").unlink()
    result = _run(tmp_path, "validate", "D")
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout == (
        "D/releases/1.0.0.json: DD320 listed in SHA256SUMS (line 1) but gone: a release is never "
        "removed; restore it as it was made (from git, or by reinstalling dispatchdata)\n"
        f"invalid: 1 error, 0 warnings {VALID_TAIL}"
    )


def test_a_releases_folder_that_cannot_be_listed_is_dd100(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """releases/ unreadable (chmod 000, for a user not root): DD100 naming it, exit 2, as any
    folder that cannot be read, where validate, diff and cite --release gave a traceback."""
    dataset = _shipped_copy(tmp_path)
    scandir = os.scandir

    def refused(path: Any = ".") -> Any:
        if os.fspath(path).endswith("releases"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refused)
    said = f"{dataset}/releases: DD100 cannot read folder: Permission denied\n"
    result = runner.invoke(main, ["validate", str(dataset)])
    assert (result.exit_code, result.stdout) == (2, f"{said}invalid: 1 error, 0 warnings {VALID_TAIL}")
    result = runner.invoke(main, ["diff", "1.0.0", str(dataset)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"{said}dispatchdata: error: NEW ({dataset}) is invalid: 1 error(s); "
        f"run dispatchdata validate {dataset}\n"
    )
    result = runner.invoke(main, ["cite", "--release", str(dataset)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"dispatchdata: error: invalid dataset: 1 error(s)\n{said}",
    )


@pytest.mark.parametrize("data_changed", [False, True], ids=["date-forged", "data-and-date-forged"])
def test_a_dataset_folder_cannot_redefine_a_published_release(tmp_path: Path, data_changed: bool) -> None:
    """A copy of the dataset whose releases/ holds its own 1.1.0.json (another date; with the
    data changed too) and a SHA256SUMS line made for it: the package's published record of that
    release wins. The data unchanged is that release, with its real date; changed, it is
    labelled unreleased, with no date, never cited as the release."""
    folder = tmp_path / "dataset"
    shutil.copytree(DATASET, folder)
    version = dispatchdata.__version__
    if data_changed:
        statements = folder / "statements.yaml"
        text = statements.read_text(encoding="utf-8")
        statements.write_text(text.replace("  summary: ", "  summary: Forged. ", 1), encoding="utf-8")
    forged = dump_bundle(open_bundle(folder) | {"released": "2019-05-01"})
    (folder / "releases" / f"{version}.json").write_bytes(forged)
    sums = folder / "releases" / "SHA256SUMS"
    lines = [
        f"{hashlib.sha256(forged).hexdigest()}  {version}.json"
        if entry.endswith(f"  {version}.json")
        else entry
        for entry in sums.read_text(encoding="utf-8").splitlines()
    ]
    sums.write_text("".join(entry + "\n" for entry in lines), encoding="utf-8")
    published = json.loads((DATASET / "releases" / f"{version}.json").read_bytes())["released"]
    label = f"{version}+unreleased.{hashlib.sha256(dump_bundle(open_bundle(folder))).hexdigest()[:8]}"
    result = runner.invoke(main, ["cite", "--release", str(folder)])
    assert result.exit_code == 0, result.output
    year = "" if data_changed else f" ({published[:4]})"
    assert result.stdout.startswith(f"dispatchdata contributors{year}. dispatchdata: ")
    assert f"(Version {label if data_changed else version}) [Data set]" in result.stdout
    assert dispatchdata.load(folder).info.released == (None if data_changed else published)  # type: ignore[attr-defined]
