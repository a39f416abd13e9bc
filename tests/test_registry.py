"""The registry of codes and rules: every registered rule is needed (without its function, an
invalid case that expects its code no longer gets it), every code is listed once with its
severity, and a rule's declarations (pre-filter field, facts needed) are ones the runners know."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from dispatchdata import codes
from dispatchdata.check.rules.anchors import Texts
from dispatchdata.check.rules.catalogue import catalogue, every_rule
from dispatchdata.check.rules.context import anchors_of
from dispatchdata.check.rules.join import Join
from dispatchdata.read.parse import parse_bytes

from .test_validate import INVALID, apply_case, run_case

RULES = every_rule()


def _codes_of(lines: list[str]) -> list[str]:
    return [found.group(1) for line in lines if (found := re.match(r"^\S+: (DD\d{3}) ", line))]


def _cases_expecting(code: str) -> list[Path]:
    found = []
    for path in INVALID:
        case = parse_bytes(path.read_bytes(), path.name).data
        assert isinstance(case, dict)
        if code in _codes_of(case["problems"]):
            found.append(path)
    return found


def _name(rule: codes.Rule) -> str:
    return f"{rule.kind.value}:{rule.check.__name__}:{','.join(rule.collections)}"


@pytest.mark.parametrize("rule", RULES, ids=[_name(r) for r in RULES])
def test_removing_a_rule_loses_its_code_in_an_invalid_case(
    rule: codes.Rule, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With the rule's function replaced by one that finds nothing (the registry otherwise
    as it is), some invalid case expecting one of the rule's codes gets fewer of that code:
    each registered rule is what produces its code, and deleting any rule fails the suite."""
    cases = sorted({path for code in rule.codes for path in _cases_expecting(code.code)})
    assert cases, f"no invalid case expects any of {[c.code for c in rule.codes]}"

    def nothing(*_args: Any) -> None:
        return None

    registry = [replace(r, check=nothing) if r is rule else r for r in codes.RULES]
    monkeypatch.setattr(codes, "RULES", registry)
    lost = []
    for path in cases:
        case, actual = run_case(path, tmp_path / path.stem)
        expected, got = _codes_of(case["problems"]), _codes_of(actual)
        lost += [code.code for code in rule.codes if got.count(code.code) < expected.count(code.code)]
    assert lost, f"{_name(rule)} removed, yet every case still gets its codes"


def test_every_rule_is_found_by_the_check_above() -> None:
    """The registry holds the rules of all three kinds, each with at least one code."""
    kinds = {rule.kind for rule in RULES}
    assert kinds == set(codes.Kind)
    assert all(rule.codes for rule in RULES)
    assert {"DD304", "DD307", "DD317", "DD407", "DD410", "DD401", "DD303", "DD312"} <= {
        code.code for rule in RULES for code in rule.codes
    }


def test_a_join_rule_needs_only_facts_the_join_keeps() -> None:
    """What a cross-record rule declares it reads is part of the join's state."""
    state = Join()
    for rule in RULES:
        assert rule.kind is codes.Kind.JOIN or rule.needs == ()
        for name in rule.needs:
            assert hasattr(state, name), f"{_name(rule)} needs {name!r}, which the join does not keep"


def test_the_catalogue_lists_each_code_once_in_order_with_the_severity_problems_get() -> None:
    """`dispatchdata rules` lists the registry in code order; a problem made with a code has the
    registry's severity."""
    listed = [code.code for code in catalogue()]
    assert listed == sorted(set(listed))
    assert set(listed) == set(codes.CODES)
    for code in catalogue():
        assert codes.problem(code.code, "m").severity is code.severity


def test_a_code_registered_twice_must_mean_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two rules may report one code (DD302: an anchor's document, a reference), but never with
    two meanings."""
    monkeypatch.setattr(codes, "CODES", dict(codes.CODES))
    codes.declare(codes.error("DD302", codes.CODES["DD302"].title))
    with pytest.raises(ValueError, match="DD302 registered twice"):
        codes.declare(codes.warning("DD302", "something else"))


FALSY: list[Any] = [None, [], "", {}, 0, False]
ROOT = Path(__file__).resolve().parent.parent
CASES_SOURCES = Path(__file__).resolve().parent / "cases" / "sources"


def _records_in(folder: Path, collection: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        if path.suffix in (".yaml", ".json") and collection in (path.stem, path.parent.name):
            data = parse_bytes(path.read_bytes(), path.name).data
            found += [r for r in data if isinstance(r, dict)] if isinstance(data, list) else []
    return found


#: The source texts the dataset and the invalid cases use, by SHA-256 (a case's document is the
#: minimal dataset's, whose text is under tests/cases/sources).
SOURCE_TEXTS = {
    hashlib.sha256(data).hexdigest(): data.decode("utf-8")
    for data in (p.read_bytes() for p in [*(ROOT / "sources").glob("*.txt"), *CASES_SOURCES.glob("*.txt")])
}


def _texts(folder: Path) -> Texts:
    documents = {d.get("id"): d.get("sha256") for d in _records_in(folder, "documents")}
    return Texts(
        {k: v for k, v in documents.items() if isinstance(k, str) and isinstance(v, str)},
        {sha: SOURCE_TEXTS[sha] for sha in documents.values() if sha in SOURCE_TEXTS},
    )


def _found(rule: codes.Rule, index: int, data: dict[str, Any], texts: Texts) -> list[Any]:
    out: list[Any] = []
    if rule.kind is codes.Kind.TEXT:
        rule.check(out, index, data, anchors_of(data), texts, {})
    else:
        rule.check(out, index, data, anchors_of(data))
    return out


PREFILTERED = [r for r in RULES if r.when is not None]


@pytest.mark.parametrize("rule", PREFILTERED, ids=[_name(r) for r in PREFILTERED])
def test_a_rule_skipped_for_want_of_its_field_would_have_found_nothing(
    rule: codes.Rule, tmp_path: Path
) -> None:
    """The one pre-filter (``when``) keeps a rule from a record only where the rule would find
    nothing: every record of the dataset and of every invalid case (where the rule finds
    something), with its ``when`` field missing or empty (each falsy value), gets no finding."""
    assert rule.when is not None
    folders = [ROOT / "dataset"]
    for path in INVALID:
        case = parse_bytes(path.read_bytes(), path.name).data
        assert isinstance(case, dict)
        apply_case(case, tmp_path / path.stem)
        folders.append(tmp_path / path.stem)
    finding = 0
    for folder in folders:
        texts = _texts(folder)
        for collection in rule.collections:
            for index, record in enumerate(_records_in(folder, collection)):
                finding += bool(_found(rule, index, record, texts))
                for value in [*FALSY, "missing"]:
                    data = {k: v for k, v in record.items() if k != rule.when}
                    if value != "missing":
                        data[rule.when] = value
                    assert _found(rule, index, data, texts) == [], (folder.name, index, rule.when, value)
    assert finding, "no record where the rule finds something: the check above proves nothing"
