"""Entity-aware diff of two datasets, and the version bump it requires (Data Package Version).

Records are matched by (collection, id). A record whose id changed but whose content is the same,
or the same but for one field, is a *rename*. Changed records are compared field by field, with
JSON pointers; list fields whose order carries no meaning are compared as sets. Metadata and the
schema are compared too. The level each kind of change requires is named in
:mod:`dispatchdata.semver`.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..check.open import open_bundle, open_indexed
from ..check.schema import schema_digest
from ..display import excerpt
from ..read.common import escape
from ..read.folder import COLLECTIONS
from ..read.jsontext import canonical_json
from ..read.records import Indexed, index_bundle
from ..semver import (
    CONSTRAINT_CHANGED,
    ENUM_VALUE_ADDED,
    ENUM_VALUE_REMOVED,
    FIELD_MADE_REQUIRED,
    METADATA_CHANGED,
    RECORD_ADDED,
    RECORD_REMOVED,
    RECORD_RENAMED,
    REQUIREMENT_DROPPED,
    SCHEMA_FIELD_ADDED,
    SCHEMA_FIELD_REMOVED,
    SCHEMA_TEXT_CHANGED,
    STANCE_ADDED,
    TYPE_CHANGED,
    VALUE_CORRECTED,
    highest,
)
from .record_match import SET_FIELDS, Renames, find_renames, follow_renames, normalize, without_id


@dataclass(frozen=True, slots=True)
class Change:
    """One difference: in a collection (or ``metadata`` / ``schema``), for a record id, at a pointer."""

    collection: str
    id: str | None
    kind: str  # added | removed | renamed | changed
    pointer: str
    old: Any
    new: Any
    level: str
    why: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The documented JSON shape of a change."""
        return {
            "collection": self.collection,
            "id": self.id,
            "kind": self.kind,
            "pointer": self.pointer,
            "old": self.old,
            "new": self.new,
            "level": self.level,
        }


@dataclass(frozen=True)
class Diff:
    """The changes from one dataset (bundle) to another, and the version bump they require."""

    changes: tuple[Change, ...]
    old_version: str | None = None
    new_version: str | None = None

    def __bool__(self) -> bool:
        return bool(self.changes)

    @property
    def required(self) -> str | None:
        """The smallest bump these changes require: 'major', 'minor', 'patch', or None."""
        if not self.changes:
            return None
        return highest(c.level for c in self.changes)

    def reasons(self) -> Iterator[str]:
        """One line per change at the required level (why that level)."""
        for change in self.changes:
            if change.level == self.required:
                what = f"{change.collection} {excerpt(change.id)!r}" if change.id else change.collection
                yield f"{what}: {change.why or change.kind}"

    def counts(self) -> dict[str, Counter[str]]:
        """Per collection, how many records were added, removed, renamed, changed."""
        counts: dict[str, Counter[str]] = {}
        seen: set[tuple[str, str | None, str]] = set()
        for change in self.changes:
            kind = change.kind if (not change.pointer or change.kind == "renamed") else "changed"
            key = (change.collection, change.id, kind)
            if key not in seen:
                seen.add(key)
                counts.setdefault(change.collection, Counter())[kind] += 1
        return counts

    def apply(
        self, bundle: str | Path | dict[str, Any], *, sources: Iterable[str | Path] = ()
    ) -> dict[str, Any]:
        """Turn the old bundle into the new one (equal up to the order of set-like lists). The
        old one as :func:`diff` takes it: a released version (``"1.0.0"``), a dataset folder, a
        release bundle file (each validated first), or a bundle already in memory."""
        if not isinstance(bundle, dict):
            bundle = open_bundle(bundle, sources)
        result = copy.deepcopy(bundle)
        collections = result["collections"]
        schema_changed = False
        for change in self.changes:
            delete = change.kind == "removed"
            if change.collection == "metadata":
                _set(result, "/metadata" + change.pointer, change.new, delete)
            elif change.collection == "schema":
                schema_changed = True
                _set(result, "/schema" + change.pointer, change.new, delete)
            elif change.kind == "renamed":
                for record in collections[change.collection]:
                    if record.get("id") == change.old:
                        record["id"] = change.new
                renames = {change.collection: {change.old: change.new}}
                for name, records in collections.items():
                    collections[name] = follow_renames(records, renames)
            elif not change.pointer and change.kind == "added":
                collections[change.collection].append(copy.deepcopy(change.new))
            elif not change.pointer and change.kind == "removed":
                records = collections[change.collection]
                records[:] = [r for r in records if r.get("id") != change.id]
            else:
                record = next(r for r in collections[change.collection] if r.get("id") == change.id)
                _set(record, change.pointer, change.new, delete)
        if schema_changed:
            result["schema"]["sha256"] = schema_digest(result["schema"]["files"])
        if self.new_version is not None:
            result["version"] = self.new_version
        return result


_MISSING: Any = object()  # marks an absent value while comparing; shown as null in a Change


def _set(target: Any, pointer: str, value: Any, delete: bool) -> None:
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    for token in tokens[:-1]:
        target = target[int(token)] if isinstance(target, list) else target.setdefault(token, {})
    last = tokens[-1]
    if isinstance(target, list):
        target[int(last)] = copy.deepcopy(value)
    elif delete:
        target.pop(last, None)
    else:
        target[last] = copy.deepcopy(value)


def _kind(old: Any, new: Any) -> str:
    return "added" if old is _MISSING else "removed" if new is _MISSING else "changed"


def _shown(value: Any) -> Any:
    return None if value is _MISSING else value


def _field_changes(old: Any, new: Any, pointer: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(pointer, old, new) for every differing leaf (``_MISSING`` where absent); set-like lists are
    compared as sets, and reported whole."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            here = f"{pointer}/{escape(key)}"
            a, b = old.get(key, _MISSING), new.get(key, _MISSING)
            if a is _MISSING or b is _MISSING:
                yield here, a, b
            elif key in SET_FIELDS and isinstance(a, list) and isinstance(b, list):
                if canonical_json(normalize(a, key)) != canonical_json(normalize(b, key)):
                    yield here, a, b
            else:
                yield from _field_changes(a, b, here)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from _field_changes(a, b, f"{pointer}/{i}")
    elif canonical_json(old) != canonical_json(new):
        yield pointer, old, new


def _iter_collection(name: str, before: Indexed, after: Indexed, renames: Renames) -> Iterator[Change]:
    """Changes in one collection; references that merely follow a rename are not changes."""
    renamed = renames.get(name, {})
    for old_id, new_id in sorted(renamed.items()):
        why = f"id renamed to {excerpt(new_id)!r}"
        yield Change(name, old_id, "renamed", "/id", old_id, new_id, RECORD_RENAMED, why)
        old = follow_renames(without_id(json.loads(before[old_id])), renames)
        for pointer, a, b in _field_changes(old, without_id(json.loads(after[new_id]))):
            level, why = _value_level(pointer, a, b)
            yield Change(name, new_id, _kind(a, b), pointer, _shown(a), _shown(b), level, why)
    for record_id in sorted(before.keys() - after.keys()):
        if record_id not in renamed:
            record = json.loads(before[record_id])
            yield Change(name, record_id, "removed", "", record, None, RECORD_REMOVED, "record removed")
    renamed_to = set(renamed.values())
    for record_id in sorted(after.keys() - before.keys()):
        if record_id not in renamed_to:
            record = json.loads(after[record_id])
            yield Change(name, record_id, "added", "", None, record, RECORD_ADDED, "record added")
    follow = any(renames.values())
    for record_id in sorted(before.keys() & after.keys()):
        text = after[record_id]
        if follow:
            old = follow_renames(json.loads(before[record_id]), renames)
            if canonical_json(old) == text:
                continue
        elif before[record_id] == text:
            continue  # most records of a large dataset: unchanged
        else:
            old = json.loads(before[record_id])
        for pointer, a, b in _field_changes(old, json.loads(text)):
            level, why = _value_level(pointer, a, b)
            yield Change(name, record_id, _kind(a, b), pointer, _shown(a), _shown(b), level, why)


def _stance_keys(stances: Any) -> set[tuple[Any, Any]]:
    """Who holds a position on what: (proposal, holder) of each stance in a list (holder None:
    the speaker)."""
    if not isinstance(stances, list):
        return set()
    return {(s.get("proposal"), s.get("holder")) for s in stances if isinstance(s, dict)}


def _value_level(pointer: str, old: Any, new: Any) -> tuple[str, str]:
    """The level of a change to a field of a record kept under its id: a correction, except a
    position added — a stance on a proposal, for a holder, that the record had none on (a new
    stance, or one moved to another proposal or holder: a new cell of the stance matrix) — which
    adds data. A stance removed, or whose value or note changed, is corrected."""
    if pointer == "/stances" and _stance_keys(new) - _stance_keys(old):
        return STANCE_ADDED, "stance added"
    return VALUE_CORRECTED, "value corrected"


_SCHEMA_TEXT = frozenset({"description", "title", "$comment", "examples"})  # keywords that only document


def _schema_level(key: str, old: Any, new: Any) -> tuple[str, str]:
    """The level of a change to one schema keyword, and why (unknown changes count as major)."""
    if key in _SCHEMA_TEXT:
        return SCHEMA_TEXT_CHANGED, "schema documentation changed"
    if key == "required" and isinstance(old, list) and isinstance(new, list):
        if set(new) - set(old):
            return FIELD_MADE_REQUIRED, f"field(s) made required: {', '.join(sorted(set(new) - set(old)))}"
        return REQUIREMENT_DROPPED, "requirement(s) dropped"
    if key == "enum" and isinstance(old, list) and isinstance(new, list):
        gone = [v for v in old if v not in new]
        if gone:
            return ENUM_VALUE_REMOVED, f"enum value(s) removed: {', '.join(map(str, gone))}"
        return ENUM_VALUE_ADDED, "enum value(s) added"
    if key == "type":
        return TYPE_CHANGED, "a field's type changed"
    return CONSTRAINT_CHANGED, f"constraint '{key}' changed"


def _iter_schema(old: dict[str, Any], new: dict[str, Any], pointer: str) -> Iterator[Change]:
    for key in sorted(set(old) | set(new)):
        here = f"{pointer}/{escape(key)}"
        a, b = old.get(key, _MISSING), new.get(key, _MISSING)
        if a is not _MISSING and b is not _MISSING and canonical_json(a) == canonical_json(b):
            continue
        if key == "properties" and isinstance(a, dict) and isinstance(b, dict):
            for name in sorted(set(a) | set(b)):
                field_pointer = f"{here}/{escape(name)}"
                if name not in b:
                    yield Change(
                        "schema",
                        None,
                        "removed",
                        field_pointer,
                        a[name],
                        None,
                        SCHEMA_FIELD_REMOVED,
                        f"schema field {name!r} removed",
                    )
                elif name not in a:
                    yield Change(
                        "schema",
                        None,
                        "added",
                        field_pointer,
                        None,
                        b[name],
                        SCHEMA_FIELD_ADDED,
                        f"schema field {name!r} added",
                    )
                elif isinstance(a[name], dict) and isinstance(b[name], dict):
                    yield from _iter_schema(a[name], b[name], field_pointer)
        elif isinstance(a, dict) and isinstance(b, dict):
            yield from _iter_schema(a, b, here)
        else:
            level, why = _schema_level(key, _shown(a), _shown(b))
            yield Change("schema", None, _kind(a, b), here, _shown(a), _shown(b), level, why)


def diff_indexed(
    old: dict[str, Any], new: dict[str, Any], before: dict[str, Indexed], after: dict[str, Indexed]
) -> Diff:
    """The diff between two bundles whose records are given as indexes (see
    :func:`~dispatchdata.read.records.index_records`, :func:`~dispatchdata.check.open.open_indexed`);
    of the bundles themselves, only the version, metadata and schema are read."""
    changes: list[Change] = []
    for pointer, a, b in _field_changes(old.get("metadata", {}), new.get("metadata", {})):
        changes.append(
            Change(
                "metadata",
                None,
                _kind(a, b),
                pointer,
                _shown(a),
                _shown(b),
                METADATA_CHANGED,
                "metadata changed",
            )
        )
    old_schema, new_schema = old.get("schema", {}), new.get("schema", {})
    if old_schema.get("sha256") != new_schema.get("sha256"):
        changes.extend(_iter_schema(old_schema.get("files", {}), new_schema.get("files", {}), "/files"))
    renames: Renames = {}
    for name in COLLECTIONS:
        old_ids, new_ids = before.get(name, {}), after.get(name, {})
        removed = {i: r for i, r in old_ids.items() if i not in new_ids}
        added = {i: r for i, r in new_ids.items() if i not in old_ids}
        renames[name] = dict(find_renames(removed, added))
    for name in COLLECTIONS:
        changes.extend(_iter_collection(name, before.get(name, {}), after.get(name, {}), renames))
    return Diff(tuple(changes), old.get("version"), new.get("version"))


def diff(
    old: str | Path | dict[str, Any], new: str | Path | dict[str, Any], *, sources: Iterable[str | Path] = ()
) -> Diff:
    """The diff from ``old`` to ``new``: each a released version (``"1.0.0"``), a dataset folder, a
    release bundle file, or a bundle already in memory. Both are validated first
    (:class:`~dispatchdata.errors.InvalidDatasetError` if either is invalid)."""
    a, before = (old, index_bundle(old)) if isinstance(old, dict) else open_indexed(old, sources)
    b, after = (new, index_bundle(new)) if isinstance(new, dict) else open_indexed(new, sources)
    return diff_indexed(a, b, before, after)
