"""A stance's holder (``stances[].holder``): the actor whose position a statement reports.

It is checked as a reference to an actor (the invalid cases ``stance-holder-*`` give the exact
messages), read in the one pass over a statement as the general functions read it, attributed
to the holder (not the speaker) in the stance matrix, marked as reported, in Python and in the
SQLite export, and listed by the diff record by record.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dispatchdata.check.rules import facts
from dispatchdata.check.rules.context import references_of
from dispatchdata.check.rules.dates import statement_facts

from .helpers import examples

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
