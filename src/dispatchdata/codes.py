"""The registry of problem codes and of the rules that report them.

Each code is registered once, with its default severity and its meaning; each rule — one small
function of a record (or of a record against the source texts, or of a record's facts in the
cross-record join) — is registered with the codes it reports, the collections it checks and,
for a cross-record rule, the facts it needs. The codes a rule reports are declared on the rule
(``@rule(...)`` in its module); the codes reading and the schema report, which no rule
function stands behind, are declared here. ``rules.catalogue`` imports every module that
registers rules: read ``CODES`` and ``RULES`` complete through it.

Codes are stable: a code is never reused for another meaning. ``DD1xx`` are about reading files,
``DD2xx`` about the schema, ``DD3xx`` about records and their references, ``DD4xx`` about anchors
into the source texts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

from .errors import Problem, Severity
from .semver import parse_semver


@dataclass(frozen=True, slots=True, kw_only=True)
class Code:
    """A problem code: its default severity and its meaning."""

    code: str
    severity: Severity
    title: str


#: Every problem code registered so far, by code (see :func:`declare`).
CODES: dict[str, Code] = {}


def declare(*codes: Code) -> None:
    """Register problem codes; a code registered twice must mean the same both times."""
    for code in codes:
        known = CODES.setdefault(code.code, code)
        if known != code:
            raise ValueError(f"{code.code} registered twice, differently: {known} and {code}")


def error(code: str, title: str) -> Code:
    """An error code and its meaning (to :func:`declare`, or to hand a rule)."""
    return Code(code=code, severity=Severity.ERROR, title=title)


def warning(code: str, title: str) -> Code:
    """A warning code and its meaning (to :func:`declare`, or to hand a rule)."""
    return Code(code=code, severity=Severity.WARNING, title=title)


def problem(
    code: str, message: str, *, file: str = "", line: int = 0, column: int = 0, pointer: str = ""
) -> Problem:
    """A problem with ``code`` and the severity the registry gives it: the one way the package
    makes a :class:`Problem` (a problem read back from the cache keeps the severity it was
    stored with)."""
    return Problem(
        code=code,
        severity=CODES[code].severity,
        message=message,
        file=file,
        line=line,
        column=column,
        pointer=pointer,
    )


class Kind(str, Enum):
    """When a rule runs: on one record, on one record against the source texts, or in the join
    of every record's facts."""

    RECORD = "record"
    TEXT = "text"
    JOIN = "join"


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """A rule: its function, the codes it reports, the collections whose every record it is run
    on, the field a record must hold (non-empty) for it to find anything, and, for a
    cross-record rule, the facts of the join it reads.

    ``when`` is the one pre-filter a runner may apply: a record whose ``when`` field is missing
    or empty gives the rule nothing to check (the rule itself says so first thing), so it is
    not called for it. Nothing else may keep a registered rule from a record, but for ``since``:
    a rule of the codebook that came with a data version (``(1, 1, 0)``) is not applied to a
    release the package verified and that was made before it (see :func:`rules_of_release`)."""

    kind: Kind
    codes: tuple[Code, ...]
    collections: tuple[str, ...]
    check: Callable[..., None]
    when: str | None = None
    needs: tuple[str, ...] = ()
    since: tuple[int, int, int] | None = None


#: Every rule registered so far, in registration order (see :func:`register` and :func:`rule`).
RULES: list[Rule] = []


def register(added: Rule) -> Rule:
    """Add a rule (and its codes): from then on it runs on every record of its collections."""
    declare(*added.codes)
    RULES.append(added)
    return added


_F = TypeVar("_F", bound=Callable[..., None])


def rule(
    kind: Kind,
    collections: tuple[str, ...],
    *codes: Code,
    when: str | None = None,
    needs: tuple[str, ...] = (),
    since: tuple[int, int, int] | None = None,
) -> Callable[[_F], _F]:
    """Register the decorated function as a rule of ``kind`` over ``collections`` reporting
    ``codes`` (see :class:`Rule`)."""

    def decorate(check: _F) -> _F:
        made = Rule(kind=kind, codes=codes, collections=collections, check=check, when=when, needs=needs)
        register(made if since is None else replace_since(made, since))
        return check

    return decorate


def replace_since(made: Rule, since: tuple[int, int, int]) -> Rule:
    """``made`` as a rule of the codebook of data version ``since``."""
    return Rule(
        kind=made.kind,
        codes=made.codes,
        collections=made.collections,
        check=made.check,
        when=made.when,
        needs=made.needs,
        since=since,
    )


#: The version of the verified release being checked, while one is (:func:`rules_of_release`).
RELEASE: ContextVar[tuple[int, int, int] | None] = ContextVar("dispatchdata_release", default=None)


def release_version(bundle: object) -> object:
    """The version a release bundle's frame states (DD314 holds it to its metadata's), if any."""
    return bundle.get("version") if isinstance(bundle, dict) else None


@contextmanager
def rules_of_release(version: object) -> Iterator[None]:
    """While a release the package verified (its SHA-256 in the package's own SHA256SUMS) is
    checked: the rules of its time, as its schema is the one it was released with — a rule
    whose ``since`` is a later data version than ``version`` (an immutable release cannot be
    changed to meet it) is left out. Anything else, or a version that is not ``X.Y.Z``, gets
    every rule."""
    parsed = parse_semver(version) if isinstance(version, str) else None
    token = RELEASE.set(parsed)
    try:
        yield
    finally:
        RELEASE.reset(token)


def codes_after(version: str) -> list[str]:
    """The codes of the rules that a verified release of ``version`` is not held to (see
    :func:`rules_of_release`): what ``validate -v`` names as not applied to it."""
    parsed = parse_semver(version)
    if parsed is None:
        return []
    return sorted({c.code for r in RULES if r.since is not None and r.since > parsed for c in r.codes})


def rules_for(kind: Kind, collection: str) -> list[Rule]:
    """The rules of ``kind`` that run on the records of ``collection``, in registration order
    (while a verified release is checked, those of its time: see :func:`rules_of_release`)."""
    release = RELEASE.get()
    return [
        r
        for r in RULES
        if r.kind is kind
        and collection in r.collections
        and (release is None or r.since is None or r.since <= release)
    ]


#: The codes no rule function stands behind: reading files (DD1xx), the schema (DD2xx), release
#: bundles and the releases folder (DD314-DD316, DD320-DD323).
declare(
    error("DD100", "a file or folder cannot be read"),
    error("DD101", "a file is not UTF-8 (UTF-16, a byte-order mark, Latin-1, ...)"),
    error("DD102", "YAML syntax error"),
    error("DD103", "duplicate key in a mapping (the first value is kept)"),
    error("DD104", "unsupported or mismatched YAML tag (only JSON-like tags are allowed)"),
    error("DD105", "alias refused: recursive, or expanding far beyond the file's size"),
    error("DD106", "more than one YAML document in a file"),
    error("DD107", "NaN or infinity, or a number too large to read (1e400, thousands of digits)"),
    error("DD108", "a mapping key that is not a string"),
    error("DD110", "a file or folder in the dataset folder that is not part of the layout (so not read)"),
    error("DD111", "a required file or collection is missing"),
    error("DD112", "a file does not hold what its place in the layout requires"),
    error("DD113", "an integer written as a float (177.0, 1.77e2, 1e2, -0.0)"),
    warning("DD114", "a plain scalar other YAML readers read as another type (no, on, 0750, 1:20, dates)"),
    error("DD115", "a %YAML directive other than %YAML 1.2"),
    error(
        "DD116",
        "a symbolic link refused (leading outside the dataset folder, to a folder, or as a release "
        "or its SHA256SUMS): nothing read from it",
    ),
    error(
        "DD117", "an integer outside the signed 64-bit range (what every export, SQLite's included, stores)"
    ),
    error(
        "DD118",
        "a data file larger than the size limit (--max-file-size, DISPATCHDATA_MAX_FILE_SIZE): not read",
    ),
    error("DD200", "schema violation (other)"),
    error("DD201", "a required property is missing"),
    error("DD202", "a property the schema does not allow"),
    error("DD203", "a value of the wrong type"),
    error("DD204", "a value outside the allowed set (enum, const)"),
    error("DD205", "a value that does not match its pattern or format (ids, dates, hashes)"),
    error("DD206", "a value out of bounds (length, count, range, uniqueness)"),
    error("DD314", "a release bundle's version differs from its metadata's"),
    error("DD315", "a release bundle's schema files do not hash to the schema sha256 it records"),
    error(
        "DD316", "a release bundle's schema cannot be used (missing, not a JSON Schema, a $ref to nothing)"
    ),
    error("DD320", "a release file changed since it was released (its SHA-256 is not its SHA256SUMS line's)"),
    error("DD321", "a release file that releases/SHA256SUMS does not list (or there is none): unchecked"),
    error("DD322", "a releases/SHA256SUMS that cannot be read, or a line of it not as sha256sum writes it"),
    warning(
        "DD323", "a bundle, not a verified release, carries another schema: checked against the package's"
    ),
)
