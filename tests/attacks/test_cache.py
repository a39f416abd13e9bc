"""Attacks on `--cache` (issue 17, item 12; issue 18, item 5): a cache folder may be written by
someone else (a shared folder, a CI cache restored from a pull request), so nothing in it is
trusted. An entry copied to another file's key, forged, garbled, of the wrong shape or of an older
format is a miss: the file is checked again, the result is exact, and there is never a traceback.
The secret that signs entries lives in the user's configuration folder, private, never beside the
cache."""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import marshal
import os
import shutil
import stat
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dispatchdata.check import cache as cache_module
from dispatchdata.cli import main

from ..test_validate import MINIMAL, SOURCES

runner = CliRunner()

PROBLEM = "statements.yaml:18:12: DD302 unknown actor 'ana-orlova' (did you mean 'anna-orlova'?)"
INVALID = "invalid: 1 error, 0 warnings in 5 files, 7 records\n"
VALID = "valid: 0 errors, 0 warnings in 5 files, 7 records\n"


def _validate(data: Path, *cache: str) -> tuple[int, str]:
    result = runner.invoke(main, ["validate", str(data), "--sources", str(SOURCES), *cache])
    return result.exit_code, result.output


def _dataset(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    return data


def _break(data: Path) -> None:
    """An unknown speaker in statements.yaml: one error."""
    path = data / "statements.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("speaker: anna-orlova", "speaker: ana-orlova"), encoding="utf-8")


def _entry_of(cache: Path, path: Path) -> Path:
    """The one entry stored for the statements file ``path`` (named by its bytes' SHA-256)."""
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    (entry,) = [e for e in cache.rglob(f"{sha}-*") if e.is_file()]
    return entry


def _entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*") if p.is_file())


def _secret(home: Path) -> bytes:
    return (home / ".config" / "dispatchdata" / "cache-key").read_bytes()


def _sign(home: Path, entry: Path, payload: bytes) -> bytes:
    """``payload`` with the MAC the real key gives it under ``entry``'s key: what only the user
    can write."""
    tool, key = entry.parent.parent.name, entry.name.removesuffix(".json")
    message = b"dispatchdata\0%s\0%s\0%s" % (tool.encode(), key.encode(), payload)
    return hmac.new(_secret(home), message, hashlib.sha256).hexdigest().encode() + b"\n" + payload


def _whitewash(claims: dict[str, Any]) -> None:
    """Make a statements entry's facts say the speaker is the known actor: were it believed,
    the dataset would be valid."""
    strings = claims["facts"]["strings"]  # (the references are numbers into this list)
    strings[strings.index("ana-orlova")] = "anna-orlova"


def test_an_entry_copied_to_an_invalid_files_key_does_not_make_it_valid(tmp_path: Path) -> None:
    """The poisoning itself: a valid file's entry copied to the key of an invalid file. Both are
    authentic entries, but the MAC covers the key an entry is stored under."""
    data, cache = _dataset(tmp_path), tmp_path / "cache"
    assert _validate(data, "--cache", str(cache)) == (0, VALID)
    valid_entry = _entry_of(cache, data / "statements.yaml")
    _break(data)
    sha = hashlib.sha256((data / "statements.yaml").read_bytes()).hexdigest()
    poisoned = valid_entry.parent.parent / sha[:2] / valid_entry.name.replace(valid_entry.name[:64], sha)
    poisoned.parent.mkdir(exist_ok=True)
    shutil.copyfile(valid_entry, poisoned)
    assert _validate(data, "--cache", str(cache)) == (1, f"{data}/{PROBLEM}\n{INVALID}")
    assert _validate(data, "--cache", str(cache)) == (1, f"{data}/{PROBLEM}\n{INVALID}")  # rewritten


def test_a_forged_entry_without_the_right_mac_is_ignored(tmp_path: Path, private_home: Path) -> None:
    """An entry claiming no problems, well formed, signed with another key (or with none): a miss."""
    data, cache = _dataset(tmp_path), tmp_path / "cache"
    _break(data)
    assert _validate(data, "--cache", str(cache)) == (1, f"{data}/{PROBLEM}\n{INVALID}")
    entry = _entry_of(cache, data / "statements.yaml")
    payload = entry.read_bytes().partition(b"\n")[2]
    claims = json.loads(payload)
    _whitewash(claims)
    forged = json.dumps(claims, separators=(",", ":")).encode()
    other_key = cache_module.ResultCache(cache, secret=b"\x01" * 32)
    for stored in (
        other_key.mac(entry.stem, forged) + b"\n" + forged,  # the right format, the wrong key
        hashlib.sha256(forged).hexdigest().encode() + b"\n" + forged,  # a plain digest
        b"\n" + forged,  # no MAC
        forged,  # the bare JSON
        entry.read_bytes().partition(b"\n")[0] + b"\n" + forged,  # the genuine MAC of other bytes
    ):
        entry.write_bytes(stored)
        assert _validate(data, "--cache", str(cache)) == (1, f"{data}/{PROBLEM}\n{INVALID}")
    # The forged claims signed with the real key would be believed: the MAC is all that stood.
    entry.write_bytes(_sign(private_home, entry, forged))
    assert _validate(data, "--cache", str(cache)) == (0, VALID)


GARBLED: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda _raw: b"",
    "garbage": lambda _raw: b"\x00\xff not an entry \x80",
    "truncated": lambda raw: raw[: len(raw) // 2],
    "truncated after the MAC": lambda raw: raw[: raw.index(b"\n") + 3] if b"\n" in raw else raw[:3],
    "a marshal tuple of the wrong shape": lambda _raw: marshal.dumps((1, 2, 3, 4)),  # issue 18, 5
    "a marshal pair of the wrong shape": lambda _raw: marshal.dumps((1, 2)),
    "a marshal string": lambda _raw: marshal.dumps("statements"),
    "a JSON list": lambda _raw: b"[1, 2, 3, 4]",
}


@pytest.mark.parametrize("garble", sorted(GARBLED))
def test_garbled_entries_are_misses_not_tracebacks(tmp_path: Path, garble: str) -> None:
    """Every entry (documents and statements alike) replaced by bytes of another shape: the
    result is exact, cold and after the entries were rewritten. (Until now a marshal value of
    the wrong shape was a TypeError or ValueError traceback.)"""
    data, cache = _dataset(tmp_path), tmp_path / "cache"
    _break(data)
    expected = (1, f"{data}/{PROBLEM}\n{INVALID}")
    assert _validate(data, "--cache", str(cache)) == expected
    entries = _entries(cache)
    assert len(entries) == 5  # two for the documents file, one for each other file
    for entry in entries:
        entry.write_bytes(GARBLED[garble](entry.read_bytes()))
    result = runner.invoke(main, ["validate", str(data), "--sources", str(SOURCES), "--cache", str(cache)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert (result.exit_code, result.output) == expected
    assert _validate(data, "--cache", str(cache)) == expected


def _numbers(*numbers: int, code: str = "I") -> str:
    """A column of numbers as entries store them: little-endian machine integers in hexadecimal."""
    return struct.pack(f"<{len(numbers)}{code}", *numbers).hex()


def _refs(at: int = 0, slot: int = 0, position: int = -1, value: int = 0) -> dict[str, str]:
    """A column of one reference."""
    return {
        "at": _numbers(at),
        "slot": bytes([slot]).hex(),
        "position": _numbers(position, code="i"),
        "value": _numbers(value),
    }


def _mutations() -> dict[str, Callable[[dict[str, Any]], None]]:
    def facts(entry: dict[str, Any]) -> dict[str, Any]:
        return entry["facts"] if entry["facts"] is not None else {}

    def extra(entry: dict[str, Any]) -> dict[str, Any]:
        found = facts(entry).get("extra")
        return found if isinstance(found, dict) else {}

    Mutation = Callable[[dict[str, Any]], None]

    def setitem(target: Callable[[dict[str, Any]], Any], key: Any, value: Any) -> Mutation:
        return lambda entry: target(entry).__setitem__(key, value)

    return {
        "a field missing": lambda entry: entry.pop("skipped"),
        "a field more": setitem(lambda e: e, "valid", True),
        "problems not a list": setitem(lambda e: e, "problems", {"DD302": 1}),
        "a problem row too short": lambda entry: entry["problems"].append(["DD302", "error", "x", 1, 1]),
        "a line as a string": lambda entry: entry["problems"].append(["DD302", "error", "x", "1", 1, ""]),
        "an unknown severity": lambda entry: entry["problems"].append(["DD302", "fatal", "x", 1, 1, ""]),
        "a count as a float": setitem(lambda e: e, "skipped", {"doc-1": 1.5}),
        "facts of another collection": setitem(facts, "collection", "proposals"),
        "a size as a string": setitem(facts, "size", "2"),
        "indexes as a list": setitem(facts, "index", [0, 1]),
        "indexes not in hexadecimal": setitem(facts, "index", "0000000g"),
        "indexes of a partial number": setitem(facts, "index", "000000"),
        "an index missing": setitem(facts, "index", _numbers(0)),
        "an id beyond the strings": setitem(facts, "id", _numbers(1, 99)),
        "strings holding a number": setitem(facts, "strings", ["doc-1", 2]),
        "references as lists": setitem(facts, "refs", [[0], [0], [-1], [0]]),
        "a reference column missing": lambda entry: facts(entry).get("refs", {}).pop("value", None),
        "a reference slot out of range": setitem(facts, "refs", _refs(slot=200)),
        "a reference to no record": setitem(facts, "refs", _refs(at=7)),
        "a reference beyond the strings": setitem(facts, "refs", _refs(value=999)),
        "extras of the wrong shape": setitem(facts, "extra", {"date": []}),
        "a date column too short": setitem(extra, "date", _numbers(0)),
        "cited footnotes nested too deep": setitem(extra, "cited", [[[[1]]], []]),
        "a cited footnote as a string": setitem(extra, "cited", [[["0", 1]], []]),
    }


MUTATIONS = _mutations()


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_authentic_entries_of_the_wrong_shape_are_misses(
    tmp_path: Path, private_home: Path, mutation: str
) -> None:
    """Entries signed with the real key whose JSON has a field missing, more, or of another type:
    each value's type is checked, and any difference is a miss (the shape is checked even when
    the MAC is right: a MAC proves who wrote an entry, not that a bug did not)."""
    data, cache = _dataset(tmp_path), tmp_path / "cache"
    _break(data)
    expected = (1, f"{data}/{PROBLEM}\n{INVALID}")
    assert _validate(data, "--cache", str(cache)) == expected
    statements = _entry_of(cache, data / "statements.yaml")
    for entry in _entries(cache):
        claims = json.loads(entry.read_bytes().partition(b"\n")[2])
        if entry == statements:
            _whitewash(claims)
        MUTATIONS[mutation](claims)
        entry.write_bytes(_sign(private_home, entry, json.dumps(claims).encode()))
    assert _validate(data, "--cache", str(cache)) == expected


def test_the_secret_key_is_private_and_outside_the_cache(tmp_path: Path, private_home: Path) -> None:
    """The key is made on first use in the user's configuration folder: 32 bytes, mode 0600 (even
    under a permissive umask), in a folder of mode 0700; the cache folder holds entries only."""
    data, cache = _dataset(tmp_path), tmp_path / "cache"
    key = private_home / ".config" / "dispatchdata" / "cache-key"
    previous = os.umask(0)
    try:
        assert _validate(data, "--cache", str(cache)) == (0, VALID)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    assert len(key.read_bytes()) == 32
    assert [p.name for p in key.parent.iterdir()] == ["cache-key"]  # no temporary file left
    assert all(p.suffix == ".json" and p.read_bytes()[64:65] == b"\n" for p in _entries(cache))
    secret = key.read_bytes()
    assert not any(secret in p.read_bytes() for p in _entries(cache))
    assert _validate(data, "--cache", str(cache)) == (0, VALID)
    assert key.read_bytes() == secret  # kept, not made again


def test_cache_alone_uses_the_users_cache_folder(tmp_path: Path, private_home: Path) -> None:
    """`--cache` without a folder keeps entries in $XDG_CACHE_HOME/dispatchdata, not in the
    dataset or the current folder."""
    data = _dataset(tmp_path)
    assert _validate(data, "--cache") == (0, VALID)
    assert _entries(private_home / ".cache" / "dispatchdata")
    assert sorted(p.name for p in data.iterdir()) == sorted(p.name for p in MINIMAL.iterdir())


def test_a_key_others_can_read_is_refused(tmp_path: Path, private_home: Path) -> None:
    """A key file readable by others proves nothing: exit 2 and what to do, no traceback."""
    data, cache = _dataset(tmp_path), tmp_path / "cache"
    assert _validate(data, "--cache", str(cache)) == (0, VALID)
    key = private_home / ".config" / "dispatchdata" / "cache-key"
    key.chmod(0o644)
    result = runner.invoke(main, ["validate", str(data), "--cache", str(cache)])
    assert result.exit_code == 2
    assert result.output == (
        f"dispatchdata: error: the cache key {key} is not private (mode 644, it must be 600 and yours): "
        "delete it and a new one is made\n"
    )
    key.unlink()
    assert _validate(data, "--cache", str(cache)) == (0, VALID)


def test_an_older_format_entry_is_ignored(tmp_path: Path) -> None:
    """A marshal entry (the format before this one) at the key this version reads, claiming the
    invalid file has no problems: not read, however well formed. Entries of the older format in
    their own folder are not read either."""
    data, cache = _dataset(tmp_path), tmp_path / "cache"
    _break(data)
    expected = (1, f"{data}/{PROBLEM}\n{INVALID}")
    assert _validate(data, "--cache", str(cache)) == expected
    entry = _entry_of(cache, data / "statements.yaml")
    facts = cache_module.decode_entry(entry.read_bytes().partition(b"\n")[2], "", "statements").facts
    assert facts is not None
    old: Any = (tuple(facts), [], [], {})
    entry.write_bytes(marshal.dumps(old))
    assert _validate(data, "--cache", str(cache)) == expected
    old_folder = entry.parent.parent.with_name(entry.parent.parent.name.replace("-f5-", "-f4-"))
    (old_folder / entry.parent.name).mkdir(parents=True)
    (old_folder / entry.parent.name / f"{entry.stem}.marshal").write_bytes(marshal.dumps(old))
    assert _validate(data, "--cache", str(cache)) == expected


def test_the_cache_folder_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_home: Path
) -> None:
    """DISPATCHDATA_CACHE names the folder as --cache DIR does; without either, nothing is cached."""
    data, cache = _dataset(tmp_path), tmp_path / "from-env"
    assert _validate(data) == (0, VALID)
    assert not (private_home / ".config").exists()
    assert not (private_home / ".cache").exists()
    monkeypatch.setenv("DISPATCHDATA_CACHE", str(cache))
    assert _validate(data) == (0, VALID)
    assert len(_entries(cache)) == 5


def test_a_key_that_cannot_be_made_is_a_clear_error(tmp_path: Path, private_home: Path) -> None:
    """A configuration folder that cannot be used (here a file): exit 2 naming the key and the
    reason, no traceback."""
    data, cache = _dataset(tmp_path), tmp_path / "cache"
    (private_home / ".config").write_text("not a folder", encoding="utf-8")
    key = private_home / ".config" / "dispatchdata" / "cache-key"
    result = runner.invoke(main, ["validate", str(data), "--cache", str(cache)])
    assert (result.exit_code, result.output) == (
        2,
        f"dispatchdata: error: cannot read the cache key {key}: Not a directory\n",
    )


def test_a_cache_folder_that_cannot_be_searched_is_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache folder another user owns (mode 000): asking whether an entry is there raised, a
    traceback and exit 1 (which means invalid data). Now it holds no entry: every file is checked
    and the result is exact. (Tests may run as root, whom modes do not stop: the refusal is
    stood in for where the cache asks.)"""

    class Unsearchable(type(Path())):  # type: ignore[misc]
        def is_file(self) -> bool:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))

    monkeypatch.setattr(cache_module, "Path", Unsearchable)
    data = _dataset(tmp_path)
    _break(data)
    assert _validate(data, "--cache", str(tmp_path / "cache")) == (1, f"{data}/{PROBLEM}\n{INVALID}")


def test_links_planted_in_the_cache_folder_are_not_written_through(tmp_path: Path) -> None:
    """An entry's folder, then the tool's folder, replaced by a link to a folder elsewhere (the
    cache folder may be writable by others): nothing is written there, and the result is exact."""
    data, cache, elsewhere = _dataset(tmp_path), tmp_path / "cache", tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert _validate(data, "--cache", str(cache)) == (0, VALID)
    shard = _entry_of(cache, data / "statements.yaml").parent
    tool = shard.parent
    shutil.rmtree(shard)
    shard.symlink_to(elsewhere)
    assert _validate(data, "--cache", str(cache)) == (0, VALID)
    assert list(elsewhere.iterdir()) == []
    shutil.rmtree(tool)
    tool.symlink_to(elsewhere)
    assert _validate(data, "--cache", str(cache)) == (0, VALID)
    assert list(elsewhere.iterdir()) == []
