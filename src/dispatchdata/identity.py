"""What a dataset is: the release its version names, or unreleased data, decided by content.

The rule: data equal to the release that ``dataset.yaml``'s version names *is* that release, and
is cited and exported as it (its release date included, byte for byte). Equal means equal bytes:
the data's canonical bundle (:func:`~dispatchdata.release.release.write_bundle`), with that
release's date, has the SHA-256 its ``releases/SHA256SUMS`` line records. Data that differs (or
whose version was never released) is labelled ``<version>+unreleased.<first 8 hex of its
canonical bundle's SHA-256>`` wherever a version is written, with no release date: never passed
off as a release. The version in ``dataset.yaml`` (the package's) is not changed by this; the
label names the data.

:func:`identify` is the one place that decides; everything that writes a version, a date or a
citation takes the :class:`Identity` it returns (through :func:`identity_of`).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Problem
from .read.bundle import cut_bundle
from .read.frozen import RELEASES, read_sums
from .resources import dataset_dir

#: What the label of data that is not a release says after its version (SemVer build metadata).
UNRELEASED = "unreleased"


@dataclass(frozen=True, slots=True, kw_only=True)
class Identity:
    """What a dataset is: its declared ``version``, the date it was released when it is that
    release (else None), and the SHA-256 of its canonical bundle (with the release date when
    it is the release: the release file's)."""

    version: str
    released: str | None
    sha256: str

    @property
    def label(self) -> str:
        """The version that names the data: ``1.1.0`` for the release, else
        ``1.1.0+unreleased.<first 8 hex of sha256>``."""
        if self.released is not None:
            return self.version
        return f"{self.version}+{UNRELEASED}.{self.sha256[:8]}"

    @property
    def year(self) -> str | None:
        """The release's year, for a citation (None for unreleased data)."""
        return self.released[:4] if self.released is not None else None


class IdentifiedBundle(dict[str, Any]):
    """A bundle with its :class:`Identity`, its ``released`` entry set exactly when it is the
    release (see :func:`identified`). Not to be changed once made: the identity is of what it held."""

    __slots__ = ("identity",)

    identity: Identity


class _Hashing(io.RawIOBase):
    """A binary sink that only hashes what is written to it."""

    def __init__(self) -> None:
        super().__init__()
        self.digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.digest.update(data)
        return len(data)


def bundle_sha256(bundle: dict[str, Any]) -> str:
    """The SHA-256 of the bundle's canonical bytes, written record by record, never held whole."""
    # deferred: the release writer (and what it imports), not needed by a command that cites nothing
    from .release.release import write_bundle

    sink = _Hashing()
    text = io.TextIOWrapper(io.BufferedWriter(sink, 1 << 20), encoding="utf-8", newline="")
    write_bundle(bundle, text)
    text.flush()
    return sink.digest.hexdigest()


def _release_date(path: Path) -> str | None:
    """The ``released`` entry of the release file at ``path`` (only a candidate: whether the data
    is that release is decided by the SHA-256), or None when there is no such file to read."""
    if path.is_symlink() or not path.is_file():
        return None
    try:
        cut = cut_bundle(path)  # only the frame, around the records, is parsed
        data = cut.frame.data if cut is not None else json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    released = data.get("released") if isinstance(data, dict) else None
    return released if isinstance(released, str) else None


def identify(bundle: dict[str, Any], releases: Iterable[Path] = ()) -> Identity:
    """Whether ``bundle`` is the release its version names, by content (see the module's rule):
    that release is looked for in each folder of ``releases`` (the releases of the dataset
    read), then among the installed dataset's. A ``released`` entry the bundle carries is not
    evidence: only the bytes are."""
    version = str(bundle["version"])
    content = {key: value for key, value in bundle.items() if key != "released"}
    seen: set[Path] = set()
    for folder in (*releases, dataset_dir() / RELEASES):
        if folder.absolute() in seen:
            continue
        seen.add(folder.absolute())
        recorded = read_sums(folder) if folder.is_dir() else {}
        line = None if isinstance(recorded, Problem) else recorded.get(f"{version}.json")
        released = _release_date(folder / f"{version}.json") if line is not None else None
        if line is not None and released is not None:
            digest = bundle_sha256({**content, "released": released})
            if digest == line.digest:
                return Identity(version=version, released=released, sha256=digest)
    return Identity(version=version, released=None, sha256=bundle_sha256(content))


def releases_of(spec: str | Path) -> list[Path]:
    """The releases folder of what ``spec`` names: a dataset folder's own, a release file's
    folder; none of its own for a version (the installed dataset's) or another bundle file."""
    path = Path(spec)
    if path.is_dir():
        return [path / RELEASES]
    if path.is_file() and path.absolute().parent.name == RELEASES:
        return [path.absolute().parent]
    return []


def identified(bundle: dict[str, Any], releases: Iterable[Path] = ()) -> IdentifiedBundle:
    """``bundle`` with its identity (:func:`identify`): its ``released`` entry is the release's
    date when it is the release, and absent when it is not."""
    identity = identify(bundle, releases)
    result = IdentifiedBundle({key: value for key, value in bundle.items() if key != "released"})
    if identity.released is not None:
        result["released"] = identity.released
    result.identity = identity
    return result


def identity_of(bundle: dict[str, Any]) -> Identity:
    """The identity of a bundle: the one it was given by :func:`identified`, else decided now
    against the installed dataset's releases."""
    if isinstance(bundle, IdentifiedBundle):
        return bundle.identity
    return identify(bundle)
