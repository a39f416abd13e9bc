"""Messages that sent the user the wrong way: each now says what is wrong, where, first."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dispatchdata import InvalidDatasetError, load
from dispatchdata.check import workers
from dispatchdata.cli import main
from dispatchdata.read.parse import parse_bytes

from ..golden.regenerate import MINIMAL
from ..test_validate import SOURCES

runner = CliRunner()
CHANGELOG = "# Changelog\n\n## [1.0.0] - 2026-11-28\n\n### Added\n\n- Everything.\n"
LONG = "Q" * 300
#: How a 300-character name is quoted: excerpted to 80 characters.
LONG_QUOTED = "Q" * 80 + "…"


def _problems(raw: bytes, name: str, *, pure: bool = False) -> list[str]:
    parsed = parse_bytes(raw, name, pure=pure)
    return [f"{p.file}:{p.line}:{p.column}: {p.code} {p.message}" for p in parsed.problems]


@pytest.mark.parametrize("pure", [False, True], ids=["libyaml", "pure"])
def test_a_key_too_long_for_yaml_says_so(pure: bool) -> None:
    """A 100,000-character key: was "could not find expected ':'" at the key's end. YAML 1.2 (and
    PyYAML, libyaml) allow an implicit key at most 1024 characters before its ':'; said at the
    key's start."""
    raw = b"- id: a\n  " + b"k" * 100_000 + b": 1\n"
    assert _problems(raw, "actors.yaml", pure=pure) == [
        "actors.yaml:2:3: DD102 YAML syntax error: a key of 100000 characters is too long: YAML allows "
        "at most 1024 before its ':' (and no field's name is near that)"
    ]


KEY = b"k" * 100_000


@pytest.mark.parametrize("pure", [False, True], ids=["libyaml", "pure"])
@pytest.mark.parametrize(
    ("raw", "place", "length"),
    [
        (b"- " + KEY + b": 1\n", "1:3", 100_000),
        (b"- id: a\n- " + KEY + b": 1\n", "2:3", 100_000),
        (b"- - " + KEY + b": 1\n", "1:5", 100_000),
        (b"- id: a\n  list:\n    - " + KEY + b"  : 1\n", "3:7", 100_002),
        (b'- "' + KEY + b'": 1\n', "1:3", 100_002),
        (KEY + b": 1\n", "1:1", 100_000),
    ],
    ids=["list-item", "second-item", "nested-list", "spaces-before-colon", "quoted", "file"],
)
def test_a_key_too_long_opening_a_list_item_says_so(pure: bool, raw: bytes, place: str, length: int) -> None:
    """A key too long where it need not be one (opening a list item, or the file): the readers
    drop it unsaid, and said "mapping values are not allowed here" (pure) or "... in this
    context" (libyaml) at its ':'. Now as a key too long anywhere: that, at its start, by both."""
    assert _problems(raw, "actors.yaml", pure=pure) == [
        f"actors.yaml:{place}: DD102 YAML syntax error: a key of {length} characters is too long: YAML "
        "allows at most 1024 before its ':' (and no field's name is near that)"
    ]


@pytest.mark.parametrize("pure", [False, True], ids=["libyaml", "pure"])
@pytest.mark.parametrize(
    ("raw", "place", "length"),
    [
        (b"- {" + KEY + b": 1}\n", "1:4", 100_000),
        (b"{" + KEY + b": 1}\n", "1:2", 100_000),
        (b"- {a: 1,  " + KEY + b": 2}\n", "1:11", 100_000),
        (b'- {"' + KEY + b'": 1}\n', "1:4", 100_002),
        (b'- {"a,' + KEY + b'": 1}\n', "1:4", 100_004),
        (b"- [" + KEY + b": 1]\n", "1:4", 100_000),
    ],
    ids=["flow-mapping", "file", "after-a-pair", "quoted", "quoted-with-comma", "flow-sequence"],
)
def test_a_key_too_long_in_a_flow_collection_says_so(pure: bool, raw: bytes, place: str, length: int) -> None:
    """In a flow collection, a key too long got "did not find expected ',' or '}'" (libyaml) or
    "expected ',' or '}', but got ':'" (pure) at its ':', 100,000 columns on. Now as anywhere
    else: the key is too long, at its start, by both readers."""
    assert _problems(raw, "actors.yaml", pure=pure) == [
        f"actors.yaml:{place}: DD102 YAML syntax error: a key of {length} characters is too long: YAML "
        "allows at most 1024 before its ':' (and no field's name is near that)"
    ]


@pytest.mark.parametrize("raw", [b"- {a: 1, b: " + KEY + b": 2}\n", b"- {a: 1 b: 2}\n"])
def test_a_flow_error_after_a_value_is_not_a_long_key(raw: bytes) -> None:
    """A ':' after a value in a flow mapping is the reader's own error, not a long key."""
    (problem,) = _problems(raw, "a.yaml")
    assert "did not find expected ',' or '}'" in problem


@pytest.mark.parametrize("raw", [b"a: b: 1\n", b"a: " + KEY + b": 1\n", b"- &a " + KEY + b": 1\n"])
def test_a_mapping_value_not_allowed_after_a_value_is_not_a_long_key(raw: bytes) -> None:
    """A ':' after a value on its line (or a key behind an anchor) is not taken for a long key:
    the reader's own words stay."""
    (problem,) = _problems(raw, "a.yaml")
    assert "mapping values are not allowed" in problem


def test_a_key_too_long_in_a_statements_file_says_so(tmp_path: Path) -> None:
    """`validate` on a statements file whose new item opens with a 100,000-character key: the
    one error says the key is too long, where it starts."""
    shutil.copytree(MINIMAL, tmp_path / "dataset")
    statements = tmp_path / "dataset" / "statements.yaml"
    statements.write_bytes(statements.read_bytes() + b"- " + KEY + b": 1\n")
    result = runner.invoke(main, ["validate", str(tmp_path / "dataset"), "--sources", str(SOURCES)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{statements}:30:3: DD102 YAML syntax error: a key of 100000 characters is too long: YAML "
        "allows at most 1024 before its ':' (and no field's name is near that)\n"
        "invalid: 1 error, 0 warnings in 5 files, 5 records\n"
    )


def test_a_key_of_1024_characters_is_read() -> None:
    """The limit itself is allowed: 1024 characters before the ':'."""
    parsed = parse_bytes(b"k" * 1024 + b": 1\n", "a.yaml")
    assert (parsed.data, parsed.problems) == ({"k" * 1024: 1}, [])


def test_a_merge_key_is_said_to_be_unsupported() -> None:
    """`<<` was told only to be quoted: merge keys are not supported, and YAML 1.2 has none."""
    assert _problems(b"- id: a\n  <<: {name: b}\n", "actors.yaml") == [
        "actors.yaml:2:3: DD114 '<<' is a string here, but a merge key to YAML 1.1 readers (PyYAML); "
        "merge keys are not supported (YAML 1.2 has none): write the keys out, or quote it if it is text"
    ]


def _export(output: Path) -> tuple[int, str]:
    result = runner.invoke(main, ["export", "csv", "--release", str(MINIMAL), "--output", str(output)])
    return result.exit_code, result.stderr


def test_a_symbolic_link_as_output_is_said_to_be_one(tmp_path: Path) -> None:
    """A link to a folder: was "is not a folder"; it is a link, and links are refused."""
    (tmp_path / "real").mkdir()
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "real")
    assert _export(link) == (
        2,
        f"dispatchdata: error: {link} is a symbolic link, refused; give --output a folder itself "
        "(new, empty, or a previous export)\n",
    )
    assert list((tmp_path / "real").iterdir()) == []


def test_an_output_under_a_file_names_the_file(tmp_path: Path) -> None:
    """`--output notes.txt/x`: was "cannot write …: File exists"; the parent is a file."""
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    output = tmp_path / "notes.txt" / "x" / "y"
    assert _export(output) == (
        2,
        f"dispatchdata: error: {output} cannot be made: {tmp_path / 'notes.txt'} is a file, not a folder\n",
    )
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine\n"


def _project(tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(MINIMAL, tmp_path / "dataset")
    (tmp_path / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    return tmp_path / "dataset", tmp_path / "CHANGELOG.md"


def _release(version: str, dataset: Path, changelog: Path) -> tuple[int, str]:
    args = ["release", version, "--dataset", str(dataset), "--changelog", str(changelog)]
    result = runner.invoke(main, [*args, "--sources", str(SOURCES)])
    return result.exit_code, result.stderr


def test_a_missing_changelog_is_said_not_to_exist(tmp_path: Path) -> None:
    """Was "nope.md has no section …"; the file does not exist (exit 2, as any missing path)."""
    dataset, _ = _project(tmp_path)
    missing = tmp_path / "nope.md"
    assert _release("1.0.0", dataset, missing) == (
        2,
        f"dispatchdata: error: the changelog {missing} does not exist; give --changelog the file that "
        "describes the release\n",
    )
    assert not (dataset / "releases").exists()


def test_a_version_going_backwards_is_told_so_first(tmp_path: Path) -> None:
    """After 1.0.0, `release 0.9.0` was first told to set `version: 0.9.0` in dataset.yaml (and
    then refused for going backwards): now told at once that it is not above the last release."""
    dataset, changelog = _project(tmp_path)
    assert _release("1.0.0", dataset, changelog) == (0, "")
    assert _release("0.9.0", dataset, changelog) == (
        1,
        "dispatchdata: error: version 0.9.0 is not greater than the last release, 1.0.0\n",
    )


def test_more_jobs_than_processors_are_capped_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    """`-j 200` on 2 processors started 200 processes: capped at the processors, and said."""
    monkeypatch.setattr(workers, "default_jobs", lambda: 2)
    asked: list[int | None] = []
    from dispatchdata.check import validation

    original = validation.validate

    def validate(*args: object, jobs: int | None = None, **kwargs: object) -> object:
        asked.append(jobs)
        return original(*args, jobs=jobs, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validation, "validate", validate)
    result = runner.invoke(main, ["validate", "-q", "-j", "200", "--sources", str(SOURCES), str(MINIMAL)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        "dispatchdata: note: -j 200 is more than the 2 processors this run may use; using 2\n"
    )
    assert asked == [2]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", f"/tmp/{LONG}"], f"PATH '/tmp/{LONG_QUOTED[:-6]}…'"),
        (["diff", f"/tmp/{LONG}", "1.0.0"], f"OLD '/tmp/{LONG_QUOTED[:-6]}…'"),
        (["diff", "1.0.0", LONG], f"NEW '{LONG_QUOTED}'"),
        (["cite", "--release", LONG], f"--release '{LONG_QUOTED}'"),
        (["export", "csv", "--release", LONG, "--output", "out"], f"--release '{LONG_QUOTED}'"),
    ],
    ids=["validate", "diff OLD", "diff NEW", "cite", "export"],
)
def test_a_name_too_long_is_blamed_on_its_argument(args: list[str], message: str) -> None:
    """A 300-character name: a traceback (OSError: File name too long) from validate, diff and
    cite, and export blamed its --output. Now exit 2, naming the argument, its value excerpted."""
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"dispatchdata: error: {message}: File name too long\n"


@pytest.mark.parametrize("name", ["b.txt", "passwd"])
def test_a_file_not_named_json_is_named_as_given(tmp_path: Path, name: str) -> None:
    """`validate /etc/passwd` said "/etc/passwd.json:1:1: DD102 …", a file that does not exist (the
    name a bundle is parsed under, to be read as JSON); so did --format json, cite, export, load.
    cite and export name it as validate does (issue #22: they said the bare name)."""
    bundle = tmp_path / name
    bundle.write_text("x", encoding="utf-8")
    problem = "1:1: DD102 JSON syntax error: Expecting value"
    result = runner.invoke(main, ["validate", str(bundle)])
    assert (result.exit_code, result.stdout.splitlines()[0]) == (1, f"{bundle}:{problem}")
    result = runner.invoke(main, ["validate", str(bundle), "--format", "json"])
    assert [p["file"] for p in json.loads(result.stdout)["problems"]] == [name]
    for args in (["cite"], ["export", "csv", "--output", str(tmp_path / "out")]):
        result = runner.invoke(main, [*args, "--release", str(bundle)])
        assert (result.exit_code, result.stderr) == (
            2,
            f"dispatchdata: error: invalid dataset: 1 error(s)\n{bundle}:{problem}\n",
        )
    with pytest.raises(InvalidDatasetError) as raised:
        load(bundle)
    assert [p.file for p in raised.value.report.problems] == [name]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["cite", "--release", "1.0.0", "--record", "x" * 10_000],
            "dispatchdata: error: no record '" + "x" * 80 + "…' in release 1.0.0\n",
        ),
        (
            ["validate", "--select", "JUNK" * 1000],
            "Error: unknown problem code(s): " + "JUNK" * 20 + "… (see 'dispatchdata rules')\n",
        ),
        (
            ["validate", "--select", "a\x1b[31mx\u202e\nDD1"],
            "Error: unknown problem code(s): A\\x1b[31MX\\u202e\\nDD1 (see 'dispatchdata rules')\n",
        ),
    ],
    ids=["long-record", "long-code", "control-characters"],
)
def test_a_value_given_on_the_command_line_is_excerpted_and_escaped(args: list[str], said: str) -> None:
    """A 10,000-character --record was quoted whole, as was a 4,000-character --select; an escape,
    a bidi override and a line break in --select were written raw. Quoted as the data's values are."""
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert result.stderr.splitlines(keepends=True)[-1] == said


@pytest.mark.parametrize("where", [".", "sub", "sub/deeper"])
def test_a_cache_inside_the_dataset_is_refused(tmp_path: Path, where: str) -> None:
    """`validate D --cache=D` (or D/sub) wrote the cache into the dataset, which every later
    validate and export then refused (DD110, stray files). Refused, as an export there is; nothing
    is written."""
    dataset = tmp_path / "dataset"
    shutil.copytree(MINIMAL, dataset)
    before = sorted(dataset.rglob("*"))
    cache = dataset / where
    result = runner.invoke(main, ["validate", str(dataset), "--cache", str(cache), "--sources", str(SOURCES)])
    relation = "is" if where == "." else "is inside"
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"dispatchdata: error: refusing the cache folder {cache}: it {relation} the dataset folder "
        f"{dataset}; give --cache a folder outside it\n"
    )
    assert sorted(dataset.rglob("*")) == before
    outside = ["validate", str(dataset), "--cache", str(tmp_path / "cache"), "--sources", str(SOURCES)]
    assert runner.invoke(main, outside).exit_code == 0
