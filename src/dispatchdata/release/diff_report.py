"""Renderers of a :class:`~dispatchdata.release.diff.Diff`: text (a terminal), JSON, Markdown (a PR comment).

Ids and values come from the data: the text and Markdown renderers excerpt long values and write
every line through :func:`~dispatchdata.display.printable`, the JSON renderer through
:func:`~dispatchdata.display.json_printable`, so that no id or value acts on the reader.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..display import excerpt, first_difference, json_printable, printable_line
from ..semver import highest

if TYPE_CHECKING:
    from .diff import Change, Diff

KINDS = ("added", "removed", "renamed", "changed")
DiffRenderer = Callable[["Diff", str, str], str]


def _short(value: Any, limit: int = 80) -> str:
    return excerpt(json.dumps(value, ensure_ascii=False, sort_keys=True), width=limit)


def _item(value: Any, limit: int = 80) -> str:
    """A list item as :func:`_short` shows it, but a dict's short fields first: what tells two
    items apart (a stance's proposal) is not cut off behind a long note."""
    if not isinstance(value, dict):
        return _short(value, limit)
    fields = sorted(value.items(), key=lambda kv: (len(json.dumps(kv[1], ensure_ascii=False)), kv[0]))
    return excerpt(json.dumps(dict(fields), ensure_ascii=False), width=limit)


def _inline(old: str, new: str, context: int = 24) -> str:
    """A one-line word diff of two strings: the common text around, [-removed-]{+added+} between."""
    a, b = re.split(r"(\W+)", old), re.split(r"(\W+)", new)
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    before, after = "".join(a[:start]), "".join(a[len(a) - end :])
    removed, added = "".join(a[start : len(a) - end]), "".join(b[start : len(b) - end])
    lead = "…" + before[-context:] if len(before) > context else before
    tail = after[:context] + "…" if len(after) > context else after
    # What changed is shown around where it starts to differ, not at length.
    at = first_difference(removed, added)
    removed, added = excerpt(removed, at), excerpt(added, at)
    return json.dumps(f"{lead}[-{removed}-]{{+{added}+}}{tail}", ensure_ascii=False)


def _list_change(old: list[Any], new: list[Any]) -> str:
    """A set-like list's change: the items removed and added; an item changed in place is shown
    field by field (a field it gained or lost as added or removed: a stance's holder, say). One
    item removed and one added are that item changed; among more, an item removed and one added
    that differ in one field only (a note added to one of several stances) are."""
    keys_old = {json.dumps(v, sort_keys=True): v for v in old}
    keys_new = {json.dumps(v, sort_keys=True): v for v in new}
    removed = [v for k, v in keys_old.items() if k not in keys_new]
    added = [v for k, v in keys_new.items() if k not in keys_old]
    if len(removed) == len(added) == 1 and isinstance(removed[0], dict) and isinstance(added[0], dict):
        return "one item changed: " + _fields_changed(removed[0], added[0])
    pairs = []
    for a in list(removed):
        b = next((b for b in added if _one_field_apart(a, b)), None)
        if b is not None:
            pairs.append((a, b))
            removed.remove(a)
            added.remove(b)
    pieces = [f"{_short(_common(a, b))} changed: {_fields_changed(a, b)}" for a, b in pairs]
    pieces += [f"-{_item(v)}" for v in removed] + [f"+{_item(v)}" for v in added]
    return ", ".join(pieces)


def _one_field_apart(a: Any, b: Any) -> bool:
    """Whether two dicts differ in exactly one key (present in one only, or with two values)."""
    if not (isinstance(a, dict) and isinstance(b, dict)):
        return False
    return sum(1 for key in set(a) | set(b) if key not in a or key not in b or a[key] != b[key]) == 1


def _common(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """What says which item changed: the fields it kept."""
    return {key: a[key] for key in sorted(a) if key in b and a[key] == b[key]}


def _fields_changed(a: dict[str, Any], b: dict[str, Any]) -> str:
    parts = []
    for key in sorted(set(a) | set(b)):
        if key not in a:
            parts.append(f"{key} added: {_short(b[key])}")
        elif key not in b:
            parts.append(f"{key} removed (was {_short(a[key])})")
        elif a[key] != b[key]:
            x, y = a[key], b[key]
            shown = (
                _inline(x, y) if isinstance(x, str) and isinstance(y, str) else f"{_short(x)} -> {_short(y)}"
            )
            parts.append(f"{key} {shown}")
    return "; ".join(parts)


def _verdict(diff: Diff) -> str:
    if diff.required is None:
        return "no changes: no new version needed"
    return f"requires a {diff.required.upper()} version bump"


def _rows(diff: Diff) -> list[tuple[str, list[int]]]:
    counts = diff.counts()
    return [(name, [counts[name][k] for k in KINDS]) for name in sorted(counts)]


def _describe(change: Change) -> str:
    where = change.pointer or ""
    if change.kind == "renamed":
        return f"renamed to {excerpt(str(change.new))!r}"
    if not change.pointer and change.kind == "added":
        return "added"
    if not change.pointer and change.kind == "removed":
        return "removed"
    if change.kind == "added":
        return f"{where} added: {_short(change.new)}"
    if change.kind == "removed":
        return f"{where} removed (was {_short(change.old)})"
    if isinstance(change.old, str) and isinstance(change.new, str):
        return f"{where}: {_inline(change.old, change.new)}"
    if isinstance(change.old, list) and isinstance(change.new, list):
        return f"{where}: {_list_change(change.old, change.new)}"
    return f"{where}: {_short(change.old)} -> {_short(change.new)}"


def render_text(diff: Diff, old: str, new: str) -> str:
    """A summary table of counts per collection, then one line per change."""
    lines = [f"diff {old} -> {new}: {_verdict(diff)}"]
    if diff.changes:
        width = max(len(name) for name, _ in _rows(diff))
        lines.append("")
        lines.append(f"{'':{width}}  " + "  ".join(f"{k:>7}" for k in KINDS))
        lines += [f"{name:{width}}  " + "  ".join(f"{n:>7}" for n in row) for name, row in _rows(diff)]
        lines.append("")
        for change in diff.changes:
            subject = f"{change.collection} {excerpt(change.id)}" if change.id else change.collection
            lines.append(f"{change.level.upper():5}  {subject} {_describe(change)}")
    return "".join(printable_line(line) + "\n" for line in lines)


def diff_as_dict(diff: Diff) -> dict[str, Any]:
    """The documented JSON shape: versions, the verdict, counts, and every change."""
    return {
        "old_version": diff.old_version,
        "new_version": diff.new_version,
        "required": diff.required,
        "summary": {name: dict(zip(KINDS, row, strict=True)) for name, row in _rows(diff)},
        "changes": [c.as_dict() for c in diff.changes],
    }


def render_json(diff: Diff, old: str, new: str) -> str:
    """One JSON object (see :func:`diff_as_dict`)."""
    return json_printable(json.dumps(diff_as_dict(diff), indent=2, sort_keys=True, ensure_ascii=False)) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def render_markdown(diff: Diff, old: str, new: str) -> str:
    """A pull-request comment: the verdict, a table of counts, details folded per record."""
    lines = [f"### dispatchdata diff `{old}` → `{new}`", "", f"**{_verdict(diff).capitalize()}.**"]
    if not diff.changes:
        return "".join(printable_line(line) + "\n" for line in lines)
    lines += ["", "| collection | " + " | ".join(KINDS) + " |", "|---|" + "---:|" * len(KINDS)]
    lines += [f"| {name} | " + " | ".join(str(n) for n in row) + " |" for name, row in _rows(diff)]
    groups: dict[tuple[str, str | None], list[Change]] = {}
    for change in diff.changes:
        groups.setdefault((change.collection, change.id), []).append(change)
    lines.append("")
    for (collection, record), changes in groups.items():
        level = highest(c.level for c in changes)
        title = f"{collection} <code>{_md(excerpt(record))}</code>" if record else collection
        # A field added to or removed from a record changes the record: only a change of the whole
        # record (no pointer) names the record added, removed or renamed.
        kind = changes[0].kind if not changes[0].pointer else "changed"
        lines += [f"<details><summary>{title}: {_md(kind)} ({level})</summary>", ""]
        lines += [f"- {_md(_describe(c))}" for c in changes]
        lines += ["", "</details>"]
    return "".join(printable_line(line) + "\n" for line in lines)


DIFF_REPORTERS: dict[str, DiffRenderer] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
}
