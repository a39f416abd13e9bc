"""Attacks by size (issue 18, item 4): a 500 MiB YAML file took nine times its size in memory and
ended in MemoryError, then a BrokenProcessPool traceback. A data file above the size limit (64
MiB by default; --max-file-size, DISPATCHDATA_MAX_FILE_SIZE) is refused unread (DD118), a bundle
is held to it piece by piece, a planted huge cache entry is a miss not read, and running out of
memory or losing a worker is one line and exit 2."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import dispatchdata
from dispatchdata import suggest
from dispatchdata.check import cache as cache_module
from dispatchdata.cli import main
from dispatchdata.errors import DispatchDataError
from dispatchdata.read import files
from dispatchdata.read import folder as layout

from ..test_validate import MINIMAL, SOURCES

runner = CliRunner()

REFUSED = (
    "DD118 file is larger than the limit of {limit}: not read "
    "(raise the limit with --max-file-size or DISPATCHDATA_MAX_FILE_SIZE)"
)


def _dataset(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (data / "proposals").mkdir()
    # A valid proposal and a comment: 4,338 bytes, more than the minimal dataset's largest file
    # (1,266 bytes).
    text = (MINIMAL / "proposals.yaml").read_text(encoding="utf-8").replace("higher-tax", "lower-tax")
    (data / "proposals" / "more.yaml").write_text(text + "#" + "x" * 4000 + "\n", encoding="utf-8")
    return data


def test_a_file_above_max_file_size_is_refused_unread(tmp_path: Path) -> None:
    """--max-file-size 3K: the 3 KiB file is refused (DD118, exit 1), nothing else follows."""
    data = _dataset(tmp_path)
    result = runner.invoke(main, ["validate", str(data), "--sources", str(SOURCES), "--max-file-size", "3K"])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{data.as_posix()}/proposals/more.yaml: {REFUSED.format(limit='3 KiB')}\n"
        "invalid: 1 error, 0 warnings in 6 files, 7 records\n"
    )
    assert "DISPATCHDATA_MAX_FILE_SIZE" not in os.environ  # the option's value did not stay


def test_the_limit_comes_from_the_environment_for_every_command(tmp_path: Path) -> None:
    """DISPATCHDATA_MAX_FILE_SIZE holds for validate and for export alike; 0 is no limit."""
    data = _dataset(tmp_path)
    env = {"DISPATCHDATA_MAX_FILE_SIZE": "1300"}
    result = runner.invoke(main, ["validate", str(data), "--sources", str(SOURCES), "-q"], env=env)
    assert result.exit_code == 1
    assert result.stdout == f"{data.as_posix()}/proposals/more.yaml: {REFUSED.format(limit='1300 bytes')}\n"
    out = str(data.parent / "out")
    result = runner.invoke(main, ["export", "csv", "--release", str(data), "--output", out], env=env)
    assert result.exit_code == 2
    assert f"proposals/more.yaml: {REFUSED.format(limit='1300 bytes')}" in result.stderr
    result = runner.invoke(
        main,
        ["validate", str(data), "--sources", str(SOURCES), "-q"],
        env={"DISPATCHDATA_MAX_FILE_SIZE": "0"},
    )
    assert (result.exit_code, result.stdout) == (0, "")


def test_a_size_that_is_not_one_is_a_usage_error(tmp_path: Path) -> None:
    """A bad --max-file-size or DISPATCHDATA_MAX_FILE_SIZE: exit 2, said in a line."""
    result = runner.invoke(main, ["validate", str(MINIMAL), "--max-file-size", "1.5G"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--max-file-size': "
        "not a size: '1.5G' (write bytes, or a number with K, M or G: 64M)"
    )
    result = runner.invoke(main, ["cite"], env={"DISPATCHDATA_MAX_FILE_SIZE": "lots"})
    assert result.exit_code == 2
    assert result.stderr == (
        "dispatchdata: error: DISPATCHDATA_MAX_FILE_SIZE: "
        "not a size: 'lots' (write bytes, or a number with K, M or G: 64M)\n"
    )


def test_a_file_growing_past_the_limit_while_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size is checked before reading, and again as the bytes come: a file that grew after
    its size was taken (here: fstat says it is empty) stops being read past the limit."""
    path = tmp_path / "grows.yaml"
    path.write_bytes(b"x" * 5000)
    real_fstat = os.fstat

    def empty(fd: int) -> os.stat_result:
        status = list(real_fstat(fd))
        status[6] = 0  # st_size
        return os.stat_result(status)

    monkeypatch.setattr(os, "fstat", empty)
    with pytest.raises(layout.FileTooLargeError) as caught:
        layout.read_bytes(path, limit=4096)
    assert (caught.value.filename, caught.value.strerror) == (str(path), "larger than the limit of 4 KiB")


def test_a_bundle_held_to_the_limit_piece_by_piece(tmp_path: Path) -> None:
    """A bundle as released is read in pieces: it may be larger than the limit as a whole. One
    not laid out in pieces (a single line) is read whole, so held to the limit: DD118."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    result = runner.invoke(
        main, ["export", "json", "--release", str(data), "--output", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    (bundle,) = (tmp_path / "out").glob("*.json")
    size = bundle.stat().st_size
    env = {"DISPATCHDATA_MAX_FILE_SIZE": str(size - 1)}
    result = runner.invoke(main, ["validate", str(bundle), "--sources", str(SOURCES), "-q"], env=env)
    assert (result.exit_code, result.stdout) == (0, "")
    flat = tmp_path / "flat.json"
    flat.write_text(json.dumps(json.loads(bundle.read_text(encoding="utf-8"))), encoding="utf-8")
    env = {"DISPATCHDATA_MAX_FILE_SIZE": str(flat.stat().st_size - 1)}
    result = runner.invoke(main, ["validate", str(flat), "--sources", str(SOURCES), "-q"], env=env)
    assert result.exit_code == 1
    limit = f"{flat.stat().st_size - 1} bytes"
    assert result.stdout == f"flat.json: {REFUSED.format(limit=limit)}\n".replace(
        "flat.json", f"{tmp_path.as_posix()}/flat.json"
    )


def test_a_huge_file_planted_as_a_cache_entry_is_a_miss_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file above MAX_ENTRY_BYTES at an entry's place is a miss, and not a byte of it is read
    (a 400 MB one took 442 MB before)."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    cache = tmp_path / "cache"
    args = ["validate", str(data), "--sources", str(SOURCES), "--cache", str(cache), "-q"]
    assert runner.invoke(main, args).exit_code == 0
    entries = [e for e in cache.rglob("*.json") if e.is_file()]
    assert entries
    for entry in entries:
        with entry.open("r+b") as f:  # sparse: costs no disk
            f.truncate(cache_module.MAX_ENTRY_BYTES + 1)
    read: list[int] = []
    real_read = os.read

    def counted(fd: int, n: int) -> bytes:
        chunk = real_read(fd, n)
        read.append(len(chunk))
        return chunk

    monkeypatch.setattr(os, "read", counted)
    result = runner.invoke(main, args)
    assert (result.exit_code, result.stdout) == (0, "")
    assert max(read) < 1 << 20


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (
            MemoryError(),
            "dispatchdata: error: out of memory; a data file may be too large for this machine "
            "(lower the limit on a file's size with DISPATCHDATA_MAX_FILE_SIZE)\n",
        ),
        (
            "BrokenProcessPool",
            "dispatchdata: error: a worker process ended abruptly (out of memory, or killed); "
            "run again with -j 1\n",
        ),
    ],
)
@pytest.mark.parametrize(
    "command", [["validate", str(MINIMAL)], ["export", "csv", "--release", str(MINIMAL), "--output", "out"]]
)
def test_out_of_memory_or_a_dead_worker_is_one_line_exit_2(
    failure: object, message: str, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """MemoryError, or a worker process that died (BrokenProcessPool), anywhere: exit 2, a line."""
    if failure == "BrokenProcessPool":
        from concurrent.futures.process import BrokenProcessPool

        failure = BrokenProcessPool("A process in the process pool was terminated abruptly")

    def fail(*_args: object, **_kwargs: object) -> None:
        assert isinstance(failure, BaseException)
        raise failure

    monkeypatch.setattr(layout, "read_bytes", fail)
    monkeypatch.setattr("dispatchdata.check.file.read_bytes", fail)
    result = runner.invoke(main, command)
    assert result.exit_code == 2
    assert result.stderr == message
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_hints_for_unknown_references_stop_at_their_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hint compares an unknown id with every id of its collection: thousands of dangling
    references into tens of thousands of ids kept `validate` busy for many minutes. Hints now
    share a budget of comparisons (``suggest.HINT_BUDGET``); past it, each reference is still
    reported, without a hint. Here a budget of four comparisons, into three actors: the first
    unknown speaker gets its hint, the second does not."""
    monkeypatch.setattr(suggest, "HINT_BUDGET", 4)
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    statements = data / "statements.yaml"
    text = statements.read_text(encoding="utf-8")
    text = text.replace("speaker: ivan-petrov", "speaker: ivan-petrovv").replace(
        "speaker: anna-orlova", "speaker: anna-orlovaa"
    )
    statements.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(data), "--sources", str(SOURCES), "-q"])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{data}/statements.yaml:3:12: DD302 unknown actor 'ivan-petrovv' (did you mean 'ivan-petrov'?)\n"
        f"{data}/statements.yaml:18:12: DD302 unknown actor 'anna-orlovaa'\n"
    )


def test_a_size_is_ascii_digits_and_a_bad_one_is_the_library_s_own_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A size in full-width digits (U+FF11 U+FF10) was taken for 10 bytes; and `load()` with a bad
    DISPATCHDATA_MAX_FILE_SIZE raised a bare ValueError, where the README promises the
    library's own errors (a DispatchDataError, still a ValueError for those who caught that)."""
    wide = "\uff11\uff10"
    with pytest.raises(files.SizeError, match=f"not a size: '{wide}'"):
        files.parse_size(wide)
    monkeypatch.setenv("DISPATCHDATA_MAX_FILE_SIZE", "abc")
    with pytest.raises(DispatchDataError, match="not a size: 'abc'") as raised:
        dispatchdata.load(MINIMAL)
    assert isinstance(raised.value, ValueError)
