"""``dispatchdata reanchor``: every anchor moved into a new version of its text where its exact
text says where it is (with its prefix and suffix among repeats), orphaned and reported
otherwise, never placed where its exact text is not; files edited in place, nothing else moved."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import dispatchdata
from dispatchdata import atomic, snippets
from dispatchdata.cli import main
from dispatchdata.reanchor import reanchor, relocate

from .conftest import DATASET, SOURCES
from .helpers import examples

runner = CliRunner()
TEXT = (SOURCES / "memri-special-dispatch-10423.txt").read_text(encoding="utf-8")
#: The lines reanchor may change: an anchor's offsets and context, a document's hash and length.
EDITABLE = re.compile(r"^\s*(start|end|prefix|suffix|sha256|length): ")


def _new_text(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "new-sources"
    folder.mkdir()
    path = folder / "new.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _only_values_changed(old: Path, new: Path) -> None:
    """Every file of ``new`` is its ``old`` but for the lines of the values reanchor edits."""
    for path in sorted(old.glob("*.yaml")):
        before = path.read_text(encoding="utf-8").splitlines()
        after = (new / path.name).read_text(encoding="utf-8").splitlines()
        assert len(before) == len(after)
        for a, b in zip(before, after, strict=True):
            assert a == b or (EDITABLE.match(a) and EDITABLE.match(b)), (a, b)


def test_a_paragraph_inserted_near_the_start_moves_every_anchor(dataset_copy: Path, tmp_path: Path) -> None:
    """The issue's "done when": all anchors moved (or unchanged, before the insertion), none
    orphaned; the copy validates against the new text; only the edited values' lines differ."""
    at = TEXT.index("While emigration")
    new = _new_text(tmp_path, TEXT[:at] + "An inserted paragraph, new in this version.\n\n" + TEXT[at:])
    result = runner.invoke(main, ["reanchor", str(dataset_copy), "--source", str(new)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == [
        "documents.yaml:20: moved [17608:17651] -> [17653:17696]",
        "documents.yaml:32: moved [17653:17676] -> [17698:17721]",
    ]
    assert "actors.yaml:514: context updated [140:146]" in result.stdout.splitlines()
    assert result.stderr.startswith(
        "reanchor: 193 moved, 1 context updated, 2 unchanged, 0 orphaned; files changed: "
    )
    report = dispatchdata.validate(dataset_copy, sources=[new.parent], strict=True)
    assert report.problems == ()
    _only_values_changed(DATASET, dataset_copy)
    assert (dataset_copy / "statements.yaml").read_text(encoding="utf-8").startswith("# Statements: ")
    again = runner.invoke(main, ["reanchor", str(dataset_copy), "--source", str(new)])
    assert again.exit_code == 0
    assert again.stderr.startswith(
        "reanchor: 0 moved, 0 context updated, 196 unchanged, 0 orphaned; files changed: none;"
    )


def _anchors(value: Any, pointer: str = "") -> list[tuple[str, dict[str, Any]]]:
    if isinstance(value, dict):
        own = [(pointer, value)] if "exact" in value else []
        return own + [a for k, v in value.items() for a in _anchors(v, f"{pointer}/{k}")]
    if isinstance(value, list):
        return [a for i, v in enumerate(value) for a in _anchors(v, f"{pointer}/{i}")]
    return []


def test_a_reworded_sentence_orphans_exactly_the_anchors_inside_it(
    dataset_copy: Path, tmp_path: Path
) -> None:
    """Rewording a few words orphans the anchors that hold them, and only those (exit 1); the
    others are moved; nothing is written with --dry-run."""
    old, start = "make the divorce final", TEXT.index("make the divorce final")
    new = _new_text(tmp_path, TEXT.replace(old, "end the marriage for good"))
    inside = set()
    for name in ("documents", "actors", "proposals", "statements"):
        data = yaml.safe_load((DATASET / f"{name}.yaml").read_text(encoding="utf-8"))
        inside |= {
            (f"{name}.yaml", p)
            for p, a in _anchors(data)
            if a["start"] < start + len(old) and start < a["end"]
        }
    assert len(inside) == 1
    before = {p: p.read_bytes() for p in dataset_copy.glob("*.yaml")}
    result = runner.invoke(main, ["reanchor", str(dataset_copy), "--source", str(new), "--dry-run"])
    assert result.exit_code == 1
    assert {p: p.read_bytes() for p in dataset_copy.glob("*.yaml")} == before
    outcome = reanchor(new, dataset_copy, write=False)
    assert {(a.file, a.pointer) for a in outcome.anchors if a.status == "orphaned"} == inside
    orphaned = [line for line in result.stdout.splitlines() if "orphaned" in line]
    assert orphaned == [
        "statements.yaml:72: orphaned [1663:2044]: its exact text is not in the new text; closest (a "
        "suggestion only): line 14, column 1: …thout patriotic obligations.\\n\\n[On the other hand, "
        "the Russian Ministry of Finance has been resistant to punitiv…]es.\\n\\nHowever ironic it may see…"
    ]
    assert result.stderr.startswith(
        "reanchor: 185 moved, 0 context updated, 10 unchanged, 1 orphaned; files would change: "
    )


_DATA_ANCHORS = [
    a
    for name in ("documents", "actors", "proposals", "statements")
    for _, a in _anchors(yaml.safe_load((DATASET / f"{name}.yaml").read_text(encoding="utf-8")))
]


@st.composite
def _edited(draw: st.DrawFn) -> str:
    """The dispatch's text with a few random insertions and deletions (copies of its own words
    among them, so that an anchor's exact text may occur again elsewhere)."""
    text = TEXT
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            size = draw(st.integers(1, 300))
            text = text[:at] + text[at + size :]
        else:
            start = draw(st.integers(0, len(TEXT) - 1))
            piece = draw(
                st.one_of(st.text(max_size=20), st.just(TEXT[start : start + draw(st.integers(1, 60))]))
            )
            text = text[:at] + piece + text[at:]
    return text


@settings(max_examples=examples(100), deadline=None)
@given(_edited(), st.sampled_from(_DATA_ANCHORS))
def test_an_anchor_is_never_placed_where_its_exact_text_is_not(text: str, anchor: dict[str, Any]) -> None:
    """Property: whatever the edit, an anchor relocated is where its exact text is, with its
    prefix before it or its suffix after it (never where neither side of its context matches:
    hypothesis/client #7571); one whose exact text occurs once is orphaned only when neither
    side matches there."""
    span, why = relocate(text, anchor)
    if span is not None:
        start, end = span
        assert text[start:end] == anchor["exact"]
        assert text.endswith(anchor["prefix"], 0, start) or text.startswith(anchor["suffix"], end)
        assert why == ""
    elif text.count(anchor["exact"]) == 1:
        start = text.index(anchor["exact"])
        end = start + len(anchor["exact"])
        assert not text.endswith(anchor["prefix"], 0, start)
        assert not text.startswith(anchor["suffix"], end)


@settings(max_examples=examples(300))
@given(
    st.text("ab.", max_size=12),
    st.text("ab.", min_size=1, max_size=4),
    st.text("ab.", max_size=12),
    st.data(),
)
def test_no_anchor_is_moved_where_neither_side_of_its_context_matches(
    before: str, exact: str, after: str, data: st.DataObject
) -> None:
    """Property over small texts (where look-alike passages abound): an anchor made in one text
    and relocated into any other is either orphaned or placed at its exact text with its prefix
    before it or its suffix after it (an empty one counting only at the text's start or end)."""
    old = before + exact + after
    anchor = {"exact": exact, "prefix": before[-32:], "suffix": after[:32]}
    text = data.draw(st.one_of(st.text("ab.", max_size=30), st.just(old.replace("a", "b", 1))))
    span, _ = relocate(text, anchor)
    if span is not None:
        start, end = span
        assert text[start:end] == exact
        prefix_fits = text.endswith(before[-32:], 0, start) if before else start == 0
        suffix_fits = text.startswith(after[:32], end) if after else end == len(text)
        assert prefix_fits or suffix_fits


def test_a_text_found_once_but_without_its_context_is_orphaned_not_moved(
    dataset_copy: Path, tmp_path: Path
) -> None:
    """The review's case (hypothesis/client #7571): with "deputy" capitalised before Popov's
    name, "State Duma deputy" occurs once, at Lantratova's, where neither its prefix nor its
    suffix is: Popov's anchor is orphaned with that place as a suggestion, never moved onto it;
    the anchor after it whose prefix changed keeps its place ("context updated")."""
    new = _new_text(
        tmp_path, TEXT.replace("State Duma deputy Yevgeny Popov", "State Duma Deputy Yevgeny Popov")
    )
    result = runner.invoke(main, ["reanchor", str(dataset_copy), "--source", str(new)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith(("actors.yaml:257:", "actors.yaml:264:"))] == [
        "actors.yaml:257: orphaned [12488:12505]: its exact text occurs once in the new text, but "
        "neither its prefix nor its suffix is there; closest (a suggestion only): line 82, column 1: "
        "… ruling United Russia Party.\\n\\n[State Duma deputy] Yana Lantratova accused Smoly…",
        "actors.yaml:264: context updated [12506:12519]",
    ]
    assert result.stderr.startswith("reanchor: 0 moved, 3 context updated, 191 unchanged, 2 orphaned;")
    popov = yaml.safe_load((dataset_copy / "actors.yaml").read_text(encoding="utf-8"))
    assert [a["start"] for _, a in _anchors(popov) if a["exact"] == "State Duma deputy"] == [12488, 15255]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--source", "missing.txt"], "--source 'missing.txt': cannot read: No such file or directory"),
        (["--source", "binary.txt"], "--source 'binary.txt': file is not valid UTF-8"),
        (["--source", "new.txt", "--document", "nope"], "unknown document 'nope'"),
        (["missing", "--source", "new.txt"], "missing: no such dataset folder or file"),
        (["--source", "empty.txt"], "--source 'empty.txt': the new text is empty; nothing written"),
        (["--source", "blank.txt"], "--source 'blank.txt': the new text holds only white space; nothing"),
    ],
)
def test_bad_input_is_refused_with_exit_2(
    arguments: list[str], message: str, dataset_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Usage and operational errors: one line, exit 2, nothing written."""
    monkeypatch.chdir(tmp_path)
    Path("new.txt").write_text(TEXT, encoding="utf-8")
    Path("binary.txt").write_bytes(b"ab\xff")
    Path("empty.txt").write_bytes(b"")
    Path("blank.txt").write_bytes(b" \n\t\n")
    given = arguments if arguments[0] == "missing" else [str(dataset_copy), *arguments]
    before = {p: p.read_bytes() for p in dataset_copy.glob("*.yaml")}
    result = runner.invoke(main, ["reanchor", *given])
    assert result.exit_code == 2
    assert {p: p.read_bytes() for p in dataset_copy.glob("*.yaml")} == before
    assert result.stderr.startswith(f"dispatchdata: error: {message}")


def test_a_folder_that_is_not_a_dataset_is_refused(tmp_path: Path) -> None:
    """A folder without dataset.yaml is said not to be a dataset folder (exit 2), not "the
    dataset has 0 documents"."""
    new = _new_text(tmp_path, TEXT)
    result = runner.invoke(main, ["reanchor", str(tmp_path), "--source", str(new)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"dispatchdata: error: {tmp_path}: not a dataset folder (no dataset.yaml)\n"


def test_a_json_collection_is_edited_as_json(dataset_copy: Path, tmp_path: Path) -> None:
    """A collection kept as JSON is edited in place too, and the copy validates."""
    at = TEXT.index("While emigration")
    new = _new_text(tmp_path, TEXT[:at] + "Inserted.\n\n" + TEXT[at:])
    data = yaml.safe_load((dataset_copy / "statements.yaml").read_text(encoding="utf-8"))
    (dataset_copy / "statements.yaml").unlink()
    written = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    (dataset_copy / "statements.json").write_text(written, encoding="utf-8")
    outcome = reanchor(new, dataset_copy)
    assert (outcome.count("moved"), outcome.count("context updated"), outcome.count("orphaned")) == (
        193,
        1,
        0,
    )
    assert dispatchdata.validate(dataset_copy, sources=[new.parent], strict=True).problems == ()
    edited = (dataset_copy / "statements.json").read_text(encoding="utf-8").splitlines()
    assert len(edited) == len(written.splitlines())


def test_a_file_that_cannot_be_read_stops_it(dataset_copy: Path, tmp_path: Path) -> None:
    """A collection file that does not parse: exit 2 naming it, and nothing written (its anchors
    would otherwise be left behind)."""
    new = _new_text(tmp_path, "Inserted.\n\n" + TEXT)
    (dataset_copy / "proposals.yaml").write_text("- id: [\n", encoding="utf-8")
    before = (dataset_copy / "statements.yaml").read_bytes()
    result = runner.invoke(main, ["reanchor", str(dataset_copy), "--source", str(new)])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "dispatchdata: error: cannot read the proposals of the dataset: proposals.yaml:"
    )
    assert (dataset_copy / "statements.yaml").read_bytes() == before


def test_an_edit_that_does_not_read_back_is_not_written(
    dataset_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each edited file is read back before anything is written: a value written wrong (here an
    offset off by one) stops the run, exit 2, every file as it was."""
    new = _new_text(tmp_path, "Inserted.\n\n" + TEXT)
    wrong = snippets.scalar
    monkeypatch.setattr(snippets, "scalar", lambda value: wrong(value + 1 if type(value) is int else value))
    before = {p: p.read_bytes() for p in dataset_copy.glob("*.yaml")}
    result = runner.invoke(main, ["reanchor", str(dataset_copy), "--source", str(new)])
    assert result.exit_code == 2
    assert result.stderr == (
        "dispatchdata: error: documents.yaml: editing in place would change more than the values meant; "
        "not written\n"
    )
    assert {p: p.read_bytes() for p in dataset_copy.glob("*.yaml")} == before


def test_the_dataset_of_an_installed_wheel_is_not_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without PATH, the installed dataset is edited only where it is a checkout's: inside the
    package (a wheel's ``_data``), exit 2 and nothing read."""
    package = tmp_path / "dispatchdata"
    (package / "_data" / "dataset").mkdir(parents=True)
    monkeypatch.setattr("dispatchdata.reanchor.package_dir", lambda: package)
    monkeypatch.setattr("dispatchdata.documents.dataset_dir", lambda: package / "_data" / "dataset")
    new = _new_text(tmp_path, TEXT)
    result = runner.invoke(main, ["reanchor", "--source", str(new)])
    assert result.exit_code == 2
    assert result.stderr == (
        "dispatchdata: error: the installed dataset is part of the installed package: "
        "give PATH, a dataset folder\n"
    )


@settings(max_examples=examples(5), deadline=None)
@given(_edited())
def test_after_reanchor_every_anchor_is_where_its_text_is_or_orphaned(text: str) -> None:
    """Property, end to end: after reanchor has written a copy of the dataset, every anchor not
    reported orphaned is exactly where its text is in the new text (prefix and suffix
    included), and every orphaned one is as it was."""
    with tempfile.TemporaryDirectory() as scratch:
        copy, new = Path(scratch) / "dataset", Path(scratch) / "new.txt"
        shutil.copytree(DATASET, copy, ignore=shutil.ignore_patterns("releases"))
        new.write_text(text, encoding="utf-8")
        outcome = reanchor(new, copy)
        orphaned = {(a.file, a.pointer) for a in outcome.anchors if a.status == "orphaned"}
        for name in ("documents", "actors", "proposals", "statements"):
            old = dict(_anchors(yaml.safe_load((DATASET / f"{name}.yaml").read_text(encoding="utf-8"))))
            now = yaml.safe_load((copy / f"{name}.yaml").read_text(encoding="utf-8"))
            for pointer, anchor in _anchors(now):
                if (f"{name}.yaml", pointer) in orphaned:
                    assert anchor == old[pointer]
                    continue
                start, end = anchor["start"], anchor["end"]
                assert text[start:end] == anchor["exact"]
                assert text[max(0, start - 32) : start] == anchor["prefix"]
                assert text[end : end + 32] == anchor["suffix"]


@pytest.mark.parametrize("name", ["documents", "actors", "proposals", "statements", "odd"])
def test_libyaml_and_pyyaml_place_the_values_alike(name: str) -> None:
    """The places of the values edited in place are code points with either composer (libyaml's
    and PyYAML's own), beyond the Basic Multilingual Plane and with CRLF line ends too."""
    odd = '- a: "\U0001f600 x"\r\n  b: \xe9\U0001f600\xe9\r\n  c: 12\n  d: |\n    \U0001f600\n    z\n'
    text = odd if name == "odd" else (DATASET / f"{name}.yaml").read_text(encoding="utf-8")
    assert snippets._scalar_spans(text) == snippets._scalar_spans(text, pure=True)
    if name == "odd":
        assert snippets._scalar_spans(text)["/0/b"] == (17, 20)


def test_a_repeated_text_is_moved_only_where_its_context_says() -> None:
    """'Russia' occurs 57 times: the anchor at [140:146] is moved with its prefix or its suffix
    still around it, and orphaned, not guessed, once both have changed."""
    anchor = {"exact": "Russia", "prefix": TEXT[108:140], "suffix": TEXT[146:178]}
    assert relocate(TEXT, anchor) == ((140, 146), "")
    shifted = "Preface.\n" + TEXT
    assert relocate(shifted, anchor) == ((149, 155), "")
    prefix_gone = TEXT[:139] + " " + TEXT[139:]  # a space before it: only its suffix still fits
    assert relocate(prefix_gone, anchor) == ((141, 147), "")
    both_gone = TEXT[:139] + " " + TEXT[139:147] + " " + TEXT[147:]
    assert relocate(both_gone, anchor) == (
        None,
        "its exact text occurs 57 times, 0 of them with its prefix and suffix",
    )


def test_an_anchor_that_cannot_be_written_stops_the_anchor_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """The anchor printed is read back first: were it written so that it reads otherwise (here
    every string left plain), nothing is printed, exit 2."""
    monkeypatch.setattr(snippets, "_dumped", lambda value, quoted: value)
    result = runner.invoke(main, ["anchor", "memri-special-dispatch-10423", "Russia Debates"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "dispatchdata: error: cannot write '023 Special Dispatch No. 10423\\n\\n' as a YAML scalar "
        "that reads back the same\n"
    )


def test_a_file_refused_unread_stops_it(dataset_copy: Path, tmp_path: Path) -> None:
    """A collection file that is a link leading outside the folder is refused unread, so its
    anchors cannot be moved: that was passed over, the other files edited and the document given
    the new text's hash, the refused file's anchors left behind unreported. Now: exit 2 naming the
    link, nothing written."""
    new = _new_text(tmp_path, "Inserted.\n\n" + TEXT)
    outside = tmp_path / "proposals.yaml"
    shutil.move(dataset_copy / "proposals.yaml", outside)
    (dataset_copy / "proposals.yaml").symlink_to(outside)
    before = {p: p.read_bytes() for p in dataset_copy.glob("*.yaml")}
    result = runner.invoke(main, ["reanchor", str(dataset_copy), "--source", str(new)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"dispatchdata: error: cannot read the dataset: {dataset_copy / 'proposals.yaml'}: DD116 a symbolic "
        "link that leads outside the dataset folder: refused, nothing read from it\n"
    )
    assert {p: p.read_bytes() for p in dataset_copy.glob("*.yaml")} == before


def test_an_edit_saved_meanwhile_stops_it(
    dataset_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """statements.yaml saved (by an editor) after reanchor read it: nothing is written, the edit
    kept, exit 2."""
    new = _new_text(tmp_path, "Inserted.\n\n" + TEXT)
    statements = dataset_copy / "statements.yaml"
    saved = statements.read_bytes() + b"# saved meanwhile\n"
    real = snippets.edit_values

    def edit_then_save(*args: Any) -> str:
        edited = real(*args)
        if args[-1] == "statements.yaml":  # (its name in the dataset) once it is read and edited
            statements.write_bytes(saved)
        return edited

    monkeypatch.setattr("dispatchdata.reanchor.edit_values", edit_then_save)
    before = {p: p.read_bytes() for p in dataset_copy.glob("*.yaml") if p != statements}
    result = runner.invoke(main, ["reanchor", str(dataset_copy), "--source", str(new)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"dispatchdata: error: {statements}: changed since reanchor read it; nothing written "
        "(run reanchor again)\n"
    )
    assert {p: p.read_bytes() for p in dataset_copy.glob("*.yaml") if p != statements} == before
    assert statements.read_bytes() == saved


def test_a_ctrl_c_while_files_are_written_waits_for_the_last(
    dataset_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C as the first of several files is written: every file is written before it is acted
    on (each file alone is atomic; the set was not: a reviewer's Ctrl-C left two files moved to
    the new text and two not, 114 errors). Then the interrupt is raised (the command says it,
    exit 130)."""
    new = _new_text(tmp_path, "Inserted.\n\n" + TEXT)
    clean = tmp_path / "clean"
    shutil.copytree(dataset_copy, clean)
    reanchor(new, clean)
    real = os.replace
    written: list[str] = []

    def interrupted_move(source: str, target: Path) -> None:
        if not written:
            os.kill(os.getpid(), signal.SIGINT)  # a real Ctrl-C, now
        real(source, target)
        written.append(target.name)

    monkeypatch.setattr(os, "replace", interrupted_move)
    # Ctrl-C as Python handles it, even where this run was started with it ignored (`cmd &`).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    # Another thread, as a test run or a program using the package may have: the system may
    # hand it the signal (a signal mask held for the main thread only let the Ctrl-C through).
    done = threading.Event()
    other = threading.Thread(target=done.wait)
    other.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            reanchor(new, dataset_copy)
    finally:
        done.set()
        other.join()
        signal.signal(signal.SIGINT, previous)
    assert len(written) == 4
    assert {p.name: p.read_bytes() for p in dataset_copy.glob("*.yaml")} == {
        p.name: p.read_bytes() for p in clean.glob("*.yaml")
    }


def test_a_file_that_cannot_be_written_stops_them_all(
    dataset_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """statements.yaml cannot be written (its folder is another user's, the disk is full): that
    was a traceback, exit 1, documents.yaml already given the new text's hash and the others not.
    Every file is now written beside itself first: exit 2 naming it, nothing replaced, nothing
    left behind."""
    new = _new_text(tmp_path, "Inserted.\n\n" + TEXT)
    real = atomic.temporary_file

    def refused(path: Path) -> tuple[int, str]:
        if path.name == "statements.yaml":
            raise PermissionError(13, "Permission denied", str(path.parent))
        return real(path)

    monkeypatch.setattr("dispatchdata.atomic.temporary_file", refused)
    monkeypatch.setattr("dispatchdata.reanchor.temporary_file", refused, raising=False)
    before = {p.name: p.read_bytes() for p in dataset_copy.iterdir()}
    result = runner.invoke(main, ["reanchor", str(dataset_copy), "--source", str(new)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"dispatchdata: error: {dataset_copy / 'statements.yaml'}: cannot write: Permission denied; "
        "nothing written (run reanchor again)\n"
    )
    assert {p.name: p.read_bytes() for p in dataset_copy.iterdir()} == before


@pytest.mark.parametrize("command", ["reanchor", "anchor"])
def test_a_text_beyond_the_size_limit_is_refused_unread(
    command: str, dataset_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`reanchor --source` and `anchor --from-file` read a file of any size whole: a 3 GB one
    ran out of memory. They now have the data files' limit (DISPATCHDATA_MAX_FILE_SIZE): exit 2."""
    monkeypatch.setenv("DISPATCHDATA_MAX_FILE_SIZE", "1MiB")  # (more than any file of the dataset)
    big = _new_text(tmp_path, "x" * (2 << 20))
    given = ["--source", str(big)] if command == "reanchor" else ["--from-file", str(big)]
    result = runner.invoke(main, [command, str(dataset_copy), *given])
    option = given[0]
    assert (result.exit_code, result.stdout) == (2, "")
    assert (
        result.stderr
        == f"dispatchdata: error: {option} {str(big)!r}: cannot read: larger than the limit of 1 MiB\n"
    )
