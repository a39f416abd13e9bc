"""Every problem code and every rule, complete: importing this module imports each module that
registers some (``codes`` itself, the record and text rules of ``facts``, ``stances`` and of the
codebook's modules, ``errata_quotes``, ``first_mention``, ``kinds`` and ``media``, the
cross-record rules of ``join``), so ``CODES`` and ``RULES`` read through it hold them all."""

from __future__ import annotations

from ...codes import CODES, RULES, Code, Rule
from . import errata_quotes, facts, first_mention, join, kinds, media, stances

#: The modules that register rules (imported for that; named so that the import is used).
REGISTERING = (facts, join, stances, errata_quotes, first_mention, kinds, media)


def catalogue() -> list[Code]:
    """Every problem code, in code order: what ``dispatchdata rules`` lists."""
    return sorted(CODES.values(), key=lambda code: code.code)


def every_rule() -> list[Rule]:
    """Every registered rule, in registration order."""
    return list(RULES)
