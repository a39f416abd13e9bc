"""Cross-record rules: what a schema cannot see. One generator per rule, each yielding problems.

Rules read the raw parsed data, so they must hold up on data the schema has already rejected:
they skip whatever is not of the expected shape (the schema reports it) rather than fail.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from ..errors import Problem
from ..layout import RawDataset
from .anchors import iter_anchor_documents, iter_anchor_problems
from .bundle import iter_bundle_problems
from .context import REFERENCES, Context, Rule
from .dates import iter_footnote_problems, iter_statement_order
from .identity import (
    iter_aliases_in_text,
    iter_duplicate_ids,
    iter_lookalike_ids,
    iter_parent_cycles,
    iter_shared_names,
    iter_unresolved_references,
    iter_wrong_actor_kinds,
)

__all__ = ["REFERENCES", "RULES", "Context", "Rule", "iter_rule_problems"]

RULES: tuple[Rule, ...] = (
    iter_duplicate_ids,
    iter_unresolved_references,
    iter_wrong_actor_kinds,
    iter_parent_cycles,
    iter_footnote_problems,
    iter_statement_order,
    iter_anchor_documents,
    iter_anchor_problems,
    iter_shared_names,
    iter_aliases_in_text,
    iter_lookalike_ids,
    iter_bundle_problems,
)


def iter_rule_problems(
    raw: RawDataset, texts: dict[str, str], timings: dict[str, float] | None = None
) -> Iterator[Problem]:
    """Every cross-record problem of a dataset; ``timings`` gets the seconds spent on the rules
    and, of those, on the anchors."""
    clock = time.perf_counter()
    ctx = Context(raw, texts)
    anchors = 0.0
    for rule in RULES:
        started = time.perf_counter()
        yield from rule(ctx)
        if rule is iter_anchor_problems:
            anchors = time.perf_counter() - started
    if timings is not None:
        timings["rules"] = time.perf_counter() - clock - anchors
        timings["anchors"] = anchors
