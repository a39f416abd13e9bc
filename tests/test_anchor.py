"""``dispatchdata anchor`` and ``dispatchdata.anchor``: a quote found in its document's text and
printed as an anchor the dataset's reader reads back, exactly or with typography folded; repeats
listed, quotes not found shown with the closest passages; bad input refused with a clear message."""

from __future__ import annotations

import doctest
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import dispatchdata
import dispatchdata.anchoring
from dispatchdata.anchoring import AmbiguousQuoteError, QuoteNotFoundError, anchor_at, locate, occurrences
from dispatchdata.cli import main

from .conftest import DATASET, SOURCES
from .helpers import examples

DOC = "memri-special-dispatch-10423"
runner = CliRunner()


def _anchors(value: Any) -> list[dict[str, Any]]:
    """Every anchor in ``value`` (records read from the dataset), in order."""
    if isinstance(value, dict):
        own = [value] if {"start", "end", "exact"} <= value.keys() else []
        return own + [a for v in value.values() for a in _anchors(v)]
    if isinstance(value, list):
        return [a for v in value for a in _anchors(v)]
    return []


def test_every_anchor_of_the_dataset_is_made_again(source_text: str) -> None:
    """Each of the dataset's anchors, asked for by its exact text (and which occurrence), comes
    back as it is recorded: offsets, prefix and suffix of 32 code points."""
    found = 0
    for name in ("documents", "actors", "proposals", "statements"):
        records = yaml.safe_load((DATASET / f"{name}.yaml").read_text(encoding="utf-8"))
        for recorded in _anchors(records):
            spans, exact = occurrences(source_text, recorded["exact"])
            number = spans.index((recorded["start"], recorded["end"])) + 1
            made = locate(source_text, recorded["exact"], document=DOC, occurrence=number)
            assert exact
            assert made.differences == ()
            assert recorded == {k: getattr(made.anchor, k) for k in recorded}
            found += 1
    assert found == 196


DIVORCE = """\
  - document: memri-special-dispatch-10423
    start: 1891
    end: 1913
    exact: make the divorce final
    prefix: "nguage. Punitive measures could "
    suffix: " and IT specialists could find e"
"""


def test_a_quote_pasted_into_the_data_validates_on_the_first_try(dataset_copy: Path) -> None:
    """The issue's "done when": the anchor printed for "make the divorce final", pasted as it is
    (indented for the place) under the anchors of the statement whose passage holds it, gives a
    dataset with no problem at all."""
    result = runner.invoke(main, ["anchor", DOC, "make the divorce final"])
    assert result.exit_code == 0
    assert result.stdout == DIVORCE
    assert result.stderr == ""
    path = dataset_copy / "statements.yaml"
    text = path.read_text(encoding="utf-8")
    record = text.index("- id: memri-finance-ministry-resistant")
    at = text.index("- id: ", record + 1)  # its anchors are its last field
    path.write_text(text[:at] + result.stdout + text[at:], encoding="utf-8")
    report = dispatchdata.validate(dataset_copy, sources=[SOURCES], strict=True)
    assert report.problems == ()
    statement = dispatchdata.load(dataset_copy).statement("memri-finance-ministry-resistant")
    assert statement.anchors[-1].exact == "make the divorce final"
    formatted = runner.invoke(main, ["fmt", str(dataset_copy), "--check"])
    assert (formatted.exit_code, formatted.stdout) == (0, "")


def test_straight_quotes_and_plain_spaces_are_found_as_the_source_prints_them() -> None:
    """A quote typed with a straight apostrophe and a hyphen, and one with a plain space where
    the source has a space and a no-break space, are found: the anchor holds the source's text,
    and stderr says what differed."""
    result = runner.invoke(main, ["anchor", DOC, "The government's goal is very simple - to ensure"])
    assert result.exit_code == 0
    assert result.stdout == (
        "  - document: memri-special-dispatch-10423\n    start: 8442\n    end: 8490\n"
        "    exact: The government\u2019s goal is very simple \u2013 to ensure\n"
        '    prefix: " for subsequent mobilizations: \\""\n'
        '    suffix: " that those who remain in the co"\n'
    )
    assert result.stderr == (
        "dispatchdata: found with other typography; the anchor holds the source's text:\n"
        "  apostrophes or single quotation marks: U+2019 RIGHT SINGLE QUOTATION MARK in the source, "
        "U+0027 APOSTROPHE in the quote\n"
        "  dashes: U+2013 EN DASH in the source, U+002D HYPHEN-MINUS in the quote\n"
    )
    spaced = dispatchdata.anchor(DOC, 'political base. "Many Russians')
    assert spaced.anchor.exact == 'political base. \xa0"Many Russians'
    assert spaced.differences == (
        "white space: U+0020 SPACE U+00A0 NO-BREAK SPACE in the source, U+0020 SPACE in the quote",
    )


def test_an_ambiguous_quote_lists_its_occurrences() -> None:
    """A quote found three times, with nothing to choose one: exit 1, each occurrence with its
    line, column and context."""
    result = runner.invoke(main, ["anchor", DOC, "Kamnev"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == (
        "dispatchdata: error: 'Kamnev' occurs 3 times: choose one with --occurrence N or --after TEXT"
    )
    lines = result.stderr.splitlines()[1:]
    assert len(lines) == 3
    assert [line.split(":")[0] for line in lines] == [
        "  1. line 56, column 8",
        "  2. line 56, column 1037",
        "  3. line 58, column 8",
    ]
    assert lines[0] == (
        "  1. line 56, column 8: …e fore precisely now?\\n\\nGeorgy [Kamnev], secretary of the Central Com…"
    )


def test_occurrence_and_after_choose_among_repeats(source_text: str) -> None:
    """--occurrence N takes the Nth; --after TEXT the first after that text; beyond the last, the
    occurrences are listed (exit 1)."""
    second = runner.invoke(main, ["anchor", DOC, "Kamnev", "--occurrence", "2", "--json"])
    assert second.exit_code == 0
    start = json.loads(second.stdout)["anchor"]["start"]
    assert source_text[start : start + 6] == "Kamnev"
    after = dispatchdata.anchor(DOC, "Kamnev", after=source_text[start - 20 : start + 6])
    assert after.anchor.start > start
    assert after.anchor.start == occurrences(source_text, "Kamnev")[0][2][0]
    first = runner.invoke(main, ["anchor", DOC, "emigrants", "--after", "importance"])
    assert first.exit_code == 0
    assert first.stdout.splitlines()[1:3] == ["    start: 10904", "    end: 10913"]
    assert source_text.index("importance") < 10904 < source_text.index("emigrants", 10905)
    nth = dispatchdata.anchor(DOC, "emigrants", after="importance", occurrence=2)
    assert nth.anchor.start == source_text.index("emigrants", 10905)
    beyond = runner.invoke(main, ["anchor", DOC, "Kamnev", "--occurrence", "4"])
    assert beyond.exit_code == 1
    assert beyond.stderr.splitlines()[0] == (
        "dispatchdata: error: occurrence 4 asked for, but 'Kamnev' occurs 3 time(s)"
    )
    asked = ["anchor", DOC, "emigrants", "--after", "Russian economy", "--occurrence", "5"]
    counted = runner.invoke(main, asked)
    assert counted.exit_code == 1
    assert counted.stderr.splitlines()[0] == (
        "dispatchdata: error: occurrence 5 asked for, but 'emigrants' occurs 2 time(s)"
        " after 'Russian economy'"
    )


def test_a_quote_only_before_the_text_after_is_said_so() -> None:
    """Found, but only before ``--after TEXT``: exit 1, saying how often and where, and no
    "closest passages" (none was looked for: the quote is in the text)."""
    result = runner.invoke(main, ["anchor", DOC, "the importance", "--after", "importance"])
    assert result.exit_code == 1
    assert result.stderr == (
        "dispatchdata: error: 'the importance' does not occur after 'importance'"
        " (it occurs 1 time(s), all before it)\n"
    )


def test_a_quote_not_found_shows_the_closest_passages() -> None:
    """A misspelt quote: exit 1, the closest passages first, with how alike they are."""
    result = runner.invoke(main, ["anchor", DOC, "make the divorse final"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[:3] == [
        "dispatchdata: error: 'make the divorse final' is not in the text of 'memri-special-dispatch-10423'",
        "closest passages:",
        "  1. line 14, column 229 (95% alike): …uage. Punitive measures could [make the divorce final]"
        " and IT specialists could find…",
    ]
    nothing = runner.invoke(main, ["anchor", DOC, "qqqq zzzz"])
    assert nothing.exit_code == 1
    assert nothing.stderr.splitlines()[1:] == ["no passage comes close"]


def test_json_output() -> None:
    """--json: the anchor, where it starts, and how it matched, as one object."""
    result = runner.invoke(main, ["anchor", DOC, "Yabloko", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "anchor": {
            "document": DOC,
            "start": 8291,
            "end": 8298,
            "exact": "Yabloko",
            "prefix": ", a member of the liberal party ",
            "suffix": "\u2019s federal bureau, believed the ",
        },
        "column": 49,
        "differences": [],
        "line": 60,
        "match": "exact",
    }


def test_the_python_api_is_exported_and_documented() -> None:
    """dispatchdata.anchor is the public function, with its errors."""
    assert "anchor" in dispatchdata.__all__
    found = dispatchdata.anchor(DOC, "make the divorce final")
    assert (found.anchor.start, found.anchor.end, found.line, found.column) == (1891, 1913, 14, 229)
    with pytest.raises(dispatchdata.AmbiguousQuoteError):
        dispatchdata.anchor(DOC, "Kamnev")
    with pytest.raises(dispatchdata.QuoteNotFoundError):
        dispatchdata.anchor(DOC, "not in it at all")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["nope", "x"], "unknown document 'nope'"),
        (
            ["memri-special-dispatch-1042", "x"],
            "unknown document 'memri-special-dispatch-1042' (did you mean 'memri-special-dispatch-10423'?)",
        ),
        ([DOC, ""], "the quote is empty"),
        ([DOC], "give the quote as QUOTE or with --from-file FILE (one of them)"),
        (
            [DOC, "x", "--from-file", "q.txt"],
            "give the quote as QUOTE or with --from-file FILE (one of them)",
        ),
        (
            [DOC, "--from-file", "missing.txt"],
            "--from-file 'missing.txt': cannot read: No such file or directory",
        ),
        ([DOC, "x", "--dataset", "missing"], "missing: no such dataset folder or file"),
        ([DOC, "Duma", "--after", ""], "the text given with --after is empty"),
        ([DOC, " \t\n "], "the quote is empty: it holds only white space"),
        ([DOC, "x", "--dataset", "not-data"], "not-data: not a dataset folder (no dataset.yaml)"),
    ],
)
def test_bad_input_is_refused_with_exit_2(
    arguments: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Usage and operational errors: one line, exit 2, no traceback."""
    monkeypatch.chdir(tmp_path)
    Path("q.txt").write_text("x\n", encoding="utf-8")
    Path("not-data").mkdir()
    Path("not-data/statements.yaml").write_text("[]\n", encoding="utf-8")
    result = runner.invoke(main, ["anchor", *arguments])
    assert result.exit_code == 2
    assert result.stderr == f"dispatchdata: error: {message}\n"


def test_a_quote_longer_than_the_text_and_one_from_a_file(tmp_path: Path, source_text: str) -> None:
    """--from-file reads the quote (its final line break left out); a quote longer than the
    text is not found (exit 1), said as such."""
    quote = tmp_path / "quote.txt"
    quote.write_text("make the divorce final\n", encoding="utf-8")
    result = runner.invoke(main, ["anchor", DOC, "--from-file", str(quote)])
    assert (result.exit_code, result.stdout) == (0, DIVORCE)
    quote.write_text(source_text + "!", encoding="utf-8")
    longer = runner.invoke(main, ["anchor", DOC, "--from-file", str(quote)])
    assert longer.exit_code == 1
    assert longer.stderr.splitlines()[0] == (
        f"dispatchdata: error: the quote ({len(source_text) + 1} code points) is longer than the text of "
        f"'{DOC}' ({len(source_text)})"
    )
    quote.write_bytes(b"\xff")
    binary = runner.invoke(main, ["anchor", DOC, "--from-file", str(quote)])
    assert (binary.exit_code, binary.stderr) == (
        2,
        f"dispatchdata: error: --from-file '{quote}': not UTF-8 (byte 0)\n",
    )


def test_a_quote_from_a_file_is_trimmed_and_said_so(tmp_path: Path) -> None:
    """--from-file: a byte-order mark at the start and white space at either end (an editor's
    blank lines) are left out before matching, and stderr says so; the anchor's exact text
    is the words alone. A quote not found is shown by its first 40 characters only."""
    quote = tmp_path / "quote.txt"
    quote.write_bytes(b"\xef\xbb\xbf\nmake the divorce final\n\n")
    result = runner.invoke(main, ["anchor", DOC, "--from-file", str(quote)])
    assert (result.exit_code, result.stdout) == (0, DIVORCE)
    assert result.stderr == (
        "dispatchdata: left out of the quote before matching: a byte-order mark (U+FEFF) at its "
        "start, white space at its start, white space at its end\n"
    )
    assert dispatchdata.anchor(DOC, " make the divorce final\t").anchor.exact == "make the divorce final"
    quote.write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n")
    secret = runner.invoke(main, ["anchor", DOC, "--from-file", str(quote)])
    assert secret.exit_code == 1
    assert secret.stderr.splitlines()[0] == (
        "dispatchdata: error: 'root:x:0:0:root:/root:/bin/bash\\ndaemon:x\u2026' is not in the text "
        f"of '{DOC}'"
    )


def test_control_characters_are_named_as_validate_names_them() -> None:
    """A tab and a line break typed where the source has spaces are named by their Unicode
    aliases, as validate names them, not "UNNAMED"."""
    found = dispatchdata.anchor(DOC, "make the\tdivorce\nfinal")
    assert found.differences == (
        "white space: U+0020 SPACE in the source, U+0009 CHARACTER TABULATION in the quote",
        "white space: U+0020 SPACE in the source, U+000A LINE FEED in the quote",
    )


def test_a_document_whose_text_is_not_found(dataset_copy: Path) -> None:
    """A document whose sha256 names no text found: exit 2, saying which and what to do."""
    path = dataset_copy / "documents.yaml"
    digest = "4139fafea273c92e40a7ccc0e3a4e31737f1146576ad25ada140e2994ebae09f"
    other = "0" * 64
    path.write_text(path.read_text(encoding="utf-8").replace(digest, other), encoding="utf-8")
    result = runner.invoke(main, ["anchor", DOC, "x", "--dataset", str(dataset_copy)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"dispatchdata: error: source text of '{DOC}' (sha256 {other}) not found; "
        "pass the folder holding it with --sources\n"
    )
    path.write_text("- id: [\n", encoding="utf-8")
    broken = runner.invoke(main, ["anchor", DOC, "x", "--dataset", str(dataset_copy)])
    assert broken.exit_code == 2
    assert broken.stderr.startswith(
        "dispatchdata: error: cannot read the documents of the dataset: documents.yaml:"
    )


#: The characters typography folds alike, by what they fold to (white space apart).
CLASSES = [
    '"\u201c\u201d\u201e\u201f\u2033',
    "'\u2018\u2019\u201a\u201b\u2032\u02bc",
    "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212",
]
SPACES = " \xa0\n\t"
ALPHABET = "ab. \n\xa0\u00e9e\u0301" + "".join(CLASSES)


def _alter(draw: Any, quote: str) -> str:
    """``quote`` with its typography changed at random: each quotation mark, apostrophe or dash
    any of its class, each run of white space any other run, and the whole NFC or NFD."""
    out, index = [], 0
    while index < len(quote):
        char = quote[index]
        if char.isspace():
            end = index
            while end < len(quote) and quote[end].isspace():
                end += 1
            out.append(draw(st.text(alphabet=SPACES, min_size=1, max_size=3)))
            index = end
            continue
        kind = next((c for c in CLASSES if char in c), None)
        out.append(draw(st.sampled_from(kind)) if kind else char)
        index += 1
    return unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD"])), "".join(out))


def _whole(text: str, i: int, j: int) -> bool:
    """Whether ``text[i:j]`` cuts no run of white space and no character from its accents."""
    cut_run = (i > 0 and text[i - 1].isspace() and text[i].isspace()) or (
        j < len(text) and text[j - 1].isspace() and text[j].isspace()
    )
    return (
        not cut_run
        and not unicodedata.combining(text[i])
        and not (j < len(text) and unicodedata.combining(text[j]))
    )


@st.composite
def _spans(draw: st.DrawFn, real: str | None = None) -> tuple[str, int, int]:
    text = real if real is not None else draw(st.text(alphabet=ALPHABET, min_size=1, max_size=60))
    i = draw(st.integers(0, len(text) - 1))
    j = draw(st.integers(i + 1, min(len(text), i + 80)))
    return text, i, j


@settings(max_examples=examples(200))
@given(st.data())
def test_any_substring_is_found_where_it_is(data: st.DataObject) -> None:
    """Property: any substring of a text (made up, or the dispatch's) without white space at
    either end, asked for with its occurrence number, is anchored at exactly its place."""
    real = (SOURCES / "memri-special-dispatch-10423.txt").read_text(encoding="utf-8")
    text, i, j = data.draw(st.one_of(_spans(), _spans(real)))
    assume(text[i:j].strip() == text[i:j])
    spans, exact = occurrences(text, text[i:j])
    assert exact
    assert (i, j) in spans
    found = locate(text, text[i:j], document="d", occurrence=spans.index((i, j)) + 1)
    assert found.anchor == anchor_at(text, "d", i, j)


@settings(max_examples=examples(200))
@given(st.data())
def test_a_quote_with_other_typography_maps_back_to_the_exact_span(data: st.DataObject) -> None:
    """Property: a substring typed with other typography (quotes, dashes, white space, NFC or
    NFD), when it is not in the text as typed, is found at the span the text prints it at."""
    real = (SOURCES / "memri-special-dispatch-10423.txt").read_text(encoding="utf-8")
    text, i, j = data.draw(st.one_of(_spans(), _spans(real)))
    assume(_whole(text, i, j) and text[i:j].strip() == text[i:j])
    typed = _alter(data.draw, text[i:j])
    assume(typed not in text)
    spans, exact = occurrences(text, typed)
    assert not exact
    assert (i, j) in spans
    found = locate(text, typed, document="d", occurrence=spans.index((i, j)) + 1)
    assert text[i:j] == found.anchor.exact
    assert (i, j) == (found.anchor.start, found.anchor.end)


def test_repeats_and_absence_raise_in_python(source_text: str) -> None:
    """locate's errors carry the occurrences and the closest passages as values."""
    with pytest.raises(AmbiguousQuoteError) as ambiguous:
        locate(source_text, "Kamnev", document=DOC)
    assert [p.line for p in ambiguous.value.occurrences] == [56, 56, 58]
    with pytest.raises(QuoteNotFoundError) as absent:
        locate(source_text, "make the divorse final", document=DOC)
    assert absent.value.closest[0].start == 1891


def test_a_quote_found_many_times_lists_twenty() -> None:
    """The text output lists 20 occurrences and counts the rest; --json lists them all."""
    result = runner.invoke(main, ["anchor", DOC, "Russia"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 22
    assert lines[-1] == "  ... and 37 more (--json lists them all)"
    listed = runner.invoke(main, ["anchor", DOC, "Russia", "--json"])
    assert listed.exit_code == 1
    assert len(json.loads(listed.stdout)["occurrences"]) == 57


def test_the_docstring_example_holds_and_a_release_bundle_names_documents_too() -> None:
    """anchor()'s docstring example runs as written; --dataset may be a release bundle, whose
    documents name the text as a folder's do."""
    assert doctest.testmod(dispatchdata.anchoring).failed == 0
    result = runner.invoke(
        main, ["anchor", DOC, "make the divorce final", "--dataset", str(DATASET / "releases" / "1.1.0.json")]
    )
    assert result.exit_code == 0
    assert result.stdout == DIVORCE


def test_documents_refused_unread_are_said_so(dataset_copy: Path, tmp_path: Path) -> None:
    """documents.yaml a link leading outside the folder: refused unread, which anchor said as
    "unknown document" (and reanchor as "the dataset has 0 documents"). Now exit 2 naming the link."""
    outside = tmp_path / "documents.yaml"
    (dataset_copy / "documents.yaml").rename(outside)
    (dataset_copy / "documents.yaml").symlink_to(outside)
    result = runner.invoke(main, ["anchor", DOC, "x", "--dataset", str(dataset_copy)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"dispatchdata: error: cannot read the dataset: {dataset_copy / 'documents.yaml'}: DD116 a symbolic "
        "link that leads outside the dataset folder: refused, nothing read from it\n"
    )
