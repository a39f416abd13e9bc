"""SemVer for the data (Data Package Version): the levels, what each kind of change requires, and
the one check that a version step is big enough.

A SemVer rule is changed here alone: the diff (:mod:`dispatchdata.release.diff`) gives each change the
level named below, and ``diff --check-version`` and ``release`` both judge a step with
:func:`shortfall`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

PATCH, MINOR, MAJOR = "patch", "minor", "major"
#: The levels, smallest first: a step of one level allows the changes of any level below it.
LEVELS = (PATCH, MINOR, MAJOR)

# What each kind of change requires. A schema change nothing below names counts as MAJOR (taken as
# a constraint tightened: the verdict never understates).
RECORD_ADDED = MINOR
RECORD_REMOVED = MAJOR
RECORD_RENAMED = MAJOR  # its id changed: every reference to the old id breaks
VALUE_CORRECTED = PATCH  # a field of a record: values, text, anchors
STANCE_ADDED = MINOR  # a position recorded that was not: new data on a record, as a record added is
METADATA_CHANGED = PATCH
SCHEMA_TEXT_CHANGED = PATCH  # description, title, $comment, examples
SCHEMA_FIELD_ADDED = MINOR
SCHEMA_FIELD_REMOVED = MAJOR
FIELD_MADE_REQUIRED = MAJOR
REQUIREMENT_DROPPED = MINOR
ENUM_VALUE_ADDED = MINOR
ENUM_VALUE_REMOVED = MAJOR
TYPE_CHANGED = MAJOR
CONSTRAINT_CHANGED = MAJOR  # any other keyword: taken as tightened

# A component has at most 18 digits: a longer one is no version anyone releases, and Python
# refuses to convert more than 4300 digits (a traceback, not a message).
_SEMVER = re.compile(r"(0|[1-9][0-9]{0,17})\.(0|[1-9][0-9]{0,17})\.(0|[1-9][0-9]{0,17})")


def parse_semver(version: str) -> tuple[int, int, int] | None:
    """``(major, minor, patch)`` of a plain ``MAJOR.MINOR.PATCH`` version, or None (also for a
    component of more than 18 digits)."""
    match = _SEMVER.fullmatch(version)
    return (int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None


def bump_level(old: str, new: str) -> str | None:
    """How big a step ``old`` → ``new`` is: MAJOR, MINOR, PATCH, or None if not forward."""
    a, b = parse_semver(old), parse_semver(new)
    if a is None or b is None or b <= a:
        return None
    if b[0] != a[0]:
        return MAJOR
    return MINOR if b[1] != a[1] else PATCH


def highest(levels: Iterable[str]) -> str:
    """The biggest of (non-empty) ``levels``: what a set of changes requires together."""
    return max(levels, key=LEVELS.index)


class Shortfall(NamedTuple):
    """A version step smaller than the changes require."""

    step: str | None  #: the step taken (None: not a step forward)
    required: str  #: the level the changes require


def shortfall(old: str, new: str, required: str | None) -> Shortfall | None:
    """Whether going from version ``old`` to ``new`` is too small a step for changes that require
    ``required`` (None: no changes): the shortfall, or None when the step is big enough."""
    if required is None:
        return None
    step = bump_level(old, new)
    if step is not None and LEVELS.index(step) >= LEVELS.index(required):
        return None
    return Shortfall(step, required)
