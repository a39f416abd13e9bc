"""Compiled YAML readers that issue #21 may choose, measured: conformance on the vendored YAML test
suite, then speed on the 100k YAML corpus, against the package's reader and PyYAML's CSafeLoader.

    python benchmarks/yaml_candidates.py [--suite] [--speed] [--size 100000] [--rounds 3] [--corpus DIR]

Needs, besides the package and its tests' tools (``pip install -e '.[dev]'``, which brings yaml-rs
and Hypothesis): ``pip install rapidyaml`` (a scratch environment: it is no dependency of the
package; without it, ``--speed`` measures the others). Measurement only: nothing here is used by
the package.

Conformance: every case of ``tests/data/yaml-test-suite`` read by each candidate and classified as
``tests/test_yaml_suite.py`` classifies the package's readers (read exactly / refused / misread /
without a document / invalid refused / invalid accepted), values compared with ``in.json`` as
``typed`` JSON values (1, 1.0 and True differ). Where the package refuses on principle what a
candidate may read, the candidate's reading is counted as refused too, each such refusal counted
by its reason: several documents (``in.json`` holds more than one), a tag the package refuses (its
libyaml reader says "unsupported tag"), a key that is not a string, NaN or infinity. An invalid
case is "accepted" when the candidate returns a value at all.

Speed: every file of ``benchmarks/.corpus/<size>/yaml`` (``benchmarks/run.py``'s corpus, read
once untimed first) parsed in this process, each reader in turn, round after round, with the
cyclic GC running and paused; CPU time (``time.process_time``), best of the rounds.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "tests" / "data" / "yaml-test-suite"
CORPUS = ROOT / "benchmarks" / ".corpus"

sys.path.insert(0, str(ROOT))
from tests.helpers import typed  # noqa: E402
from tests.test_yaml_suite import WITHOUT_JSON, cases, documents  # noqa: E402


class Refused(Exception):
    """The candidate refuses the document (its message starts "rule:" where it is the package's
    rule, applied while building rapidyaml's values, that refuses it)."""


# -- yaml-rs --------------------------------------------------------------------------------------


def read_yaml_rs(raw: bytes) -> list[Any]:
    """The documents yaml-rs reads (it returns one document's value, or a list of several: the
    number of documents comes from ``in.json`` here, see ``classify``). Dates stay strings (YAML 1.2
    core schema); duplicate keys are an error, as in the package."""
    import yaml_rs

    try:
        value = yaml_rs.loads(
            raw.decode("utf-8"),
            parse_datetime=False,
            duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error,
        )
    except (yaml_rs.YAMLDecodeError, UnicodeDecodeError, ValueError, TypeError) as error:
        raise Refused(str(error).splitlines()[0]) from error
    return [value]


# -- rapidyaml ------------------------------------------------------------------------------------

_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")
_STD = "tag:yaml.org,2002:"


def core_scalar(text: str) -> Any:
    """A plain scalar's value under the YAML 1.2 core schema (what rapidyaml leaves to its user:
    every scalar it gives is a string)."""
    if _NULL.fullmatch(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.fullmatch(text):
        return int(text)
    if _OCT.fullmatch(text):
        return int(text[2:], 8)
    if _HEX.fullmatch(text):
        return int(text[2:], 16)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _INF.fullmatch(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.fullmatch(text):
        return math.nan
    return text


def _tagged(text: str, tag: str) -> Any:
    """A scalar with a standard tag (the others are refused, as the package refuses them)."""
    kind = tag.removeprefix("!!").removeprefix(_STD)
    if tag == "!" or kind == "str":
        return text
    value = core_scalar(text)
    ok = {
        "int": lambda v: type(v) is int,
        "float": lambda v: type(v) in (int, float),
        "bool": lambda v: type(v) is bool,
        "null": lambda v: v is None,
    }
    if kind in ok and ok[kind](value):
        return float(value) if kind == "float" else value
    raise Refused(f"rule: tag {tag} on {text!r}")


class _RymlBuilder:
    """Python values from a rapidyaml tree, in document order (anchors defined before their
    aliases), with the package's rules: duplicate keys and unknown tags refused."""

    def __init__(self, tree: Any) -> None:
        import ryml

        self.ryml, self.tree, self.anchors = ryml, tree, {}

    def text(self, view: Any) -> str:
        return "" if view is None else bytes(view).decode("utf-8")

    def scalar(self, node: int, key: bool) -> Any:
        t = self.tree
        if key:
            if t.is_key_ref(node):
                return self.alias(self.text(t.key_ref(node)))
            text, tag = self.text(t.key(node)), t.key_tag(node) if t.has_key_tag(node) else None
            plain = t.is_key_plain(node) or (not t.is_key_quoted(node) and not t.is_key_styled(node))
        else:
            if t.is_val_ref(node):
                return self.alias(self.text(t.val_ref(node)))
            text, tag = self.text(t.val(node)), t.val_tag(node) if t.has_val_tag(node) else None
            plain = t.is_val_plain(node) or (not t.is_val_quoted(node) and not t.is_val_styled(node))
            plain = plain and not (t.is_val_literal(node) or t.is_val_folded(node))
        if tag is not None:
            value = _tagged(text, self.text(tag))
        elif plain:
            value = core_scalar(text)
        else:
            value = text
        anchor = (t.has_key_anchor(node) if key else t.has_val_anchor(node)) and self.text(
            t.key_anchor(node) if key else t.val_anchor(node)
        )
        if anchor:
            self.anchors[anchor] = value
        return value

    def alias(self, name: str) -> Any:
        if name not in self.anchors:
            raise Refused(f"alias *{name} not defined")
        return self.anchors[name]

    def node(self, node: int) -> Any:
        t = self.tree
        if t.is_map(node) or t.is_seq(node):
            if t.has_val_tag(node):
                tag = self.text(t.val_tag(node))
                if tag not in (
                    "!",
                    "!!map" if t.is_map(node) else "!!seq",
                    _STD + ("map" if t.is_map(node) else "seq"),
                ):
                    raise Refused(f"rule: tag {tag}")
            value: Any = {} if t.is_map(node) else []
            child = t.first_child(node)
            while child != self.ryml.NONE:
                item = self.node(child)
                if t.is_map(node):
                    key = self.scalar(child, key=True)
                    if not isinstance(key, str):
                        raise Refused("rule: key not a string")
                    if key in value:
                        raise Refused(f"rule: duplicate key {key!r}")
                    value[key] = item
                else:
                    value.append(item)
                child = t.next_sibling(child)
            if t.has_val_anchor(node):
                self.anchors[self.text(t.val_anchor(node))] = value
            return value
        if t.is_val_ref(node) or t.has_val(node):
            return self.scalar(node, key=False)
        return None


def read_rapidyaml(raw: bytes) -> list[Any]:
    """The documents rapidyaml reads, built into Python values by ``_RymlBuilder``."""
    import ryml

    try:
        raw.decode("utf-8")
        tree = ryml.parse_in_arena(raw)
    except (ryml.ExceptionBasic, UnicodeDecodeError, RuntimeError) as error:
        raise Refused(getattr(error, "msg", str(error))) from error
    root = tree.root_id()
    builder = _RymlBuilder(tree)
    if tree.is_stream(root):
        docs = []
        child = tree.first_child(root)
        while child != ryml.NONE:
            docs.append(builder.node(child))
            child = tree.next_sibling(child)
        return docs
    if tree.type_str(root) == "NOTYPE":  # nothing in the file (comments only)
        return []
    return [builder.node(root)]


def parse_only_rapidyaml(raw: bytes) -> Any:
    """rapidyaml's parse alone: a tree of untyped strings, no Python values (its bare cost)."""
    import ryml

    return ryml.parse_in_arena(raw)


CANDIDATES: dict[str, Callable[[bytes], list[Any]]] = {"yaml-rs": read_yaml_rs, "rapidyaml": read_rapidyaml}


# -- conformance ----------------------------------------------------------------------------------


def _bad_value(value: Any) -> str | None:
    """Why the package would refuse a value a candidate read (None: it would not)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return "key not a string"
            if (why := _bad_value(item)) is not None:
                return why
    elif isinstance(value, list):
        for item in value:
            if (why := _bad_value(item)) is not None:
                return why
    elif isinstance(value, float) and not math.isfinite(value):
        return "NaN or infinity"
    elif isinstance(value, (set, frozenset, tuple, bytes)):
        return "not JSON-like"
    return None


def _package_refuses_tag(case: str) -> bool:
    """Whether the package's libyaml reader refuses the case for a tag it does not allow."""
    from dispatchdata.read.parse import parse_bytes

    got = parse_bytes((SUITE / case / "in.yaml").read_bytes(), "in.yaml")
    return any("unsupported tag" in p.message for p in got.problems)


def classify(case: str, reader: Callable[[bytes], list[Any]]) -> tuple[str, str]:
    """The class of one case for one candidate, and why (a refusal's reason, or '')."""
    folder = SUITE / case
    invalid = (folder / "error").exists()
    try:
        docs = reader((folder / "in.yaml").read_bytes())
    except Refused as refused:
        why = str(refused) if str(refused).startswith("rule:") else "candidate: " + str(refused)
        return ("invalid refused" if invalid else "refused"), why[:70]
    except Exception as error:
        return ("invalid refused" if invalid else "refused"), f"candidate raised {type(error).__name__}"
    if invalid:
        return "invalid accepted", ""
    expected = documents((folder / "in.json").read_text("utf-8")) if (folder / "in.json").exists() else None
    if expected is not None and len(expected) > 1:
        return "refused", "rule: several documents"
    if _package_refuses_tag(case):
        return "refused", "rule: tag refused"
    if reader is read_yaml_rs and expected is not None and not expected:
        docs = [] if docs == [None] else docs  # yaml-rs: None for no document
    if len(docs) > 1:
        return "refused", "rule: several documents"
    value = docs[0] if docs else None
    if docs and (why := _bad_value(value)) is not None:
        return "refused", "rule: " + why
    if expected is None:
        if case not in WITHOUT_JSON:
            return "refused", "no in.json and not in WITHOUT_JSON"
        return ("read exactly" if typed(WITHOUT_JSON[case]) == typed(value) else "misread"), ""
    if not expected and not docs:
        return "empty", ""
    same = len(expected) == 1 and len(docs) == 1 and typed(expected[0]) == typed(value)
    return ("read exactly" if same else "misread"), ""


KINDS = ["read exactly", "refused", "misread", "empty", "invalid refused", "invalid accepted"]


def suite() -> None:
    """Print each candidate's counts, its refusals by reason, and the cases misread or accepted."""
    found = {name: {case: classify(case, reader) for case in cases()} for name, reader in CANDIDATES.items()}
    print("| | " + " | ".join(found) + " |")
    print("|---|" + "---|" * len(found))
    for kind in KINDS:
        print(
            f"| {kind} | "
            + " | ".join(str(sum(k == kind for k, _ in got.values())) for got in found.values())
            + " |"
        )
    for name, got in found.items():
        print(f"\n{name}:")
        reasons = Counter(why for kind, why in got.values() if kind == "refused")
        for why, n in reasons.most_common():
            print(f"  refused {n:3d}: {why}")
        for kind in ("misread", "invalid accepted"):
            print(f"  {kind}: {[case for case, (k, _) in got.items() if k == kind]}")
        mine = [case for case, (k, w) in got.items() if k == "refused" and w.startswith("candidate")]
        print(f"  valid cases the candidate itself refuses ({len(mine)}): {mine}")


# -- speed ----------------------------------------------------------------------------------------


def speed(corpus: Path, size: int, rounds: int) -> None:
    """CPU seconds to parse every file of the YAML corpus, per reader, GC running and paused."""
    import orjson
    import yaml
    import yaml_rs

    from dispatchdata.read.parse import parse_bytes

    try:
        import ryml
    except ImportError:  # measured without rapidyaml: the package's readers and yaml-rs
        ryml = None

    files = sorted(p for p in (corpus / str(size) / "yaml").rglob("*") if p.is_file())
    if not files:
        sys.exit(f"no YAML corpus in {corpus / str(size) / 'yaml'}: run benchmarks/run.py first")
    raws = [(p.name, p.read_bytes()) for p in files]  # read once, untimed, kept in memory
    print(f"{len(raws)} files, {sum(len(r) for _, r in raws) / 1e6:.1f} MB", flush=True)
    # The floor: the same data's JSON copy read by orjson, which JSON validation pays.
    json_files = sorted(p for p in (corpus / str(size) / "json").rglob("*") if p.is_file())
    json_raws = [(p.name, p.read_bytes()) for p in json_files]

    def ours(name: str, raw: bytes) -> Any:
        return parse_bytes(raw, name)

    def csafe(name: str, raw: bytes) -> Any:
        return yaml.load(raw.decode("utf-8"), Loader=yaml.CSafeLoader)

    def yrs(name: str, raw: bytes) -> Any:
        return yaml_rs.loads(raw.decode("utf-8"), parse_datetime=False)

    def ryml_values(name: str, raw: bytes) -> Any:
        return read_rapidyaml(raw)

    def ryml_tree(name: str, raw: bytes) -> Any:
        return ryml.parse_in_arena(raw)

    def ryml_json(name: str, raw: bytes) -> Any:
        # Values without a builder in Python: the tree written as JSON by rapidyaml's emitter,
        # read by orjson. Not YAML 1.2's values (a plain ~ stays the string "~", tags are
        # dropped): what a screen would then have to make up for, as for yaml-rs.
        tree = ryml.parse_in_arena(raw)
        return orjson.loads(ryml.emit_json_malloc(tree, tree.root_id()))

    def json_copy(name: str, raw: bytes) -> Any:
        return orjson.loads(raw)

    readers = {
        "dispatchdata (libyaml)": ours,
        "dispatchdata (yaml-rs, libyaml for the rest)": ours,
        "PyYAML CSafeLoader": csafe,
        "yaml-rs": yrs,
        "rapidyaml + Python values": ryml_values,
        "rapidyaml tree only": ryml_tree,
        "rapidyaml tree as JSON, read by orjson": ryml_json,
        "orjson, the corpus's JSON copy": json_copy,
    }
    inputs = {name: json_raws if read is json_copy else raws for name, read in readers.items()}
    if ryml is None:
        readers = {name: read for name, read in readers.items() if not name.startswith("rapidyaml")}
    # The package's reader without yaml-rs, and with it (the variable is read at each file).
    env = {"dispatchdata (libyaml)": "pyyaml", "dispatchdata (yaml-rs, libyaml for the rest)": "yaml-rs"}
    best: dict[tuple[str, bool], float] = {}
    for round_ in range(rounds):
        order = list(readers) if round_ % 2 == 0 else list(reversed(readers))
        for name in order:
            os.environ["DISPATCHDATA_YAML_READER"] = env.get(name, "")
            for paused in (False, True):
                gc.collect()
                if paused:
                    gc.disable()
                start = time.process_time()
                for file, raw in inputs[name]:
                    readers[name](file, raw)
                took = time.process_time() - start
                gc.enable()
                best[name, paused] = min(took, best.get((name, paused), math.inf))
                print(
                    f"round {round_ + 1} {name} {'GC paused' if paused else 'GC on'}: {took:.2f} s",
                    flush=True,
                )
    ref = best["dispatchdata (libyaml)", False]
    print("\n| reader | CPU s, GC on | CPU s, GC paused | ours (GC on) / reader |")
    print("|---|---|---|---|")
    for name in readers:
        on, off = best[name, False], best[name, True]
        print(f"| {name} | {on:.2f} | {off:.2f} | {ref / on:.1f}× |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", action="store_true", help="conformance only")
    parser.add_argument("--speed", action="store_true", help="speed only")
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--corpus", type=Path, default=CORPUS, help="run.py's corpus folder (another worktree's)"
    )
    args = parser.parse_args()
    if not args.speed:
        suite()
    if not args.suite:
        speed(args.corpus, args.size, args.rounds)


if __name__ == "__main__":
    main()
