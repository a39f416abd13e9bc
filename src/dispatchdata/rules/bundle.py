"""Release bundles agree with themselves."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Problem
from ..layout import SourceFile
from ..schema import schema_digest, schema_error, schemas

#: The problems that make a bundle's own schema unfit to check its records.
UNFIT_SCHEMA = frozenset({"DD315", "DD316"})


def iter_bundle_problems(bundle: SourceFile) -> Iterator[Problem]:
    """DD314, DD315, DD316: a release bundle agrees with itself (version, schema digest), and
    the schema it carries can be used."""
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
            return
        # The package's own schema is known to be fit; another is tried out first.
        error = None if actual == schema_digest(schemas()) else schema_error(schema["files"])
        if error is not None:
            yield bundle.problem("DD316", f"the schema it carries cannot be used: {error}", "/schema/files")
