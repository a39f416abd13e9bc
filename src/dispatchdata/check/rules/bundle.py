"""Release bundles agree with themselves."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...display import excerpt
from ...errors import Problem
from ...read.folder import SourceFile
from ..file import iter_file_problems
from ..schema import package_digest, schema_digest, schema_error

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
            f"bundle version {excerpt(repr(data.get('version')))} but metadata version {excerpt(inner)!r}",
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
        error = None if actual == package_digest() else schema_error(schema["files"])
        if error is not None:
            yield bundle.problem("DD316", f"the schema it carries cannot be used: {error}", "/schema/files")


def check_frame(bundle: SourceFile, own_schema: bool = False) -> tuple[list[Problem], dict[str, Any] | None]:
    """A release bundle's own problems (reading it, the schema of its frame, DD314-DD316, DD323),
    and the schema files its records are checked against: with ``own_schema`` (a release verified
    against its ``SHA256SUMS``), those it carries when they are intact (they read, match their
    digest, can be used); else None, the package's. Any other bundle is checked against the
    package's schema, whatever it carries: a permissive schema of its own would pass anything,
    and the code reading the records needs the package's shapes."""
    problems = list(iter_file_problems(bundle))
    unread = bool(problems)
    problems += iter_bundle_problems(bundle)
    if unread or any(p.code in UNFIT_SCHEMA for p in problems):
        return problems, None
    files: dict[str, Any] = bundle.data["schema"]["files"]
    # The package's own schema, as every bundle this version wrote carries, is used as such:
    # the same checks, without a digest of the files to find its compiled validators each time.
    digest = bundle.data["schema"]["sha256"]  # the files' digest: DD315 was not found
    if digest == package_digest():
        return problems, None
    if own_schema:
        return problems, files
    message = (
        "the schema it carries is not the package's, and is not used: only a release verified "
        "against its releases/SHA256SUMS is read with its own; checked against the package's schema"
    )
    problems.append(bundle.problem("DD323", message, "/schema"))
    return problems, None
