"""The entity-aware diff: exact changes for hand-made pairs, the SemVer verdict, the renderers,
the command, and the laws (diff(a, a) is empty; diff(b, a) mirrors diff(a, b); apply; no
understatement) on generated datasets."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatchdata import diff
from dispatchdata.cli import main
from dispatchdata.release.diff import Change, Diff
from dispatchdata.release.diff_report import render_markdown, render_text
from dispatchdata.release.record_match import normalize
from dispatchdata.release.release import dump_bundle, open_bundle

from .helpers import examples
from .test_validate import MINIMAL, SOURCES

runner = CliRunner()
BASE = open_bundle(MINIMAL)


def edited(**edits: Any) -> dict[str, Any]:
    """A copy of the minimal bundle with edits applied by the caller."""
    return copy.deepcopy(BASE)


def record(bundle: dict[str, Any], collection: str, id: str) -> dict[str, Any]:
    return next(r for r in bundle["collections"][collection] if r["id"] == id)


def changes(diff: Diff) -> list[tuple[Any, ...]]:
    return [(c.collection, c.id, c.kind, c.pointer, c.old, c.new, c.level) for c in diff.changes]


def test_identical_datasets_have_no_changes() -> None:
    """diff(a, a) is empty and requires no new version."""
    result = diff(BASE, copy.deepcopy(BASE))
    assert (result.changes, result.required) == ((), None)


def test_added_statement_is_minor() -> None:
    """A new record is MINOR."""
    new = edited()
    added = copy.deepcopy(record(new, "statements", "orlova-unfair")) | {
        "id": "orlova-again",
        "summary": "Again.",
    }
    new["collections"]["statements"].append(added)
    result = diff(BASE, new)
    assert changes(result) == [("statements", "orlova-again", "added", "", None, added, "minor")]
    assert result.required == "minor"


def test_corrected_quote_is_patch() -> None:
    """A corrected value is PATCH, located by a pointer inside the record."""
    new = edited()
    record(new, "statements", "petrov-pay-more")["summary"] = "Petrov said that leavers must pay more."
    result = diff(BASE, new)
    assert changes(result) == [
        ("statements", "petrov-pay-more", "changed", "/summary", "Petrov said leavers must pay more.",
         "Petrov said that leavers must pay more.", "patch"),
    ]  # fmt: skip


def test_a_value_of_another_type_is_a_change_even_when_python_calls_it_equal() -> None:
    """1, 1.0 and true are equal in Python but not in the data: each is a change."""
    for old, value in ((168, 168.0), (1, True)):
        before, new = edited(), edited()
        record(before, "documents", "doc-1")["length"] = old
        record(new, "documents", "doc-1")["length"] = value
        result = diff(before, new)
        assert changes(result) == [("documents", "doc-1", "changed", "/length", old, value, "patch")]


def test_renamed_actor_is_one_major_rename_and_carries_its_references() -> None:
    """A changed id with the same content is a rename, not a removal and an addition; the
    references that follow it are not reported as changes."""
    new = edited()
    record(new, "actors", "ivan-petrov")["id"] = "ivan-i-petrov"
    record(new, "statements", "petrov-pay-more")["speaker"] = "ivan-i-petrov"
    record(new, "statements", "orlova-unfair")["targets"] = ["ivan-i-petrov"]
    record(new, "proposals", "higher-tax")["proposed_by"] = ["ivan-i-petrov"]
    result = diff(BASE, new)
    assert changes(result) == [
        ("actors", "ivan-petrov", "renamed", "/id", "ivan-petrov", "ivan-i-petrov", "major")
    ]
    assert normalize(result.apply(BASE)) == normalize(new)


def test_rename_with_one_field_changed_is_still_a_rename() -> None:
    """Nearly the same (all but one field): a rename plus that field's change."""
    new = edited()
    duma = record(new, "actors", "duma")
    duma["id"], duma["name"] = "state-duma", "State Duma"
    record(new, "actors", "anna-orlova")["positions"][0]["organisation"] = "state-duma"
    record(new, "documents", "doc-1")["publisher"] = "state-duma"
    result = diff(BASE, new)
    assert changes(result) == [
        ("actors", "duma", "renamed", "/id", "duma", "state-duma", "major"),
        ("actors", "state-duma", "changed", "/name", "Duma", "State Duma", "patch"),
    ]


def test_removed_proposal_is_major() -> None:
    """Removing a record is MAJOR (and its references change with it)."""
    new = edited()
    new["collections"]["proposals"] = []
    for statement in new["collections"]["statements"]:
        statement["stances"] = []
    result = diff(BASE, new)
    assert [c[:3] for c in changes(result)] == [
        ("proposals", "higher-tax", "removed"),
        ("statements", "orlova-unfair", "changed"),
        ("statements", "petrov-pay-more", "changed"),
    ]
    assert result.required == "major"


def test_schema_field_removed_is_major_and_added_is_minor() -> None:
    """The schema is diffed too: a removed field is MAJOR, a new optional one MINOR."""
    from dispatchdata.check.schema import schema_digest

    new = edited()
    props = new["schema"]["files"]["statements.schema.json"]["$defs"]["statement"]["properties"]
    removed = props.pop("medium")
    new["schema"]["sha256"] = schema_digest(new["schema"]["files"])
    result = diff(BASE, new)
    pointer = "/files/statements.schema.json/$defs/statement/properties/medium"
    assert changes(result) == [("schema", None, "removed", pointer, removed, None, "major")]
    assert changes(diff(new, BASE)) == [("schema", None, "added", pointer, None, removed, "minor")]


def test_enum_value_removed_is_major() -> None:
    """Removing an allowed value tightens the schema."""
    from dispatchdata.check.schema import schema_digest

    new = edited()
    stance = new["schema"]["files"]["statements.schema.json"]["$defs"]["stance"]["properties"]["stance"]
    stance["enum"] = ["supports", "opposes", "mixed"]
    new["schema"]["sha256"] = schema_digest(new["schema"]["files"])
    result = diff(BASE, new)
    assert [(c.kind, c.level, c.why) for c in result.changes] == [
        ("changed", "major", "enum value(s) removed: neutral")
    ]


def test_metadata_only_change_is_patch() -> None:
    """Metadata corrections are PATCH."""
    new = edited()
    new["metadata"]["description"] = "Two actors, one proposal and two statements."
    result = diff(BASE, new)
    assert changes(result) == [
        ("metadata", None, "changed", "/description", "Two actors, one proposal, two statements.",
         "Two actors, one proposal and two statements.", "patch"),
    ]  # fmt: skip


def test_set_like_lists_compare_as_sets() -> None:
    """Reordering aliases or targets is no change; changing one is a change of the list."""
    new = edited()
    record(new, "actors", "ivan-petrov")["aliases"].append({"name": "Petrov"})
    record(new, "actors", "ivan-petrov")["aliases"].reverse()
    result = diff(BASE, new)
    assert [(c.id, c.pointer, c.kind) for c in result.changes] == [("ivan-petrov", "/aliases", "changed")]
    assert diff(new, copy.deepcopy(new)).changes == ()


def test_text_and_markdown_output() -> None:
    """The terminal table and the pull-request comment, exactly."""
    new = edited()
    record(new, "statements", "petrov-pay-more")["summary"] = "Petrov said that leavers must pay more."
    new["collections"]["proposals"][0]["status"] = "advocated"
    result = diff(BASE, new)
    assert render_text(result, "1.0.0", "dataset/") == (
        "diff 1.0.0 -> dataset/: requires a PATCH version bump\n"
        "\n"
        "              added  removed  renamed  changed\n"
        "proposals         0        0        0        1\n"
        "statements        0        0        0        1\n"
        "\n"
        'PATCH  proposals higher-tax /status: "[-proposed-]{+advocated+}"\n'
        'PATCH  statements petrov-pay-more /summary: "Petrov said [--]{+that +}leavers must pay more."\n'
    )
    assert render_markdown(result, "1.0.0", "dataset/") == (
        "### dispatchdata diff `1.0.0` → `dataset/`\n"
        "\n"
        "**Requires a patch version bump.**\n"
        "\n"
        "| collection | added | removed | renamed | changed |\n"
        "|---|---:|---:|---:|---:|\n"
        "| proposals | 0 | 0 | 0 | 1 |\n"
        "| statements | 0 | 0 | 0 | 1 |\n"
        "\n"
        "<details><summary>proposals <code>higher-tax</code>: changed (patch)</summary>\n"
        "\n"
        '- /status: "[-proposed-]{+advocated+}"\n'
        "\n"
        "</details>\n"
        "<details><summary>statements <code>petrov-pay-more</code>: changed (patch)</summary>\n"
        "\n"
        '- /summary: "Petrov said [--]{+that +}leavers must pay more."\n'
        "\n"
        "</details>\n"
    )


def test_markdown_names_a_record_that_gains_or_loses_a_field_changed() -> None:
    """A statement that gained a note and lost its verb was headed "added" (its first change's
    kind), as if the whole record were new: it is one record changed."""
    new = edited()
    record(new, "statements", "petrov-pay-more")["note"] = "Inferred."
    for old_side, new_side, said in [
        (BASE, new, '- /note added: "Inferred."'),
        (new, BASE, '- /note removed (was "Inferred.")'),
    ]:
        markdown = render_markdown(diff(old_side, new_side), "1.0.0", "dataset/").splitlines()
        assert [line for line in markdown if line.startswith(("<details>", "- "))] == [
            "<details><summary>statements <code>petrov-pay-more</code>: changed (patch)</summary>",
            said,
        ]


def test_a_stance_added_to_a_statement_is_minor_a_stance_corrected_patch() -> None:
    """A position recorded that was not is new data, as a record added is (MINOR), also where a
    stance moved to another proposal (the count unchanged: was PATCH); a stance whose value
    changed is a correction (PATCH)."""
    added, changed, replaced = edited(), edited(), edited()
    record(added, "statements", "petrov-pay-more")["stances"].append(
        {"proposal": "higher-tax", "stance": "mixed", "holder": "duma"}
    )
    record(changed, "statements", "petrov-pay-more")["stances"][0]["stance"] = "mixed"
    record(replaced, "statements", "petrov-pay-more")["stances"][0]["proposal"] = "lower-tax"
    verdicts = [(c.level, c.why) for new in (added, changed, replaced) for c in diff(BASE, new).changes]
    assert verdicts == [("minor", "stance added"), ("patch", "value corrected"), ("minor", "stance added")]
    assert diff(BASE, added).required == "minor"


def test_items_changed_among_several_are_shown_field_by_field_and_named() -> None:
    """A note added to two of a statement's stances showed as both removed and added again
    (`-{…}, -{…}, +{…}, +{…}`): each is an item changed, named by the fields it kept."""
    old, new = edited(), edited()
    for side in (old, new):
        record(side, "statements", "petrov-pay-more")["stances"].append(
            {"proposal": "lower-tax", "stance": "mixed"}
        )
    for stance in record(new, "statements", "petrov-pay-more")["stances"]:
        stance["note"] = "Why."
    record(new, "statements", "petrov-pay-more")["stances"].append(
        {"proposal": "flat-tax", "stance": "opposes"}
    )
    lines = render_text(diff(old, new), "a", "b").splitlines()
    assert lines[-1] == (
        'MINOR  statements petrov-pay-more /stances: {"proposal": "higher-tax", "stance": "supports"} '
        'changed: note added: "Why.", {"proposal": "lower-tax", "stance": "mixed"} changed: note added: '
        '"Why.", +{"stance": "opposes", "proposal": "flat-tax"}'
    )


def test_an_item_removed_or_added_shows_what_tells_it_apart_before_its_long_fields() -> None:
    """Two stances removed, each with a long note, showed as `-{"note": "Cites Soviet dep…` twice:
    the proposal, sorted after the note, was cut off. Short fields come first."""
    old, new = edited(), edited()
    note = "Cites the Soviet deprivation of citizenship and property that later had to be restored."
    record(old, "statements", "petrov-pay-more")["stances"] = [
        {"proposal": p, "stance": "opposes", "note": note} for p in ("strip-citizenship", "seize-property")
    ]
    line = render_text(diff(old, new), "a", "b").splitlines()[-1]
    assert line == (
        'MINOR  statements petrov-pay-more /stances: -{"stance": "opposes", "proposal": "strip-citizenship", '
        '"note": "Cites the Soviet…, -{"stance": "opposes", "proposal": "seize-property", "note": "Cites the '
        'Soviet de…, +{"stance": "supports", "proposal": "higher-tax"}'
    )


def _folder(tmp_path: Path, name: str, edit: Any = None) -> Path:
    target = tmp_path / name
    shutil.copytree(MINIMAL, target)
    if edit:
        path = target / edit[0]
        path.write_text(path.read_text(encoding="utf-8").replace(edit[1], edit[2], 1), encoding="utf-8")
    return target


def test_cli_json_output_has_the_documented_shape(tmp_path: Path) -> None:
    """--format json: versions, verdict, per-collection counts, and each change."""
    new = _folder(tmp_path, "new", ("statements.yaml", "summary: Petrov said", "summary: Petrov stated"))
    result = runner.invoke(main, ["diff", str(MINIMAL), str(new), "--format", "json", "--exit-code"])
    assert result.exit_code == 1
    assert json.loads(result.output) == {
        "old_version": "1.0.0",
        "new_version": "1.0.0",
        "required": "patch",
        "summary": {"statements": {"added": 0, "removed": 0, "renamed": 0, "changed": 1}},
        "changes": [
            {
                "collection": "statements",
                "id": "petrov-pay-more",
                "kind": "changed",
                "pointer": "/summary",
                "old": "Petrov said leavers must pay more.",
                "new": "Petrov stated leavers must pay more.",
                "level": "patch",
            }
        ],
    }


def test_cli_check_version_fails_when_the_bump_is_too_small(tmp_path: Path) -> None:
    """--check-version: a patch bump for an added record exits 1; a minor bump passes."""
    outcomes = {}
    for version in ("1.0.1", "1.1.0"):
        new = _folder(tmp_path, f"v{version}")
        statements = new / "statements.yaml"
        text = statements.read_text(encoding="utf-8")
        copy_of_last = text[text.index("- id: orlova-unfair") :].replace(
            "- id: orlova-unfair", "- id: orlova-again"
        )
        statements.write_text(
            text + copy_of_last.replace("responds_to: [petrov-pay-more]", "responds_to: []"), encoding="utf-8"
        )
        path = new / "dataset.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace("version: 1.0.0", f"version: {version}"),
            encoding="utf-8",
        )
        result = runner.invoke(main, ["diff", str(MINIMAL), str(new), "--check-version"])
        outcomes[version] = (result.exit_code, result.stderr)
    assert outcomes == {
        "1.0.1": (1, "dispatchdata: 1.0.0 -> 1.0.1 is a patch step; the changes require minor\n"),
        "1.1.0": (0, ""),
    }


def test_cli_invalid_side_is_an_error_naming_it(tmp_path: Path) -> None:
    """Both sides are validated first; an invalid one is exit 2, named, its errors shown."""
    bad = _folder(tmp_path, "bad", ("statements.yaml", "speaker: anna-orlova", "speaker: nobody"))
    result = runner.invoke(main, ["diff", str(MINIMAL), str(bad)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"{bad}/statements.yaml:18:12: DD302 unknown actor 'nobody'\n"
        f"dispatchdata: error: NEW ({bad}) is invalid: 1 error(s); run dispatchdata validate {bad}\n"
    )


def test_cli_diff_of_a_bundle_file_and_a_folder(tmp_path: Path) -> None:
    """A release bundle file is a valid side; no differences exit 0 even with --exit-code."""
    bundle = tmp_path / "minimal-1.0.0.json"
    bundle.write_bytes(dump_bundle(BASE))
    result = runner.invoke(
        main, ["diff", str(bundle), str(MINIMAL), "--exit-code", "--sources", str(SOURCES)]
    )
    assert result.exit_code == 0, result.output
    assert result.output == f"diff {bundle} -> {MINIMAL}: no changes: no new version needed\n"


# -- laws on generated datasets -------------------------------------------------------------------

OPERATIONS = st.lists(
    st.sampled_from(["add", "remove", "rename", "summary", "aliases", "meta", "stance"]),
    min_size=0,
    max_size=5,
)


def mutate(bundle: dict[str, Any], operations: list[str], salt: int) -> dict[str, Any]:
    """Apply valid-shaped edits to a copy of the bundle."""
    b = copy.deepcopy(bundle)
    statements, actors = b["collections"]["statements"], b["collections"]["actors"]
    for n, op in enumerate(operations):
        tag = f"{salt}-{n}"
        if op == "add" and statements:
            statements.append(
                copy.deepcopy(statements[0]) | {"id": f"added-{tag}", "summary": f"Added {tag}."}
            )
        elif op == "remove" and statements:
            gone = statements.pop(salt % len(statements))["id"]
            for s in statements:
                s["responds_to"] = [r for r in s["responds_to"] if r != gone]
        elif op == "rename" and statements:
            target = statements[salt % len(statements)]
            old, new = target["id"], f"renamed-{tag}"
            target["id"] = new
            for s in statements:
                s["responds_to"] = [new if r == old else r for r in s["responds_to"]]
        elif op == "summary" and statements:
            statements[-1]["summary"] = f"Corrected {tag}."
        elif op == "aliases" and actors:
            actors[0]["aliases"] = [*actors[0]["aliases"], {"name": f"Alias {tag}"}][::-1]
        elif op == "meta":
            b["metadata"]["description"] = f"Description {tag}."
        elif op == "stance" and statements and statements[0]["stances"]:
            statements[0]["stances"][0]["stance"] = (
                "neutral" if statements[0]["stances"][0]["stance"] != "neutral" else "mixed"
            )
    return b


def _ids(bundle: dict[str, Any]) -> set[tuple[str, str]]:
    return {(name, r["id"]) for name, records in bundle["collections"].items() for r in records}


def _canon(bundle: dict[str, Any]) -> Any:
    b = normalize(bundle)
    b["collections"] = {k: sorted(v, key=lambda r: r["id"]) for k, v in b["collections"].items()}
    return b


@given(OPERATIONS, OPERATIONS, st.integers(0, 50))
@settings(max_examples=examples(150), deadline=None)
def test_diff_laws(ops_a: list[str], ops_b: list[str], salt: int) -> None:
    """diff(a, a) = ∅; apply(a) gives b; diff(b, a) mirrors diff(a, b); the verdict is never
    smaller than what removed, renamed or added records require."""
    a, b = mutate(BASE, ops_a, salt), mutate(BASE, ops_b, salt + 1)
    assert diff(a, copy.deepcopy(a)).changes == ()
    forward, backward = diff(a, b), diff(b, a)
    assert _canon(forward.apply(a)) == _canon(b)
    assert _canon(backward.apply(b)) == _canon(a)

    def mirrored(change: Change) -> tuple[Any, ...]:
        kind = {"added": "removed", "removed": "added"}.get(change.kind, change.kind)
        return (change.collection, change.pointer, kind, _key(change.new), _key(change.old))

    renames_ab = {(c.collection, c.old): c.new for c in forward.changes if c.kind == "renamed"}
    renames_ba = {(c.collection, c.new): c.old for c in backward.changes if c.kind == "renamed"}
    assert renames_ab == renames_ba
    record_level = [c for c in forward.changes if not c.pointer or c.kind == "renamed"]
    assert sorted(mirrored(c) for c in record_level if c.kind != "renamed") == sorted(
        (c.collection, c.pointer, c.kind, _key(c.old), _key(c.new)) for c in backward.changes if not c.pointer
    )
    levels = ("patch", "minor", "major")
    gone = _ids(a) - _ids(b)
    if gone:
        assert forward.required == "major"
    elif _ids(b) - _ids(a):
        assert forward.required is not None
        assert levels.index(forward.required) >= levels.index("minor")
    if forward.changes:
        assert forward.required is not None


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_cli_formats_run_on_the_real_dataset(fmt: str) -> None:
    """Each renderer works on the shipped dataset (no changes against itself)."""
    from .conftest import DATASET

    result = runner.invoke(main, ["diff", str(DATASET), str(DATASET), "--format", fmt, "--exit-code"])
    assert result.exit_code == 0, result.output


def test_set_like_list_changes_are_shown_item_by_item() -> None:
    """An added alias is shown as such; one anchor changed in place is shown field by field."""
    new = edited()
    record(new, "actors", "ivan-petrov")["aliases"].append({"name": "Petrov"})
    quote = record(new, "statements", "petrov-pay-more")["quotes"][0]
    quote["end"], quote["exact"] = quote["end"] - 1, quote["exact"][:-1]
    lines = render_text(diff(BASE, new), "a", "b").splitlines()
    assert lines[-2:] == [
        'PATCH  actors ivan-petrov /aliases: +{"name": "Petrov"}',
        "PATCH  statements petrov-pay-more /quotes: one item changed: "
        'end 77 -> 76; exact "Leavers must pay more[-.-]{++}"',
    ]


def _write_folder(bundle: dict[str, Any], folder: Path) -> Path:
    """The bundle as a dataset folder of JSON files, statements split in two files."""
    folder.mkdir()
    (folder / "dataset.json").write_text(json.dumps(bundle["metadata"]), encoding="utf-8")
    for name, records in bundle["collections"].items():
        if name == "statements":
            (folder / name).mkdir()
            half = len(records) // 2
            for part, chunk in (("a", records[:half]), ("b", records[half:])):
                (folder / name / f"{part}.json").write_text(json.dumps(chunk), encoding="utf-8")
        else:
            (folder / f"{name}.json").write_text(json.dumps(records), encoding="utf-8")
    return folder


@given(OPERATIONS.map(lambda ops: [o for o in ops if o != "aliases"]), st.integers(0, 50))
@settings(max_examples=examples(25), deadline=None)
def test_folders_are_diffed_as_their_bundles_are(ops: list[str], salt: int) -> None:
    """Diffing two dataset folders (records indexed file by file as they are read, never held
    as a bundle) gives exactly the changes of diffing their bundles in memory, values included."""
    import tempfile

    new = mutate(BASE, ops, salt)
    expected = diff(BASE, new)
    with tempfile.TemporaryDirectory() as tmp:
        before = _write_folder(BASE, Path(tmp) / "before")
        after = _write_folder(new, Path(tmp) / "after")
        bundle_file = Path(tmp) / "after.json"
        bundle_file.write_bytes(dump_bundle(new))
        assert diff(before, after, sources=[SOURCES]) == expected
        assert diff(before, bundle_file, sources=[SOURCES]) == expected
    assert diff(BASE, new) == expected
