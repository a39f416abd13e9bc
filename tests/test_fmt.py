"""`dispatchdata fmt`: one canonical layout for dataset YAML files (keys in the schema's order,
one quoting style, records in their order, comments kept), never a value changed: what the
project's reader reads before and after is the same data, checked at run time and here over
arbitrary records."""

from __future__ import annotations

import os
import re
import shutil
import string
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatchdata import atomic, fmt_layout
from dispatchdata.check.schema import schemas
from dispatchdata.cli import main
from dispatchdata.fmt import comments, difference, format_text
from dispatchdata.read.parse import parse_text

from .helpers import examples
from .test_validate import MINIMAL, SOURCES

runner = CliRunner()

#: An actors file laid out every way but the canonical one: keys out of the schema's order, a
#: folded block scalar, flow collections, lists indented past their key, every quoting style,
#: words YAML 1.1 readers take for other types, and comments everywhere.
MESSY = """\
# Actors.
- name: Ivan Petrov   # the name as printed
  id: ivan-petrov
  type: person
  aliases:
    - {name: "Ivan Petrov"}
    # the short form
    - name: Petrov
  anchors:
    - {"document": "doc-1", "start": 36, "end": 47, "exact": "Ivan Petrov",
       "prefix": "mal Dispatch No. 1\\n\\nThe Senator ", "suffix": " said: \\"Leavers must pay more.\\" "}
  description: >-
    A senator
    who speaks.
# The second actor.
- id: 'duma'
  type: organisation
  kind: legislative-chamber
  name: "no"
  aliases: [{name: '0750', note: "it's: quoted", misspelling: true}, {name: ' x', note: plain it's}]
  anchors: []
"""

#: MESSY in the canonical layout.
CANONICAL = """\
# Actors.
- id: ivan-petrov
  type: person
  name: Ivan Petrov   # the name as printed
  description: A senator who speaks.
  aliases:
  - name: Ivan Petrov
    # the short form
  - name: Petrov
  anchors:
  - document: doc-1
    start: 36
    end: 47
    exact: Ivan Petrov
    prefix: "mal Dispatch No. 1\\n\\nThe Senator "
    suffix: " said: \\"Leavers must pay more.\\" "
# The second actor.
- id: duma
  type: organisation
  name: 'no'
  kind: legislative-chamber
  aliases:
  - name: '0750'
    misspelling: true
    note: 'it''s: quoted'
  - name: " x"
    note: plain it's
  anchors: []
"""


def _read(text: str, file: str = "actors.yaml") -> Any:
    parsed = parse_text(text, file)
    assert parsed.problems == []
    return parsed.data


def _dataset(tmp_path: Path) -> Path:
    """A copy of the minimal dataset whose actors.yaml is MESSY."""
    target = tmp_path / "data"
    shutil.copytree(MINIMAL, target)
    (target / "actors.yaml").write_text(MESSY, encoding="utf-8")
    return target


def test_the_canonical_layout() -> None:
    """Keys in the schema's order, strings plain where every reader reads them alike, single
    quotes else, double quotes with escapes for line breaks and spaces at an end; block styles,
    lists under their key; records in their order; every comment kept; the same data."""
    assert format_text(MESSY, "actors.yaml", "actors") == CANONICAL
    assert _read(MESSY) == _read(CANONICAL)
    assert comments(MESSY) == comments(CANONICAL)


def test_formatting_is_idempotent() -> None:
    """The canonical text formats to itself."""
    assert format_text(CANONICAL, "actors.yaml", "actors") == CANONICAL


#: A proposal whose keys move, with comments directly above some (and a blank line between
#: one and its key's comment), an unknown key, and a comment that separates two records.
_PROPOSALS = """\
# Proposals.
- id: p
  title: T
  zz: 1   # unknown
  description: D   # the description
  # a note on what follows

  # why taxation
  # (two lines)
  category: taxation
  proposed_by: [a]
  status: announced
  anchors: []
# The second proposal.
- title: U
  # why q
  id: q
  description: E
  category: taxation
  proposed_by: [a]
  status: announced
  anchors: []
"""


def test_a_comment_above_a_key_moves_with_it() -> None:
    """The comment lines directly above a key (no blank line between) move with it when the
    schema's order moves it, to above its '-' line where it becomes its record's first; other
    lines stay at their place; an unknown key moved to its record's end stays above the comment
    that separates it from the next record."""
    assert (
        format_text(_PROPOSALS, "proposals.yaml", "proposals")
        == """\
# Proposals.
- id: p
  title: T
  description: D   # the description
  # why taxation
  # (two lines)
  category: taxation
  # a note on what follows

  proposed_by:
  - a
  status: announced
  anchors: []
  zz: 1   # unknown
# The second proposal.
# why q
- id: q
  title: U
  description: E
  category: taxation
  proposed_by:
  - a
  status: announced
  anchors: []
"""
    )


def test_a_comment_above_a_nested_key_moves_with_it() -> None:
    """In a list of mappings (an alias first in its list, or not), in a mapping under a key, and
    at the top of a file: the comment block above a key goes where the key goes, indented as
    what it is now above, and formats to itself."""
    actors = """\
- id: a
  type: person
  name: A
  aliases:
  - note: x
    # why N
    name: N
  - note: y
    # why M
    name: M
  anchors: []
"""
    assert (
        format_text(actors, "actors.yaml", "actors")
        == """\
- id: a
  type: person
  name: A
  aliases:
  # why N
  - name: N
    note: x
  # why M
  - name: M
    note: y
  anchors: []
"""
    )
    metadata = (
        "# Metadata.\ntitle: t\n# why name\nname: n\n"
        "citation:\n  # why note\n  note: N\n  # why title\n  title: T\n"
    )
    assert format_text(metadata, "dataset.yaml", "dataset") == (
        "# Metadata.\n# why name\nname: n\ntitle: t\n"
        "citation:\n  # why title\n  title: T\n  # why note\n  note: N\n"
    )
    for text, collection in ((_PROPOSALS, "proposals"), (actors, "actors"), (metadata, "dataset")):
        once = format_text(text, f"{collection}.yaml", collection)
        assert format_text(once, f"{collection}.yaml", collection) == once


def test_the_key_order_is_the_schemas(monkeypatch: pytest.MonkeyPatch) -> None:
    """The order comes from the schema's `properties`, not from a list of its own: with the
    schema's properties of an alias reversed, the alias's keys are written reversed."""
    documents = schemas()
    actors = documents["actors.schema.json"]
    alias = actors["$defs"]["alias"]
    reversed_alias = {**alias, "properties": dict(reversed(list(alias["properties"].items())))}
    changed = {**actors, "$defs": {**actors["$defs"], "alias": reversed_alias}}
    monkeypatch.setattr(fmt_layout, "schemas", lambda: {**documents, "actors.schema.json": changed})
    fmt_layout.key_order.cache_clear()
    try:
        text = format_text(CANONICAL, "actors.yaml", "actors")
    finally:
        fmt_layout.key_order.cache_clear()
    assert "  - note: 'it''s: quoted'\n    misspelling: true\n    name: '0750'\n" in text


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("plain words, with:colons, C# and 'quotes'", "plain words, with:colons, C# and 'quotes'"),
        ("a: b", "'a: b'"),
        ("ends with:", "'ends with:'"),
        ("a #comment", "'a #comment'"),
        ("#start", "'#start'"),
        ("- item", "'- item'"),
        ("-based", "-based"),
        ("it's: x", "'it''s: x'"),
        ("no", "'no'"),
        ("On", "'On'"),
        ("0750", "'0750'"),
        ("0o17", "'0o17'"),
        ("1:20", "'1:20'"),
        ("2023-01-13", "'2023-01-13'"),
        ("12", "'12'"),
        ("1.5", "'1.5'"),
        ("null", "'null'"),
        ("~", "'~'"),
        ("<<", "'<<'"),
        ("", "''"),
        ("line\nbreak", '"line\\nbreak"'),
        (" leading", '" leading"'),
        ("trailing ", '"trailing "'),
        ("\u00a0no-break space first", '"\u00a0no-break space first"'),
        ("tab\there", '"tab\\there"'),
        ("next line\u0085here", '"next line\\Nhere"'),
        ("line\u2028separator", '"line\\Lseparator"'),
        ("paragraph\u2029separator", '"paragraph\\Pseparator"'),
        ("curly ’ and – dash", "curly ’ and – dash"),
        ('say "so"', 'say "so"'),
        ('"quoted"', "'\"quoted\"'"),
    ],
)
def test_one_quoting_style(value: str, written: str) -> None:
    """Each string written one way, and read back as itself."""
    text = format_text(f"name: {_double(value)}\n", "dataset.yaml", "dataset")
    assert f"name: {written}\n" == text
    assert {"name": value} == _read(text, "dataset.yaml")


def _double(value: str) -> str:
    """A string as a double-quoted YAML scalar (JSON's escapes, which YAML reads)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return (
        '"' + escaped.replace("\u0085", "\\N").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + '"'
    )


def _escaped(value: str) -> str:
    """A string as a double-quoted YAML scalar with every character but printable ASCII escaped."""
    return '"' + "".join(c if " " <= c <= "~" and c not in '"\\' else _escape(c) for c in value) + '"'


def _escape(character: str) -> str:
    code = ord(character)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


#: The characters the reader refuses raw (NEL, LS, PS: line breaks to YAML 1.1 readers), and
#: others YAML escapes (a BOM, controls, a CR, a tab, a noncharacter), among printable text.
_BREAKS_11 = st.sampled_from(["\x85", "\u2028", "\u2029"])
_AWKWARD = st.sampled_from(["\ufeff", "\x00", "\x1f", "\x7f", "\x9f", "\r", "\t", "\n", "\ufffe", " "])
_PRINTABLE = st.text(st.sampled_from("ab é#:'\u2027\u202a\U0001f642"), min_size=1, max_size=4)


@settings(max_examples=examples(200), deadline=None)
@given(
    value=st.one_of(
        st.lists(st.one_of(_BREAKS_11, _PRINTABLE), max_size=5).map("".join),
        st.lists(st.one_of(_BREAKS_11, _AWKWARD, _PRINTABLE), max_size=5).map("".join),
        st.text(st.characters(exclude_categories=["Cs"]), max_size=20),
    )
)
def test_arbitrary_strings_written_as_escapes_keep_their_value(value: str) -> None:
    """Whatever a string holds (a NEL, LS or PS included, which the reader refuses raw), written
    with escapes, as a key and as a value: fmt writes a text that reads back as that string, and
    formats to itself."""
    text = format_text(f"name: {_escaped(value)}\n{_escaped(value + '!')}: 1\n", "dataset.yaml", "dataset")
    assert {"name": value, value + "!": 1} == _read(text, "dataset.yaml")
    assert format_text(text, "dataset.yaml", "dataset") == text


def test_a_line_or_paragraph_separator_formats_and_checks_as_any_value(tmp_path: Path) -> None:
    """A value holding U+2028 (written as an escape) is a file that would be reformatted (exit 1
    with --check, not 2), then formatted (exit 0), the same value, and then checks clean."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (data / "dataset.yaml").write_text('name: "a\\u2028b\\u2029c"\n', encoding="utf-8")
    checked = runner.invoke(main, ["fmt", "--check", str(data / "dataset.yaml")])
    assert checked.exit_code == 1, checked.output
    assert checked.stdout == f"would reformat {(data / 'dataset.yaml').as_posix()}\n"
    result = runner.invoke(main, ["fmt", str(data / "dataset.yaml")])
    assert result.exit_code == 0, result.output
    assert (data / "dataset.yaml").read_text(encoding="utf-8") == 'name: "a\\Lb\\Pc"\n'
    assert runner.invoke(main, ["fmt", "--check", str(data / "dataset.yaml")]).exit_code == 0


#: MESSY with CRLF line endings, and an already canonical file whose comments kept their CR.
_CRLF = MESSY.replace("\n", "\r\n")
_MIXED = CANONICAL.replace("# Actors.\n", "# Actors.\r\n").replace(
    "   # the name as printed\n", "   # the name as printed\r\n"
)


def test_every_line_ends_with_a_line_feed() -> None:
    """A CRLF file formats to the canonical text, comments' lines LF too; a canonical file
    whose comment lines kept a CR is not canonical: it formats to the LF text; a comments-only
    CRLF file too."""
    assert format_text(_CRLF, "actors.yaml", "actors") == CANONICAL
    assert format_text(_MIXED, "actors.yaml", "actors") == CANONICAL
    assert format_text(CANONICAL.replace("\n", "\r"), "actors.yaml", "actors") == CANONICAL
    assert format_text("# nothing yet\r\n", "actors.yaml", "actors") == "# nothing yet\n"


def test_fmt_check_finds_a_cr_left_in_a_comment(tmp_path: Path) -> None:
    """--check lists a file whose only difference is a comment line's CR (exit 1); fmt rewrites
    it with LF; a second --check passes."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (data / "actors.yaml").write_bytes(_MIXED.encode("utf-8"))
    checked = runner.invoke(main, ["fmt", "--check", str(data / "actors.yaml")])
    assert checked.exit_code == 1, checked.output
    assert checked.stdout == f"would reformat {(data / 'actors.yaml').as_posix()}\n"
    assert runner.invoke(main, ["fmt", str(data / "actors.yaml")]).exit_code == 0
    assert (data / "actors.yaml").read_bytes() == CANONICAL.encode("utf-8")
    assert runner.invoke(main, ["fmt", "--check", str(data / "actors.yaml")]).exit_code == 0


def test_a_cr_left_in_the_text_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The run-time check reads the text, not only its data and comments: a canonical text with
    a CR left at the end of a comment's line (which reads as the same data and comments) is not
    written (exit 2, saying which line)."""
    data = _dataset(tmp_path)
    real = fmt_layout.canonical
    monkeypatch.setattr(
        "dispatchdata.fmt.canonical", lambda *a: real(*a).replace("short form\n", "short form\r\n")
    )
    result = runner.invoke(main, ["fmt", str(data / "actors.yaml")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"dispatchdata: error: {(data / 'actors.yaml').as_posix()}: formatted, line 8 would end with a CR:"
        " not written\n"
    )
    assert (data / "actors.yaml").read_text(encoding="utf-8") == MESSY


def test_numbers_booleans_and_null_keep_their_type() -> None:
    """1 stays an integer, true a boolean, 1.5e-05 a float PyYAML reads as one too, null null."""
    before = "a: 1\nb: true\nc: 1.5e-05\nd: ~\ne: -3\n"
    text = format_text(before, "dataset.yaml", "dataset")
    assert text == "a: 1\nb: true\nc: 1.5e-05\nd: null\ne: -3\n"
    assert difference(_read(before, "dataset.yaml"), _read(text, "dataset.yaml")) is None
    assert yaml.safe_load(text) == {"a": 1, "b": True, "c": 1.5e-05, "d": None, "e": -3}


def test_difference_tells_types_apart() -> None:
    """What the run-time check compares: values and their types, at a pointer."""
    assert difference({"a": [1, True]}, {"a": [1, True]}) is None
    assert difference({"a": [1, True]}, {"a": [1, 1]}) == "/a/1"
    assert difference({"a": 1}, {"a": 1.0}) == "/a"
    assert difference({"a/b": "x"}, {"a/b": "y"}) == "/a~1b"
    assert difference([1], [1, 2]) == ""


def test_fmt_check_lists_the_files_that_differ_and_writes_nothing(tmp_path: Path) -> None:
    """--check: exit 1, each file that would change on stdout, a count on stderr; no file changed."""
    data = _dataset(tmp_path)
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    result = runner.invoke(main, ["fmt", "--check", str(data / "actors.yaml")])
    assert result.exit_code == 1
    assert result.stdout == f"would reformat {(data / 'actors.yaml').as_posix()}\n"
    assert result.stderr == "dispatchdata: 1 file would be reformatted, 0 files already formatted\n"
    assert before == {p.name: p.read_bytes() for p in data.iterdir()}


def test_fmt_rewrites_the_files_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    """Without --check: the folder's files rewritten (the minimal dataset has flow mappings and
    indented lists), as valid as before (every rule passes), the same data (`diff` sees no
    change); a second run writes nothing."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    result = runner.invoke(main, ["fmt", str(data)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"reformatted {(data / name).as_posix()}"
        for name in ("dataset.yaml", "documents.yaml", "actors.yaml", "proposals.yaml", "statements.yaml")
    ]
    assert result.stderr == "dispatchdata: 5 files reformatted, 0 files already formatted\n"
    checked = runner.invoke(main, ["validate", str(data), "--strict", "--sources", str(SOURCES)])
    assert checked.exit_code == 0, checked.output
    assert checked.stdout == "valid: 0 errors, 0 warnings in 5 files, 7 records\n"
    compared = runner.invoke(main, ["diff", str(MINIMAL), str(data), "--exit-code"])
    assert compared.exit_code == 0, compared.output
    again = runner.invoke(main, ["fmt", str(data)])
    assert again.exit_code == 0
    assert again.stdout == ""
    assert again.stderr == "dispatchdata: 0 files reformatted, 5 files already formatted\n"


def test_fmt_diff_prints_a_unified_diff_and_writes_nothing(tmp_path: Path) -> None:
    """--diff: the change as a unified diff, a/ and b/ the file's path; exit 1; nothing written."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (data / "dataset.yaml").write_text("title: T\nname: n  # the name\n", encoding="utf-8")
    result = runner.invoke(main, ["fmt", "--diff", str(data / "dataset.yaml")])
    assert result.exit_code == 1
    name = (data / "dataset.yaml").as_posix()
    assert result.stdout == (
        f"--- a/{name}\n+++ b/{name}\n@@ -1,2 +1,2 @@\n"
        "+name: n  # the name\n title: T\n-name: n  # the name\n"
    )
    assert (data / "dataset.yaml").read_text(encoding="utf-8") == "title: T\nname: n  # the name\n"


def test_the_dataset_is_formatted() -> None:
    """The repository's own dataset is in the canonical layout, and CI checks that it stays so."""
    root = Path(__file__).parent.parent
    result = runner.invoke(main, ["fmt", "--check", str(root / "dataset")])
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""
    assert "\ndispatchdata fmt --check dataset/\n" in (root / ".ci" / "run").read_text(encoding="utf-8")


def test_without_a_path_the_dataset_folder_here_is_formatted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No PATH: dataset/ in the current folder, its files named from there."""
    shutil.copytree(MINIMAL, tmp_path / "dataset")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["fmt", "--check"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "would reformat dataset/dataset.yaml"


def test_a_file_with_errors_is_reported_as_validate_reports_it(tmp_path: Path) -> None:
    """Malformed YAML, a duplicate key: not formatted, exit 1, the errors as validate says them."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (data / "actors.yaml").write_text("- id: a\n  id: b\n", encoding="utf-8")
    (data / "proposals.yaml").write_text("- id: [a\n", encoding="utf-8")
    result = runner.invoke(main, ["fmt", str(data / "actors.yaml"), str(data / "proposals.yaml")])
    assert result.exit_code == 1
    checked = runner.invoke(main, ["validate", str(data / "actors.yaml"), str(data / "proposals.yaml")])
    assert set(result.stdout.splitlines()) <= set(checked.stdout.splitlines())
    assert result.stdout.splitlines() == [
        f"{data.as_posix()}/actors.yaml:2:3: DD103 duplicate key 'id' (first at line 1);"
        " the first value is kept",
        f"{data.as_posix()}/proposals.yaml:2:1: DD102 YAML syntax error: did not find expected ',' or ']'",
    ]
    assert result.stderr == (
        "dispatchdata: 0 files reformatted, 0 files already formatted,"
        " 2 files not formatted (2 with errors)\n"
    )
    assert (data / "actors.yaml").read_text(encoding="utf-8") == "- id: a\n  id: b\n"


def test_the_summary_counts_a_file_with_errors_as_not_formatted(tmp_path: Path) -> None:
    """A formatted folder whose metadata the reader finds errors in (a float for an integer, an
    infinity): the errors, exit 1, and the file counted as not formatted, with why, beside the
    four already formatted, with --check as without."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    assert runner.invoke(main, ["fmt", str(data)]).exit_code == 0
    (data / "dataset.yaml").write_text("name: n\ntitle: t\nx: 1e3\ny: .inf\n", encoding="utf-8")
    for flags in (["--check"], []):
        result = runner.invoke(main, ["fmt", *flags, str(data)])
        assert result.exit_code == 1
        assert result.stdout == (
            f"{data.as_posix()}/dataset.yaml:3:4: DD113 1e3 is an integer written as a float; write 1000\n"
            f"{data.as_posix()}/dataset.yaml:4:4: DD107 '.inf' is not a finite number; JSON cannot hold it\n"
        )
        verb = "would be reformatted" if flags else "reformatted"
        assert result.stderr == (
            f"dispatchdata: 0 files {verb}, 4 files already formatted, 1 file not formatted (1 with errors)\n"
        )


def test_a_path_that_is_no_datasets_is_refused(tmp_path: Path) -> None:
    """A YAML file outside a dataset folder, a JSON data file, a path that does not exist: exit 2."""
    stray = tmp_path / "notes.yaml"
    stray.write_text("a: 1\n", encoding="utf-8")
    result = runner.invoke(main, ["fmt", str(stray)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"dispatchdata: error: {stray}: not a YAML data file of a dataset (dataset.yaml, or a collection's"
        " file: documents, actors, proposals, statements, as .yaml or .yml, or in a folder of that name,"
        " beside dataset.yaml); give the file or its dataset folder\n"
    )
    missing = runner.invoke(main, ["fmt", str(tmp_path / "nope")])
    assert missing.exit_code == 2
    assert missing.stderr == f"dispatchdata: error: {tmp_path / 'nope'}: does not exist\n"


def test_a_link_out_of_the_folder_is_said_not_passed_over(tmp_path: Path) -> None:
    """A folder's file that is a link leading out of it is refused unread (DD116, as validate
    says it; exit 1), the rest formatted; a link given as the file is refused (exit 2), as is a
    folder without dataset.yaml."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (tmp_path / "outside.yaml").write_text("- id: x\n", encoding="utf-8")
    (data / "statements").mkdir()
    (data / "statements" / "more.yaml").symlink_to("../../outside.yaml")
    result = runner.invoke(main, ["fmt", "--check", str(data)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{data.as_posix()}/statements/more.yaml: DD116 a symbolic link that leads outside the dataset"
        " folder: refused, nothing read from it"
    )
    assert len(result.stdout.splitlines()) == 6
    assert result.stderr == (
        "dispatchdata: 5 files would be reformatted, 0 files already formatted,"
        " 1 file not formatted (1 not read)\n"
    )
    linked = runner.invoke(main, ["fmt", str(data / "statements" / "more.yaml")])
    assert linked.exit_code == 2
    assert linked.stderr == (
        f"dispatchdata: error: {data / 'statements' / 'more.yaml'}: is a symbolic link:"
        " give the file it leads to\n"
    )
    bare = runner.invoke(main, ["fmt", str(tmp_path)])
    assert bare.exit_code == 2
    assert bare.stderr == f"dispatchdata: error: {tmp_path}: not a dataset folder (no dataset.yaml)\n"
    assert (tmp_path / "outside.yaml").read_text(encoding="utf-8") == "- id: x\n"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="permissions (root writes anyway)")
def test_an_unwritable_file_is_an_operational_error(tmp_path: Path) -> None:
    """A read-only file is not replaced (a rename would): exit 2, DD100 as validate says it."""
    data = _dataset(tmp_path)
    (data / "actors.yaml").chmod(0o444)
    result = runner.invoke(main, ["fmt", str(data / "actors.yaml")])
    assert result.exit_code == 2
    assert (
        result.stdout == f"{(data / 'actors.yaml').as_posix()}: DD100 cannot write file: Permission denied\n"
    )
    assert result.stderr == (
        "dispatchdata: 0 files reformatted, 0 files already formatted, 1 file not formatted (1 not written)\n"
    )
    assert (data / "actors.yaml").read_text(encoding="utf-8") == MESSY


def test_a_file_that_cannot_be_written_is_an_operational_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The atomic write fails (a full disk, a folder without write permission): exit 2, DD100."""

    def refuse(path: Path, data: bytes, *_check: object) -> None:
        raise OSError(28, "No space left on device", str(path))

    data = _dataset(tmp_path)
    monkeypatch.setattr("dispatchdata.fmt.write_atomically", refuse)
    result = runner.invoke(main, ["fmt", str(data / "actors.yaml")])
    assert result.exit_code == 2
    assert (
        result.stdout
        == f"{(data / 'actors.yaml').as_posix()}: DD100 cannot write file: No space left on device\n"
    )
    assert result.stderr == (
        "dispatchdata: 0 files reformatted, 0 files already formatted, 1 file not formatted (1 not written)\n"
    )
    assert (data / "actors.yaml").read_text(encoding="utf-8") == MESSY


def test_an_edit_saved_while_fmt_runs_is_not_lost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file saved by its editor after fmt read it and before fmt writes it (fmt reads every
    file first; a large dataset takes seconds): it was replaced by the canonical text of what was
    read, the edit lost. Now it is not written: exit 2, DD100, the edit kept."""
    data = _dataset(tmp_path)
    edited = MESSY + "# saved meanwhile\n"
    real = format_text

    def format_then_edit(text: str, file: str, collection: str) -> str:
        canonical = real(text, file, collection)
        (data / "actors.yaml").write_text(edited, encoding="utf-8")
        return canonical

    monkeypatch.setattr("dispatchdata.fmt.format_text", format_then_edit)
    result = runner.invoke(main, ["fmt", str(data / "actors.yaml")])
    assert result.exit_code == 2
    assert result.stdout == (
        f"{(data / 'actors.yaml').as_posix()}: DD100 changed since fmt read it: not written (run fmt again)\n"
    )
    assert result.stderr == (
        "dispatchdata: 0 files reformatted, 0 files already formatted, 1 file not formatted (1 not written)\n"
    )
    assert (data / "actors.yaml").read_text(encoding="utf-8") == edited


def test_an_edit_saved_as_fmt_writes_is_not_lost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same, saved while fmt writes its new text beside the file (a verifier's window, between
    the check and the rename): the check is made just before the rename."""
    data = _dataset(tmp_path)
    edited = MESSY + "# saved meanwhile\n"
    real = atomic.default_mode

    def mode_then_edit(*args: int) -> int:
        (data / "actors.yaml").write_text(edited, encoding="utf-8")
        return real(*args)

    monkeypatch.setattr(atomic, "default_mode", mode_then_edit)
    result = runner.invoke(main, ["fmt", str(data / "actors.yaml")])
    assert result.exit_code == 2
    assert result.stdout == (
        f"{(data / 'actors.yaml').as_posix()}: DD100 changed since fmt read it: not written (run fmt again)\n"
    )
    assert (data / "actors.yaml").read_text(encoding="utf-8") == edited
    assert sorted(p.name for p in data.iterdir()) == sorted(p.name for p in MINIMAL.iterdir())


def test_without_ruamel_yaml_the_extra_to_install_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No ruamel.yaml (the `edit` extra): exit 2, one line naming the extra; never a traceback."""
    monkeypatch.setitem(sys.modules, "ruamel.yaml", None)
    result = runner.invoke(main, ["fmt", str(_dataset(tmp_path))])
    assert result.exit_code == 2
    assert result.stderr == (
        "dispatchdata: error: formatting needs ruamel.yaml, which is not installed: install the 'edit'"
        " extra (pip install 'dispatchdata[edit]')\n"
    )


def test_a_text_that_would_read_otherwise_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The run-time check: a canonical text that reads as other data, or drops a comment, is not
    written (exit 2, saying where)."""
    data = _dataset(tmp_path)
    real = fmt_layout.canonical
    monkeypatch.setattr("dispatchdata.fmt.canonical", lambda *a: real(*a).replace("Petrov\n", "Petrof\n"))
    result = runner.invoke(main, ["fmt", str(data / "actors.yaml")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"dispatchdata: error: {(data / 'actors.yaml').as_posix()}: formatted, it would read as other data"
        " (at /0/aliases/0/name): not written\n"
    )
    monkeypatch.setattr(
        "dispatchdata.fmt.canonical", lambda *a: real(*a).replace("    # the short form\n", "")
    )
    result = runner.invoke(main, ["fmt", str(data / "actors.yaml")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"dispatchdata: error: {(data / 'actors.yaml').as_posix()}: formatted, it would lose the comment"
        " '# the short form': not written\n"
    )
    monkeypatch.setattr(
        "dispatchdata.fmt.canonical", lambda *a: real(*a).replace("  - name: Petrov", "name: P")
    )
    result = runner.invoke(main, ["fmt", str(data / "actors.yaml")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"dispatchdata: error: {(data / 'actors.yaml').as_posix()}: formatted, it would read with a problem"
        " (DD102 YAML syntax error: did not find expected '-' indicator): not written\n"
    )
    assert (data / "actors.yaml").read_text(encoding="utf-8") == MESSY


# --- the property: arbitrary records keep their values -------------------------------------

#: Words and spellings other readers take for other types, and text YAML treats specially.
_TRICKY = st.sampled_from(
    ["no", "yes", "On", "off", "0750", "0o17", "0x1F", "1:20", "2023-01-13", "1_000", "12", "-1", "1.5",
     "1e3", ".inf", ".nan", "null", "~", "true", "<<", "=", "-", "?", ":", "- a", "? a", "a: b", "a #b",
     "C#", "#", "'", '"', "--- x", "... x", "&a", "*a", "!t", "|", ">", "%x", "@x", "`x", "[a]", "{a}",
     ",a", "a,", "", " ", "\n", " a", "a ", "\ta", "a\n", "\na", "a\n\nb", "a \nb", "a\n b",
     "\u00a0", "\u2028", "\u0085", "\ufeff", "’", "–"]
)  # fmt: skip
_STRINGS = st.one_of(
    _TRICKY,
    st.text(st.characters(exclude_categories=["Cs"]), max_size=30),
    st.text(st.sampled_from(string.printable + "’–\u00a0é中🙂"), max_size=30),
    st.lists(_TRICKY, min_size=1, max_size=4).map("".join),
)
_SCALARS = st.one_of(
    _STRINGS,
    st.integers(-(2**53), 2**53),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()),
)
_ANCHOR_KEYS = ["document", "start", "end", "exact", "prefix", "suffix"]
_ANCHOR = st.fixed_dictionaries(dict.fromkeys(_ANCHOR_KEYS, _SCALARS)).flatmap(
    lambda d: st.permutations(list(d.items())).map(dict)
)
_ALIAS = st.dictionaries(st.sampled_from(["name", "misspelling", "corrected", "note"]), _SCALARS, min_size=1)
_ACTOR_FIELDS: dict[str, Any] = {
    "id": _STRINGS, "type": _STRINGS, "name": _STRINGS, "kind": _STRINGS, "parent": _STRINGS,
    "description": _STRINGS, "aliases": st.lists(_ALIAS, max_size=3),
    "anchors": st.lists(_ANCHOR, max_size=2), "unknown": _SCALARS,
}  # fmt: skip
_ACTOR = st.lists(st.sampled_from(sorted(_ACTOR_FIELDS)), unique=True, min_size=1).flatmap(
    lambda keys: st.fixed_dictionaries({k: _ACTOR_FIELDS[k] for k in keys})
)


#: Records of actors whose values are on one line (a comment cannot fall inside one).
_ONE_LINE = st.one_of(st.text(st.sampled_from("ab :#'é"), max_size=8), st.integers(0, 99), st.booleans())
_FLAT_ALIAS = st.dictionaries(st.sampled_from(["name", "note"]), _ONE_LINE, min_size=1)
_FLAT_FIELDS: dict[str, Any] = {
    **dict.fromkeys(["id", "type", "name", "kind", "parent", "description", "unknown"], _ONE_LINE),
    "aliases": st.lists(_FLAT_ALIAS, max_size=2),
    "anchors": st.lists(st.fixed_dictionaries(dict.fromkeys(_ANCHOR_KEYS, _ONE_LINE)), max_size=1),
}
_FLAT_ACTOR = st.lists(st.sampled_from(sorted(_FLAT_FIELDS)), unique=True, min_size=1).flatmap(
    lambda keys: st.permutations(keys).flatmap(
        lambda keys: st.fixed_dictionaries({k: _FLAT_FIELDS[k] for k in keys})
    )
)


@settings(max_examples=examples(100), deadline=None)
@given(records=st.lists(_FLAT_ACTOR, min_size=1, max_size=3))
def test_each_comment_stays_directly_above_its_key(records: list[dict[str, Any]]) -> None:
    """Records with their keys in any order and a comment directly above each key but a
    record's first: formatted, each comment is directly above the key it names (or above its
    record's '-' line, the key first in it), and the text formats to itself."""
    dumped = yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=1 << 30)
    text = re.sub(r"(?m)^  ([a-z]+):", lambda m: f"  # about {m[1]}\n{m[0]}", dumped)
    after = format_text(text, "actors.yaml", "actors")
    lines = after.splitlines()
    labels = [(at, line.strip()[len("# about ") :]) for at, line in enumerate(lines) if "# about " in line]
    assert len(labels) == text.count("# about ")
    for at, key in labels:
        following = next(line for line in lines[at + 1 :] if not line.lstrip().startswith("#"))
        assert following.lstrip(" -").startswith(f"{key}:"), (key, after)
    assert format_text(after, "actors.yaml", "actors") == after


@settings(max_examples=examples(150), deadline=None)
@given(records=st.lists(_ACTOR, max_size=4), flow=st.booleans(), comment=st.booleans())
def test_arbitrary_records_keep_their_values(
    records: list[dict[str, Any]], flow: bool, comment: bool
) -> None:
    """Whatever the records hold (quotes, colons, '#', line breaks, unicode, spaces at the ends,
    words YAML 1.1 readers take for booleans or numbers, numbers), as PyYAML writes them: the
    canonical text reads without a problem as exactly the same data (types included), keeps the
    comments, is laid out so that it formats to itself, and reads alike to PyYAML."""
    text = yaml.safe_dump(records, allow_unicode=True, sort_keys=False, default_flow_style=flow or None)
    if comment:
        text = "# Actors.\n" + text.replace("\n- ", "\n# next\n- ")
    before = parse_text(text, "actors.yaml")
    if [p for p in before.problems if p.severity.value == "error"]:
        return  # what the reader refuses is refused by fmt too (tested above)
    after = format_text(text, "actors.yaml", "actors")
    assert parse_text(after, "actors.yaml").problems == []
    assert difference(before.data, _read(after)) is None
    assert sorted(comments(text)) == sorted(comments(after))
    assert format_text(after, "actors.yaml", "actors") == after
    assert difference(records, yaml.safe_load(after)) is None
