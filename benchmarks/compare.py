"""Time revisions of dispatchdata against each other, alternately, in one run.

    python benchmarks/compare.py BASE [BASE ...] [--head HEAD] [--size 100000] [--rounds 3]

Each revision (anything ``git rev-parse`` takes; HEAD by default for the head) is checked out
into benchmarks/.compare/<commit>/ (a detached worktree, not committed) and installed with the
``fast`` extra into a virtual environment of its own. Then every command below runs once for one
revision, then for the next, round after round (each round in another order), so that a slow
minute on this shared machine falls on all; the report gives each command's best wall time and
peak memory per revision and the ratio HEAD / BASE for each base; then that ratio round by round
(HEAD's time over BASE's of the same round, minutes apart at most): its median and range, which
show how far one run's noise goes; then the best CPU time (user + sys of the process and its
workers: what a second processor does not hide). The corpus is
benchmarks/run.py's (benchmarks/.corpus/<size>/), or the folder given with --corpus; --only
times some of the commands (by name, comma-separated: "validate json,diff json yaml").

With --instructions, each command runs once per revision under valgrind's callgrind instead, on
one processor (taskset: no workers, no second process for the label; a forked child's callgrind
count would include its parent's up to the fork), and the report gives the instructions it
executed: a count that, unlike time on a shared machine, is the same from run to run
(PYTHONHASHSEED is fixed; about 50 times slower, so use --size 10000). It counts the work of one
process, not time: cache misses, and what workers cost and a second processor hides, are not in it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout, run as a script

from benchmarks.run import ROOT, corpus, run, warm_page_cache

PLACE = Path(__file__).resolve().parent / ".compare"


def install(rev: str) -> tuple[str, Path]:
    """The commit ``rev`` names, checked out and installed; returns it and its bin folder."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{rev}^{{commit}}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    tree = PLACE / commit
    venv = PLACE / f"{commit}.venv"
    if not tree.is_dir():
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), commit], cwd=ROOT, check=True)
    if not (venv / "bin" / "dispatchdata").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", f"{tree}[fast]"], check=True)
    return commit, venv / "bin"


def commands(folder: Path, out: Path) -> dict[str, list[str]]:
    """What is timed, by name: arguments after the ``dispatchdata`` executable."""
    sources = str(folder / "sources")
    return {
        "validate yaml": ["validate", str(folder / "yaml"), "--sources", sources],
        "validate json": ["validate", str(folder / "json"), "--sources", sources],
        "diff json yaml": ["diff", str(folder / "json"), str(folder / "yaml"), "--sources", sources],
        **{
            f"export {fmt}": ["export", fmt, "--release", str(folder / "json"), "--output", str(out / fmt)]
            for fmt in ("json", "csv", "sqlite", "datapackage")
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bases", nargs="+", metavar="BASE")
    parser.add_argument("--head", default="HEAD")
    parser.add_argument("--size", type=int, default=100_000, help="statements in the corpus")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--corpus", type=Path, help="a corpus folder (json/, yaml/, sources/) to use as it is"
    )
    parser.add_argument("--only", help="the commands to time, by name, comma-separated")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions (valgrind) instead of timing"
    )
    options = parser.parse_args()
    if options.instructions and (shutil.which("valgrind") is None or shutil.which("taskset") is None):
        sys.exit("--instructions needs valgrind and taskset (apt install valgrind util-linux)")
    sides = [install(rev) for rev in options.bases] + [install(options.head)]
    folder = options.corpus if options.corpus is not None else corpus(options.size)
    names = list(commands(folder, Path()))
    if options.only:
        wanted = [n.strip() for n in options.only.split(",")]
        if unknown := [n for n in wanted if n not in names]:
            sys.exit(f"unknown commands {unknown}: choose among {names}")
        names = wanted
    if options.instructions:
        counted = {
            (commit, name): instructions(commit, name, bindir, folder)
            for commit, bindir in sides
            for name in names
        }
        report_instructions(options, sides, names, counted)
        return
    warm_page_cache(folder)
    runs: dict[tuple[str, str], list[dict[str, Any]]] = {}  # each round's, in order
    for round_ in range(options.rounds):
        shift = round_ % len(sides)
        for commit, bindir in sides[shift:] + sides[:shift]:
            with tempfile.TemporaryDirectory() as tmp:
                for name, args in commands(folder, Path(tmp)).items():
                    if name not in names:
                        continue
                    r = run([str(bindir / "dispatchdata"), *args])
                    if r["code"] != 0:
                        sys.exit(f"{commit[:7]} {name}: exit {r['code']}\n{r['stderr'][-2000:]}")
                    runs.setdefault((commit, name), []).append(r)
    report(options, sides, names, runs)


def instructions(commit: str, name: str, bindir: Path, folder: Path) -> int:
    """The instructions one command executes on one processor, in one process."""
    with tempfile.TemporaryDirectory() as tmp:
        args = commands(folder, Path(tmp) / "out")[name]
        done = subprocess.run(
            [
                "taskset",
                "-c",
                str(min(os.sched_getaffinity(0))),
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={tmp}/callgrind.%p",
                str(bindir / "python"),
                str(bindir / "dispatchdata"),
                *args,
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        if done.returncode != 0:
            sys.exit(f"{commit[:7]} {name}: exit {done.returncode}\n{done.stderr[-2000:]}")
        found = list(Path(tmp).glob("callgrind.*"))
        text = found[0].read_text(encoding="utf-8") if len(found) == 1 else ""
        summary = re.search(r"^(?:summary|totals): (\d+)", text, re.M)
        if summary is None:
            sys.exit(f"{commit[:7]} {name}: expected one process with a total, found {len(found)}")
        return int(summary.group(1))


def report_instructions(
    options: argparse.Namespace,
    sides: list[tuple[str, Path]],
    names: list[str],
    counted: dict[tuple[str, str], int],
) -> None:
    """Print the instruction counts (billions) and the ratios HEAD / BASE."""
    _title(options, sides, "instructions (valgrind callgrind, one processor, one process)", "")
    _table(sides, names, {key: count / 1e9 for key, count in counted.items()}, "G", 3)


def _title(options: argparse.Namespace, sides: list[tuple[str, Path]], what: str, after: str) -> None:
    """The report's first line: the corpus, what is measured, the revisions (and ``after``)."""
    bases, head = [c for c, _ in sides[:-1]], sides[-1][0]
    print(
        f"{options.size} statements, {what}; bases {', '.join(b[:7] for b in bases)}, head {head[:7]}{after}\n"
    )


def _table(
    sides: list[tuple[str, Path]],
    names: list[str],
    values: dict[tuple[str, str], float],
    unit: str,
    digits: int,
) -> None:
    """One row per command: each revision's value, then the head's ratio to each base."""
    bases, head = [c for c, _ in sides[:-1]], sides[-1][0]
    print(
        "| command | "
        + " | ".join(f"{c[:7]} {unit}" for c, _ in sides)
        + " | "
        + " | ".join(f"/{b[:7]}" for b in bases)
        + " |"
    )
    print("|---|" + "---:|" * (len(sides) + len(bases)))
    for name in names:
        shown = " | ".join(f"{values[(c, name)]:.{digits}f}" for c, _ in sides)
        ratios = " | ".join(f"{values[(head, name)] / values[(b, name)]:.{digits}f}" for b in bases)
        print(f"| `{name}` | {shown} | {ratios} |")


def report(
    options: argparse.Namespace,
    sides: list[tuple[str, Path]],
    names: list[str],
    runs: dict[tuple[str, str], list[dict[str, Any]]],
) -> None:
    """Print the wall-time table (best of the rounds, with peak memory), the head's ratio to
    each base round by round, then the CPU-time table."""
    bases, head = [c for c, _ in sides[:-1]], sides[-1][0]
    best = {key: min(rounds, key=lambda r: float(r["wall"])) for key, rounds in runs.items()}
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    _title(options, sides, f"best of {options.rounds}, alternating", f"; load at the end {load}")
    header = "| command | " + " | ".join(f"{b[:7]} s" for b in bases) + f" | {head[:7]} s | "
    header += (
        " | ".join(f"/{b[:7]}" for b in bases) + " | " + " | ".join(f"{c[:7]} MB" for c, _ in sides) + " |"
    )
    print(header)
    print("|---|" + "---:|" * (2 * len(bases) + 1 + len(sides)))
    for name in names:
        h = best[(head, name)]
        walls = " | ".join(f"{best[(b, name)]['wall']:.2f}" for b in bases)
        ratios = " | ".join(f"{h['wall'] / best[(b, name)]['wall']:.2f}" for b in bases)
        peaks = " | ".join(f"{best[(c, name)]['peak_mb']:.0f}" for c, _ in sides)
        print(f"| `{name}` | {walls} | {h['wall']:.2f} | {ratios} | {peaks} |")
    print(
        "\nThe head's wall time over each base's in the same round (the two ran minutes apart at"
        " most): median [lowest, highest] of the rounds:\n"
    )
    print("| command | " + " | ".join(f"/{b[:7]}" for b in bases) + " |")
    print("|---|" + "---:|" * len(bases))
    for name in names:
        cells = []
        for b in bases:
            low, middle, high = paired(
                [r["wall"] for r in runs[(head, name)]], [r["wall"] for r in runs[(b, name)]]
            )
            cells.append(f"{middle:.2f} [{low:.2f}, {high:.2f}]")
        print(f"| `{name}` | " + " | ".join(cells) + " |")
    print("\nCPU time (user + sys, workers included), best of the rounds:\n")
    cpu = {key: min(float(r["cpu"]) for r in rounds) for key, rounds in runs.items()}
    _table(sides, names, cpu, "CPU s", 2)


def paired(head: list[float], base: list[float]) -> tuple[float, float, float]:
    """The lowest, median and highest of ``head[i] / base[i]`` (round i's ratio: the same
    minute's load on both sides)."""
    ratios = sorted(h / b for h, b in zip(head, base, strict=True))
    return ratios[0], statistics.median(ratios), ratios[-1]


if __name__ == "__main__":
    main()
