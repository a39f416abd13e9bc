"""Time revisions of dispatchdata against each other, alternately, in one run.

    python benchmarks/compare.py BASE [BASE ...] [--head HEAD] [--size 100000] [--rounds 3]

Each revision (anything ``git rev-parse`` takes; HEAD by default for the head) is checked out
into benchmarks/.compare/<commit>/ (a detached worktree, not committed) and installed with the
``fast`` extra into a virtual environment of its own. Then every command below runs once for one
revision, then for the next, round after round (each round in another order), so that a slow
minute on this shared machine falls on all; the report gives each command's best wall time and
peak memory per revision and the ratio HEAD / BASE for each base. The corpus is benchmarks/run.py's (benchmarks/.corpus/<size>/).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ROOT, corpus, run, warm_page_cache

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
    options = parser.parse_args()
    sides = [install(rev) for rev in options.bases] + [install(options.head)]
    folder = corpus(options.size)
    warm_page_cache(folder)
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for round_ in range(options.rounds):
        shift = round_ % len(sides)
        for commit, bindir in sides[shift:] + sides[:shift]:
            with tempfile.TemporaryDirectory() as tmp:
                for name, args in commands(folder, Path(tmp)).items():
                    r = run([str(bindir / "dispatchdata"), *args])
                    if r["code"] != 0:
                        sys.exit(f"{commit[:7]} {name}: exit {r['code']}\n{r['stderr'][-2000:]}")
                    key = (commit, name)
                    if key not in best or r["wall"] < best[key]["wall"]:
                        best[key] = r
    bases, head = [c for c, _ in sides[:-1]], sides[-1][0]
    names = ", ".join(b[:7] for b in bases)
    print(
        f"{options.size} statements, best of {options.rounds}, alternating; bases {names}, head {head[:7]}\n"
    )
    header = "| command | " + " | ".join(f"{b[:7]} s" for b in bases) + f" | {head[:7]} s | "
    header += (
        " | ".join(f"/{b[:7]}" for b in bases) + " | " + " | ".join(f"{c[:7]} MB" for c, _ in sides) + " |"
    )
    print(header)
    print("|---|" + "---:|" * (2 * len(bases) + 1 + len(sides)))
    for name in commands(folder, Path()):
        h = best[(head, name)]
        walls = " | ".join(f"{best[(b, name)]['wall']:.2f}" for b in bases)
        ratios = " | ".join(f"{h['wall'] / best[(b, name)]['wall']:.2f}" for b in bases)
        peaks = " | ".join(f"{best[(c, name)]['peak_mb']:.0f}" for c, _ in sides)
        print(f"| `{name}` | {walls} | {h['wall']:.2f} | {ratios} | {peaks} |")


if __name__ == "__main__":
    main()
