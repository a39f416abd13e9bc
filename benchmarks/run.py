"""Time dispatchdata as whole processes on synthetic corpora, next to check-jsonschema, ajv-cli and orjson.

    python benchmarks/run.py --sizes 1000,10000,100000

Generates the corpora it lacks (benchmarks/.corpus/, not committed), installs check-jsonschema and
orjson into benchmarks/.tools/ (a virtual environment of its own, so they do not touch the
project's) and, where npm is available, ajv-cli into benchmarks/.tools/node, then prints one
Markdown report: start-up, validate (with its phases), check-jsonschema and ajv-cli on the same
files with the same schema, orjson parsing the same JSON in-process, diff, and every
export format, each with wall time, throughput and peak memory, and the ratios.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = HERE / ".corpus"
TOOLS = HERE / ".tools"
BIN = Path(sys.executable).parent
#: The export formats timed, in the order of the report.
EXPORTS = ("json", "csv", "sqlite", "parquet", "datapackage", "citation", "site")


def run(args: list[str], cwd: Path | None = None) -> dict[str, Any]:
    """Run a command under /usr/bin/time: wall seconds, CPU seconds (user + sys, the process and
    the workers it waited for), peak RSS (MB), exit code, stderr."""
    timer = ["/usr/bin/time", "-f", "%e %M"] if Path("/usr/bin/time").exists() else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([*timer, *args], capture_output=True, text=True, cwd=cwd)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = 0.0
    stderr = done.stderr
    if timer:
        last = stderr.rstrip().splitlines()[-1] if stderr.strip() else ""
        match = re.fullmatch(r"([\d.]+) (\d+)", last)
        if match:
            peak = int(match.group(2)) / 1024
            stderr = stderr.rstrip()[: -len(last)]
    return {
        "wall": wall,
        "cpu": cpu,
        "peak_mb": peak,
        "code": done.returncode,
        "stderr": stderr,
        "stdout": done.stdout,
    }


def best_of(args: list[str], times: int = 5) -> float:
    return float(min(run(args)["wall"] for _ in range(times)))


def corpus(size: int) -> Path:
    """The corpus of ``size`` statements, generated once, and again when generate.py changed since
    (a corpus of an older generator may break a rule added since: thousands of warnings timed)."""
    folder = CORPUS / str(size)
    stamp = hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()
    made = folder / ".generator-sha256"
    if (folder / "sources").is_dir() and made.is_file() and made.read_text(encoding="utf-8") == stamp:
        return folder
    if folder.exists():
        print(f"generate.py changed: generating {size} statements again ...", file=sys.stderr)
        shutil.rmtree(folder)
    else:
        print(f"generating {size} statements ...", file=sys.stderr)
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), "--statements", str(size), "--out", str(folder)],
        check=True,
    )
    made.write_text(stamp, encoding="utf-8")
    return folder


def tools() -> Path:
    python = TOOLS / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "check-jsonschema", "orjson"], check=True
        )
    return TOOLS / "bin"


def ajv() -> Path | None:
    """ajv-cli with ajv-formats, installed from the npm registry into benchmarks/.tools/node, or
    None where Node.js and npm are not available."""
    binary = TOOLS / "node" / "node_modules" / ".bin" / "ajv"
    if not binary.exists() and shutil.which("npm"):
        (TOOLS / "node").mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--silent",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(TOOLS / "node"),
                "ajv-cli@5",
                "ajv-formats@3",
            ],
            check=False,
        )
    return binary if binary.exists() else None


def bundled_schemas() -> dict[str, Path]:
    """Each collection schema made self-contained (check-jsonschema cannot resolve our URNs)."""
    sys.path.insert(0, str(ROOT / "src"))
    from dispatchdata.check.schema import SCHEMA_FILES, schemas

    docs = schemas()
    defs = docs["defs.schema.json"]["$defs"]
    out = CORPUS / "schemas"
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for collection, name in SCHEMA_FILES.items():
        if collection == "release":
            continue
        text = json.dumps(docs[name]).replace("urn:dispatchdata:schema:defs#/$defs/", "#/$defs/shared-")
        schema = json.loads(text)
        schema.pop("$id", None)
        schema.setdefault("$defs", {}).update(
            {
                f"shared-{k}": json.loads(
                    json.dumps(v).replace("urn:dispatchdata:schema:defs#/$defs/", "#/$defs/shared-")
                )
                for k, v in defs.items()
            }
        )
        paths[collection] = out / f"{collection}.json"
        paths[collection].write_text(json.dumps(schema, indent=1), encoding="utf-8")
    return paths


def files_by_collection(folder: Path, suffix: str) -> dict[str, list[str]]:
    return {
        "dataset": [str(folder / f"dataset{suffix}")],
        "actors": [str(folder / f"actors{suffix}")],
        "proposals": [str(folder / f"proposals{suffix}")],
        "documents": sorted(str(p) for p in (folder / "documents").glob(f"*{suffix}")),
        "statements": sorted(str(p) for p in (folder / "statements").glob(f"*{suffix}")),
    }


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def phases(stderr: str) -> str:
    match = re.search(r"timing: (.*)", stderr)
    return match.group(1) if match else ""


def records_counted(r: dict[str, Any]) -> int:
    """How many records a validate run says it read (its last line: "... in N files, M records")."""
    match = re.search(r"in \d+ files, (\d+) records", r["stdout"] + r["stderr"])
    assert match is not None, r["stdout"][-500:] + r["stderr"][-500:]
    return int(match.group(1))


def per_collection(
    data: Path,
    suffix: str,
    prefix: list[str],
    schema_option: str,
    file_option: str | None = None,
    cwd: Path | None = None,
) -> dict[str, float]:
    """Run a schema-only checker once per collection, with that collection's bundled schema (after
    ``schema_option``) and its files (each after ``file_option``, if any); wall times summed, the
    largest peak memory."""
    schemas = bundled_schemas()
    total = {"wall": 0.0, "peak_mb": 0.0}
    for collection, files in files_by_collection(data, suffix).items():
        given = files if file_option is None else [a for f in files for a in (file_option, f)]
        done = run([*prefix, schema_option, str(schemas[collection]), *given], cwd=cwd)
        assert done["code"] == 0, (collection, (done["stdout"] + done["stderr"])[-2000:])
        total["wall"] += done["wall"]
        total["peak_mb"] = max(total["peak_mb"], done["peak_mb"])
    return total


def validate(data: Path, sources: Path, options: list[str]) -> dict[str, Any]:
    r = run([str(BIN / "dispatchdata"), "validate", str(data), "--sources", str(sources), "-v", *options])
    assert r["code"] == 0, r["stderr"][-2000:]
    return r


def warm(folder: Path) -> dict[str, Any]:
    """Re-validation of a copy of the YAML corpus with --cache: cold (filling the cache), then
    warm after one statements file was edited (one summary changed)."""
    with tempfile.TemporaryDirectory() as tmp:
        data, cache = Path(tmp) / "yaml", Path(tmp) / "cache"
        shutil.copytree(folder / "yaml", data)
        cold = validate(data, folder / "sources", ["--cache", str(cache)])
        edited = sorted((data / "statements").glob("*.yaml"))[0]
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text.replace("summary: ", "summary: Edited ", 1), encoding="utf-8")
        after_edit = validate(data, folder / "sources", ["--cache", str(cache)])
        return {"cold": cold, "warm": after_edit, "phases": phases(after_edit["stderr"])}


def warm_page_cache(folder: Path) -> None:
    """Read every file of a corpus once, untimed: the first timed command should not be the one
    that pays for the disk (the 1M corpus alone is 2.3 GB and evicts the smaller ones)."""
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as f:
                while f.read(1 << 20):
                    pass


# Timed inside one fresh Python process each, after `import orjson` or `import dispatchdata` (validate()
# imports orjson and jsonschema-rs on its first call, in its time): orjson parsing the JSON corpus,
# one file at a time (each file's data dropped before the next is read, as validate reads them)
# and holding every file's data (as a list comprehension does: with 100k statements held, the
# cyclic garbage collector walks them again and again, and that is most of this timing); and
# validate() on the same files, in one process (jobs=1).
_FILES = "import orjson, pathlib, sys, time; files = sorted(pathlib.Path(sys.argv[1]).rglob('*.json'));"
IN_PROCESS = {
    "orjson_each": (
        "tools",
        _FILES + "t = time.perf_counter()\nfor p in files: orjson.loads(p.read_bytes())\n"
        "print(time.perf_counter() - t, 0)",
    ),
    "orjson_parse": (
        "tools",
        _FILES + "t = time.perf_counter(); [orjson.loads(p.read_bytes()) for p in files];"
        "print(time.perf_counter() - t, 0)",
    ),
    "inprocess_json": (
        "dispatchdata",
        "import dispatchdata, sys, time; validate = dispatchdata.validate;"
        "t = time.perf_counter(); r = validate(sys.argv[1], sources=[sys.argv[2]], jobs=1);"
        "print(time.perf_counter() - t, len(r.errors))",
    ),
}


def in_process(folder: Path) -> dict[str, float]:
    """The best of 3 of each of :data:`IN_PROCESS`, alternating, in seconds."""
    best = dict.fromkeys(IN_PROCESS, float("inf"))
    for _ in range(3):
        for key, (where, code) in IN_PROCESS.items():
            python = tools() / "python" if where == "tools" else BIN / "python"
            args = [str(python), "-c", code, str(folder / "json"), str(folder / "sources")]
            out = subprocess.run(args, capture_output=True, text=True, check=True)
            seconds, errors = out.stdout.split()
            assert errors == "0", out.stdout
            best[key] = min(best[key], float(seconds))
    return best


def measure(size: int, compare: bool, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    folder = corpus(size)
    warm_page_cache(folder)
    result: dict[str, Any] = {"size": size}
    for fmt, suffix in (("yaml", ".yaml"), ("json", ".json")):
        data = folder / fmt
        # Best of 3 below a million statements, as for start-up: this machine is shared, and one
        # slow moment should not decide a ratio (check-jsonschema, minutes long, runs once). The two
        # ways alternate, so that a slow minute does not fall on one of them only.
        variants: tuple[tuple[str, list[str]], ...] = (("validate", []), ("validate1", ["-j", "1"]))
        runs: dict[str, list[dict[str, Any]]] = {key: [] for key, _ in variants}
        for _ in range(3 if size < 1_000_000 else 1):
            for key, jobs in variants:
                runs[key].append(validate(data, folder / "sources", jobs))
        for key, measured in runs.items():
            r = min(measured, key=lambda x: x["wall"])
            result[f"{key}_{fmt}"] = r | {"mb": size_mb(data), "phases": phases(r["stderr"])}
            result.setdefault("records", records_counted(r))
            assert result["records"] == records_counted(r), "the YAML and JSON copies differ"
        if compare:
            checker = [str(tools() / "check-jsonschema")]
            result[f"check_jsonschema_{fmt}"] = per_collection(data, suffix, checker, "--schemafile")
            node_ajv = ajv()
            if node_ajv is not None:
                prefix = [
                    str(node_ajv),
                    "validate",
                    "--spec=draft2020",
                    "-c",
                    "ajv-formats",
                    "--strict=false",
                ]
                result[f"ajv_{fmt}"] = per_collection(data, suffix, prefix, "-s", "-d", cwd=TOOLS / "node")
    if compare:
        result.update(in_process(folder))
    if "warm" not in skip:
        result["warm"] = warm(folder)
    if "diff" not in skip:
        r = run([str(BIN / "dispatchdata"), "diff", str(folder / "json"), str(folder / "yaml")])
        assert r["code"] == 0, r["stderr"][-2000:]
        result["diff"] = r
    if "export" in skip:
        return result
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in EXPORTS:
            r = run(
                [
                    str(BIN / "dispatchdata"),
                    "export",
                    fmt,
                    "--release",
                    str(folder / "json"),
                    "--output",
                    str(Path(tmp) / fmt),
                    # the site annotates each document's text: found by its SHA-256 in sources/
                    *(["--sources", str(folder / "sources")] if fmt == "site" else []),
                ]
            )
            assert r["code"] == 0, r["stderr"][-2000:]
            result[f"export_{fmt}"] = r
        # A release is one bundle file (what the json export writes), read in pieces. What CI
        # runs on every change is a diff of the last release against the dataset folder.
        (bundle,) = (Path(tmp) / "json").glob("*.json")
        result["validate_bundle"] = validate(bundle, folder / "sources", []) | {
            "mb": bundle.stat().st_size / 1e6
        }
        dispatchdata = str(BIN / "dispatchdata")
        if "diff" not in skip:
            r = run([dispatchdata, "diff", str(bundle), str(folder / "yaml")])
            assert r["code"] == 0, r["stderr"][-2000:]
            result["diff_bundle"] = r
        r = run(
            [dispatchdata, "export", "csv", "--release", str(bundle), "--output", str(Path(tmp) / "from")]
        )
        assert r["code"] == 0, r["stderr"][-2000:]
        result["export_bundle"] = r
    return result


def startup() -> dict[str, float]:
    return {
        "dispatchdata --version": best_of([str(BIN / "dispatchdata"), "--version"]),
        "dispatchdata validate --help": best_of([str(BIN / "dispatchdata"), "validate", "--help"]),
        "dispatchdata validate dataset/": best_of(
            [str(BIN / "dispatchdata"), "validate", str(ROOT / "dataset")]
        ),
    }


def report(results: list[dict[str, Any]], starts: dict[str, float], compare: bool) -> str:
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}.",
        "",
        "### Start-up (best of 5, whole process)",
        "",
        "| command | seconds |",
        "|---|---:|",
    ]
    lines += [f"| `{k}` | {v:.3f} |" for k, v in starts.items()]
    jobs = os.cpu_count() or 1
    lines += ["", "### Validate (schema + every rule + anchors), whole process", ""]
    lines += [
        f"Each corpus validated twice: as a user runs it (worker processes for a large folder: {jobs} here), "
        "and with `-j 1` (one process); each the best of 3 runs, alternating, below a million statements.",
        "",
        "| statements | input | jobs | MB | seconds | records/s | MB/s | peak MB | phases |",
        "|---:|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        records = r["records"]  # of every collection, as validate counts them
        for fmt in ("yaml", "json"):
            for key, label in (("validate", "default"), ("validate1", "1")):
                v = r[f"{key}_{fmt}"]
                lines.append(
                    f"| {r['size']:,} | {fmt.upper()} | {label} | {v['mb']:.1f} | {v['wall']:.2f} | "
                    f"{records / v['wall']:,.0f} | {v['mb'] / v['wall']:.1f} | {v['peak_mb']:.0f} | {v['phases']} |"
                )
    lines += ["", "### Re-validation with `--cache` after one file changed (YAML corpus), whole process", ""]
    lines += [
        "| statements | cold, filling the cache | warm, one file edited | peak MB | phases |",
        "|---:|---:|---:|---:|---|",
    ]
    for r in results:
        if "warm" not in r:
            continue
        w = r["warm"]
        lines.append(
            f"| {r['size']:,} | {w['cold']['wall']:.2f} s | {w['warm']['wall']:.2f} s | {w['warm']['peak_mb']:.0f} | {w['phases']} |"
        )
    if compare:
        lines += ["", "### Against check-jsonschema (schema only)", ""]
        lines += [
            "dispatchdata's times as a user runs it; in brackets, with `-j 1`.",
            "",
            "| statements | check-jsonschema YAML | dispatchdata YAML | ratio | check-jsonschema JSON | dispatchdata JSON | ratio |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in results:
            cy, cj = r["check_jsonschema_yaml"]["wall"], r["check_jsonschema_json"]["wall"]
            dy, dj = r["validate_yaml"]["wall"], r["validate_json"]["wall"]
            dy1, dj1 = r["validate1_yaml"]["wall"], r["validate1_json"]["wall"]
            lines.append(
                f"| {r['size']:,} | {cy:.2f} s | {dy:.2f} s ({dy1:.2f} s) | {cy / dy:.1f}x ({cy / dy1:.1f}x) | "
                f"{cj:.2f} s | {dj:.2f} s ({dj1:.2f} s) | {cj / dj:.1f}x ({cj / dj1:.1f}x) |"
            )
        lines += ["", "### Against orjson parsing the same JSON (in-process)", ""]
        lines += [
            "Each timed inside a fresh Python process after `import orjson` or `import dispatchdata` "
            "(validate() imports orjson and jsonschema-rs on its first call, in its time), the best of 3, alternating: "
            "orjson reading the files one at a time (each file's data dropped before the next, as "
            "validate reads them), and holding every file's data (which makes the cyclic garbage "
            "collector walk it again and again); `validate()` on the same files in one process.",
            "",
            "| statements | orjson, one file at a time | orjson, holding every file | validate() in-process | ratio to one at a time | ratio to holding |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for r in results:
            each, held, mine = r["orjson_each"], r["orjson_parse"], r["inprocess_json"]
            lines.append(
                f"| {r['size']:,} | {each:.3f} s | {held:.3f} s | {mine:.3f} s | {mine / each:.2f}x | {mine / held:.2f}x |"
            )
    if compare and all(f"ajv_{fmt}" in r for r in results for fmt in ("yaml", "json")):
        lines += ["", "### Against ajv-cli (Node.js; schema only)", ""]
        lines += [
            "| statements | ajv-cli YAML | dispatchdata YAML | ratio | ajv-cli JSON | dispatchdata JSON | ratio |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in results:
            ay, aj = r["ajv_yaml"]["wall"], r["ajv_json"]["wall"]
            dy, dj = r["validate_yaml"]["wall"], r["validate_json"]["wall"]
            lines.append(
                f"| {r['size']:,} | {ay:.2f} s | {dy:.2f} s | {ay / dy:.2f}x | {aj:.2f} s | {dj:.2f} s | {aj / dj:.2f}x |"
            )
    lines += ["", "### Diff and exports (from the JSON corpus), whole process", ""]
    lines += [
        "Each validates what it reads first. records/s counts the records of one corpus (a diff "
        "compares two copies of it); MB/s, the MB read (both copies for a diff). The last rows "
        "read the bundle file the json export wrote (a release is one such file): validate it "
        "(with the source texts), diff it against the YAML folder (what CI runs on each change: "
        "the last release against the dataset), export csv from it.",
        "",
        "| statements | command | seconds | records/s | MB/s | peak MB |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for r in results:
        json_mb, yaml_mb = r["validate_json"]["mb"], r["validate_yaml"]["mb"]
        rows = [("diff (JSON vs YAML copy)", r.get("diff"), json_mb + yaml_mb)]
        rows += [(f"export {f}", r.get(f"export_{f}"), json_mb) for f in EXPORTS]
        if "validate_bundle" in r:
            bundle_mb = r["validate_bundle"]["mb"]
            rows += [
                ("validate the release bundle (the json export)", r["validate_bundle"], bundle_mb),
                ("diff the release bundle vs the YAML folder", r.get("diff_bundle"), bundle_mb + yaml_mb),
                ("export csv from the release bundle", r.get("export_bundle"), bundle_mb),
            ]
        for label, e, mb in rows:
            if e is not None:
                lines.append(
                    f"| {r['size']:,} | {label} | {e['wall']:.2f} | {r['records'] / e['wall']:,.0f} | "
                    f"{mb / e['wall']:.1f} | {e['peak_mb']:.0f} |"
                )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated statement counts")
    parser.add_argument("--no-compare", action="store_true", help="skip check-jsonschema and orjson")
    parser.add_argument("--skip", default="", help="comma-separated: warm, diff, export")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    compare = not args.no_compare and shutil.which("python3") is not None
    skip = frozenset(s for s in args.skip.split(",") if s)
    results = [measure(size, compare, skip) for size in sizes]
    print(report(results, startup(), compare))


if __name__ == "__main__":
    main()
