"""The YAML test suite (``tests/data/yaml-test-suite``) read by every reader the package may use:
each case read exactly, refused with a DD1xx problem, or one of the known defects listed here
(misread: another value and no problem; invalid and accepted), which can only shrink; the two
readers never give different values; the README's table holds these counts."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from dispatchdata.errors import Severity
from dispatchdata.read.parse import parse_bytes

from .helpers import typed

SUITE = Path(__file__).parent / "data" / "yaml-test-suite"
README = Path(__file__).parent.parent / "README.md"
#: The readers: libyaml's (the default where PyYAML has it) and PyYAML's pure-Python one.
READERS = {"libyaml": False, "pure": True}

#: Valid cases the suite gives no JSON value for (not expressible in it, for most), whose value
#: was read by hand from the suite's ``test.event`` of the vendored commit: the only ones a
#: reader accepts. Any other such case a reader accepts fails the test until its value is here.
WITHOUT_JSON = {
    "4ABK": {"unquoted": "separate", "http://foo.com": None, "omitted value": None},
    "UKK6/02": "",  # '!': the non-specific tag on an empty scalar, a string
}

#: Known defects (the issue #21 readers fix): valid cases read as another value without a
#: problem, and invalid cases accepted, per reader. A case that stops being one fails the test
#: until it is removed from here.
MISREAD: dict[str, list[str]] = {"libyaml": [], "pure": []}
ACCEPTED = {
    "libyaml": ["9C9N", "9JBA", "CVW2", "DK95/01", "G5U8", "QB6E", "S98Z", "SU5Z", "X4QW",
                "Y79Y/003", "YJV2"],
    "pure": ["9C9N", "9JBA", "CVW2", "DK95/01", "G5U8", "QB6E", "S98Z", "SU5Z", "YJV2"],
}  # fmt: skip

#: What the README's table says, per reader: how many cases fall in each class, and the codes
#: the valid ones are refused with.
COUNTS = {
    "libyaml": {
        "read exactly": 202,
        "refused": 103,
        "misread": 0,
        "empty": 3,
        "invalid refused": 83,
        "invalid accepted": 11,
    },
    "pure": {
        "read exactly": 199,
        "refused": 106,
        "misread": 0,
        "empty": 3,
        "invalid refused": 85,
        "invalid accepted": 9,
    },
}


class Outcome(NamedTuple):
    """What a reader made of a case: its class, its data and the codes of its errors."""

    kind: str
    data: Any
    codes: tuple[str, ...]


def cases() -> list[str]:
    """Every case of the vendored suite (``ID`` or ``ID/NN``), sorted."""
    return sorted(p.parent.relative_to(SUITE).as_posix() for p in SUITE.rglob("in.yaml"))


def documents(text: str) -> list[Any]:
    """The JSON texts of an ``in.json``, one after the other (one per YAML document)."""
    decoder, found, at = json.JSONDecoder(), [], 0
    while (at := len(text) - len(text[at:].lstrip())) < len(text):
        value, at = decoder.raw_decode(text, at)
        found.append(value)
    return found


def classify(case: str, pure: bool) -> Outcome:
    """What one reader makes of one case (see the module's docstring for the classes)."""
    folder = SUITE / case
    got = parse_bytes((folder / "in.yaml").read_bytes(), "in.yaml", pure=pure)
    errors = [p for p in got.problems if p.severity is Severity.ERROR]
    codes = tuple(sorted({p.code for p in errors}))
    assert all(re.fullmatch(r"DD1\d\d", code) for code in codes), (case, codes)
    assert all(p.line >= 1 and p.column >= 1 for p in errors), (case, errors)  # placed
    if (folder / "error").exists():
        return Outcome("invalid refused" if codes else "invalid accepted", got.data, codes)
    if codes:
        return Outcome("refused", got.data, codes)
    if not (folder / "in.json").exists():
        assert case in WITHOUT_JSON, f"{case}: accepted, no in.json: add its value to WITHOUT_JSON"
        same = typed(WITHOUT_JSON[case]) == typed(got.data)
        return Outcome("read exactly" if same else "misread", got.data, ())
    expected = documents((folder / "in.json").read_text(encoding="utf-8"))
    if not expected and got.data is None:  # no document (comments only): null, as YAML loaders say
        return Outcome("empty", None, ())
    same = len(expected) == 1 and typed(expected[0]) == typed(got.data)
    return Outcome("read exactly" if same else "misread", got.data, ())


@cache
def outcomes(reader: str) -> dict[str, Outcome]:
    """Every case's outcome with one reader."""
    return {case: classify(case, READERS[reader]) for case in cases()}


def test_the_suite_is_vendored_whole() -> None:
    """The vendored commit's cases are all here: 402 inputs, 94 of them invalid."""
    assert (len(cases()), sum((SUITE / c / "error").exists() for c in cases())) == (402, 94)


@pytest.mark.parametrize("reader", READERS)
def test_known_defects_are_exactly_these(reader: str) -> None:
    """The cases misread and the invalid cases accepted are exactly the known ones: none more,
    and a case fixed must leave the list."""
    found = outcomes(reader)
    assert MISREAD[reader] == [case for case, got in found.items() if got.kind == "misread"]
    assert ACCEPTED[reader] == [case for case, got in found.items() if got.kind == "invalid accepted"]


@pytest.mark.parametrize("reader", READERS)
def test_counts_are_the_readmes(reader: str) -> None:
    """How many cases fall in each class, per reader: the README's table (checked below)."""
    found = Counter(got.kind for got in outcomes(reader).values())
    assert COUNTS[reader] == {kind: found[kind] for kind in COUNTS[reader]}
    assert found.total() == len(cases())  # no other class


def test_the_readers_never_give_different_values() -> None:
    """Where both readers accept a case, they give the same value (one may refuse what the other
    reads: those cases are counted in the README)."""
    libyaml, pure = outcomes("libyaml"), outcomes("pure")
    differ = [
        case
        for case in cases()
        if not libyaml[case].codes
        and not pure[case].codes
        and typed(libyaml[case].data) != typed(pure[case].data)
    ]
    assert differ == []


def table() -> str:
    """The README's table of the suite's results, from the outcomes."""
    rows = {
        "read exactly": "valid cases read exactly",
        "refused": "valid cases refused (cases per code)",
        "misread": "valid cases **misread** (another value, no problem)",
        "empty": "valid cases without a document (comments only), read as null",
        "invalid refused": "invalid cases refused",
        "invalid accepted": "invalid cases **accepted**",
    }
    lines = ["| | libyaml reader | pure-Python reader |", "|---|---|---|"]
    for kind, title in rows.items():
        cells = []
        for reader in READERS:
            found = [got for got in outcomes(reader).values() if got.kind == kind]
            cell = str(len(found))
            if kind == "refused":
                codes = Counter(code for got in found for code in got.codes)
                cell += " (" + ", ".join(f"{code} {n}" for code, n in sorted(codes.items())) + ")"
            cells.append(cell)
        lines.append(f"| {title} | {' | '.join(cells)} |")
    return "\n".join(lines) + "\n"


def test_the_readme_shows_the_counts() -> None:
    """The README's table of the suite's results is the one the readers give today."""
    assert table() in README.read_text(encoding="utf-8"), table()
