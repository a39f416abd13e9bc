"""'Did you mean …?' for unknown identifiers."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .display import excerpt


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A ``" (did you mean 'x'?)"`` hint naming the closest candidate, or ``""`` if none is close."""
    pool = list(candidates)
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not matches:
        # Ids often differ by word order or a dropped word: try the words as a set.
        words = set(word.split("-"))
        scored = [(len(words & set(c.split("-"))), c) for c in pool]
        best = max(scored, default=(0, ""))
        if best[0] >= max(1, len(words) - 1):
            matches = [best[1]]
    return f" (did you mean {excerpt(matches[0])!r}?)" if matches else ""
