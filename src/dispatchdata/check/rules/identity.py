"""Ids: free of look-alikes; parents free of cycles."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import TypeVar

from ...display import excerpt
from .characters import describe_character

P = TypeVar("P")


def parent_cycles(actors: list[tuple[P, str]], parents: dict[str, str | None]) -> Iterator[tuple[P, str]]:
    """DD309: (place, message) for each parent cycle, once, at the first actor that starts it.

    ``actors`` holds (place, id) of every actor record in reading order; ``parents`` maps each
    actor id (its first record) to its parent (None when it has no string one)."""
    reported: set[str] = set()
    for place, start in actors:
        seen: list[str] = []
        current: str | None = start
        while current is not None and current in parents and current not in seen:
            seen.append(current)
            current = parents[current]
        if current == start and start not in reported:
            reported.update(seen)
            yield place, f"parent cycle: {' -> '.join(excerpt(i) for i in [*seen, start])}"


# Letters from other scripts that look like the ASCII letters ids are made of.
_LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁһӏԛԝαεορτυνκιχ‐‑‒–—―−",  # noqa: RUF001 - these look-alikes are the point
    "aeopcyxijsdhlqwaeoptuvkix-------",
)


def skeleton(value: str) -> str:
    """What an id looks like: NFKC-normalised, format characters (zero-width, bidi) removed,
    look-alike letters and dashes mapped to ASCII, lowercased."""
    folded = unicodedata.normalize("NFKC", value)
    visible = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    return visible.translate(_LOOKALIKES).lower()


def _describe(value: str) -> str:
    odd = [c for c in value if not (c.isascii() and c.isprintable())]
    return ", ".join(describe_character(c) for c in dict.fromkeys(odd))


def is_plain(value: str) -> bool:
    return value.isascii() and value.isprintable()


def describe_lookalike(value: str, spellings: dict[str, str]) -> str:
    """DD313's message for a value that is not plain ASCII; ``spellings`` maps the skeletons of
    the plain spellings in use to those spellings."""
    twin = spellings.get(skeleton(value))
    message = f"{excerpt(value)!r} contains {_describe(value)}"
    if twin is not None and twin != value:
        message += f": it differs from {excerpt(twin)!r} only by look-alike or invisible characters"
    return message
