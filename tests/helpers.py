"""Small helpers shared by test modules."""

from __future__ import annotations

from typing import Any

from hypothesis import settings


def typed(value: Any) -> Any:
    """A form of the value in which 1, 1.0 and True differ, to compare data exactly."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, repr(value))


def examples(n: int) -> int:
    """A property's number of examples, scaled by the loaded Hypothesis profile: ``n`` under the
    default and ``ci`` profiles (100 examples), ten times ``n`` under ``thorough`` (1000)."""
    loaded = settings.default
    return n if loaded is None else n * loaded.max_examples // 100


#: SHA-256 of release files a test treats as shipped with the package (see tests/conftest.py).
SHIPPED_IN_TEST: set[str] = set()


def ship(digest: str) -> None:
    """Treat the release file of SHA-256 ``digest`` as one the package ships, for this test only:
    it is then read with the schema it carries (dispatchdata.read.frozen.trusted_digests)."""
    SHIPPED_IN_TEST.add(digest)
