"""SemVer: the size of a version step, and the one check that it is big enough for the changes."""

from __future__ import annotations

import pytest

from dispatchdata.semver import LEVELS, MAJOR, MINOR, PATCH, Shortfall, bump_level, highest, shortfall


@pytest.mark.parametrize(
    ("old", "new", "step"),
    [
        ("1.0.0", "1.0.1", PATCH),
        ("1.0.9", "1.1.0", MINOR),
        ("1.9.9", "2.0.0", MAJOR),
        ("1.0.0", "1.0.0", None),
        ("1.1.0", "1.0.9", None),
        ("1.0.0", "v1.0.1", None),
        ("", "1.0.0", None),
    ],
)
def test_a_step_is_as_big_as_its_first_changed_number(old: str, new: str, step: str | None) -> None:
    """The step is the level of the first number that changed; backwards, equal or not a
    MAJOR.MINOR.PATCH version is no step at all."""
    assert step == bump_level(old, new)


def test_levels_are_ordered_smallest_first() -> None:
    """What changes require together is the biggest of their levels."""
    assert LEVELS == ("patch", "minor", "major")
    assert highest([PATCH, MAJOR, MINOR]) == MAJOR
    assert highest([PATCH, MINOR]) == MINOR


@pytest.mark.parametrize(
    ("old", "new", "required", "expected"),
    [
        ("1.0.0", "1.0.1", None, None),
        ("1.0.0", "1.0.0", None, None),
        ("1.0.0", "1.0.1", PATCH, None),
        ("1.0.0", "2.0.0", PATCH, None),
        ("1.0.0", "1.1.0", MINOR, None),
        ("1.0.0", "1.0.1", MINOR, Shortfall(PATCH, MINOR)),
        ("1.0.0", "1.1.0", MAJOR, Shortfall(MINOR, MAJOR)),
        ("1.0.0", "1.0.0", PATCH, Shortfall(None, PATCH)),
        ("2.0.0", "1.9.0", MINOR, Shortfall(None, MINOR)),
    ],
)
def test_a_step_smaller_than_the_changes_require_falls_short(
    old: str, new: str, required: str | None, expected: Shortfall | None
) -> None:
    """No changes need no step; otherwise the step must be at least the level required, and one
    that is not forward always falls short (what diff --check-version and release refuse)."""
    assert expected == shortfall(old, new, required)
