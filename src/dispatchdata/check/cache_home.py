"""Where the cache of validation results lives, and the secret its entries are signed with: a
key in the user's configuration folder, made once, private, never beside the cache (see
:mod:`dispatchdata.check.cache`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..errors import DispatchDataError

#: Bytes of the secret key.
KEY_BYTES = 32

APP = "dispatchdata"


class CacheKeyError(DispatchDataError):
    """The cache's secret key cannot be read or created safely."""


def _home_base(variable: str, fallback: str) -> Path:
    """An XDG base folder: the variable when it holds an absolute path (the specification says
    to ignore a relative one), else ``fallback`` under the home folder."""
    value = os.environ.get(variable, "")
    return Path(value) if os.path.isabs(value) else Path.home() / fallback


def config_dir() -> Path:
    """The user's configuration folder for dispatchdata (where the cache's secret key lives):
    ``$XDG_CONFIG_HOME/dispatchdata`` (else ``~/.config/dispatchdata``); on macOS
    ``~/Library/Application Support/dispatchdata``; on Windows ``%APPDATA%\\dispatchdata``."""
    if sys.platform == "win32":
        return _home_base("APPDATA", "AppData/Roaming") / APP
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP
    return _home_base("XDG_CONFIG_HOME", ".config") / APP


def default_cache_dir() -> Path:
    """The user's cache folder for dispatchdata: ``$XDG_CACHE_HOME/dispatchdata`` (else
    ``~/.cache/dispatchdata``); on macOS ``~/Library/Caches/dispatchdata``; on Windows
    ``%LOCALAPPDATA%\\dispatchdata\\Cache``."""
    if sys.platform == "win32":
        return _home_base("LOCALAPPDATA", "AppData/Local") / APP / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / APP
    return _home_base("XDG_CACHE_HOME", ".cache") / APP


def key_path() -> Path:
    """Where the cache's secret key is kept: ``cache-key`` in :func:`config_dir`."""
    return config_dir() / "cache-key"


def secret_key(path: Path | None = None) -> bytes:
    """The cache's secret key, read from ``path`` (default :func:`key_path`), made there first
    if there is none: 32 random bytes, written private (0600) and put in place atomically, so
    that two runs starting together agree on one key. A key file that others could read or
    write, or of the wrong size, is refused (:class:`CacheKeyError`): entries signed with it
    would prove nothing."""
    path = key_path() if path is None else path
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    try:
        _create_key(path)
        return _read_key(path)
    except OSError as error:
        raise CacheKeyError(f"cannot create the cache key {path}: {error.strerror or error}") from None


def _read_key(path: Path) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        raise
    except OSError as error:
        raise CacheKeyError(f"cannot read the cache key {path}: {error.strerror or error}") from None
    try:
        status = os.fstat(fd)
        if os.name == "posix" and (status.st_uid != os.getuid() or status.st_mode & 0o077):
            raise CacheKeyError(
                f"the cache key {path} is not private (mode {status.st_mode & 0o777:o}, "
                "it must be 600 and yours): delete it and a new one is made"
            )
        secret = os.read(fd, KEY_BYTES + 1)
    finally:
        os.close(fd)
    if len(secret) != KEY_BYTES:
        raise CacheKeyError(f"the cache key {path} is not {KEY_BYTES} bytes: delete it and a new one is made")
    return secret


def _create_key(path: Path) -> None:
    # Deferred: secrets (random) and tempfile (shutil, bz2, lzma) are heavy, and only a run that
    # writes a cache needs them.
    import secrets
    import tempfile

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".cache-key-")
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(handle, 0o600)  # mkstemp's 0600 is narrowed by the umask, never widened
        with os.fdopen(handle, "wb") as out:
            out.write(secrets.token_bytes(KEY_BYTES))
            out.flush()
            os.fsync(out.fileno())
        try:
            # A link, not a rename: a key another run made meanwhile is kept, not replaced
            # (entries it signs would otherwise stop verifying).
            os.link(temporary, path)
        except FileExistsError:
            pass
        except OSError:  # a file system without links: a rename is atomic too
            os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
