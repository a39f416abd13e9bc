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

import contextlib
import hashlib
import io
import json
import os
import signal
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .errors import Problem
from .processes import signalled_when_parent_ends
from .read.bundle import cut_bundle
from .read.frozen import RELEASES, read_sums
from .resources import dataset_dir

if TYPE_CHECKING:
    from hashlib import _Hash as Hash

    from .release.release import Rest

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
    """A bundle (without a ``released`` entry) and the releases folders its identity is decided
    against (see :func:`identified`): the :attr:`identity` is decided when it is first asked
    for, or by :meth:`write` while writing the bundle's bytes. Not to be changed once made: the
    identity is of what it held."""

    __slots__ = ("_aside", "_identity", "_releases")

    def __init__(self, content: dict[str, Any], releases: Iterable[Path] = ()) -> None:
        super().__init__(content)
        self._releases = tuple(releases)
        self._identity: Identity | None = None
        self._aside: _Aside | None = None

    @property
    def identity(self) -> Identity:
        """What the data is (:func:`identify`), decided the first time it is asked for (or taken
        from the process deciding it aside, :meth:`decide_aside`)."""
        if self._identity is None and self._aside is not None:
            aside, self._aside = self._aside, None
            self._identity = aside.result()
        if self._identity is None:
            self._identity = identify(self, self._releases)
        return self._identity

    @identity.setter
    def identity(self, identity: Identity) -> None:
        self.abandon_aside()
        self._identity = identity

    def decide_aside(self) -> None:
        """Start deciding the identity in a child process, while this one goes on (an export
        writing its tables): the serialization it takes is then done on another processor.
        Only where that is safe and pays (:func:`_may_fork`: Linux, one thread, SIGCHLD left as
        the system has it, two processors this process may use); elsewhere, and if the child
        gives no answer, it is decided here when asked for.
        The child reads nothing but the bundle (its copy, made by fork) and the releases the
        identity is decided against, and ends with this process."""
        if self._identity is not None or self._aside is not None or not _may_fork():
            return
        self._aside = _Aside.start(self)

    def abandon_aside(self) -> None:
        """End the child deciding the identity, if one is still running (a failed export)."""
        if self._aside is not None:
            aside, self._aside = self._aside, None
            aside.abandon()

    def write(self, out: BinaryIO) -> Identity:
        """Write the data's canonical bytes as it is identified (with the release's date exactly
        when it is the release) to ``out``, and return its identity: decided while the bytes are
        written when it was not yet (one serialization for both, see :func:`identify`)."""
        if self._identity is None and self._aside is None:
            self._identity = identify(self, self._releases, out)
        else:
            released = self.identity.released
            _, rest = _write_head(self, out)
            out.write(rest((released,) if released is not None else ()).encode("utf-8"))
        return self.identity


def _may_fork() -> bool:
    """Whether a child process may be forked to work beside this one (see
    :meth:`IdentifiedBundle.decide_aside`): on Linux, in a process of one thread (any thread,
    those a C library started too: forking beside another may deadlock the child), whose
    children are its own to wait for (SIGCHLD as the system leaves it: ignored, or handled by
    someone else's handler, a child may be reaped, and its number given to another process,
    before it is waited for or stopped), with two processors to use."""
    if not sys.platform.startswith("linux") or signal.getsignal(signal.SIGCHLD) is not signal.SIG_DFL:
        return False
    try:
        if len(os.listdir("/proc/self/task")) != 1:
            return False
    except OSError:
        return False
    return len(os.sched_getaffinity(0)) >= 2


class _Aside:
    """A forked child deciding a bundle's identity, and the pipe it answers on."""

    __slots__ = ("answer", "pid")

    def __init__(self, pid: int, answer: int) -> None:
        self.pid, self.answer = pid, answer

    @classmethod
    def start(cls, bundle: IdentifiedBundle) -> _Aside | None:
        """Fork the child; None if the system refuses."""
        try:
            answer, told = os.pipe()
        except OSError:
            return None
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:  # no process to be had: the pipe is closed, the parent decides
            os.close(answer)
            os.close(told)
            return None
        if pid == 0:  # the child: answer, then end without running this process's exit handlers
            try:
                os.close(answer)
                _end_with(parent)
                decided = identify(bundle, bundle._releases)
                os.write(told, json.dumps([decided.version, decided.released, decided.sha256]).encode())
            finally:
                os._exit(0)
        os.close(told)
        return cls(pid, answer)

    def result(self) -> Identity | None:
        """The child's answer (waited for), or None if it gave none (then the caller decides)."""
        chunks = []
        try:
            while chunk := os.read(self.answer, 1 << 16):
                chunks.append(chunk)
        except OSError:
            chunks = []
        finally:
            self._end()
        try:
            version, released, sha256 = json.loads(b"".join(chunks))
        except (ValueError, TypeError):
            return None
        if not all(isinstance(x, str) for x in (version, sha256)) or not isinstance(released, str | None):
            return None
        return Identity(version=version, released=released, sha256=sha256)

    def abandon(self) -> None:
        """Stop the child and wait for its end; never raises (it runs as an export fails)."""
        with contextlib.suppress(OSError):  # it may have ended already (a zombie until waited for)
            os.kill(self.pid, signal.SIGKILL)
        self._end()

    def _end(self) -> None:
        """Close the pipe and wait for the child (already waited for by someone else: nothing)."""
        with contextlib.suppress(OSError):
            os.close(self.answer)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _end_with(parent: int) -> None:
    """Have the kernel end this (child) process when its parent ends (checked once done: the
    parent may have ended before), and leave Ctrl-C to the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signalled_when_parent_ends(int(signal.SIGKILL))
    if os.getppid() != parent:
        os._exit(0)


class _Hashing(io.RawIOBase):
    """A binary sink that hashes what is written to it, and passes it on to ``out`` if given."""

    def __init__(self, out: BinaryIO | None = None) -> None:
        super().__init__()
        self.digest = hashlib.sha256()
        self.out = out

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.digest.update(data)
        if self.out is not None:
            self.out.write(data)
        return len(data)


def _write_head(bundle: dict[str, Any], out: BinaryIO | None) -> tuple[Hash, Rest]:
    """Write ``bundle``'s canonical bytes (without ``released``) as far as the place of its
    ``released`` entry to ``out`` (if given), hashing them: their SHA-256 so far, and the rest
    of the text (:func:`~dispatchdata.release.release.write_bundle_until`)."""
    # deferred: the release writer (and what it imports), not needed by a command that cites nothing
    from .release.release import RELEASED, write_bundle_until

    sink = _Hashing(out)
    text = io.TextIOWrapper(io.BufferedWriter(sink, 1 << 20), encoding="utf-8", newline="")
    rest = write_bundle_until(bundle, text, RELEASED)
    text.flush()
    text.detach()  # the sink stays open, and the rest is the caller's to write
    return sink.digest, rest


def _sha256(head: Hash, ending: str) -> str:
    """The SHA-256 of the bytes ``head`` hashed so far and ``ending``; ``head`` left as it was."""
    digest = head.copy()
    digest.update(ending.encode("utf-8"))
    return digest.hexdigest()


def bundle_sha256(bundle: dict[str, Any]) -> str:
    """The SHA-256 of the bundle's canonical bytes, written record by record, never held whole."""
    head, rest = _write_head(bundle, None)
    return _sha256(head, rest((bundle["released"],) if "released" in bundle else ()))


def _release_frame(path: Path) -> tuple[str, str] | None:
    """The ``released`` entry and the dataset's ``name`` of the release file at ``path`` (only a
    candidate: whether the data is that release is decided by the SHA-256), or None when there
    is no such file to read."""
    if path.is_symlink() or not path.is_file():
        return None
    try:
        cut = cut_bundle(path)  # only the frame, around the records, is parsed
        data = cut.frame.data if cut is not None else json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    released, metadata = data.get("released"), data.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    return (released, name) if isinstance(released, str) and isinstance(name, str) else None


def _candidate(folder: Path, version: str, name: str) -> tuple[str, str] | None:
    """The SHA-256 and date of release ``version`` of the dataset ``name`` in ``folder``, when its
    ``SHA256SUMS`` has a line for it and its release file a date and that name."""
    recorded = read_sums(folder) if folder.is_dir() else {}
    line = None if isinstance(recorded, Problem) else recorded.get(f"{version}.json")
    frame = _release_frame(folder / f"{version}.json") if line is not None else None
    if line is None or frame is None or frame[1] != name:
        return None
    return line.digest, frame[0]


def _candidates(version: str, name: str, releases: Iterable[Path]) -> list[tuple[str, str]]:
    """The releases the data could be, in the order they are looked at: the SHA-256 and date of
    release ``version`` of the dataset ``name``. The installed package's record of it, when it
    has one, is the only candidate: a dataset folder's own ``releases/`` cannot redefine a
    published release (a release file and ``SHA256SUMS`` line made again, with another date or
    other data, would pass the data off as that release). Otherwise each folder of ``releases``
    (the releases of the dataset read), in order."""
    installed = dataset_dir() / RELEASES
    published = _candidate(installed, version, name)
    if published is not None:
        return [published]
    found: list[tuple[str, str]] = []
    seen: set[Path] = {installed.absolute()}
    for folder in releases:
        if folder.absolute() in seen:
            continue
        seen.add(folder.absolute())
        candidate = _candidate(folder, version, name)
        if candidate is not None:
            found.append(candidate)
    return found


def identify(bundle: dict[str, Any], releases: Iterable[Path] = (), out: BinaryIO | None = None) -> Identity:
    """Whether ``bundle`` is the release its version names, by content (see the module's rule):
    that release is the installed package's, when it has one of this dataset's name and version,
    else looked for in each folder of ``releases`` (the releases of the dataset read). A
    ``released`` entry the bundle carries is not evidence: only the bytes are.

    The bundle is serialized once, whatever the candidates: the bytes up to its ``released``
    entry are hashed once, and each candidate's ending (its date and what follows) after them.
    With ``out``, those bytes and the ending of the data as identified are written to it."""
    version = str(bundle["version"])
    content = {key: value for key, value in bundle.items() if key != "released"}
    metadata = bundle.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    candidates = _candidates(version, name, releases) if isinstance(name, str) else []
    head, rest = _write_head(content, out)
    for line, released in candidates:
        ending = rest((released,))
        if _sha256(head, ending) == line:
            identity = Identity(version=version, released=released, sha256=line)
            break
    else:
        ending = rest(())
        identity = Identity(version=version, released=None, sha256=_sha256(head, ending))
    if out is not None:
        out.write(ending.encode("utf-8"))
    return identity


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
    """``bundle`` without its ``released`` entry (a bundle's claim is no evidence), to be
    identified against ``releases`` (:func:`identify`) when its identity is first asked for:
    the release's date is then :attr:`Identity.released`."""
    content = {key: value for key, value in bundle.items() if key != "released"}
    return IdentifiedBundle(content, releases)


def identity_of(bundle: dict[str, Any]) -> Identity:
    """The identity of a bundle: the one it was given by :func:`identified`, else decided now
    against the installed dataset's releases."""
    if isinstance(bundle, IdentifiedBundle):
        return bundle.identity
    return identify(bundle)
