"""The rules that walk nested fields find what they find at the exact place: DD317 at every
free-text path of every collection (the documents' footnote dates two lists deep), DD311 and
DD408 at the footnote and date they concern; and DD317's walk of a nested path finds exactly the
values that ``values`` lists, whatever shape the data has."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatchdata.check.rules import facts
from dispatchdata.check.rules.characters import FREE_TEXT, character_check, odd_characters
from dispatchdata.check.rules.context import values

from .helpers import examples

ODD = "Moscow\u202eweN"  # a right-to-left override inside a name


def _placed(parts: list[str], value: Any) -> tuple[Any, str]:
    """A value at the path ``parts`` (each list two items long, the value in the second), and
    its JSON pointer."""
    if not parts:
        return value, ""
    inner, pointer = _placed(parts[1:], value)
    if parts[0] == "*":
        return [{}, inner], f"/1{pointer}"
    return {parts[0]: inner}, f"/{parts[0]}{pointer}"


PATHS = [(collection, path) for collection, paths in FREE_TEXT.items() for path in paths]


@pytest.mark.parametrize(("collection", "path"), PATHS, ids=[f"{c}:{p}" for c, p in PATHS])
def test_a_control_character_at_any_free_text_path_is_found_there(collection: str, path: str) -> None:
    """U+202E at a free-text path, behind a first list item that holds nothing, is one DD317 at
    that path's pointer, with the list indexes."""
    record, pointer = _placed(path.split("/"), ODD)
    out: list[Any] = []
    character_check(collection)(out, 3, record, [])
    assert [(f.record, f.code, f.pointer) for f in out] == [(3, "DD317", pointer)]
    assert "U+202E RIGHT-TO-LEFT OVERRIDE at character 7" in out[0].message


_LEAF = st.sampled_from(["plain", ODD, "tab\there", 3, None, True])
_SHAPES = st.recursive(
    _LEAF,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["footnotes", "dates", "erratum", "note", "printed", "x"]), inner, max_size=3
        )
    ),
    max_leaves=12,
)


@settings(max_examples=examples(300), deadline=None)
@given(footnotes=_SHAPES)
def test_the_walk_of_nested_free_text_finds_what_values_lists(footnotes: Any) -> None:
    """Whatever a document's footnotes hold, DD317 reports exactly the strings with odd
    characters among the values ``values`` lists at the nested free-text paths, at its pointers,
    in its order."""
    record = {"footnotes": footnotes}
    expected = [
        pointer
        for path in FREE_TEXT["documents"]
        if path.count("/") > 2
        for pointer, value in values(record, path.split("/"))
        if isinstance(value, str) and odd_characters(value)
    ]
    out: list[Any] = []
    character_check("documents")(out, 0, record, [])
    assert [f.pointer for f in out] == expected


def test_footnote_date_and_text_findings_name_their_footnote_and_date() -> None:
    """A printed date that the ISO date does not match is DD311 at that date (second footnote,
    third date); a printed text that is not its anchor's is DD408 at that footnote."""
    anchor = {"document": "d", "start": 0, "end": 3, "exact": "[2]"}
    document = {
        "id": "d",
        "footnotes": [
            {"number": 1, "dates": [{"printed": "May 1, 2022", "date": "2022-05-01"}]},
            {
                "number": 2,
                "printed": "[2].",
                "anchor": anchor,
                "dates": [
                    {"printed": "May 2, 2022", "date": "2022-05-02"},
                    {"printed": "May 3, 2022", "date": "2022-05-03"},
                    {"printed": "May 4, 2022", "date": "2022-05-05"},
                ],
            },
        ],
    }
    found = facts.extract("documents", [document]).findings
    assert [(f.code, f.pointer) for f in found] == [
        ("DD311", "/footnotes/1/dates/2/date"),
        ("DD408", "/footnotes/1/printed"),
    ]
