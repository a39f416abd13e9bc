"""Ids and references: unique, resolvable, of the right kind, free of look-alikes; names shared."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from ..errors import Problem
from ..suggest import did_you_mean
from .context import SINGULAR, Context, Record, iter_anchors, values, where


def iter_duplicate_ids(ctx: Context) -> Iterator[Problem]:
    """DD301: ids are unique within a collection, across all of its files."""
    for name, records in ctx.records.items():
        for record in records:
            first = ctx.ids[name].get(record.id) if record.id is not None else None
            if first is not None and first is not record:
                yield ctx.problem(
                    "DD301",
                    f"duplicate {SINGULAR[name]} id {record.id!r} (first defined at {where(first)})",
                    record,
                    "/id",
                )


def iter_unresolved_references(ctx: Context) -> Iterator[Problem]:
    """DD302: every reference names an existing record of the right collection."""
    for ref in ctx.references:
        table = ctx.ids[ref.target]
        if ref.value not in table:
            hint = did_you_mean(ref.value, table)
            yield ctx.problem(
                "DD302", f"unknown {SINGULAR[ref.target]} {ref.value!r}{hint}", ref.record, ref.pointer
            )
    documents = ctx.ids["documents"]
    for record, pointer, anchor in ctx.anchors:
        document = anchor.get("document")
        if isinstance(document, str) and document not in documents:
            hint = did_you_mean(document, documents)
            yield ctx.problem("DD302", f"unknown document {document!r}{hint}", record, f"{pointer}/document")


_ORGANISATION_REFERENCES = ("parent", "positions/*/organisation", "positions/*/represents")


def iter_wrong_actor_kinds(ctx: Context) -> Iterator[Problem]:
    """DD308: parents, organisations of positions and represented places are organisations."""
    actors = ctx.ids["actors"]
    for record in ctx.records["actors"]:
        for path in _ORGANISATION_REFERENCES:
            for pointer, value in values(record.data, path.split("/")):
                target = actors.get(value) if isinstance(value, str) else None
                if target is not None and target.data.get("type") == "person":
                    field_name = path.rsplit("/", 1)[-1]
                    yield ctx.problem(
                        "DD308",
                        f"{field_name} {value!r} is a person, not an organisation",
                        record,
                        pointer,
                    )


def iter_parent_cycles(ctx: Context) -> Iterator[Problem]:
    """DD309: following parents from any organisation never comes back to it."""
    actors = ctx.ids["actors"]
    reported: set[str] = set()
    for record in ctx.records["actors"]:
        start = record.id
        seen: list[str] = []
        current = start
        while isinstance(current, str) and current in actors and current not in seen:
            seen.append(current)
            current = actors[current].data.get("parent")
        if current == start and start is not None and start not in reported:
            reported.update(seen)
            cycle = " -> ".join([*seen, start])
            yield ctx.problem("DD309", f"parent cycle: {cycle}", record, "/parent")


def iter_shared_names(ctx: Context) -> Iterator[Problem]:
    """DD312: two actors sharing a name or alias is worth a look (a duplicate actor?)."""
    owners: dict[str, Record] = {}
    for record in ctx.records["actors"]:
        names = [("/name", record.data.get("name"))]
        names += [
            (f"{p}/name", a.get("name"))
            for p, a in values(record.data, ["aliases", "*"])
            if isinstance(a, dict)
        ]
        for pointer, name in names:
            if not isinstance(name, str):
                continue
            first = owners.setdefault(name.casefold(), record)
            if first is not record and first.id != record.id:
                yield ctx.problem(
                    "DD312", f"name {name!r} is also used by actor {first.id!r}", record, pointer
                )


def iter_aliases_in_text(ctx: Context) -> Iterator[Problem]:
    """DD409: every alias is printed in at least one source text (when any text is available).

    The texts of the documents the actor is anchored in are searched first (where a name is
    printed, the actor is anchored), so the check stays linear in a large corpus; the others
    only when the name is not found there."""
    if not ctx.texts:
        return
    every_text = list(ctx.texts.values())
    for record in ctx.records["actors"]:
        documents = {a.get("document") for _, a in iter_anchors(record.data)}
        own = [t for t in (ctx.text_of(d) for d in documents if isinstance(d, str)) if t is not None]
        for pointer, alias in values(record.data, ["aliases", "*"]):
            name = alias.get("name") if isinstance(alias, dict) else None
            if not isinstance(name, str) or any(name in text for text in own):
                continue
            if not any(name in text for text in every_text):
                yield ctx.problem(
                    "DD409",
                    f"alias {name!r} does not occur in any source text found",
                    record,
                    f"{pointer}/name",
                )


# Letters from other scripts that look like the ASCII letters ids are made of.
_LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁһӏԛԝαεορτυνκιχ‐‑‒–—―−",  # noqa: RUF001 - these look-alikes are the point
    "aeopcyxijsdhlqwaeoptuvkix-------",
)


def _skeleton(value: str) -> str:
    """What an id looks like: NFKC-normalised, format characters (zero-width, bidi) removed,
    look-alike letters and dashes mapped to ASCII, lowercased."""
    folded = unicodedata.normalize("NFKC", value)
    visible = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    return visible.translate(_LOOKALIKES).lower()


def _describe(value: str) -> str:
    odd = [c for c in value if not (c.isascii() and c.isprintable())]
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'UNNAMED')}" for c in dict.fromkeys(odd))


def _is_plain(value: str) -> bool:
    return value.isascii() and value.isprintable()


def iter_lookalike_ids(ctx: Context) -> Iterator[Problem]:
    """DD313: ids (and references) are plain ASCII; a look-alike of another id is named as such."""
    odd = [
        (record, "/id", record.data["id"], name)
        for name, records in ctx.records.items()
        for record in records
        if isinstance(record.data.get("id"), str) and not _is_plain(record.data["id"])
    ]
    odd += [(r.record, r.pointer, r.value, r.target) for r in ctx.references if not _is_plain(r.value)]
    if not odd:
        return  # the usual case: nothing to compare, no skeletons to compute
    # The plain spellings in use for each collection: its ids, and the references made to it.
    spellings: dict[str, set[str]] = {
        name: {i for i in table if i.isascii()} for name, table in ctx.ids.items()
    }
    for ref in ctx.references:
        if ref.value.isascii():
            spellings[ref.target].add(ref.value)
    skeletons = {name: {_skeleton(i): i for i in sorted(found)} for name, found in spellings.items()}
    for record, pointer, value, target in sorted(odd, key=lambda o: (o[0].collection, o[0].index, o[1])):
        twin = skeletons[target].get(_skeleton(value))
        message = f"{value!r} contains {_describe(value)}"
        if twin is not None and twin != value:
            message += f": it differs from {twin!r} only by look-alike or invisible characters"
        yield ctx.problem("DD313", message, record, pointer)
