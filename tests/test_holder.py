"""A stance's holder (``stances[].holder``): the actor whose position a statement reports.

It is checked as a reference to an actor (the invalid cases ``stance-holder-*`` give the exact
messages), read in the one pass over a statement as the general functions read it, attributed
to the holder (not the speaker) in the stance matrix, marked as reported, in Python and in the
SQLite export, and listed by the diff record by record.
"""

from __future__ import annotations

import copy
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import dispatchdata
from dispatchdata.check.rules import facts
from dispatchdata.check.rules.context import references_of
from dispatchdata.check.rules.dates import statement_facts
from dispatchdata.export import export
from dispatchdata.model import ActorStance, Stance
from dispatchdata.release.diff import diff
from dispatchdata.release.diff_report import render_text
from dispatchdata.release.release import open_bundle

from .helpers import examples
from .test_validate import MINIMAL, SOURCES, line

_ODD = st.sampled_from([None, True, 0, 1.5, "", "x", [], {}, ["duma"], {"a": 1}])
_STANCE = st.fixed_dictionaries(
    {},
    optional={
        "proposal": st.sampled_from(["higher-tax", "strip-citizenship"]) | _ODD,
        "stance": st.just("opposes"),
        "holder": st.sampled_from(["duma", "anna-orlova"]) | _ODD,
    },
)


@settings(max_examples=examples(500), deadline=None)
@given(stances=st.lists(_STANCE | _ODD, max_size=4), speaker=st.sampled_from(["anna-orlova", 3]))
def test_holders_are_read_in_one_pass_as_the_general_functions_read_them(
    stances: list[Any], speaker: Any
) -> None:
    """Whatever the stances hold, the one-pass reading of a statement gives the holder
    references (slot, position, value) exactly as ``references_of`` does, in the same order."""
    record = {"id": "s-1", "document": "doc-1", "speaker": speaker, "stances": stances}
    expected: list[Any] = references_of(record, "statements", 7)
    actual: list[Any] = []
    assert facts.READERS["statements"](7, record, actual) == statement_facts(record)
    assert actual == expected


@settings(max_examples=examples(300), deadline=None)
@given(
    stances=st.lists(_STANCE | _ODD, max_size=4), speaker=st.sampled_from(["anna-orlova", "duma", 3, None])
)
def test_a_holder_that_is_the_speaker_is_reported_at_each_such_stance(
    stances: list[Any], speaker: Any
) -> None:
    """Whatever the stances hold, DD330 is reported at exactly the stances whose holder is the
    speaker (a string), and nothing else is found of them."""
    record = {"id": "s-1", "speaker": speaker, "stances": stances}
    found = [(f.code, f.pointer) for f in facts.extract("statements", [record]).findings if f.code == "DD330"]
    expected = [
        ("DD330", f"/stances/{i}/holder")
        for i, stance in enumerate(stances)
        if isinstance(speaker, str) and isinstance(stance, dict) and stance.get("holder") == speaker
    ]
    assert found == expected


def test_a_holder_is_a_reference_to_an_actor() -> None:
    """Two holders, after the stances' proposals and before the targets, each an actor reference
    at its stance's position."""
    record = {
        "id": "s-1",
        "speaker": "memri",
        "stances": [
            {"proposal": "p-1", "stance": "opposes", "holder": "ministry-of-finance"},
            {"proposal": "p-2", "stance": "supports"},
            {"proposal": "p-3", "stance": "opposes", "holder": "duma"},
        ],
        "targets": ["duma"],
    }
    refs: list[Any] = []
    facts.READERS["statements"](0, record, refs)
    slots = [(slot, position, value) for _, slot, position, value in refs]
    assert slots == [(6, -1, "memri"), (7, 0, "p-1"), (7, 1, "p-2"), (7, 2, "p-3"),
                     (8, 0, "ministry-of-finance"), (8, 2, "duma"), (10, 0, "duma")]  # fmt: skip


def _held(tmp_path: Path) -> Path:
    """The minimal dataset with reported stances: Petrov's statement reports Orlova's opposition,
    Orlova's reports the Duma's support; each voices a stance of its own too."""
    folder = tmp_path / "held"
    shutil.copytree(MINIMAL, folder)
    path = folder / "statements.yaml"
    text = path.read_text(encoding="utf-8")
    edits = {"supports": ("opposes", "anna-orlova"), "opposes": ("supports", "duma")}
    pieces = text.split("      stance: ")
    assert len(pieces) == 3  # two stances, one supporting, one opposing
    for i, piece in enumerate(pieces[1:], 1):
        value, rest = piece.split("\n", 1)
        other, holder = edits[value]
        added = f"    - proposal: higher-tax\n      stance: {other}\n      holder: {holder}\n"
        pieces[i] = f"{value}\n{added}{rest}"
    text = "      stance: ".join(pieces)
    path.write_text(text, encoding="utf-8")
    return folder


def test_a_held_stance_is_its_holders_and_marked_reported(tmp_path: Path) -> None:
    """In the stance matrix a stance belongs to its holder, never to the speaker who reports it:
    Orlova's row holds her own statement and Petrov's report of her stance (reported), the Duma's
    row Orlova's report of its stance; Petrov's row only his own."""
    folder = _held(tmp_path)
    assert [line(p) for p in dispatchdata.validate(folder, sources=[SOURCES]).problems] == []
    ds = dispatchdata.load(folder)
    assert ds.statement("orlova-unfair").stances == (
        Stance(proposal="higher-tax", stance="opposes"),
        Stance(proposal="higher-tax", stance="supports", holder="duma"),
    )
    assert ds.stance_matrix() == {
        ("anna-orlova", "higher-tax"): ActorStance(
            actor="anna-orlova",
            proposal="higher-tax",
            stances=("opposes",),
            statements=("petrov-pay-more", "orlova-unfair"),
            reported=("petrov-pay-more",),
        ),
        ("duma", "higher-tax"): ActorStance(
            actor="duma",
            proposal="higher-tax",
            stances=("supports",),
            statements=("orlova-unfair",),
            reported=("orlova-unfair",),
        ),
        ("ivan-petrov", "higher-tax"): ActorStance(
            actor="ivan-petrov", proposal="higher-tax", stances=("supports",), statements=("petrov-pay-more",)
        ),
    }
    assert [s.id for s in ds.statements_on("higher-tax")] == ["petrov-pay-more", "orlova-unfair"]


def test_the_sqlite_stance_matrix_view_gives_a_held_stance_to_its_holder(tmp_path: Path) -> None:
    """The SQLite view does as ``stance_matrix()``: actor = the holder where there is one, else
    the speaker; ``reported`` lists the statements that report the stance (NULL for none)."""
    export(open_bundle(_held(tmp_path)), "sqlite", tmp_path / "db")
    (path,) = (tmp_path / "db").glob("*.db")
    db = sqlite3.connect(path)
    try:
        rows = db.execute(
            "SELECT actor, actor_name, proposal, stances, statement_count, statements, reported "
            "FROM stance_matrix"
        ).fetchall()
    finally:
        db.close()
    assert rows == [
        ("anna-orlova", "Anna Orlova", "higher-tax", "opposes", 2, "orlova-unfair petrov-pay-more",
         "petrov-pay-more"),
        ("duma", "Duma", "higher-tax", "supports", 1, "orlova-unfair", "orlova-unfair"),
        ("ivan-petrov", "Ivan Petrov", "higher-tax", "supports", 1, "petrov-pay-more", None),
    ]  # fmt: skip


def test_the_diff_lists_a_holder_added_changed_or_removed_record_by_record() -> None:
    """A holder given to an existing stance, changed, or taken away is a change of that record's
    stances, shown field by field; each gives a position to an actor that did not hold it (a new
    cell of the stance matrix: the holder's, or the speaker's again), so it is MINOR."""
    old = open_bundle(MINIMAL)
    new = copy.deepcopy(old)
    stance = next(s for s in new["collections"]["statements"] if s["id"] == "orlova-unfair")["stances"][0]
    stance["holder"] = "duma"
    changed = copy.deepcopy(new)
    next(s for s in changed["collections"]["statements"] if s["id"] == "orlova-unfair")["stances"][0][
        "holder"
    ] = "ivan-petrov"
    lines = [
        render_text(diff(a, b), "a", "b").splitlines() for a, b in ((old, new), (new, changed), (new, old))
    ]
    assert [(found[0], found[-1]) for found in lines] == [
        (
            "diff a -> b: requires a MINOR version bump",
            'MINOR  statements orlova-unfair /stances: one item changed: holder added: "duma"',
        ),
        (
            "diff a -> b: requires a MINOR version bump",
            'MINOR  statements orlova-unfair /stances: one item changed: holder "[-duma-]{+ivan-petrov+}"',
        ),
        (
            "diff a -> b: requires a MINOR version bump",
            'MINOR  statements orlova-unfair /stances: one item changed: holder removed (was "duma")',
        ),
    ]
    assert diff(old, new).changes[0].as_dict() == {
        "collection": "statements",
        "id": "orlova-unfair",
        "kind": "changed",
        "pointer": "/stances",
        "old": [{"proposal": "higher-tax", "stance": "opposes"}],
        "new": [{"holder": "duma", "proposal": "higher-tax", "stance": "opposes"}],
        "level": "minor",
    }


def test_a_renamed_holder_is_followed_not_reported_as_a_change() -> None:
    """An actor renamed (its id changed, nothing else) is one MAJOR change; a stance naming it as
    holder that follows the rename is not a change of its own, as for a speaker."""
    old = open_bundle(MINIMAL)
    next(s for s in old["collections"]["statements"] if s["id"] == "orlova-unfair")["stances"][0][
        "holder"
    ] = "duma"
    # Every reference to the Duma (publisher, position, holder) follows it, as a careful edit does.
    new = json.loads(json.dumps(old).replace('"duma"', '"state-duma"'))
    assert [c.as_dict() for c in diff(old, new).changes] == [
        {
            "collection": "actors",
            "id": "duma",
            "kind": "renamed",
            "pointer": "/id",
            "old": "duma",
            "new": "state-duma",
            "level": "major",
        }
    ]
