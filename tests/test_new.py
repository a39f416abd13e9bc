"""``dispatchdata new``: a record's skeleton, the schema's required fields in its order, the id
made from its text, its anchor found from a quote; once the empty fields are filled in, it
validates."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import dispatchdata
from dispatchdata.cli import main
from dispatchdata.skeleton import slug

from .conftest import SOURCES

runner = CliRunner()

STATEMENT = """\
- id: the-ministry-warns-punitive-measures-could-make-the-divorce
  document: memri-special-dispatch-10423
  speaker:  # an actor id from actors.yaml
  kind:  # direct-quote | partial-quote | paraphrase | editorial
  summary: The ministry warns punitive measures could make the divorce final.
  quotes: []
  footnotes: []
  stances: []
  responds_to: []
  targets: []
  anchors:
  - document: memri-special-dispatch-10423
    start: 1891
    end: 1913
    exact: make the divorce final
    prefix: "nguage. Punitive measures could "
    suffix: " and IT specialists could find e"
"""


def test_a_statement_skeleton_validates_once_filled_in(dataset_copy: Path) -> None:
    """The skeleton is exact; pasted with its two empty fields filled in, the dataset has no
    problem; pasted as it is, validate names those two fields."""
    summary = "The ministry warns punitive measures could make the divorce final."
    result = runner.invoke(main, ["new", "statement", summary, "--quote", "make the divorce final"])
    assert result.exit_code == 0
    assert result.stdout == STATEMENT
    path = dataset_copy / "statements.yaml"
    data = path.read_text(encoding="utf-8")
    path.write_text(data + result.stdout, encoding="utf-8")
    empty = dispatchdata.validate(dataset_copy, sources=[SOURCES])
    assert [(p.code, p.line, p.message) for p in empty.problems] == [
        ("DD203", data.count("\n") + 3, "speaker: null is not of type 'string'"),
        (
            "DD204",
            data.count("\n") + 4,
            "kind: null is not one of ['direct-quote', 'partial-quote', 'paraphrase', 'editorial']",
        ),
    ]
    filled = result.stdout.replace("speaker:  # an actor id from actors.yaml", "speaker: memri")
    filled = filled.replace(
        "kind:  # direct-quote | partial-quote | paraphrase | editorial", "kind: editorial"
    )
    path.write_text(data + filled, encoding="utf-8")
    assert dispatchdata.validate(dataset_copy, sources=[SOURCES], strict=True).problems == ()


def test_actor_and_proposal_skeletons_hold_their_required_fields_in_order() -> None:
    """An actor's fields and a proposal's, in their schemas' order, with the choices of each
    field to fill in."""
    actor = runner.invoke(main, ["new", "actor", "Yabloko", "--quote", "Yabloko"])
    assert actor.exit_code == 0
    assert actor.stdout.splitlines()[:4] == [
        "- id: yabloko",
        "  type:  # person | organisation",
        "  name: Yabloko",
        "  aliases: []",
    ]
    proposal = runner.invoke(
        main, ["new", "proposal", "Seizing property", "--quote", "Leaving Russia", "--id", "seize"]
    )
    assert proposal.exit_code == 0
    assert [line.split(":")[0] for line in proposal.stdout.splitlines()[:7]] == [
        "- id",
        "  title",
        "  description",
        "  category",
        "  proposed_by",
        "  status",
        "  anchors",
    ]
    assert proposal.stdout.splitlines()[0] == "- id: seize"


def test_ids_are_slugs_cut_at_a_word() -> None:
    """Letters and digits in ASCII, lower case, hyphens between words, at most 60 characters."""
    assert slug("Dmitry Medvedev’s “Telegram” post") == "dmitry-medvedevs-telegram-post"
    assert slug("Élysée—Palais") == "elysee-palais"
    assert slug("word " * 30) == "-".join(["word"] * 12)
    assert slug("?!") == ""


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (["actor", "?!", "--quote", "Kamnev"], 2, "no id can be made from '?!': give one with --id\n"),
        (["actor", "Kamnev", "--quote", ""], 2, "the quote is empty\n"),
        (["actor", "Kamnev", "--quote", "  "], 2, "the quote is empty: it holds only white space\n"),
        (
            ["actor", "Kamnev", "--quote", "Kamnev", "--id", "../../etc/passwd"],
            2,
            "--id '../../etc/passwd' is not an id: it must match ^[a-z0-9]+(-[a-z0-9]+)*$ (lower-case "
            "ASCII letters and digits, words joined by hyphens), at most 120 characters\n",
        ),
        (["actor", "Kamnev", "--quote", "Kamnev", "--id", "a" * 121], 2, f"--id '{'a' * 80}…' is not an id"),
        (["actor", "Kamnev", "--quote", "x", "--document", "nope"], 2, "unknown document 'nope'\n"),
        (
            ["actor", "Kamnev", "--quote", "Kamnev"],
            1,
            "'Kamnev' occurs 3 times: choose one with --occurrence N",
        ),
        (
            ["actor", "Kamnev", "--quote", "Kamnevv"],
            1,
            "'Kamnevv' is not in the text of 'memri-special-dispatch-10423'\n",
        ),
    ],
)
def test_bad_input(arguments: list[str], code: int, message: str) -> None:
    """Bad input: exit 2 for usage errors, 1 for a quote not found once, as for anchor."""
    result = runner.invoke(main, ["new", *arguments])
    assert result.exit_code == code
    assert result.stdout == ""
    assert result.stderr.startswith(f"dispatchdata: error: {message}")
