"""Attack: the data's users read these YAML files with their own loaders. A plain ``no``, ``0750``
or ``1:20`` is a string here (YAML 1.2) but false, 488 and 80 to PyYAML (YAML 1.1), and ``0o750``
is 488 to a YAML 1.2 core-schema reader: valid data that another reader reads as other data.
Such a scalar is now a warning with the fix, quote it (DD114), as yamllint's truthy and octal
rules warn; a ``%YAML`` directive other than 1.2 is refused (DD115)."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

import dispatchdata
from dispatchdata.cli import main
from dispatchdata.read.parse import parse_bytes, parse_text

from ..helpers import examples
from ..test_validate import MINIMAL, SOURCES, apply_case

runner = CliRunner()
PARSERS = [pytest.param(False, id="libyaml"), pytest.param(True, id="pure")]


def test_yaml_1_1_scalars_are_warned_about(tmp_path: Path) -> None:
    """Valid data (exit 0), but each scalar another reader reads otherwise is named, with the fix."""
    target = tmp_path / "data"
    edits = [
        {
            "file": "proposals.yaml",
            "find": "status: proposed",
            "replace": "status: proposed\n  status_note: no",
        },
        {"file": "actors.yaml", "find": "    - title: Senator\n", "replace": "    - title: 0750\n"},
        {"file": "actors.yaml", "find": "    - title: deputy\n", "replace": "    - title: 0o750\n"},
    ]
    apply_case({"edits": edits}, target)
    result = runner.invoke(main, ["validate", target.as_posix(), "--sources", str(SOURCES)])
    folder = target.as_posix()
    assert result.exit_code == 0
    assert result.output == (
        f"{folder}/actors.yaml:7:14: DD114 (warning) '0750' is a string here, but the integer 488 to"
        " YAML 1.1 readers (PyYAML) and the integer 750 to YAML 1.2 readers; quote it\n"
        f"{folder}/actors.yaml:17:14: DD114 (warning) '0o750' is a string here, but the integer 488 to"
        " YAML 1.2 readers; quote it\n"
        f"{folder}/proposals.yaml:7:16: DD114 (warning) 'no' is a string here, but the boolean false to"
        " YAML 1.1 readers (PyYAML); quote it\n"
        "valid: 0 errors, 3 warnings in 5 files, 7 records\n"
    )
    assert dispatchdata.load(target).proposals[0].status_note == "no"  # a warning does not stop load()


def test_a_yaml_1_1_directive_is_refused(tmp_path: Path) -> None:
    """`%YAML 1.1`: exit 1 (`--format github` too); `load()` and `load(strict=True)` raise."""
    target = tmp_path / "data"
    edit = {
        "file": "proposals.yaml",
        "find": "- id: higher-tax\n",
        "replace": "%YAML 1.1\n---\n- id: higher-tax\n",
    }
    apply_case({"edits": [edit]}, target)
    message = (
        "%YAML 1.1 refused: files are read as YAML 1.2 only (where no, on, 0750 and 1:20 are strings);"
        " remove the directive"
    )
    result = runner.invoke(main, ["validate", target.as_posix(), "--sources", str(SOURCES)])
    file = f"{target.as_posix()}/proposals.yaml"
    assert result.exit_code == 1
    assert (
        result.output == f"{file}:1:1: DD115 {message}\ninvalid: 1 error, 0 warnings in 5 files, 7 records\n"
    )
    github = runner.invoke(
        main, ["validate", target.as_posix(), "--sources", str(SOURCES), "--format", "github"]
    )
    assert github.exit_code == 1
    escaped = message.replace("%", "%25")  # as workflow commands escape it
    assert github.stdout == f"::error file={file},line=1,col=1,title=DD115::{escaped}\n"
    for strict in (False, True):
        with pytest.raises(dispatchdata.InvalidDatasetError) as raised:
            dispatchdata.load(target, strict=strict, sources=[SOURCES])
        assert [p.code for p in raised.value.report.problems] == ["DD115"]


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("%YAML 1.2\n---\n", []),
        ("%YAML 1.1\n---\n", [("DD115", 1, 1, "1.1")]),
        ("# a comment\n%YAML 1.0\n---\n", [("DD115", 2, 1, "1.0")]),
        ("%YAML 1.3\n---\n", [("DD115", 1, 1, "1.3")]),
        ("%YAML 2.0\n---\n", [("DD115", 1, 1, "2.0")]),
    ],
)
def test_only_yaml_1_2_directives(pure: bool, head: str, expected: list[tuple[str, int, int, str]]) -> None:
    """Whichever parser reads the file (libyaml refuses 1.0 and 1.3 itself; PyYAML's own only 2.0)."""
    parsed = parse_text(head + "a: 1\n", "f.yaml", pure=pure)
    assert [(p.code, p.line, p.column, p.message.split()[1]) for p in parsed.problems] == expected


@pytest.mark.parametrize("pure", PARSERS)
def test_a_key_is_a_plain_scalar_too(pure: bool) -> None:
    """PyYAML reads the key `on` as True: warned about at the key, with the member's pointer."""
    parsed = parse_text("- id: a\n  on: 1\n", "f.yaml", pure=pure)
    assert parsed.data == [{"id": "a", "on": 1}]
    assert [(p.code, p.severity.value, p.line, p.column, p.pointer) for p in parsed.problems] == [
        ("DD114", "warning", 2, 3, "/0/on")
    ]


def test_the_repository_dataset_has_no_such_scalar() -> None:
    """The shipped data holds none (PyYAML and this reader read every value of it alike)."""
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0
    assert result.output == "valid: 0 errors, 0 warnings in 5 files, 114 records\n"
    for path in sorted(MINIMAL.parent.parent.parent.joinpath("dataset").glob("*.yaml")):
        assert _typed(yaml.safe_load(path.read_text(encoding="utf-8"))) == _typed(
            parse_bytes(path.read_bytes(), path.name).data
        )


# -- exactly which spellings: this reader against PyYAML's YAML 1.1 and the YAML 1.2 core schema --


def _core_1_2(text: str) -> Any:
    """A plain scalar as the YAML 1.2 core schema reads it (YAML 1.2.2, 10.3.2)."""
    if re.fullmatch(r"null|Null|NULL|~|", text):
        return None
    if re.fullmatch(r"true|True|TRUE|false|False|FALSE", text):
        return text.lower() == "true"
    if re.fullmatch(r"[-+]?[0-9]+", text):
        return int(text)
    if re.fullmatch(r"0o[0-7]+|0x[0-9a-fA-F]+", text):
        return int(text[2:], 8 if text[1] == "o" else 16)
    if re.fullmatch(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?", text):
        return float(text)
    if re.fullmatch(r"[-+]?(?:\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN", text):
        return float(text.replace(".", "", 1))
    return text


def _pyyaml(text: str) -> Any:
    """What `yaml.safe_load` (YAML 1.1) makes of the plain scalar; an exception if it cannot."""
    try:
        return yaml.safe_load(f"a: {text}\n")["a"]
    except (yaml.YAMLError, ValueError) as error:
        return error


def _typed(value: Any) -> Any:
    if isinstance(value, dict):
        return {_typed(k): _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value if not isinstance(value, Exception) else type(value).__name__)


def _is_plain(text: str) -> bool:
    """Whether `a: TEXT` holds TEXT as one plain scalar."""
    try:
        events = list(yaml.parse(f"a: {text}\n"))
    except yaml.YAMLError:
        return False
    scalars = [e for e in events if isinstance(e, yaml.ScalarEvent)]
    return len(events) == 8 and len(scalars) == 2 and scalars[1].implicit[0] and scalars[1].value == text


#: What each reader makes of it: this one, PyYAML (YAML 1.1), a YAML 1.2 core-schema reader.
SPELLINGS = {
    "no": ("no", False, "no"), "No": ("No", False, "No"), "NO": ("NO", False, "NO"),
    "yes": ("yes", True, "yes"), "on": ("on", True, "on"), "Off": ("Off", False, "Off"),
    "y": ("y", "y", "y"), "n": ("n", "n", "n"),  # 1.1's spec has them; PyYAML (and yamllint) not
    "true": (True, True, True), "~": (None, None, None), "null": (None, None, None),
    "0750": ("0750", 488, 750), "0o750": ("0o750", "0o750", 488), "0x1F": ("0x1F", 31, 31),
    "0b101": ("0b101", 5, "0b101"), "1_000": ("1_000", 1000, "1_000"), "08": ("08", "08", 8),
    "1:20": ("1:20", 80, "1:20"), "1:20.5": ("1:20.5", 80.5, "1:20.5"),
    "2023-01-13": ("2023-01-13", "date", "2023-01-13"), "<<": ("<<", "merge", "<<"),
    "12": (12, 12, 12), "-0": (0, 0, 0), "1.5": (1.5, 1.5, 1.5), "1.25e+1": (12.5, 12.5, 12.5),
    "1.25e1": (12.5, "1.25e1", 12.5), "+.5": (0.5, "+.5", 0.5), "0750.5": ("0750.5", 750.5, 750.5),
}  # fmt: skip


@pytest.mark.parametrize("text", SPELLINGS)
def test_what_each_reader_makes_of_a_spelling(text: str) -> None:
    """The table above is what the readers do; a warning exactly where one of them differs in type
    from this reader."""
    here, pyyaml, core = SPELLINGS[text]
    parsed = parse_text(f"a: {text}\n", "f.yaml")
    assert _typed(parsed.data["a"]) == _typed(here)
    made = _pyyaml(text)
    if pyyaml == "date":
        assert type(made).__name__ == "date"
    elif pyyaml == "merge":
        assert isinstance(made, Exception)  # a merge key where a value is: PyYAML refuses the file
    else:
        assert _typed(made) == _typed(pyyaml)
    assert _typed(_core_1_2(text)) == _typed(core)
    differs = type(made) is not type(here) or type(core) is not type(here)
    assert [p.code for p in parsed.problems] == (["DD114"] if differs else [])


PLAIN = st.text(alphabet="0123456789+-._:eExobO yYnNtTfFuls~<=", min_size=1, max_size=8)


@given(PLAIN)
@example("0o17")
@example("1:20:30")
@example("2001-12-14")
@example("1e5")
@settings(max_examples=examples(1000), deadline=None)
def test_a_warning_exactly_where_another_reader_reads_another_type(text: str) -> None:
    """Any plain scalar that reads without an error: no warning exactly when PyYAML (YAML 1.1) and
    a YAML 1.2 core-schema reader both read the same type as this reader (and the same value,
    but for dates); both parsers say the same; the quick reader takes no file that warns."""
    from dispatchdata.read import yaml as yaml_parse

    if not _is_plain(text):
        return
    source = f"a: {text}\n"
    parsed, pure = parse_text(source, "f.yaml"), parse_text(source, "f.yaml", pure=True)
    assert [(p.code, p.message) for p in parsed.problems] == [(p.code, p.message) for p in pure.problems]
    if any(p.severity.value == "error" for p in parsed.problems):  # DD107, DD113
        return
    here = parsed.data["a"]
    made, core = _pyyaml(text), _core_1_2(text)
    alike = _typed(made) == _typed(here) and type(core) is type(here)
    assert [p.code for p in parsed.problems] == ([] if alike else ["DD114"])
    if parsed.problems:
        assert yaml_parse._quick(source, pure=False) is yaml_parse._UNUSUAL
