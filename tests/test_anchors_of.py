"""Where a record's anchors are: ``anchors_of`` (counted by hand, for speed) gives every anchor
with the pointer the general path walker gives it, items of other types skipped but counted."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dispatchdata.check.rules.context import ANCHOR_ITEMS, ANCHOR_LISTS, anchors_of, values

from .helpers import examples

_ANCHOR = st.fixed_dictionaries({"document": st.just("doc-a"), "start": st.integers(0, 9)})
_ODD = st.one_of(st.none(), st.integers(), st.text(max_size=2), st.lists(st.integers(), max_size=2))
_ITEM = st.one_of(_ANCHOR, _ODD)
_HOLDER = st.one_of(st.fixed_dictionaries({"anchor": st.one_of(_ANCHOR, _ODD)}), _ODD)


def _expected(data: dict[str, Any]) -> list[tuple[str, Any]]:
    found = [
        (pointer, item)
        for key in ANCHOR_LISTS
        for pointer, item in values(data, [key, "*"])
        if isinstance(item, dict)
    ]
    found += [
        (pointer, anchor)
        for key in ANCHOR_ITEMS
        for pointer, anchor in values(data, [key, "*", "anchor"])
        if isinstance(anchor, dict)
    ]
    return found


@settings(max_examples=examples(200))
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "anchors": st.one_of(st.lists(_ITEM, max_size=4), _ODD),
            "quotes": st.one_of(st.lists(_ITEM, max_size=4), _ODD),
            "positions": st.one_of(st.lists(_HOLDER, max_size=3), _ODD),
            "footnotes": st.one_of(st.lists(_HOLDER, max_size=3), _ODD),
        },
    )
)
def test_anchors_are_found_with_their_pointers(data: dict[str, Any]) -> None:
    """Each anchor, in order, with its pointer (``/quotes/2``, ``/footnotes/1/anchor``), where
    the items before it may be of any type."""
    assert _expected(data) == anchors_of(data)


def test_an_anchor_after_other_items_has_its_own_position() -> None:
    """The pointer counts the items that are not anchors too."""
    data = {"quotes": [None, {"start": 1}], "footnotes": [1, {"anchor": {"start": 2}}]}
    expected = [("/quotes/1", {"start": 1}), ("/footnotes/1/anchor", {"start": 2})]
    assert expected == anchors_of(data)


def test_a_long_list_gets_pointers_past_the_ones_made_ahead() -> None:
    """Pointers are made ahead for the first 64 items of a list; the 65th gets one too."""
    data = {"anchors": [{"start": i} for i in range(66)]}
    expected = [f"/anchors/{i}" for i in range(66)]
    assert expected == [pointer for pointer, _ in anchors_of(data)]
