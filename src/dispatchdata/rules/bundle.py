"""Release bundles agree with themselves."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Problem
from ..layout import SourceFile
from ..schema import schema_digest


def iter_bundle_problems(bundle: SourceFile) -> Iterator[Problem]:
    """DD314, DD315: a release bundle agrees with itself (version, schema digest)."""
    data = bundle.data
    if not isinstance(data, dict):
        return
    metadata = data.get("metadata")
    inner = metadata.get("version") if isinstance(metadata, dict) else None
    if isinstance(inner, str) and data.get("version") != inner:
        yield bundle.problem(
            "DD314",
            f"bundle version {data.get('version')!r} but metadata version {inner!r}",
            "/version",
        )
    schema = data.get("schema")
    if (
        isinstance(schema, dict)
        and isinstance(schema.get("files"), dict)
        and isinstance(schema.get("sha256"), str)
    ):
        actual = schema_digest(schema["files"])
        if actual != schema["sha256"]:
            yield bundle.problem(
                "DD315",
                f"schema sha256 is {schema['sha256']}, but its files hash to {actual}",
                "/schema/sha256",
            )
