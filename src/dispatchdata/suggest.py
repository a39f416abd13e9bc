"""'Did you mean …?' for unknown identifiers."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable

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


#: How many candidates the hints of one run may compare a word with, in all (see :class:`Hints`).
HINT_BUDGET = 50_000


class Hints:
    """'Did you mean …?' hints within a budget of comparisons. A hint compares the unknown word
    with every candidate, so a dataset of thousands of dangling references into tens of thousands
    of ids (hostile, or a botched rename) would take time proportional to their product: many
    minutes. Once the budget is spent, a problem is reported all the same, without a hint."""

    __slots__ = ("left",)

    def __init__(self, budget: int | None = None) -> None:
        self.left = HINT_BUDGET if budget is None else budget

    def __call__(self, word: str, candidates: Collection[str]) -> str:
        """The hint for ``word`` among ``candidates`` (see :func:`did_you_mean`), or ``""`` when
        comparing them would overspend the budget."""
        if len(candidates) > self.left:
            return ""
        self.left -= len(candidates)
        return did_you_mean(word, candidates)
