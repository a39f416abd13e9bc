"""The fast YAML reader (yaml-rs, :mod:`dispatchdata.read.yaml_rs`): a file it reads has exactly the
careful reader's data and no problem, whatever the text (generated documents, the tricky
constructs, arbitrary text); it does read usual files; the positions of a file it read come from
the careful reader, checked against its data (a difference stops the run, never a silent pick);
``DISPATCHDATA_YAML_READER=pyyaml`` turns it off; every YAML file the tests hold reads the same
with and without it, problems and positions included."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dispatchdata.cli import main
from dispatchdata.read import yaml as yaml_parse
from dispatchdata.read import yaml_rs
from dispatchdata.read.parse import parse_bytes, positions_of

from .helpers import examples, typed
from .test_parse import _yaml, yaml_values
from .test_validate import MINIMAL, SOURCES
from .test_yaml_suite import flow_collections, literal_scalars

pytestmark = pytest.mark.skipif(not yaml_rs.installed(), reason="yaml-rs is not installed (the fast extra)")

ROOT = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def _yaml_rs_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are of yaml-rs: on (DISPATCHDATA_YAML_READER=yaml-rs), whatever the run has."""
    monkeypatch.setenv("DISPATCHDATA_YAML_READER", "yaml-rs")


def _fast_is_careful(text: str) -> bool:
    """When yaml-rs reads a text, both careful readers read it without a problem, to the very same
    data, types and key order included. Returns whether yaml-rs read it."""
    fast = yaml_rs.read_fast(text)
    if fast is yaml_rs.DEFER:
        return False
    for pure in (False, True):
        careful = yaml_parse._parse(text, "f.yaml", pure=pure, track=False)
        assert careful.problems == []
        assert yaml_rs.same(fast, careful.data), (fast, careful.data)
    return True


@given(
    yaml_values,
    st.sampled_from(["", "---\n", "# note\n", "%YAML 1.2\n---\n", "a: 1\n"]),
    st.sampled_from(["\n", "", "\n...\n", "\n# end"]),
)
@settings(max_examples=examples(1500), deadline=None)
def test_generated_documents_are_read_as_the_careful_reader_reads_them_or_handed_over(
    value: Any, head: str, tail: str
) -> None:
    """Tricky scalars (no, 0750, 1_000, dates, .inf, 1e3), quoting, block and flow collections,
    duplicate and non-string keys, tags, anchors, aliases, block scalars, documents markers."""
    _fast_is_careful(head + _yaml(value).lstrip("\n") + tail)


#: Characters that make YAML mean something, and a few words and numbers.
_YAML_CHARS = " \n\n-?:,[]{}#&*!|>'\"%@`\\~.0123456789abnoxyeE_+\t\r\x85\u2028"


@given(st.text(alphabet=_YAML_CHARS, max_size=60))
@example("[:x]\n")
@example("{foo\n: bar}\n")
@example("- { 'key'::value }\n")
@example("[|\n  block\n]\n")
@example("- |\n")
@example("a: 0b101\n")
@example("a: -1_2\n")
@example("a: _0\n")
@example('a: "\\ud83d\\ude00"\n')  # a surrogate pair: one character to yaml-rs, refused by libyaml
@example('a: "value"# note\n')  # the constructs PyYAML misreads that yaml-rs refuses
@example("[a]#\n")
@example("[a, -]\n")
@example("k: |\n  x")
@example("<<: {b: 1}\nc: 2\n")  # a merge key is no key to merge to yaml-rs: a warning here
@settings(max_examples=examples(3000), deadline=None)
def test_arbitrary_text_is_read_as_the_careful_reader_reads_it_or_handed_over(text: str) -> None:
    """Whatever the text, yaml-rs never gives another value than the careful readers (the examples
    are what it was found to read otherwise: each is handed over)."""
    _fast_is_careful(text)


#: Pieces of flow collections: words, the tricky scalars, indicators after text and a space.
_PIECES = [
    "a", "a b", "no", "'no'", "0750", "a 0750", "_1", "a ?b", "?b", "a !b", "a &b", "a *b", "a |",
    "a: b", "a:b", ":b", "'a':b", "- a", "-a", "[]", "{}", "[a]", "{a: b}", "1,000", "# c\n", "",
]  # fmt: skip


@given(
    st.lists(st.sampled_from(_PIECES), max_size=5),
    st.sampled_from([", ", ",", " , ", ",\n  ", "\n  , "]),
    st.sampled_from(["[]", "{}"]),
    st.sampled_from(["", "k: ", "- ", "k:\n  "]),
)
# `k: [a, # c\n]`: yaml-rs reads a `]` that is not indented past the block; YAML 1.2 refuses it.
@example(["a", "# c\n"], ", ", "[]", "k: ")
@example(["a", "[a]"], ",\n  ", "[]", "k: ")
@settings(max_examples=examples(1000), deadline=None)
def test_flow_collections_are_read_as_the_careful_reader_reads_them_or_handed_over(
    pieces: list[str], comma: str, brackets: str, before: str
) -> None:
    """Flow collections of words, tricky scalars and indicators after text (which PyYAML and
    yaml-rs split into tokens otherwise), on one line or several."""
    _fast_is_careful(f"{before}{brackets[0]}{comma.join(pieces)}{brackets[1]}\n")


@given(
    st.lists(
        st.sampled_from(["a", "no", "'no'", '"no"', "2023-01-13", "'2023-01-13'", "12", "'12'", "x y"]),
        min_size=1,
        max_size=4,
    ),
    st.booleans(),
)
@settings(max_examples=examples(300), deadline=None)
def test_a_string_is_read_only_where_no_plain_spelling_of_it_can_be(words: list[str], flow: bool) -> None:
    """yaml-rs loses the scalars' style: a string another reader would type otherwise, written
    plain, is a warning (DD114) here; so a file holding one is read only where every place it
    occurs in the text is quoted (or inside other text). A string yaml-rs reads as an integer
    when plain ('12') was quoted, whatever the file holds besides (the integer 12)."""
    text = ("[" + ", ".join(words) + "]\n") if flow else "".join(f"- {w}\n" for w in words)
    took = _fast_is_careful(text)
    assert took == (not {"no", "2023-01-13"} & set(words))


@given(flow_collections())
@settings(max_examples=examples(150), deadline=None)
def test_question_marks_in_flow_collections(case: tuple[str, Any, bool]) -> None:
    """'?x' in a flow collection (which PyYAML misreads) is always handed over."""
    text, _, misread = case
    assert not (_fast_is_careful(text) and misread)


@given(literal_scalars())
@settings(max_examples=examples(150), deadline=None)
def test_block_scalars(case: tuple[str, Any]) -> None:
    """Block scalars (whose last line breaks the readers end differently) are handed over."""
    assert not _fast_is_careful(case[0])


def test_usual_files_are_read_by_yaml_rs() -> None:
    """The usual shape of a data file, and the dataset's statements, are read by yaml-rs (else it
    would never be used); dates and numbers quoted are strings there."""
    usual = "- id: a\n  names: [x, 'y']\n  n: 12\n  t: true\n  z: ~\n  d: '2023-01-13'\n  e: ''\n"
    assert _fast_is_careful(usual)
    statements = (ROOT / "dataset" / "statements.yaml").read_text(encoding="utf-8")
    assert _fast_is_careful(statements)


def _yaml_files() -> list[Path]:
    """Every YAML file the tests and the dataset hold."""
    folders = [ROOT / "dataset", *(ROOT / "tests" / name for name in ("cases", "golden", "attacks"))]
    return sorted(p for folder in folders for p in folder.rglob("*") if p.suffix in (".yaml", ".yml"))


def _everything(raw: bytes, name: str) -> tuple[Any, ...]:
    parsed = parse_bytes(raw, name)
    return typed(parsed.data), parsed.problems, parsed.index()


def test_every_yaml_file_of_the_tests_reads_the_same_without_yaml_rs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dataset, invalid cases, goldens and attacks read the same with yaml-rs and with the
    fallback: data, problems and every position."""
    files = _yaml_files()
    assert len(files) > 50
    took = 0
    for path in files:
        raw = path.read_bytes()
        name = path.relative_to(ROOT).as_posix()
        with_rs = _everything(raw, name)
        took += yaml_rs.read_fast(raw.decode("utf-8", errors="replace")) is not yaml_rs.DEFER
        monkeypatch.delenv("DISPATCHDATA_YAML_READER")
        assert with_rs == _everything(raw, name), name
        monkeypatch.setenv("DISPATCHDATA_YAML_READER", "yaml-rs")
    assert took > len(files) // 4  # yaml-rs read many of them itself


def test_the_environment_variable_turns_yaml_rs_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """DISPATCHDATA_YAML_READER=yaml-rs (any case) reads with yaml-rs; anything else, or nothing,
    with PyYAML only (the default)."""
    text = "- a: 1\n"
    assert yaml_rs.enabled()
    fed: list[str] = []

    def read_fast(text: str) -> Any:
        fed.append(text)
        return yaml_rs.DEFER

    monkeypatch.setattr(yaml_parse, "read_fast", read_fast)
    for off in ("PyYAML", ""):
        monkeypatch.setenv("DISPATCHDATA_YAML_READER", off)
        assert not yaml_rs.enabled()
        assert parse_bytes(text.encode(), "f.yaml").data == [{"a": 1}]
    monkeypatch.delenv("DISPATCHDATA_YAML_READER")
    assert not yaml_rs.enabled()
    assert parse_bytes(text.encode(), "f.yaml").data == [{"a": 1}]
    assert fed == []
    monkeypatch.setenv("DISPATCHDATA_YAML_READER", "YAML-rs")
    assert parse_bytes(text.encode(), "f.yaml").data == [{"a": 1}]
    assert fed == [text]


def _disagreeing(monkeypatch: pytest.MonkeyPatch, told: Any) -> None:
    """Make yaml-rs seem to read ``told`` from any text (as a defect of it would)."""
    monkeypatch.setattr(yaml_parse, "read_fast", lambda text: told)


def test_positions_are_checked_against_what_yaml_rs_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file yaml-rs read gets its positions from the careful reader, which reads as far as the
    top-level item holding the value asked for and checks what it has read: a value yaml-rs read
    otherwise stops the run with a DD102 message at that item, never a silent choice."""
    text = "".join(f"- id: r{i}\n  n: {i}\n" for i in range(5))
    _disagreeing(monkeypatch, [{"id": f"r{i}", "n": i if i != 3 else "3"} for i in range(5)])
    parsed = parse_bytes(text.encode(), "f.yaml")
    assert parsed.data[3] == {"id": "r3", "n": "3"}  # what "yaml-rs" read
    assert parsed.position("/1/n") == (4, 6)  # items 0 to 1 read and checked: they agree
    with pytest.raises(yaml_rs.ReadersDisagreeError) as raised:
        parsed.position("/3/id")
    assert str(raised.value) == (
        "f.yaml:7:3: DD102 yaml-rs and the careful reader (PyYAML) read this file differently (they"
        " read another value); nothing is read from it. This is a defect of the fast reader: please"
        " report it; DISPATCHDATA_YAML_READER=pyyaml reads without yaml-rs"
    )
    again = positions_of(text.encode(), "f.yaml")  # a file no longer held, read again for a position
    with pytest.raises(yaml_rs.ReadersDisagreeError):
        again.position("/4")


@pytest.mark.parametrize(
    ("told", "where", "what"),
    [
        ({"a": 1, "b": 3}, "2:4", "they read another value"),
        ({"a": 1, "c": 2}, "2:4", "they read another value"),
        ({"a": 1}, "1:1", "they read another kind or number of items"),
        ({"a": 1, "b": 2, "c": 3}, "1:1", "they read another number of items"),
        (["a"], "1:1", "they read another kind or number of items"),
        ("a", "1:1", "they read another kind or number of items"),
    ],
)
def test_any_difference_in_a_mapping_is_found(
    monkeypatch: pytest.MonkeyPatch, told: Any, where: str, what: str
) -> None:
    """Another value, key, number of members or kind of root: each is a difference."""
    _disagreeing(monkeypatch, told)
    parsed = parse_bytes(b"a: 1\nb: 2\n", "f.yaml")
    with pytest.raises(yaml_rs.ReadersDisagreeError) as raised:
        parsed.position("")
    assert str(raised.value).startswith(f"f.yaml:{where}: DD102 yaml-rs and the careful reader (PyYAML)")
    assert f"differently ({what})" in str(raised.value)


def test_a_problem_the_careful_reader_finds_is_a_difference(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should yaml-rs read a file the careful reader finds a problem in, the problem is said."""
    _disagreeing(monkeypatch, {"a": "no"})
    parsed = parse_bytes(b"a: no\n", "f.yaml")
    with pytest.raises(yaml_rs.ReadersDisagreeError, match=r"^f\.yaml:1:4: DD102 .* finds DD114: 'no' is"):
        parsed.position("/a")


def test_the_same_value_means_the_same_types() -> None:
    """1, 1.0 and True differ; so does the order of keys."""
    assert yaml_rs.same({"a": [1, None, "x"]}, {"a": [1, None, "x"]})
    assert not yaml_rs.same([1], [True])
    assert not yaml_rs.same([1], [1.0])
    assert not yaml_rs.same({"a": 1, "b": 2}, {"b": 2, "a": 1})
    assert not yaml_rs.same([1], [1, 2])


def test_a_difference_found_while_validating_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Through the command line: a file whose data yaml-rs read otherwise than the careful reader
    (here, as a defect would: a field added) is one line naming it, exit 2, no traceback."""
    shutil.copytree(MINIMAL, tmp_path / "data")
    real = yaml_rs.read_fast

    def with_a_field(text: str) -> Any:
        data = real(text)
        if isinstance(data, list) and data and isinstance(data[0], dict) and "speaker" in data[0]:
            data[0]["extra"] = 1  # in statements.yaml: DD202, whose position is asked for
        return data

    monkeypatch.setattr(yaml_parse, "read_fast", with_a_field)
    result = CliRunner().invoke(
        main, ["validate", str(tmp_path / "data"), "--sources", str(SOURCES), "-j", "1"]
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "dispatchdata: error: statements.yaml:1:3: DD102 yaml-rs and the careful reader (PyYAML) read"
        " this file differently (they read another value); nothing is read from it. This is a defect"
        " of the fast reader: please report it; DISPATCHDATA_YAML_READER=pyyaml reads without yaml-rs\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        'a: "x\\\n"\n',  # a closing quote alone at column 0 (after an escaped line break)
        'a: "x\n"\n',
        "- 'a\n'\n",
        'é:\n  x y: "\\\né"\n',
        "k: [a'b, 'c]d',\n]\n",  # an apostrophe in plain text is no quote: the flow goes on
        "k: {x'x: 1, 'y}': 2, 'a\n b': c}\n",
    ],
)
def test_what_yaml_rs_reads_less_strictly_is_handed_over(text: str) -> None:
    """Found by a differential attack: yaml-rs read these (YAML 1.2 and the careful reader refuse
    them: a line not indented past its block); they go to the careful reader, which explains."""
    assert yaml_rs.read_fast(text) is yaml_rs.DEFER
    assert [p.code for p in parse_bytes(text.encode(), "f.yaml").problems] == ["DD102"]


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ('k: {"a": "b\\"]", "c": 1}\n', {"k": {"a": 'b"]', "c": 1}}),
        ("k: [ox, 'y]']\n", {"k": ["ox", "y]"]}),
        ("- name: 'it''s'\n  note: \"a: 'b\"\n", [{"name": "it's", "note": "a: 'b"}]),
    ],
)
def test_quoted_text_on_one_line_is_read_by_yaml_rs(text: str, data: Any) -> None:
    """Quoted texts and flow collections closed on their line stay yaml-rs's to read."""
    assert _fast_is_careful(text)
    assert yaml_rs.read_fast(text) == data


def test_quoted_text_over_lines_indented_past_its_node_is_read_by_yaml_rs() -> None:
    """As PyYAML writes long texts (a line break as an empty line): yaml-rs reads them, and a
    closing quote of one is not taken for the start of another."""
    text = "- a: 'x\n\n    y'\n  b: 'z\n\n    w'\n- c: '[2]\n\n    v'\n"
    assert _fast_is_careful(text)
    assert yaml_rs.read_fast(text) == [{"a": "x\ny", "b": "z\nw"}, {"c": "[2]\nv"}]
