"""The codebook's mechanical rules (issue #20): the first anchor of an actor is its first mention
(DD412), a statement's errata lie in its quoted words (DD333), a medium is stated in the passage
(DD331), and the kind rule (DD332, and ``kinds.kind_of`` on every statement of the dataset).
The invalid cases under tests/cases give each code with its exact place and message; these tests
pin the definitions down where a case cannot."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dispatchdata
from dispatchdata.check.rules import kinds
from dispatchdata.check.rules.anchors import Texts
from dispatchdata.check.rules.catalogue import every_rule
from dispatchdata.check.rules.context import Finding, anchors_of
from dispatchdata.check.rules.errata_quotes import Searched, errata_in_quotes, merged
from dispatchdata.check.rules.first_mention import first_anchor_is_first_mention, first_whole_word
from dispatchdata.check.rules.kinds import (
    Passages,
    Span,
    begins_sentence,
    kind_of,
    kind_shown,
    text_spans,
)
from dispatchdata.check.rules.media import MEDIUM_WORDS, medium_stated
from dispatchdata.read.parse import parse_bytes

from .helpers import examples

ROOT = Path(__file__).resolve().parent.parent


def _in_a_word(character: str) -> bool:
    return character.isalnum() or unicodedata.category(character).startswith("M")


def _whole_word_reference(text: str, name: str, before: int) -> int:
    """First whole-word occurrence of ``name`` starting before ``before``, the slow obvious way."""
    for at in range(min(before, len(text))):
        end = at + len(name)
        if (
            name
            and text.startswith(name, at)
            and (at == 0 or not _in_a_word(text[at - 1]))
            and (end == len(text) or not _in_a_word(text[end]))
        ):
            return at
    return -1


#: Letters, digits, a combining mark, the underscore and a non-ASCII letter and digit.
_WORDS = "ab .\u00e91_\u0301\u0663"


@settings(max_examples=examples(300))
@given(
    st.text(alphabet=_WORDS, max_size=30),
    st.text(alphabet=_WORDS, min_size=1, max_size=4),
    st.integers(0, 35),
)
def test_first_whole_word_is_the_first_whole_word_occurrence_before_the_bound(
    text: str, name: str, before: int
) -> None:
    """The bounded search gives what scanning every position gives: the first occurrence that
    starts before the bound with no letter, digit or combining mark on either side, or -1."""
    assert _whole_word_reference(text, name, before) == first_whole_word(text, name, before)


def test_whole_words_only_and_case_sensitive() -> None:
    """'Russia' is in "Russia's" and "(Russia)", not in "Russian" nor in "RUSSIA"; 'Zed' is not
    in "Zed" with a combining acute accent on its d, nor after one; an underscore is no letter."""
    assert first_whole_word("Russian RUSSIA Russia’s", "Russia", 100) == 15
    assert first_whole_word("Russian RUSSIA (Russia)", "Russia", 100) == 16
    assert first_whole_word("Russian RUSSIA Russia", "Russia", 15) == -1
    assert first_whole_word("Zed\u0301 e\u0301Zed Zed", "Zed", 100) == 11
    assert first_whole_word("_Zed_", "Zed", 100) == 1


def _actor_check(data: dict[str, Any], text: str | None) -> tuple[list[Finding], dict[str, int]]:
    texts = Texts({"doc": "sha"}, {} if text is None else {"sha": text})
    out: list[Finding] = []
    skipped: dict[str, int] = {}
    first_anchor_is_first_mention(out, 0, data, anchors_of(data), texts, skipped)
    return out, skipped


def _actor(name: str, aliases: list[str], start: int, exact: str) -> dict[str, Any]:
    anchor = {"document": "doc", "start": start, "end": start + len(exact), "exact": exact}
    return {"id": "a", "name": name, "aliases": [{"name": n} for n in aliases], "anchors": [anchor]}


TEXT = "[1] The Senate heard Senator Ivan Petrov (the Senator)."


def test_a_name_in_square_brackets_is_not_searched() -> None:
    """An unnamed actor's bracketed name is ours, not the text's: '[1]' at 0 is a footnote
    marker, not a mention; a printed alias still counts."""
    actor = _actor("[1]", [], 21, "Senator Ivan Petrov")
    assert _actor_check(actor, TEXT)[0] == []
    found, _ = _actor_check(_actor("[1]", ["Senate"], 21, "Senator Ivan Petrov"), TEXT)
    assert [f.message for f in found] == [
        "the first anchor of 'a' is not its first mention: 'Senate' at 8-14 "
        '("Senate heard Senator Iva…") comes first'
    ]


def test_the_earliest_of_several_earlier_names_is_named() -> None:
    """Of two names printed before the first anchor, the message names the earlier one."""
    found, _ = _actor_check(_actor("Ivan Petrov", ["Senator", "The Senate"], 46, "Senator"), TEXT)
    assert [(f.code, f.pointer, f.message.split(": ", 1)[1]) for f in found] == [
        ("DD412", "/anchors/0/start", "'The Senate' at 4-14 (\"The Senate heard Senator…\") comes first")
    ]


def test_a_name_followed_by_a_combining_mark_is_another_word() -> None:
    """'Zed' with a combining acute accent on its d is not a mention of Zed; 'Zed' after one is,
    and the earliest of those is named."""
    text = "Zed\u0301 met Zed\u0301s. Then Zed, and Zed."
    assert _actor_check(_actor("Zed", [], 21, "Zed"), text)[0] == []
    found, _ = _actor_check(_actor("Zed", [], 30, "Zed"), text)
    assert [f.message for f in found] == [
        "the first anchor of 'a' is not its first mention: 'Zed' at 21-24 (\"Zed, and Zed.\") comes first"
    ]


def test_without_the_text_nothing_is_judged_and_the_anchor_rules_count_the_skip() -> None:
    """A document whose text was not found: no finding here, and nothing added to the count of
    skipped anchors, which the anchor rules already make (DD405 names it: the case
    source-not-found)."""
    assert _actor_check(_actor("Ivan Petrov", ["Senator"], 46, "Senator"), None) == ([], {})


def test_a_first_anchor_not_where_its_text_is_is_left_to_the_anchor_rules() -> None:
    """An anchor whose exact text is not at its offsets (DD401) is not judged a first mention."""
    assert _actor_check(_actor("Ivan Petrov", ["Senator"], 45, "Senator"), TEXT)[0] == []


def _statement(
    kind: str, passage: tuple[int, str], quotes: list[tuple[int, str]], **extra: Any
) -> dict[str, Any]:
    def anchor(start: int, text: str) -> dict[str, Any]:
        return {"document": "doc", "start": start, "end": start + len(text), "exact": text}

    return {"kind": kind, "anchors": [anchor(*passage)], "quotes": [anchor(*q) for q in quotes], **extra}


def _run(check: Any, data: dict[str, Any]) -> list[str]:
    out: list[Finding] = []
    check(out, 0, data, anchors_of(data))
    return [f"{f.code} {f.pointer} {f.message}" for f in out]


PASSAGE = (100, 'He said: "Go home." Then "stay" ""And now!')


def test_an_erratum_overlapping_a_quote_is_inside_it_and_one_apart_from_quotes_is_not() -> None:
    """'""And' overlaps the quote 'And now!' (a doubled mark reaching past it); 'He said' lies
    outside every quote; a statement without quotes has no quoted words for an erratum."""
    errata = [
        {"printed": '""And', "corrected": '"And', "note": "n"},
        {"printed": "He said", "corrected": "He says", "note": "n"},
    ]
    data = _statement("direct-quote", PASSAGE, [(134, "And now!")], errata=errata)
    assert _run(errata_in_quotes, data) == [
        "DD333 /errata/1/printed erratum 'He said' lies outside the quoted words: printed at "
        "100-107, quotes at 134-142 (errata are for quoted words; a misspelt name is an actor's alias)"
    ]
    data = _statement("paraphrase", PASSAGE, [], errata=errata[:1])
    assert _run(errata_in_quotes, data) == [
        "DD333 /errata/0/printed erratum '\"\"And' lies outside the quoted words: printed at "
        "132-137, quotes at none (errata are for quoted words; a misspelt name is an actor's alias)"
    ]


def test_a_message_shows_the_first_places_and_how_many_more() -> None:
    """An erratum printed many times, in a statement of many quotes, is reported with its first
    three places and the first three quotes: a message stays a line long."""
    passage = (0, "## " + "x" * 40)
    quotes = [(3 + 2 * k, "x") for k in range(10)]
    data = _statement(
        "partial-quote", passage, quotes, errata=[{"printed": "#", "corrected": "", "note": "n"}]
    )
    assert _run(errata_in_quotes, data) == [
        "DD333 /errata/0/printed erratum '#' lies outside the quoted words: printed at 0-1, 1-2, quotes "
        "at 3-4, 5-6, 7-8 and 7 more (errata are for quoted words; a misspelt name is an actor's alias)"
    ]


def _overlaps_reference(passages: list[Span], printed: str, quotes: list[tuple[int, int]]) -> bool:
    """Some occurrence of ``printed`` in a passage overlaps a quote: every pair, the slow way."""
    return any(
        at < end and start < at + len(printed)
        for passage in passages
        for at in range(passage.start, passage.start + len(passage.text))
        if passage.text.startswith(printed, at - passage.start)
        for start, end in quotes
    )


@settings(max_examples=examples(500))
@given(
    st.lists(st.tuples(st.integers(0, 20), st.text(alphabet="ab", max_size=12)), max_size=4),
    st.text(alphabet="ab", min_size=1, max_size=3),
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 4)), max_size=6),
)
def test_an_erratum_overlaps_a_quote_as_every_pair_of_occurrence_and_quote_says(
    passages: list[tuple[int, str]], printed: str, quotes: list[tuple[int, int]]
) -> None:
    """Searching only where an overlapping occurrence can start finds one exactly when some pair
    of occurrence and quote overlaps (quotes may overlap, touch or be empty)."""
    spans = [Span(start, text) for start, text in passages]
    quoted = [(start, start + size) for start, size in quotes]
    assert _overlaps_reference(spans, printed, quoted) == Searched(spans).overlaps(printed, merged(quoted))


@settings(max_examples=examples(500))
@given(
    st.text(alphabet="ab", min_size=20, max_size=20),
    st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20), st.booleans()), max_size=8),
    st.text(alphabet="ab", min_size=1, max_size=3),
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 4)), max_size=6),
)
def test_passages_that_print_the_same_where_they_overlap_are_searched_as_one_text(
    text: str, bounds: list[tuple[int, int, bool]], printed: str, quotes: list[tuple[int, int]]
) -> None:
    """Repeated, nested and overlapping passages (slices of one text, or another text at the same
    place) are searched joined: the answer is the one every passage gives, an occurrence across
    two of them not counted."""
    passages = [Span(a, text[a : a + n] if same else "ab"[n % 2] * n) for a, n, same in bounds]
    quoted = [(start, start + size) for start, size in quotes]
    assert _overlaps_reference(passages, printed, quoted) == Searched(passages).overlaps(
        printed, merged(quoted)
    )


def test_an_occurrence_across_two_overlapping_passages_is_in_neither() -> None:
    """'abc' is printed in the text the two passages cover together, but in neither alone."""
    passages = [Span(0, "xxab"), Span(3, "bcc")]
    assert not Searched(passages).overlaps("abc", [(2, 3)])
    assert Searched(passages).overlaps("ab", [(2, 3)])


@pytest.mark.parametrize(
    ("medium", "passage", "found"),
    [
        ("column", "Kommersant columnist Dmitry Drize wrote", True),
        ("column", "In his weekly column, Drize wrote", False),
        ("column", "In his weekly COLUMN, Drize wrote", False),
        ("telegram-channel", "fired back in his Telegram channel", False),
        ("interview", "who said in an interview that", False),
        ("web-poll", "launched a poll on the Web", False),
        ("web-poll", "a polling station", True),
        ("written-response", 'He penned "a response to Senator Klishas."', False),
    ],
)
def test_a_medium_is_stated_by_one_of_its_words_as_a_whole_word_in_any_case(
    medium: str, passage: str, found: bool
) -> None:
    """'columnist' does not state a column; 'COLUMN' does; 'polling' does not state a poll."""
    data = _statement("paraphrase", (0, passage), [], medium=medium)
    words = ", ".join(MEDIUM_WORDS[medium])
    expected = f"DD331 /medium medium {medium!r} is not stated in the anchored passage: it holds none "
    expected += f"of its words ({words})"
    assert _run(medium_stated, data) == ([expected] if found else [])


def test_every_medium_of_the_schema_has_its_words() -> None:
    """The word lists cover exactly the schema's media (a new medium needs its words)."""
    schema = json.loads((ROOT / "schema" / "statements.schema.json").read_text(encoding="utf-8"))
    assert sorted(MEDIUM_WORDS) == sorted(schema["$defs"]["statement"]["properties"]["medium"]["enum"])


@pytest.mark.parametrize(
    ("before", "begins"),
    [
        ("", True),
        (" \u201c", True),
        ("Kamnev accused them: ", True),
        ("Bovt found the trend worrisome. ", True),
        ('He said "no."[12] ', True),
        ("The end?\u201d ", True),
        ("a paragraph\n\n", True),
        ("Volodin believed that it was fair to introduce an ", False),
        ("But now, ", False),
        ("He wrote ", False),
    ],
)
def test_what_begins_a_sentence(before: str, begins: bool) -> None:
    """Nothing, a colon, a sentence end (closing marks and footnote markers after it allowed) or
    a paragraph break, white space and opening marks skipped."""
    assert begins_sentence(before + '"Quote."', len(before)) is begins


def test_kind_of() -> None:
    """Editorial and paraphrase without quotes; a direct quote of whole sentences (after a colon,
    or a lead-in without one when the quote ends a sentence); a partial quote of a fragment."""
    passage = Span(0, 'He wrote "The year ends." She said the plan was "not good" at all: "Fine."')
    whole, lead_in, fragment, after_colon = (
        Span(10, "The year ends."),
        Span(10, "The year"),
        Span(48, "not good"),
        Span(67, "Fine."),
    )
    assert kind_of([passage], [], by_publisher=True) == "editorial"
    assert kind_of([passage], [], by_publisher=False) == "paraphrase"
    assert kind_of([passage], [whole, after_colon], by_publisher=False) == "direct-quote"
    assert kind_of([passage], [lead_in], by_publisher=False) == "partial-quote"
    assert kind_of([passage], [after_colon, fragment], by_publisher=False) == "partial-quote"
    assert kind_of([passage], [Span(200, "Elsewhere.")], by_publisher=False) is None


def test_a_quote_outside_every_passage_does_not_silence_the_kind_rule_for_the_others() -> None:
    """A quote outside the anchored passage is DD407's: the quotes inside it are still judged,
    and the message says how many were not."""
    passage = (0, 'He said the plan was "not good" at all: "Fine."')
    outside = (500, "Elsewhere.")
    data = _statement("direct-quote", passage, [(22, "not good"), outside])
    assert _run(kind_shown, data) == [
        "DD332 /kind kind is 'direct-quote', but the text shows a partial quote: the quote at 22-30: "
        "its first letter, 'n', is not upper case"
    ]
    data = _statement("partial-quote", passage, [outside, (41, "Fine.")])
    assert _run(kind_shown, data) == [
        "DD332 /kind kind is 'partial-quote', but the text shows a direct quote: every quote is whole "
        "sentences (an upper-case first letter, beginning or ending a sentence) (quotes outside the "
        "passage are not judged: 1 of 2, DD407)"
    ]
    assert kind_of(text_spans(data["anchors"]), text_spans(data["quotes"]), by_publisher=False) == (
        "direct-quote"
    )
    assert _run(kind_shown, _statement("partial-quote", passage, [outside])) == []


def test_of_overlapping_passages_the_one_with_the_most_text_before_a_quote_decides() -> None:
    """A passage that starts at the quote shows nothing before it; one that starts earlier shows
    the lead-in that makes it a fragment, whichever the statement lists first."""
    text = 'He said the plan was "Not good" at all.'
    late, early = Span(21, text[21:]), Span(0, text)
    quote = Span(22, "Not good")
    assert kind_of([late, early], [quote], by_publisher=False) == "partial-quote"
    assert kind_of([late], [quote], by_publisher=False) == "direct-quote"
    data = _statement("direct-quote", (21, text[21:]), [(22, "Not good")])
    data["anchors"].append({"document": "doc", "start": 0, "end": len(text), "exact": text})
    assert _run(kind_shown, data) == [
        "DD332 /kind kind is 'direct-quote', but the text shows a partial quote: the quote at 22-30: it "
        'begins inside a sentence ("He said the plan was "") and does not end one'
    ]


def _holding_reference(passages: list[Span], start: int, end: int) -> Span | None:
    """Of the passages that hold the span, the one that starts first, then the longest."""
    holding = [p for p in passages if p.start <= start and end <= p.start + len(p.text)]
    return min(holding, key=lambda p: (p.start, -len(p.text)), default=None)


@settings(max_examples=examples(300))
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=20),
    st.integers(0, 40),
    st.integers(0, 10),
)
def test_the_passage_holding_a_quote_is_found_by_bisection_as_by_scanning(
    bounds: list[tuple[int, int]], start: int, size: int
) -> None:
    """Passages.holding (a few passages read one by one, more sorted and bisected), and the same
    read from raw anchors, give what scanning every passage gives."""
    passages = [Span(a, "xy"[n % 2] * n) for a, n in bounds]
    expected = _holding_reference(passages, start, start + size)
    assert expected == Passages(passages).holding(start, start + size)
    anchors = [{"start": a, "exact": text} for a, text in passages]
    assert (tuple(expected) if expected else None) == kinds._holder(anchors, start, start + size)


def _dataset(collection: str) -> list[dict[str, Any]]:
    path = ROOT / "dataset" / f"{collection}.yaml"
    records = parse_bytes(path.read_bytes(), path.name).data
    assert isinstance(records, list)
    return records


STATEMENTS = _dataset("statements")
PUBLISHERS = {d["id"]: d["publisher"] for d in _dataset("documents")}


@pytest.mark.parametrize("statement", [pytest.param(s, id=s["id"]) for s in STATEMENTS])
def test_every_statement_of_the_dataset_has_the_kind_its_text_shows(statement: dict[str, Any]) -> None:
    """The kind rule holds for every record: kind_of(passage, quotes, publisher) is its kind, and
    the rule (DD332) finds nothing."""
    by_publisher = statement["speaker"] == PUBLISHERS[statement["document"]]
    shown = kind_of(
        text_spans(statement["anchors"]), text_spans(statement["quotes"]), by_publisher=by_publisher
    )
    assert (statement["id"], statement["kind"]) == (statement["id"], shown)
    assert _run(kind_shown, statement) == []


def test_a_verified_release_is_checked_by_the_rules_of_its_time_and_a_copy_by_every_rule(
    tmp_path: Path,
) -> None:
    """Release 1.0.0, verified by the package's SHA256SUMS, predates the codebook rules of 1.1.0
    and cannot change to meet them: it is checked without them (as with the schema it was
    released with), and stays valid, diffable and loadable. The same bytes anywhere else are
    checked by every rule, in the same process right after (the rules of a release's time hold
    only while it is checked)."""
    release = ROOT / "dataset" / "releases" / "1.0.0.json"
    assert [
        (p.code, p.message) for p in dispatchdata.validate(release, sources=[ROOT / "sources"]).problems
    ] == []
    copy = tmp_path / "elsewhere.json"
    copy.write_bytes(release.read_bytes())
    found = [
        f"{p.line}:{p.column} {p.code} {p.message}"
        for p in dispatchdata.validate(copy, sources=[ROOT / "sources"]).problems
        if p.code in ("DD333", "DD331", "DD332", "DD412")
    ]
    assert found == [
        "447:22 DD412 the first anchor of 'artur-smolyaninov' is not its first mention: 'Smolyaninovs' at "
        '12577-12589 ("Smolyaninovs". This was …") comes first',
        "719:22 DD412 the first anchor of 'dmitry-drize' is not its first mention: 'Drize' at 16420-16425 "
        '("Drize: Discussion Should…") comes first',
        "779:22 DD412 the first anchor of 'russia' is not its first mention: 'Russia' at 45-51 "
        '("Russia Debates: Should T…") comes first',
        "2670:24 DD333 erratum 'Kamenev' lies outside the quoted words: printed at 7389-7396, quotes at "
        "7529-8004 (errata are for quoted words; a misspelt name is an actor's alias)",
        "2677:17 DD332 kind is 'partial-quote', but the text shows a direct quote: every quote is whole "
        "sentences (an upper-case first letter, beginning or ending a sentence)",
        "2718:17 DD332 kind is 'partial-quote', but the text shows a direct quote: every quote is whole "
        "sentences (an upper-case first letter, beginning or ending a sentence)",
        *[
            f"{line}:19 DD331 medium 'column' is not stated in the anchored passage: it holds none of its "
            "words (column, columns, op-ed)"
            for line in (3907, 3943, 3977)
        ],
    ]


def test_the_codebook_rules_came_with_data_1_1_0() -> None:
    """Each codebook rule says the data version it came with; no other rule is left out of a
    verified release's check."""
    since = {code.code: r.since for r in every_rule() for code in r.codes if r.since is not None}
    assert since == dict.fromkeys(("DD333", "DD331", "DD332", "DD412"), (1, 1, 0))


def test_validate_says_which_rules_a_verified_release_was_not_held_to() -> None:
    """The rules left out of a verified release's check are named (-v), never passed over in
    silence; a release made after them is held to every rule and says nothing of it."""
    notes = {
        v: dispatchdata.validate(ROOT / "dataset" / "releases" / f"{v}.json").notes
        for v in ("1.0.0", "1.1.0")
    }
    assert (
        "release 1.0.0 is checked by the rules of its time: DD331, DD332, DD333, DD412 came with a later "
        "data version and were not applied (a release cannot change to meet them)"
    ) in notes["1.0.0"]
    assert not [n for n in notes["1.1.0"] if "rules of its time" in n]
