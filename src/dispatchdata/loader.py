"""Loading a dataset folder into a :class:`~dispatchdata.dataset.Dataset` of frozen records."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any

from .dataset import Dataset
from .errors import InvalidDatasetError, Report, Severity, sorted_problems
from .fields import Declared, declared
from .layout import RawDataset, read_dataset
from .model import Actor, Document, Info, Proposal, Statement
from .resources import dataset_dir

#: Turns a record's value (a dict, as parsed) into the record class's instance.
Reader = Callable[[dict[str, Any]], Any]


def _int(value: Any) -> int:
    """An integer field's value, which must be an ``int``: a float offset or number (``177.5``;
    ``177.0`` is refused when read, DD113) is never handed out, even by ``load()`` without
    ``strict``, which does not run the schema (the TypeError brings its report)."""
    if type(value) is not int:
        raise TypeError(f"not an integer: {value!r}")
    return value


def _converter(field: Declared) -> Callable[[Any], Any] | None:
    """What turns a field's value as parsed into the model's value (None: it stays as it is)."""
    one = reader(field.type) if field.record else _int if field.type is int else None
    if not field.many:
        return one
    if one is None:
        return tuple
    return lambda items: tuple(map(one, items))


def _getter(field: Declared) -> Callable[[dict[str, Any]], Any]:
    """What reads a field's value out of a record: a required one must be there (KeyError), an
    optional one missing is its default. One closure per case, as the loader runs it for every
    field of every record."""
    *outer, key = field.path
    convert, default = _converter(field), field.default
    if outer:
        return _path_getter(tuple(outer), key, field.required, convert, default)
    if field.required:
        return itemgetter(key) if convert is None else lambda d: convert(d[key])
    if convert is None:
        return lambda d: d.get(key, default)
    return lambda d: convert(d[key]) if key in d else default


def _path_getter(
    outer: tuple[str, ...], key: str, required: bool, convert: Callable[[Any], Any] | None, default: Any
) -> Callable[[dict[str, Any]], Any]:
    """What reads a value held in an object of a record (``erratum.corrected``): an optional one
    is its default where the object or the value is missing."""

    def get(d: dict[str, Any]) -> Any:
        for name in outer:
            d = d[name] if required else (d.get(name) or {})
        if key not in d:
            return d[key] if required else default
        return d[key] if convert is None else convert(d[key])

    return get


@cache
def reader(cls: type) -> Reader:
    """The function that builds a record class's instance from a record as parsed, derived from
    its declaration (:func:`~dispatchdata.fields.declared`). Assumes schema-valid data."""
    getters = tuple((field.name, _getter(field)) for field in declared(cls))

    def read(d: dict[str, Any]) -> Any:
        return cls(**{name: get(d) for name, get in getters})

    return read


def build(raw: RawDataset) -> Dataset:
    """Turn parsed data into frozen records. Assumes schema-valid data: raises KeyError,
    TypeError or AttributeError on data of the wrong shape."""

    def records(name: str) -> Iterable[dict[str, Any]]:
        return (r for f in raw.collection(name) for r in f.records)

    assert raw.metadata is not None
    return Dataset(
        info=reader(Info)(raw.metadata.data),
        documents=tuple(map(reader(Document), records("documents"))),
        actors=tuple(map(reader(Actor), records("actors"))),
        proposals=tuple(map(reader(Proposal), records("proposals"))),
        statements=tuple(map(reader(Statement), records("statements"))),
    )


def load(
    path: str | Path | None = None,
    *,
    version: str | None = None,
    strict: bool = False,
    sources: Iterable[str | Path] = (),
) -> Dataset:
    """Load a dataset as a :class:`Dataset` of frozen records.

    ``path`` is a dataset folder or a release bundle file (default: the installed dataset);
    ``version`` picks a frozen release of that dataset instead (``load(version="1.0.0")``).

    With ``strict=True`` the data is first validated against the schema and every rule (anchors
    too, for texts found in ``sources`` or shipped with the package) and
    :class:`InvalidDatasetError` is raised, carrying the report, if anything is wrong, warnings
    included (as ``validate --strict``): a strict load never returns data whose anchors were
    not all checked. Without it, loading is fast and checks only what building the
    records needs; data too broken to build raises the same error with the full validation report.

    A release file (``releases/<version>.json``, as ``version`` names) is read only when its
    bytes match its ``SHA256SUMS`` line: else :class:`~dispatchdata.frozen.ReleaseIntegrityError`
    (an :class:`InvalidDatasetError`) is raised, strict or not.
    """
    from .frozen import verify_release
    from .release import release_path
    from .validation import check, validate

    root = Path(path) if path is not None else dataset_dir()
    if version is not None:
        root = release_path(version, root if root.is_dir() else None)
    verified = root.is_file() and verify_release(root)
    if strict:
        report = validate(root, sources=sources, strict=True)
        if not report.valid:
            raise InvalidDatasetError(report)
    raw = read_dataset(root)
    files = ([raw.metadata] if raw.metadata else []) + raw.files
    problems = list(raw.problems) + [p for f in files for p in f.parsed.problems]
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise InvalidDatasetError(Report(problems=sorted_problems(errors)))
    try:
        return build(raw)
    except (KeyError, TypeError, AttributeError, ValueError, AssertionError):
        report = check(raw, own_schema=verified)
        if report.valid:  # pragma: no cover - the schema admits only buildable data
            raise
        raise InvalidDatasetError(report) from None
