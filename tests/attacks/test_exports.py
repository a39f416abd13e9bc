"""Attacks on `export` (and the temporary files of `release`): a folder of the user's is never
deleted, a file created during an export is never lost, a kill at any point leaves the output
in place, and what a killed run leaves (temporary folders and files, worker processes) goes."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import dispatchdata
from dispatchdata import atomic
from dispatchdata.cli import main
from dispatchdata.export import MARKER, ExportError, export, previous_export
from dispatchdata.release.release import dump_bundle, open_bundle

from ..golden.regenerate import MINIMAL
from ..test_validate import SOURCES

#: What the minimal dataset is exported as: not a release, so labelled by its content.
LABEL = f"1.0.0+unreleased.{hashlib.sha256(dump_bundle(open_bundle(MINIMAL))).hexdigest()[:8]}"

runner = CliRunner()


def _export(output: Path, fmt: str = "csv", *extra: str) -> Any:
    return runner.invoke(main, ["export", fmt, "--release", str(MINIMAL), "--output", str(output), *extra])


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _refused(output: Path, reason: str) -> str:
    return f"dispatchdata: error: refusing to replace {output}: {reason}\n"


def test_a_folder_summed_by_sha256sum_is_not_taken_for_an_export(tmp_path: Path) -> None:
    """The reported loss: `sha256sum * > SHA256SUMS` in ~/Downloads, then `export csv --output
    ~/Downloads`. No marker of ours: refused, exit 2, every file as it was, nothing left beside."""
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    (downloads / "thesis.docx").write_bytes(b"four years of work")
    digest = hashlib.sha256(b"four years of work").hexdigest()
    (downloads / "SHA256SUMS").write_text(f"{digest}  thesis.docx\n", encoding="utf-8")
    before = _files(downloads)
    result = _export(downloads)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == _refused(
        downloads,
        "it holds 'thesis.docx' and no .dispatchdata-export marker (no export made it); "
        "choose a new or empty folder",
    )
    assert _files(downloads) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Downloads"]


def _edit(name: str) -> Callable[[Path], None]:
    def edit(out: Path) -> None:
        with (out / name).open("a", encoding="utf-8") as file:
            file.write("my note\n")

    return edit


def _add_file(out: Path) -> None:
    (out / "thesis.docx").write_bytes(b"mine")


def _fake_marker(out: Path) -> None:
    (out / MARKER).write_text('{"format": "csv"}\n', encoding="utf-8")


def _list_own_file(out: Path) -> None:
    _add_file(out)
    with (out / "SHA256SUMS").open("a", encoding="utf-8") as sums:
        sums.write(f"{hashlib.sha256(b'mine').hexdigest()}  thesis.docx\n")  # sorted last: still refused


def _remove_file(out: Path) -> None:
    (out / "actors.csv").unlink()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            _edit("statements.csv"),
            "'statements.csv' does not match its SHA-256 in SHA256SUMS (changed since the export)",
        ),
        (_edit("SHA256SUMS"), "SHA256SUMS line 17 is not one an export writes"),
        (_add_file, "'thesis.docx' is not listed in SHA256SUMS (no export wrote it)"),
        (_fake_marker, "its .dispatchdata-export is not a marker dispatchdata wrote"),
        (_remove_file, "'actors.csv', listed in SHA256SUMS, is missing"),
    ],
    ids=["edited", "sums-edited", "file-added", "marker-forged", "file-removed"],
)
def test_a_previous_export_that_changed_is_refused(
    tmp_path: Path, change: Callable[[Path], None], reason: str
) -> None:
    """Only an export exactly as dispatchdata wrote it is replaced: one file edited, added or
    removed, or the marker not ours, and it is refused (exit 2) naming the first such file."""
    out = tmp_path / "out"
    assert _export(out).exit_code == 0
    change(out)
    before = _files(out)
    result = _export(out)
    assert result.exit_code == 2
    assert result.stderr == _refused(out, reason)
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_previous_export_in_another_format_is_refused(tmp_path: Path) -> None:
    """`export csv` into a data package export removed its datapackage.json: now refused."""
    out = tmp_path / "out"
    assert _export(out, "datapackage").exit_code == 0
    before = _files(out)
    result = _export(out, "csv")
    assert result.exit_code == 2
    assert result.stderr == _refused(
        out, "it is a datapackage export, not csv; remove it or choose another folder"
    )
    assert _files(out) == before


def test_an_unchanged_previous_export_is_replaced(tmp_path: Path) -> None:
    """The rule's other side: the same format, unchanged, is replaced, with nothing left beside."""
    out = tmp_path / "out"
    assert _export(out).exit_code == 0
    before = _files(out)
    result = _export(out)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == f"exported minimal {LABEL} as csv to {out} (17 files)\n"
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("output", [".", "..", "work/.."])
def test_an_output_holding_the_current_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output: str
) -> None:
    """`--output .` left `..old-*` litter in the current folder; the current folder or one that
    holds it is refused outright, and nothing is written."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work if output != "work/.." else tmp_path)
    result = _export(Path(output))
    assert result.exit_code == 2
    assert result.stderr == (
        f"dispatchdata: error: refusing to export into {output}: {'it holds' if output == '..' else 'it is'} "
        "the current folder; "
        "give --output a folder of its own\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]
    assert list(work.iterdir()) == []


def test_an_output_holding_the_dataset_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The folder of the dataset read, or one holding it, is never an output."""
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "project" / "data"
    shutil.copytree(MINIMAL, data)
    for output, relation in ((data, "it is"), (data.parent, "it holds")):
        result = runner.invoke(main, ["export", "csv", "--release", str(data), "--output", str(output)])
        assert result.exit_code == 2
        assert result.stderr == (
            f"dispatchdata: error: refusing to export into {output}: {relation} {data}; "
            "give --output a folder of its own\n"
        )
    assert sorted(p.name for p in (tmp_path / "project").iterdir()) == ["data"]


@pytest.mark.parametrize("inside", ["out", "releases/x", "statements/new"])
def test_an_output_inside_the_dataset_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inside: str
) -> None:
    """An export inside the dataset folder would be a stray folder there, making the dataset
    invalid (DD110) for every later command: refused, nothing written."""
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    output = data / inside
    result = runner.invoke(main, ["export", "csv", "--release", str(data), "--output", str(output)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"dispatchdata: error: refusing to export into {output}: it is inside the dataset folder "
        f"{data}; give --output a folder outside it\n"
    )
    assert not output.exists()
    assert dispatchdata.validate(data, sources=[SOURCES]).valid


@pytest.fixture(params=["exchange", "re-check"])
def swap(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways of putting the export in place: the folders exchanged in one step (Linux), and
    elsewhere the previous export checked again just before it is moved."""
    if request.param == "exchange":
        if atomic._EXCHANGE is None:
            pytest.skip("renameat2 is not available here")
    else:
        monkeypatch.setattr(atomic, "_EXCHANGE", None)
    return str(request.param)


def test_a_file_created_during_the_export_survives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, swap: str
) -> None:
    """A file created in --output while the export runs was deleted at the swap. Exchanged, the
    previous export is kept with it beside the output, and the user told where; re-checked, the
    export is refused and the output left as it is."""
    out = tmp_path / "out"
    assert _export(out).exit_code == 0
    previous = _files(out)
    monkeypatch.setattr("dispatchdata.export._before_swap", lambda output: _add_file(output))
    result = _export(out)
    if swap == "exchange":
        assert result.exit_code == 0
        assert result.stderr == (
            f"dispatchdata: note: files were created in {out} during the export; its previous "
            f"content, with them, is kept in {out}.previous\n"
        )
        assert result.stdout == f"exported minimal {LABEL} as csv to {out} (17 files)\n"
        assert _files(out) == previous
        assert _files(tmp_path / "out.previous") == {**previous, "thesis.docx": b"mine"}
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "out.previous"]
    else:
        assert result.exit_code == 2
        assert result.stderr == _refused(
            out, "'thesis.docx' is not listed in SHA256SUMS (no export wrote it)"
        )
        assert _files(out) == {**previous, "thesis.docx": b"mine"}
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_folder_created_at_the_output_during_the_export_survives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, swap: str
) -> None:
    """A new output that someone makes and fills meanwhile is the user's: kept beside the
    export (exchanged) or refused (re-checked)."""
    out = tmp_path / "out"

    def fill(output: Path) -> None:
        output.mkdir()
        _add_file(output)

    monkeypatch.setattr("dispatchdata.export._before_swap", fill)
    result = _export(out)
    if swap == "exchange":
        assert result.exit_code == 0
        assert result.stderr == (
            f"dispatchdata: note: files were created in {out} during the export; its previous "
            f"content, with them, is kept in {out}.previous\n"
        )
        assert _files(tmp_path / "out.previous") == {"thesis.docx": b"mine"}
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "out.previous"]
    else:
        assert result.exit_code == 2
        assert result.stderr == _refused(
            out,
            "it holds 'thesis.docx' and no .dispatchdata-export marker (no export made it); "
            "choose a new or empty folder",
        )
        assert _files(out) == {"thesis.docx": b"mine"}
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


class Killed(BaseException):
    """The process killed: nothing after this point runs, not even its clean-up."""


def _dead_owner() -> atomic.Owner:
    """A process of this host that has ended (its pid free)."""
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True
    )
    return atomic.Owner(atomic.this_process().host, int(ended.stdout), 0)


@pytest.fixture(scope="module")
def bundles() -> tuple[dict[str, Any], dict[str, Any]]:
    """Two releases whose exports differ (the title), to tell the previous from the new."""
    new = open_bundle(MINIMAL)
    return {**new, "metadata": {**new["metadata"], "title": "An older title"}}, new


class _Kill:
    """From the swap on, counts the changes made to the file system (renames, the exchange,
    removals), and kills the export at change ``at`` (never when 0)."""

    def __init__(self, at: int) -> None:
        self.at, self.count, self.armed = at, 0, False

    def wrap(self, function: Callable[..., Any]) -> Callable[..., Any]:
        def step(*args: Any, **kwargs: Any) -> Any:
            if self.armed:
                self.count += 1
                if self.count == self.at:
                    raise Killed
            return function(*args, **kwargs)

        return step


def _killed_export(monkeypatch: pytest.MonkeyPatch, bundle: dict[str, Any], out: Path, at: int) -> int:
    """Export, killed at change ``at`` of the swap, as a process that has since ended; how many
    changes the swap made."""
    kill = _Kill(at)
    dead = _dead_owner()
    with monkeypatch.context() as m:
        m.setattr(atomic, "this_process", lambda: dead)
        m.setattr(atomic, "discard_staging", lambda staging: None)  # a killed run cleans nothing
        m.setattr("dispatchdata.export._before_swap", lambda output: setattr(kill, "armed", True))
        for name in ("rename", "unlink", "rmdir"):
            m.setattr(os, name, kill.wrap(getattr(os, name)))
        if atomic._EXCHANGE is not None:
            m.setattr(atomic, "_EXCHANGE", kill.wrap(atomic._EXCHANGE))
        with contextlib.suppress(Killed):
            export(bundle, "csv", out)
    return kill.count


def test_a_kill_at_any_point_of_the_swap_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundles: tuple[dict[str, Any], dict[str, Any]], swap: str
) -> None:
    """A SIGKILL between the two renames left --output missing. Killed at every change the swap
    makes: exchanged, the output is always there, the previous export or the new one, whole;
    re-checked, it may be missing, and the next run puts it back. Then the next run leaves
    nothing of the killed one beside the output."""
    old, new = bundles
    export(old, "csv", tmp_path / "old")
    export(new, "csv", tmp_path / "new")
    wholes = [_files(tmp_path / "old"), _files(tmp_path / "new")]
    steps = _killed_export(monkeypatch, new, tmp_path / "old", 0)  # not killed: how many steps
    assert steps > 4
    for at in range(1, steps + 1):
        run = tmp_path / str(at)
        export(old, "csv", run / "out")
        _killed_export(monkeypatch, new, run / "out", at)
        if swap == "exchange" or (run / "out").exists():
            assert _files(run / "out") in wholes, at
        monkeypatch.setattr(atomic, "_RUN_STARTED", time.time() + 1)  # the next run starts later
        atomic.remove_stale_temporaries(run, lambda folder: previous_export(folder, complete=False))
        assert _files(run / "out") in wholes, at
        assert [p.name for p in run.iterdir()] == ["out"], at
        export(new, "csv", run / "out")
        assert _files(run / "out") == wholes[1]


def test_what_killed_runs_left_is_removed_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run killed while writing left an export-sized hidden folder for ever; one killed while
    releasing, a temporary file. The next run removes those of ours whose process is gone, and
    leaves alone look-alikes without our marker or name, and those of a run still going."""
    minimal = open_bundle(MINIMAL)

    def crash(bundle: dict[str, Any], folder: Path) -> None:
        (folder / "half.csv").write_text("a,b\n", encoding="utf-8")
        raise Killed

    dead = _dead_owner()
    with monkeypatch.context() as m:
        m.setattr(atomic, "this_process", lambda: dead)
        m.setattr(atomic, "discard_staging", lambda staging: None)
        m.setattr("dispatchdata.export.csv_tables.write", crash)
        with pytest.raises(Killed):
            export(minimal, "csv", tmp_path / "out")
    (stale,) = tmp_path.glob(".out.dispatchdata-*")
    assert sorted(p.name for p in stale.iterdir()) == [".dispatchdata-temporary", "new"]
    lookalike = tmp_path / ".out.dispatchdata-mine1234"  # named as ours, not marked
    lookalike.mkdir()
    (lookalike / "new").mkdir()
    (lookalike / "notes.txt").write_text("mine", encoding="utf-8")
    running = atomic.make_staging(tmp_path / "other")  # this process's: still going
    owner = f"{dead.host}-{dead.pid}-0"
    (tmp_path / f".1.2.0.json.dispatchdata-{owner}-x1y2.tmp").write_bytes(b"half a release")
    (tmp_path / ".1.2.0.json.k3j4.tmp").write_bytes(b"not named as ours")
    alive = atomic.this_process()
    kept_temporary = f".1.3.0.json.dispatchdata-{alive.host}-{alive.pid}-{alive.started}-z9.tmp"
    (tmp_path / kept_temporary).write_bytes(b"being written")
    result = _export(tmp_path / "out")
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [".1.2.0.json.k3j4.tmp", kept_temporary, lookalike.name, running.holder.name, "out"]
    )
    assert (lookalike / "notes.txt").read_text(encoding="utf-8") == "mine"
    atomic.discard_staging(running)
    assert not running.holder.exists()


def test_release_temporaries_are_named_as_ours(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A release's temporary file carries its process, so that the next release (which calls
    remove_stale_temporaries on the releases folder) removes it once that process is gone."""
    dead = _dead_owner()
    monkeypatch.setattr(atomic, "this_process", lambda: dead)

    def killed(out: Any) -> None:
        raise Killed

    monkeypatch.setattr(Path, "unlink", lambda self, missing_ok=False: None)  # killed: no clean-up
    with pytest.raises(Killed):
        atomic.write_atomically(tmp_path / "1.2.0.json", killed)
    monkeypatch.undo()
    (left,) = tmp_path.iterdir()
    assert left.name.startswith(f".1.2.0.json.dispatchdata-{dead.host}-{dead.pid}-0-")
    atomic.remove_stale_temporaries(tmp_path)
    assert list(tmp_path.iterdir()) == []


_ORPHANS = """
import os, signal, sys
from concurrent.futures import wait
from pathlib import Path
from dispatchdata.check import workers
from dispatchdata.check.file import FolderFiles, new_timings

import concurrent.futures.process, multiprocessing  # the start method is chosen on import
if sys.argv[2] == "sentinel":
    sys.platform = "elsewhere"  # the workers, forked, ask for no signal: the fallback alone
running = workers._pool(FolderFiles(Path(sys.argv[1]), None, new_timings(), None), 2, None, "")
pool = running.__enter__()  # (and never left: the process is killed with the pool running)
futures = [pool.submit(os.getpid) for _ in range(8)]
wait(futures)
print(" ".join(str(p) for p in pool._processes), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in (b"Z", b"X")  # a zombie has ended: only its parent's wait is missing


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
@pytest.mark.parametrize("way", ["signal", "sentinel"])
def test_workers_end_with_the_process_that_started_them(tmp_path: Path, way: str) -> None:
    """A run killed with workers left them blocked for ever on the pool's pipe; now they end
    within seconds of their parent: told by Linux (a signal), or, where it cannot, on seeing
    multiprocessing's parent sentinel close."""
    # Output to files: a worker left running would hold a pipe open, and the wait for it with it.
    with (tmp_path / "out").open("w") as out, (tmp_path / "err").open("w") as err:
        killed = subprocess.run([sys.executable, "-c", _ORPHANS, str(tmp_path), way], stdout=out, stderr=err)
    assert killed.returncode == -9, (tmp_path / "err").read_text()
    pids = [int(p) for p in (tmp_path / "out").read_text().split()]
    assert len(pids) == 2
    deadline = time.monotonic() + 5
    while any(_running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [p for p in pids if _running(p)]
    for pid in left:  # do not leave them to the next test
        os.kill(pid, 9)
    assert left == []


def test_a_marker_is_refused_unless_it_is_exactly_ours(tmp_path: Path) -> None:
    """The marker is not listed in SHA256SUMS, but checked: only the bytes an export writes."""
    out = tmp_path / "out"
    assert _export(out).exit_code == 0
    marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    assert marker == {"format": "csv", "marker": 1, "tool": "dispatchdata", "version": LABEL}
    (out / MARKER).write_text(json.dumps(marker, indent=1), encoding="utf-8")
    with pytest.raises(ExportError, match="is not a marker dispatchdata wrote"):
        previous_export(out)


@pytest.mark.parametrize("target", ["{elsewhere}", "../escaped", "zz/../../escaped", "other"])
def test_a_planted_staging_marker_moves_nothing_anywhere(tmp_path: Path, target: str) -> None:
    """A staging folder planted with our marker naming another place (an absolute path, '../x',
    another name than its own) is not one we left: the next run neither moves its content there
    nor deletes it."""
    dead = _dead_owner()
    elsewhere = tmp_path / "elsewhere"
    work = tmp_path / "work"
    planted = work / ".zz.dispatchdata-abcdefgh"
    (planted / "old").mkdir(parents=True)
    (planted / "old" / "payload").write_text("attacker's\n", encoding="utf-8")
    marker = {
        "host": dead.host,
        "new": 1,
        "pid": dead.pid,
        "started": dead.started,
        "target": target.format(elsewhere=elsewhere),
        "tool": "dispatchdata",
    }
    (planted / atomic.OWNER_MARKER).write_text(json.dumps(marker), encoding="utf-8")
    result = _export(work / "out")
    assert result.exit_code == 0
    assert not elsewhere.exists()
    assert not (tmp_path / "escaped").exists()
    assert not (work / "other").exists()
    assert (planted / "old" / "payload").read_text(encoding="utf-8") == "attacker's\n"


def test_a_marker_beside_files_of_ones_own_replaces_nothing(tmp_path: Path) -> None:
    """An exact csv marker copied into a folder whose SHA256SUMS lists the user's own files (as
    `sha256sum *` writes it): those are not files a csv export writes, so the folder is refused
    and every file stays."""
    out = tmp_path / "out"
    assert _export(out).exit_code == 0
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"years of work")
    shutil.copy(out / MARKER, mine / MARKER)
    digest = hashlib.sha256(b"years of work").hexdigest()
    (mine / "SHA256SUMS").write_text(f"{digest}  thesis.docx\n", encoding="utf-8")
    result = _export(mine)
    assert result.exit_code == 2
    assert result.stderr == (
        f"dispatchdata: error: refusing to replace {mine}: 'thesis.docx' is not a file a csv export writes\n"
    )
    assert (mine / "thesis.docx").read_bytes() == b"years of work"
