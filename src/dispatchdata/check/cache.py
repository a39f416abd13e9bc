"""A cache of what checking each file gave, for re-validating a large dataset after a few files
changed.

An entry holds one file's results — its problems (with their positions) and the compact facts the
cross-record rules need — keyed by the SHA-256 of the file's bytes (and, for the checks against
the source texts, by a digest of the documents and texts those checks used). Entries live in a
folder named after the tool: its version, a digest of its own code and schemas, and the YAML
parser, so an entry is never used when any of them differs. The folder is safe to delete at any
time.

A cache folder may be writable by others (a shared or checked-in folder, a CI cache restored
from a pull request), so nothing in it is trusted: an entry is JSON (never ``marshal`` or
``pickle``, which run or build arbitrary objects), authenticated by an HMAC-SHA256 over its exact
bytes and the key it is stored under (an entry copied to another file's key fails), with a secret
that lives in the user's configuration folder (:func:`key_path`), never beside the cache. An
entry whose MAC, JSON or shape is wrong is a miss: the file is checked again and the entry
rewritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
from functools import cache
from pathlib import Path

from ..errors import DispatchDataError
from ..read.files import read_bytes
from ..resources import package_dir, schema_dir
from ..version import read_version
from .cache_format import BadEntryError as BadEntryError
from .cache_format import Entry as Entry
from .cache_format import decode_entry as decode_entry
from .cache_format import encode_entry as encode_entry
from .cache_home import APP, secret_key
from .cache_home import CacheKeyError as CacheKeyError
from .cache_home import config_dir as config_dir
from .cache_home import default_cache_dir as default_cache_dir
from .cache_home import key_path as key_path

#: Bump when the entry format changes (5: JSON with an HMAC; 4 and before: marshal).
CACHE_FORMAT = 5

#: The largest entry read or written: an entry holds one file's results, far smaller than a data
#: file may be; a larger file at an entry's place (planted there) is a miss, not read.
MAX_ENTRY_BYTES = 64 * 1024 * 1024


def tool_key() -> str:
    """Names the tool that wrote an entry: version, format, parser, and a digest of the package's
    code and schemas (so an edited checkout never trusts entries an older one wrote)."""
    # Deferred: PyYAML (heavy) is imported only when YAML is read, or a cache is used.
    from ..read.parse import HAVE_LIBYAML

    parser = "libyaml" if HAVE_LIBYAML else "pure"
    return f"v{read_version()}-f{CACHE_FORMAT}-{parser}-{_code_digest()}"


@cache
def _code_digest() -> str:
    digest = hashlib.sha256()
    package = package_dir()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for path in sorted(schema_dir().glob("*.schema.json")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class CacheFolderError(DispatchDataError):
    """A cache folder was refused: it is the dataset folder it would cache, or inside it."""


def cache_outside(folder: str | Path | None, dataset: Path) -> str | Path | None:
    """The cache ``folder`` (None: no cache), refused when it is the ``dataset`` folder or inside
    it: its entries would be stray files in the dataset, making it invalid (DD110) for every later
    run."""
    if folder is None:
        return None
    place, data = Path(folder).resolve(), dataset.resolve()
    if place.is_relative_to(data):
        relation = "is" if place == data else "is inside"
        raise CacheFolderError(
            f"refusing the cache folder {folder}: it {relation} the dataset folder {dataset}; "
            "give --cache a folder outside it"
        )
    return folder


class ResultCache:
    """Results by key, in ``folder`` (created on first write), signed with the user's secret key
    (read, or made, now: see :func:`secret_key`)."""

    def __init__(self, folder: str | Path, secret: bytes | None = None) -> None:
        self.root = Path(folder) / tool_key()
        self._tool = self.root.name
        self._secret = secret_key() if secret is None else secret

    @staticmethod
    def key(raw: bytes) -> str:
        """The key of a file's bytes."""
        return hashlib.sha256(raw).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def mac(self, key: str, payload: bytes) -> bytes:
        """The HMAC-SHA256 (hex) of an entry's bytes stored under ``key`` by this tool."""
        message = b"%s\0%s\0%s\0" % (APP.encode(), self._tool.encode(), key.encode())
        return hmac.digest(self._secret, message + payload, "sha256").hex().encode()

    def has(self, key: str) -> bool:
        """Whether an entry is stored under ``key`` (it may still turn out bad); a folder that
        cannot be searched holds none."""
        try:
            return self._path(key).is_file()
        except OSError:  # (is_file raises a PermissionError, say, rather than say False)
            return False

    def get(self, key: str, file: str, collection: str | None) -> Entry | None:
        """The entry stored under ``key``, its problems placed in ``file`` and its facts of
        ``collection`` (None: an entry without facts); None when there is none, or it is not
        authentic, or not exactly of the shape this version writes."""
        try:
            stored = read_bytes(self._path(key), limit=MAX_ENTRY_BYTES)
        except OSError:  # (FileTooLargeError too)
            return None
        mac, newline, payload = stored.partition(b"\n")
        if not newline or not hmac.compare_digest(mac, self.mac(key, payload)):
            return None
        try:
            return decode_entry(payload, file, collection)
        except (ValueError, TypeError, IndexError, RecursionError):  # (BadEntryError: a ValueError)
            return None

    def put(self, key: str, entry: Entry) -> None:
        """Store an entry; any failure to write is ignored (a cache is never required)."""
        try:
            payload = encode_entry(entry)
            if len(payload) + 65 > MAX_ENTRY_BYTES:  # (its MAC and a newline too) never read back
                return
            self._write(key, self.mac(key, payload) + b"\n" + payload)
        except (OSError, ValueError, OverflowError):  # (a number too large for its column)
            return

    def _write(self, key: str, data: bytes) -> None:
        """Write an entry through a temporary file and a rename. The folders below the cache
        folder (the tool's, the entry's) are opened without following a link: one planted there
        (the folder may be writable by others) would send the entry, and later ones, elsewhere."""
        self.root.parent.mkdir(parents=True, exist_ok=True)  # the folder given: the user's choice
        top = os.open(self.root.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            tool = _subfolder(top, self._tool)
            try:
                shard = _subfolder(tool, key[:2])
                try:
                    temporary = f".tmp-{os.getpid()}-{os.urandom(6).hex()}"
                    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                    handle = os.open(temporary, flags, 0o600, dir_fd=shard)
                    try:
                        with os.fdopen(handle, "wb") as out:
                            out.write(data)
                        os.replace(temporary, f"{key}.json", src_dir_fd=shard, dst_dir_fd=shard)
                    except OSError:
                        with contextlib.suppress(OSError):
                            os.unlink(temporary, dir_fd=shard)
                        raise
                finally:
                    os.close(shard)
            finally:
                os.close(tool)
        finally:
            os.close(top)


def _subfolder(parent: int, name: str) -> int:
    """The folder ``name`` in the open folder ``parent``, made if missing, opened without
    following a link (a link there is an OSError)."""
    with contextlib.suppress(FileExistsError):
        os.mkdir(name, dir_fd=parent)
    return os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=parent)
