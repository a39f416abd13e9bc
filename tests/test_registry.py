"""The registry of codes and rules: every registered rule is needed (without its function, an
invalid case that expects its code no longer gets it), every code is listed once with its
severity, and a rule's declarations (pre-filter field, facts needed) are ones the runners know."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from dispatchdata import codes
from dispatchdata.parse import parse_bytes
from dispatchdata.rules.catalogue import catalogue, every_rule
from dispatchdata.rules.join import Join

from .test_validate import INVALID, run_case

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
