"""Loading a dataset folder into a :class:`~dispatchdata.dataset.Dataset` of frozen records."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from .check.validation import check, validate
from .dataset import Dataset
from .errors import InvalidDatasetError, Report, Severity, sorted_problems
from .fields import Declared, declared
from .identity import identify, releases_of
from .model import Actor, CitedInfo, Document, Info, Proposal, Statement
from .read.folder import RawDataset, read_dataset
from .read.frozen import verify_release
from .release.release import bundle_of, release_path
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


def _str(value: Any) -> str:
    """A text field's value, which must be a ``str``: an id, reference or text of another type
    (``proposal: [a, b]``) is never handed out by ``load()`` without ``strict`` either (a list
    where an id belongs would fail later, in :meth:`~dispatchdata.dataset.Dataset.stance_matrix`
    or a lookup, far from its file; the TypeError brings its report)."""
    if type(value) is not str:
        raise TypeError(f"not a string: {value!r}")
    return value


def _converted(field: Declared, value: str, namespace: dict[str, Any]) -> str:
    """The expression of a field's model value from its ``value`` as parsed: integers checked,
    lists made tuples, records built by their own reader (put in ``namespace``)."""
    one = ""
    if field.record:
        one = f"read_{field.type.__name__}"
        namespace[one] = reader(field.type)
    elif field.type is int:
        one = "_int"
    elif field.type is str:
        one = "_str"
    if field.many:
        return f"tuple(map({one}, {value}))" if one else f"tuple({value})"
    return f"{one}({value})" if one else value


def _expression(field: Declared, namespace: dict[str, Any]) -> str:
    """The expression of a field's value in a record ``d``: a required one must be there
    (KeyError), an optional one missing is its default (as is a missing object on its path)."""
    *outer, key = field.path
    holder = "d"
    for name in outer:
        holder = f"{holder}[{name!r}]" if field.required else f"({holder}.get({name!r}) or {{}})"
    value = f"{holder}[{key!r}]"
    if field.required:
        return _converted(field, value, namespace)
    converted = _converted(field, value, namespace)
    if converted == value:
        return f"{holder}.get({key!r}, {field.default!r})"
    return f"({converted} if {key!r} in {holder} else {field.default!r})"


@cache
def reader(cls: type) -> Reader:
    """The function that builds a record class's instance from a record as parsed, written from
    its declaration (:func:`~dispatchdata.fields.declared`) and compiled once, as
    :mod:`dataclasses` writes ``__init__``: ``cls(id=d["id"], quotes=tuple(map(read_Anchor,
    d["quotes"])), verb=d.get("verb", None), ...)``, what one would write by hand (interpreting
    the declaration for each field of each record is measurably slower on large datasets).
    Assumes schema-valid data; ``reader(cls).source`` shows what was written."""
    namespace: dict[str, Any] = {"cls": cls, "_int": _int, "_str": _str}
    arguments = "".join(f"        {f.name}={_expression(f, namespace)},\n" for f in declared(cls))
    source = f"def read(d):\n    return cls(\n{arguments}    )\n"
    exec(compile(source, f"<reader of {cls.__name__}>", "exec"), namespace)  # our own source
    read = namespace["read"]
    read.source = source
    return read  # type: ignore[no-any-return]


class _Identity:
    """The identity of the data read, as ``(label, released)``, decided the first time it is
    asked for (:func:`~dispatchdata.identity.identify`): until then the parsed data is held
    (its strings are the records' own), and then let go. Pickled as the identity decided."""

    __slots__ = ("_decided", "_raw", "_root")

    def __init__(self, raw: RawDataset, root: Path) -> None:
        self._raw: RawDataset | None = raw
        self._root = root
        self._decided: tuple[str, str | None] | None = None

    def __call__(self) -> tuple[str, str | None]:
        if self._decided is None:
            assert self._raw is not None
            raw = self._raw
            bundle = raw.bundle.data if raw.bundle is not None else bundle_of(raw)
            identity = identify(bundle, releases_of(self._root))
            self._decided, self._raw = (identity.label, identity.released), None
        return self._decided

    def __getstate__(self) -> tuple[str, str | None]:
        return self()

    def __setstate__(self, decided: tuple[str, str | None]) -> None:
        self._decided, self._raw, self._root = decided, None, Path()


def build(raw: RawDataset, identity: Callable[[], tuple[str, str | None]] | None = None) -> Dataset:
    """Turn parsed data into frozen records, the metadata with the data's ``identity`` (when
    given: its label and release date, see :class:`~dispatchdata.model.CitedInfo`) as
    :class:`~dispatchdata.model.CitedInfo`. Assumes schema-valid data: raises
    KeyError, TypeError or AttributeError on data of the wrong shape."""

    def records(name: str) -> Iterable[dict[str, Any]]:
        return (r for f in raw.collection(name) for r in f.records)

    assert raw.metadata is not None
    info = reader(Info)(raw.metadata.data)
    if identity is not None:
        fields = {f.name: getattr(info, f.name) for f in declared(Info)}
        info = CitedInfo(**fields, identity=identity)
    return Dataset(
        info=info,
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
    bytes match its ``SHA256SUMS`` line: else :class:`~dispatchdata.read.frozen.ReleaseIntegrityError`
    (an :class:`InvalidDatasetError`) is raised, strict or not.
    """
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
        return build(raw, _Identity(raw, root))
    except (KeyError, TypeError, AttributeError, ValueError, AssertionError):
        report = check(raw, own_schema=verified)
        if report.valid:  # pragma: no cover - the schema admits only buildable data
            raise
        raise InvalidDatasetError(report) from None
