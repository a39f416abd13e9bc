"""`dispatchdata release`: what it refuses, what it writes, and finding releases again."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import dispatchdata
from dispatchdata.cli import main
from dispatchdata.release.release import ReleaseError, make_release, releases

from .helpers import examples
from .test_validate import MINIMAL, SOURCES

runner = CliRunner()
CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-11-28\n\n### Added\n\n- Everything.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder: the minimal dataset as dataset/, and a CHANGELOG describing 1.0.0."""
    shutil.copytree(MINIMAL, tmp_path / "dataset")
    (tmp_path / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    return tmp_path


def _release(project: Path, version: str) -> Path:
    return make_release(version, project / "dataset", project / "CHANGELOG.md", [SOURCES])


def _rerecord(release: Path) -> None:
    """Record the release file's present SHA-256 as its SHA256SUMS line: a test that lays a release
    out otherwise (or damages it) on purpose, past the check that it is as it was released."""
    sums = release.parent / "SHA256SUMS"
    digest = hashlib.sha256(release.read_bytes()).hexdigest()
    lines = [x for x in sums.read_text(encoding="utf-8").splitlines() if not x.endswith(release.name)]
    sums.write_text("".join(f"{line}\n" for line in sorted([*lines, f"{digest}  {release.name}"])))


def _break_speaker(project: Path) -> None:
    path = project / "dataset" / "statements.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("speaker: anna-orlova", "speaker: nobody"), encoding="utf-8"
    )


def _set_version(project: Path, version: str, changelog: str = "") -> None:
    path = project / "dataset" / "dataset.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(text.split("version: ")[1].split("\n")[0], version, 1), encoding="utf-8")
    if changelog:
        log = project / "CHANGELOG.md"
        log.write_text(
            log.read_text(encoding="utf-8").replace("## [Unreleased]\n", f"## [Unreleased]\n\n{changelog}"),
            encoding="utf-8",
        )


def test_release_writes_a_bundle_that_loads_again(project: Path) -> None:
    """The bundle holds metadata, collections, schema and release date, and loads by version."""
    path = _release(project, "1.0.0")
    assert path == project / "dataset" / "releases" / "1.0.0.json"
    bundle = json.loads(path.read_text(encoding="utf-8"))
    assert (bundle["format"], bundle["version"], bundle["released"]) == (1, "1.0.0", "2026-11-28")
    assert sorted(bundle["collections"]) == ["actors", "documents", "proposals", "statements"]
    assert "statements.schema.json" in bundle["schema"]["files"]
    assert releases(project / "dataset") == ("1.0.0",)
    assert dispatchdata.load(project / "dataset", version="1.0.0") == dispatchdata.load(project / "dataset")


def test_release_is_deterministic(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The same data released twice gives the same bytes."""
    other = tmp_path_factory.mktemp("other")
    shutil.copytree(project, other, dirs_exist_ok=True)
    assert _release(project, "1.0.0").read_bytes() == _release(other, "1.0.0").read_bytes()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: (p / "CHANGELOG.md").write_text("# Changelog\n", encoding="utf-8"),
         "has no section '## [1.0.0] - YYYY-MM-DD'; describe the release there first"),
        (lambda p: _set_version(p, "0.9.0"),
         "dataset.yaml declares version 0.9.0; set 'version: 1.0.0' there first"),
        (lambda p: _break_speaker(p), "the dataset is invalid (1 error(s)); run dispatchdata validate"),
    ],
)  # fmt: skip
def test_release_refusals(project: Path, setup: object, message: str) -> None:
    """No CHANGELOG section, a version other than dataset.yaml's, invalid data: refused."""
    setup(project)  # type: ignore[operator]
    with pytest.raises(ReleaseError) as caught:
        _release(project, "1.0.0")
    assert message in str(caught.value)
    assert not (project / "dataset" / "releases").exists()


def test_releases_are_immutable_and_move_forward(project: Path) -> None:
    """An existing version is refused; so is one not above the last release."""
    _release(project, "1.0.0")
    with pytest.raises(ReleaseError, match=re.escape("release 1.0.0 exists already; releases are immutable")):
        _release(project, "1.0.0")
    _set_version(project, "0.9.0", "## [0.9.0] - 2026-11-29\n\n")
    with pytest.raises(
        ReleaseError, match=re.escape("version 0.9.0 is not greater than the last release, 1.0.0")
    ):
        _release(project, "0.9.0")


def test_a_bump_smaller_than_the_changes_require_is_refused(project: Path) -> None:
    """After 1.0.0, removing a record needs 2.0.0: 1.0.1 and 1.1.0 are refused, 2.0.0 is not."""
    _release(project, "1.0.0")
    statements = project / "dataset" / "statements.yaml"
    text = statements.read_text(encoding="utf-8")
    statements.write_text(text[: text.index("- id: orlova-unfair")], encoding="utf-8")
    for version in ("1.0.1", "1.1.0"):
        _set_version(project, version, f"## [{version}] - 2026-12-01\n\n")
        with pytest.raises(
            ReleaseError,
            match=f"1.0.0 -> {version} is a (patch|minor) release, but the changes require major",
        ):
            _release(project, version)
    _set_version(project, "2.0.0", "## [2.0.0] - 2026-12-01\n\n")
    _release(project, "2.0.0")
    assert releases(project / "dataset") == ("1.0.0", "2.0.0")


def test_a_release_is_the_bundle_of_the_dataset_as_read_whole(project: Path) -> None:
    """A release is written record by record from the dataset read file by file: the bytes are
    those of the bundle made from the whole dataset in memory, with its release date."""
    from dispatchdata.read.folder import read_dataset
    from dispatchdata.release.release import bundle_of, dump_bundle

    expected = dump_bundle({**bundle_of(read_dataset(project / "dataset")), "released": "2026-11-28"})
    assert _release(project, "1.0.0").read_bytes() == expected


@pytest.mark.parametrize("layout", ["as written", "on one line"])
def test_the_last_release_is_compared_however_it_is_laid_out(project: Path, layout: str) -> None:
    """The last release is read in pieces, or whole when it is laid out otherwise: the same
    verdict either way (a removed record needs a major release)."""
    last = _release(project, "1.0.0")
    if layout == "on one line":
        last.write_text(json.dumps(json.loads(last.read_bytes())), encoding="utf-8")
        _rerecord(last)
    statements = project / "dataset" / "statements.yaml"
    text = statements.read_text(encoding="utf-8")
    statements.write_text(text[: text.index("- id: orlova-unfair")], encoding="utf-8")
    _set_version(project, "1.1.0", "## [1.1.0] - 2026-12-01\n\n")
    with pytest.raises(ReleaseError) as caught:
        _release(project, "1.1.0")
    assert str(caught.value) == (
        "1.0.0 -> 1.1.0 is a minor release, but the changes require major: "
        "statements 'orlova-unfair': record removed"
    )


def test_a_last_release_that_cannot_be_read_is_a_refusal_not_a_traceback(project: Path) -> None:
    """A damaged last release (cut short, and its line recorded so) refuses the release, naming
    it, with exit code 1."""
    last = _release(project, "1.0.0")
    last.write_bytes(last.read_bytes()[:-200])
    _rerecord(last)
    _set_version(project, "1.0.1", "## [1.0.1] - 2026-12-01\n\n")
    args = [
        "release",
        "1.0.1",
        "--dataset",
        str(project / "dataset"),
        "--changelog",
        str(project / "CHANGELOG.md"),
    ]
    result = runner.invoke(main, [*args, "--sources", str(SOURCES)])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"dispatchdata: error: the last release, 1.0.0, cannot be read ({last}): "
    )
    assert not (project / "dataset" / "releases" / "1.0.1.json").exists()


def test_a_dataset_whose_metadata_is_json_is_released(project: Path) -> None:
    """dataset.json holds the metadata as well as dataset.yaml does: its version is the one
    checked, and named when it is not the release's (this was a FileNotFoundError)."""
    import yaml

    folder = project / "dataset"
    metadata = yaml.safe_load((folder / "dataset.yaml").read_text(encoding="utf-8"))
    (folder / "dataset.yaml").unlink()
    (folder / "dataset.json").write_text(json.dumps({**metadata, "version": "0.9.0"}), encoding="utf-8")
    with pytest.raises(ReleaseError) as caught:
        _release(project, "1.0.0")
    assert str(caught.value) == 'dataset.json declares version 0.9.0; set "version": "1.0.0" there first'
    (folder / "dataset.json").write_text(json.dumps(metadata), encoding="utf-8")
    assert json.loads(_release(project, "1.0.0").read_bytes())["metadata"] == metadata


def test_cli_release_and_its_refusal(project: Path) -> None:
    """Exit 0 and the path; a refusal exits 1 with the reason on stderr."""
    args = [
        "release",
        "1.0.0",
        "--dataset",
        str(project / "dataset"),
        "--changelog",
        str(project / "CHANGELOG.md"),
    ]
    result = runner.invoke(main, [*args, "--sources", str(SOURCES)])
    assert result.exit_code == 0, result.stderr
    assert result.output == f"released 1.0.0: {project / 'dataset' / 'releases' / '1.0.0.json'}\n"
    again = runner.invoke(main, args)
    assert again.exit_code == 1
    assert (
        again.stderr
        == "dispatchdata: error: release 1.0.0 exists already; releases are immutable, choose a new version\n"
    )


def test_load_unknown_version_names_the_known_ones(project: Path) -> None:
    """Asking for a version that was never released says which exist."""
    _release(project, "1.0.0")
    with pytest.raises(dispatchdata.DataNotFoundError, match=r"no release '9.9.9' \(released: 1.0.0\)"):
        dispatchdata.load(project / "dataset", version="9.9.9")


# -- writing a bundle record by record ------------------------------------------------------------

_leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(codec="utf-8"), max_size=6)
)
_json_values = st.recursive(
    _leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=12,
)
_keys = st.sampled_from(
    ["$schema", "a", "collections", "format", "metadata", "released", "schema", "version", "é"]
)


@given(
    st.dictionaries(st.text(max_size=6), st.lists(_json_values, max_size=3), max_size=4),
    st.dictionaries(_keys.filter(lambda k: k != "collections"), _json_values, max_size=4),
)
@settings(max_examples=examples(300), deadline=None)
def test_a_bundle_is_written_exactly_as_json_dumps_writes_it(
    collections: dict[str, list[Any]], rest: dict[str, Any]
) -> None:
    """Record by record, the text is json.dumps's (indent 2, sorted keys, UTF-8) and a newline:
    whatever the records, empty collections or none, and keys sorting before "collections"."""
    from dispatchdata.release.release import CanonicalRecords, dump_bundle, write_bundle

    bundle = {"collections": collections, **rest}
    expected = json.dumps(bundle, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert dump_bundle(bundle).decode("utf-8") == expected
    held = {}
    for name, records in collections.items():
        held[name] = CanonicalRecords()
        held[name].extend(records)
    out = io.StringIO()
    write_bundle({"collections": held, **rest}, out)
    assert out.getvalue() == expected
    without = dict(rest)
    assert (
        dump_bundle(without).decode("utf-8")
        == json.dumps(without, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    )


@given(
    st.dictionaries(st.text(max_size=6), st.lists(_json_values, max_size=3), max_size=3),
    st.dictionaries(_keys.filter(lambda k: k != "collections"), _json_values, max_size=4),
    _keys.filter(lambda k: k != "collections"),
    st.one_of(st.just(()), st.tuples(_json_values)),
)
@settings(max_examples=examples(300), deadline=None)
def test_a_bundle_written_up_to_one_entry_ends_as_either_bundle(
    collections: dict[str, list[Any]], rest: dict[str, Any], key: str, entry: tuple[Any, ...]
) -> None:
    """What is written up to the place of ``key`` (whatever it holds: that entry is left out),
    and the rest for the entry given, is json.dumps's text of the bundle with ``key`` set to it,
    or without ``key`` for none: the records are written once for both (how a bundle's identity
    is decided from the bytes an export writes)."""
    from dispatchdata.release.release import write_bundle_until

    bundle = {"collections": collections, **rest}
    expected = {k: v for k, v in bundle.items() if k != key} | ({key: entry[0]} if entry else {})
    out = io.StringIO()
    ending = write_bundle_until(bundle, out, key)
    without = {k: v for k, v in bundle.items() if k != key}
    # Asked for either way, in either order: each is the whole text's end.
    assert (
        out.getvalue() + ending(())
        == json.dumps(without, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    )
    assert out.getvalue() + ending(entry) == (
        json.dumps(expected, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    )
