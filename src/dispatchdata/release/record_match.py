"""Matching the records of two releases: lists whose order carries no meaning compared as sets,
records whose id changed found (renames), and references carried along a rename."""

from __future__ import annotations

import json
from typing import Any

from ..check.rules.context import REFERENCES
from ..read.jsontext import canonical_json
from ..read.records import Indexed

#: Fields whose lists are sets: their order carries no meaning.
SET_FIELDS = frozenset(
    {"aliases", "positions", "anchors", "quotes", "stances", "responds_to", "targets", "proposed_by",
     "footnotes", "errata", "keywords", "creators", "dates"}
)  # fmt: skip
#: Keys that hold references, and the collection they refer to (from the validator's own list,
#: plus every anchor's document). A rename carries them along.
REFERENCE_KEYS = {[p for p in path.split("/") if p != "*"][-1]: target for _, path, target in REFERENCES} | {
    "document": "documents"
}
Renames = dict[str, dict[str, str]]  # collection -> old id -> new id


def follow_renames(value: Any, renames: Renames) -> Any:
    """A copy of ``value`` whose references to renamed records use the new ids."""
    if isinstance(value, dict):
        result: dict[str, Any] = {}
        for key, item in value.items():
            table = renames.get(REFERENCE_KEYS.get(key, ""), {})
            if table and isinstance(item, str):
                result[key] = table.get(item, item)
            elif table and isinstance(item, list):
                result[key] = [
                    table.get(i, i) if isinstance(i, str) else follow_renames(i, renames) for i in item
                ]
            else:
                result[key] = follow_renames(item, renames)
        return result
    if isinstance(value, list):
        return [follow_renames(v, renames) for v in value]
    return value


def normalize(value: Any, key: str | None = None) -> Any:
    """A value with set-like lists sorted, so that equal-as-sets compares equal."""
    if isinstance(value, dict):
        return {k: normalize(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [normalize(v) for v in value]
        return sorted(items, key=canonical_json) if key in SET_FIELDS else items
    return value


def without_id(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "id"}


def find_renames(removed: Indexed, added: Indexed) -> list[tuple[str, str]]:
    """Pairs (old id, new id) of records whose content is the same, or the same but one field."""
    pairs: list[tuple[str, str]] = []
    by_content: dict[str, list[str]] = {}
    for new_id, text in added.items():
        by_content.setdefault(canonical_json(normalize(without_id(json.loads(text)))), []).append(new_id)
    left = []
    for old_id, text in removed.items():
        candidates = by_content.get(canonical_json(normalize(without_id(json.loads(text)))))
        if candidates:
            pairs.append((old_id, candidates.pop(0)))
        else:
            left.append(old_id)
    taken = {new for _, new in pairs}
    rest = [i for i in added if i not in taken]
    if len(left) * len(rest) > 250_000:
        return pairs  # too many to compare pairwise: exact renames only
    for old_id in left:
        a = normalize(without_id(json.loads(removed[old_id])))
        best = None
        for new_id in rest:
            b = normalize(without_id(json.loads(added[new_id])))
            if set(a) != set(b):
                continue
            differing = sum(canonical_json(a[k]) != canonical_json(b[k]) for k in a)
            if differing <= 1 and len(a) > 2:
                best = new_id
                break
        if best is not None:
            pairs.append((old_id, best))
            rest.remove(best)
    return pairs
