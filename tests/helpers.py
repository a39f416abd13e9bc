"""Small helpers shared by test modules."""

from __future__ import annotations

from typing import Any


def typed(value: Any) -> Any:
    """A form of the value in which 1, 1.0 and True differ, to compare data exactly."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, repr(value))
