"""Validation, case by case: each case in cases/invalid/ breaks the minimal dataset one way and
lists the exact problems expected (file:line:column, code, message)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import dispatchdata
from dispatchdata.errors import DataNotFoundError, Problem
from dispatchdata.read.parse import parse_bytes

from .conftest import DATASET
from .helpers import examples, ship

CASES = Path(__file__).parent / "cases"
MINIMAL = CASES / "minimal"
SOURCES = CASES / "sources"
INVALID = sorted((CASES / "invalid").glob("*.yaml"))


def line(problem: Problem) -> str:
    """A problem as one comparable line."""
    place = f"{problem.file}:{problem.line}:{problem.column}" if problem.file else "<dataset>"
    return f"{place}: {problem.code} {problem.message}"


def apply_case(case: dict[str, Any], target: Path) -> None:
    """Copy the minimal dataset to ``target`` and break it as the case says."""
    shutil.copytree(MINIMAL, target)
    for name in case.get("delete", []):
        (target / name).unlink()
    for name, text in case.get("create", {}).items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(text, encoding="utf-8")
    for name, link in case.get("links", {}).items():  # symbolic links: name -> where it leads
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).symlink_to(link)
    for name, text in case.get("create_bytes", {}).items():
        (target / name).write_bytes(text.encode("latin-1"))
    for edit in case.get("edits", []):
        path = target / edit["file"]
        text = path.read_text(encoding="utf-8")
        assert text.count(edit["find"]) == 1, f"edit must match once: {edit['find']!r}"
        path.write_text(text.replace(edit["find"], edit["replace"]), encoding="utf-8")
    if "bundle" in case:
        write_case_bundle(target, case["bundle"], case.get("bundle_schema", {}))


def write_case_bundle(target: Path, name: str, schema: dict[str, Any]) -> None:
    """The bundle of the dataset ``target`` as broken, written to ``target/name`` (a case's
    ``bundle``: then that file is validated), its schema files replaced by ``schema``'s (their
    digest made to match)."""
    from dispatchdata.check.schema import schema_digest
    from dispatchdata.read.folder import read_dataset
    from dispatchdata.release.release import bundle_of, dump_bundle

    bundle = bundle_of(read_dataset(target))
    if schema:
        bundle["schema"]["files"].update(schema)
        bundle["schema"]["sha256"] = schema_digest(bundle["schema"]["files"])
    (target / name).parent.mkdir(parents=True, exist_ok=True)
    (target / name).write_bytes(dump_bundle(bundle))


def run_case(path: Path, tmp_path: Path) -> tuple[dict[str, Any], list[str]]:
    case = parse_bytes(path.read_bytes(), path.name).data
    assert isinstance(case, dict)
    apply_case(case, tmp_path / "dataset")
    sources = [SOURCES] if case.get("sources", True) else []
    with mock.patch.dict(os.environ, case.get("env", {})):  # (DISPATCHDATA_MAX_FILE_SIZE, say)
        report = dispatchdata.validate(tmp_path / "dataset" / case.get("bundle", ""), sources=sources)
    return case, [line(p) for p in report.problems]


def test_minimal_dataset_is_valid() -> None:
    """The base of every case is itself clean."""
    report = dispatchdata.validate(MINIMAL, sources=[SOURCES])
    assert [line(p) for p in report.problems] == []
    assert (report.valid, report.files, report.records) == (True, 5, 7)


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_case(path: Path, tmp_path: Path) -> None:
    """Exactly the problems the case lists, in reading order."""
    case, actual = run_case(path, tmp_path)
    assert actual == case["problems"], case["description"]


def test_repository_dataset_is_valid_with_its_sources(sources: Path) -> None:
    """The shipped dataset passes every check, anchors included."""
    report = dispatchdata.validate(DATASET, sources=[sources])
    assert [line(p) for p in report.problems] == []
    assert report.records == 114


def test_missing_folder_is_an_operational_error(tmp_path: Path) -> None:
    """A path that does not exist raises (the CLI exits 2), it is not a finding."""
    with pytest.raises(DataNotFoundError, match="does not exist"):
        dispatchdata.validate(tmp_path / "nope")


def test_select_and_ignore_filter_by_code_prefix(tmp_path: Path) -> None:
    """--select/--ignore keep or drop problems by code prefix."""
    target = tmp_path / "dataset"
    apply_case(
        {"edits": [{"file": "statements.yaml", "find": "speaker: anna-orlova", "replace": "speaker: x"}]},
        target,
    )
    assert [p.code for p in dispatchdata.validate(target).problems] == ["DD405", "DD302"]
    assert [p.code for p in dispatchdata.validate(target, select=["DD3"]).problems] == ["DD302"]
    assert [p.code for p in dispatchdata.validate(target, ignore=["DD302", "DD4"]).problems] == []


# -- never a crash, whatever the files hold ------------------------------------------------------

FIELDS = [
    "id",
    "document",
    "speaker",
    "kind",
    "stances",
    "proposal",
    "responds_to",
    "targets",
    "footnotes",
    "anchors",
    "quotes",
    "start",
    "end",
    "exact",
    "prefix",
    "suffix",
    "date",
    "parent",
    "positions",
    "organisation",
    "aliases",
    "name",
    "type",
    "dates",
    "erratum",
    "corrected",
    "number",
    "sha256",
]

shapes = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 200)
    | st.sampled_from(["doc-1", "anna-orlova", "2023-03-03", "x"])
    | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(FIELDS), children, max_size=6)
    ),
    max_leaves=25,
)


@given(statements=shapes, actors=shapes)
@settings(max_examples=examples(150), deadline=None)
def test_validation_never_crashes_on_arbitrary_records(statements: Any, actors: Any) -> None:
    """Whatever shapes the files hold, validation returns a report: rules skip what the schema rejects."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "dataset"
        shutil.copytree(MINIMAL, target)
        for name, records in (
            ("statements", statements),
            ("actors", [actors, {"id": "duma", "parent": "duma"}]),
        ):
            (target / f"{name}.yaml").unlink()
            (target / f"{name}.json").write_text(json.dumps(records), encoding="utf-8")
        report = dispatchdata.validate(target, sources=[SOURCES])
    assert all(p.code and p.file for p in report.problems)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``value`` (keys and indexes)."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    copy = list(value) if isinstance(value, list) else dict(value)
    copy[head] = _replace(value[head], rest, new)
    return copy


_COLLECTIONS = {
    name: json.loads(json.dumps(yaml.safe_load((MINIMAL / f"{name}.yaml").read_text(encoding="utf-8"))))
    for name in ("documents", "actors", "proposals", "statements")
}


@given(
    st.sampled_from(sorted(_COLLECTIONS)),
    st.integers(min_value=0),
    shapes,
    st.sampled_from(["yaml", "json"]),
)
@settings(max_examples=examples(300), deadline=None)
def test_validation_never_crashes_on_one_value_changed(
    collection: str, pick: int, new: Any, fmt: str
) -> None:
    """Any one value anywhere inside an otherwise valid dataset replaced by anything: a report, with
    every problem placed in a file, never an exception (1.0.0 crashed on a mapping as a footnote
    number of a dated statement)."""
    records = _COLLECTIONS[collection]
    paths = _paths(records)[1:]
    path = paths[pick % len(paths)]
    if collection == "statements" and path[-1] != "date":
        records = [{**records[0], "date": "2023-01-01"}, *records[1:]]  # dated: more rules run
    changed = _replace(records, path, new)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "dataset"
        shutil.copytree(MINIMAL, target)
        (target / f"{collection}.yaml").unlink()
        if fmt == "json":
            (target / f"{collection}.json").write_text(json.dumps(changed), encoding="utf-8")
        else:
            (target / f"{collection}.yaml").write_text(yaml.safe_dump(changed), encoding="utf-8")
        report = dispatchdata.validate(target, sources=[SOURCES])
    assert all(p.code and p.file for p in report.problems)


def test_any_of_failures_show_the_best_match_and_count_the_rest(tmp_path: Path) -> None:
    """A release (verified against its SHA256SUMS) is checked against the schema it carries; an
    anyOf failure reports jsonschema's best match at the value's place, with the number of other
    candidate errors."""
    from dispatchdata.check.schema import schema_digest
    from dispatchdata.release.release import dump_bundle, open_bundle

    bundle = open_bundle(MINIMAL)
    files = bundle["schema"]["files"]
    speaker = files["statements.schema.json"]["$defs"]["statement"]["properties"]["speaker"]
    speaker.pop("$ref")
    speaker["anyOf"] = [{"$ref": "urn:dispatchdata:schema:defs#/$defs/id"}, {"type": "integer", "minimum": 0}]
    bundle["schema"]["sha256"] = schema_digest(files)
    bundle["collections"]["statements"][1]["speaker"] = "Anna Orlova"
    path = as_release(tmp_path, dump_bundle(bundle), shipped=True)
    report = dispatchdata.validate(path, sources=[SOURCES])
    schema_problems = [line(p) for p in report.problems if p.code.startswith("DD2")]
    assert len(schema_problems) == 1
    assert schema_problems[0].startswith("1.0.0.json:")
    assert schema_problems[0].endswith(
        "DD205 'Anna Orlova' does not match '^[a-z0-9]+(-[a-z0-9]+)*$' (1 other candidate error)"
    )


def as_release(folder: Path, data: bytes, version: str = "1.0.0", *, shipped: bool = False) -> Path:
    """``data`` written as the release ``folder/releases/<version>.json``, its line recorded in
    ``SHA256SUMS``: a verified release; with ``shipped``, one the package ships (for this test),
    read with the schema it carries."""
    import hashlib

    path = folder / "releases" / f"{version}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    (path.parent / "SHA256SUMS").write_text(f"{digest}  {path.name}\n", encoding="utf-8")
    if shipped:
        ship(digest)
    return path


def _carrying(tmp_path: Path, edit: Any, *, digest: bool = True, release: bool = False) -> Path:
    """The minimal dataset's bundle, its schema edited by ``edit`` (and its digest made to match,
    with ``digest``), written to a file (as a verified release, with ``release``)."""
    from dispatchdata.check.schema import schema_digest
    from dispatchdata.release.release import dump_bundle, open_bundle

    bundle = open_bundle(MINIMAL)
    edit(bundle["schema"]["files"])
    if digest:
        bundle["schema"]["sha256"] = schema_digest(bundle["schema"]["files"])
    if release:
        return as_release(tmp_path, dump_bundle(bundle), shipped=True)
    path = tmp_path / "bundle.json"
    path.write_bytes(dump_bundle(bundle))
    return path


def _files_line(path: Path) -> int:
    return path.read_text(encoding="utf-8").splitlines().index('    "files": {') + 1


@pytest.mark.parametrize(
    ("edit", "why"),
    [
        (
            lambda files: files["statements.schema.json"]["items"].update({"$ref": "#/$defs/nothing"}),
            "statements.schema.json: $ref '#/$defs/nothing' leads nowhere",
        ),
        (
            lambda files: files["actors.schema.json"].update({"type": 5}),
            "actors.schema.json is not a JSON Schema: 5 is not valid under any of the given schemas",
        ),
        (lambda files: files.pop("proposals.schema.json"), "proposals.schema.json is missing"),
        (
            lambda files: files["defs.schema.json"]["$defs"]["id"].update({"type": 5}),
            "defs.schema.json is not a JSON Schema: 5 is not valid under any of the given schemas",
        ),
        (
            lambda files: files["actors.schema.json"].update({"$schema": "urn:nothing"}),
            "a file's $schema is not a JSON Schema dialect jsonschema knows (urn:nothing)",
        ),
    ],
)
def test_a_bundle_whose_schema_cannot_be_used_says_so(tmp_path: Path, edit: Any, why: str) -> None:
    """A schema a bundle carries (its digest intact) that cannot check anything is one DD316
    error at its files, and the records are checked against the package's schema instead: no
    traceback, whatever jsonschema or jsonschema-rs would have said of it."""
    path = _carrying(tmp_path, edit)
    report = dispatchdata.validate(path, sources=[SOURCES])
    assert [line(p) for p in report.problems] == [
        f"bundle.json:{_files_line(path)}:14: DD316 the schema it carries cannot be used: {why}"
    ]


def test_a_bundle_whose_schema_does_not_match_its_digest_is_checked_against_the_package_schema(
    tmp_path: Path,
) -> None:
    """Schema files edited after the digest was taken (DD315) are not trusted: a requirement
    added to them is not applied, the package's schema is. Intact, the requirement applies to a
    verified release; any other bundle is checked against the package's schema (DD323 says so)."""

    def require(files: dict[str, Any]) -> None:
        files["statements.schema.json"]["$defs"]["statement"]["required"].append("nothing")

    path = _carrying(tmp_path, require, digest=False)
    report = dispatchdata.validate(path, sources=[SOURCES])
    assert [p.code for p in report.problems] == ["DD315"]
    trusted = _carrying(tmp_path, require, release=True)
    assert {p.code for p in dispatchdata.validate(trusted, sources=[SOURCES]).problems} == {"DD201"}
    plain = _carrying(tmp_path, require)
    assert [p.code for p in dispatchdata.validate(plain, sources=[SOURCES]).problems] == ["DD323"]


def test_a_schema_keyword_without_a_code_of_its_own_is_dd200(tmp_path: Path) -> None:
    """A verified release's schema (its digest intact) may use a keyword the package schema does
    not: its failure is DD200, "schema violation (other)", at the value's place."""

    def limit(files: dict[str, Any]) -> None:
        files["statements.schema.json"]["$defs"]["stance"]["maxProperties"] = 1

    report = dispatchdata.validate(_carrying(tmp_path, limit, release=True), sources=[SOURCES])
    assert [p.code for p in report.problems] == ["DD200", "DD200"]
    stance = "{'proposal': 'higher-tax', 'stance': 'supports'}"
    assert report.problems[0].message.startswith(f"{stance} has too many")


# -- every problem code is produced by some test -----------------------------------------------

#: Codes a folder case cannot produce (an unreadable file, a release bundle's own schema or
#: version), each with the test that does: "module::test".
NOT_A_CASE = {
    "DD100": "test_cli::test_validate_unreadable_file_exits_2",
    "DD200": "test_validate::test_a_schema_keyword_without_a_code_of_its_own_is_dd200",
    "DD314": "test_cli::test_a_bundle_that_disagrees_with_itself_is_invalid",
    "DD315": (
        "test_validate::"
        "test_a_bundle_whose_schema_does_not_match_its_digest_is_checked_against_the_package_schema"
    ),
    "DD316": "test_validate::test_a_bundle_whose_schema_cannot_be_used_says_so",
}


def test_every_code_has_an_invalid_case_producing_it() -> None:
    """Every code in CODES (read now, so a code added later is held to it too) is expected by
    some case in cases/invalid/, or is listed in NOT_A_CASE with a test that exists: deleting
    the rule behind any code fails the suite."""
    import importlib
    import re

    from dispatchdata.codes import CODES

    expected: set[str] = set()
    for path in INVALID:
        case = parse_bytes(path.read_bytes(), path.name).data
        assert isinstance(case, dict)
        for problem in case["problems"]:
            found = re.match(r"^\S+: (DD\d{3}) ", problem)
            assert found is not None, f"{path.name}: not a problem line: {problem!r}"
            expected.add(found.group(1))
    for code, test in NOT_A_CASE.items():
        module, name = test.split("::")
        assert callable(getattr(importlib.import_module(f"tests.{module}"), name, None)), f"{code}: no {test}"
    assert expected & set(NOT_A_CASE) == set(), "a code with a case needs no other test named"
    assert sorted(set(CODES) - expected - set(NOT_A_CASE)) == []
