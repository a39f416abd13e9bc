"""``export site``: the pages, their marked passages and links, escaping, determinism, the
document whose text is missing, ``cite --base-url``, and the annotated text's nesting."""

from __future__ import annotations

import html as html_lib
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import dispatchdata
from dispatchdata.cli import main
from dispatchdata.dataset import Dataset
from dispatchdata.export import EXPORTERS, FORMATS, ExportError, export
from dispatchdata.export.site import MISSING_JINJA
from dispatchdata.export.site_text import Mark, Piece, pieces
from dispatchdata.model import Anchor
from dispatchdata.release.release import open_bundle

from .conftest import DATASET, ROOT
from .helpers import examples
from .site_pages import read_page

runner = CliRunner()


def _pages(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.html"))


def test_site_is_a_format_the_command_offers() -> None:
    """Registered: `export --help` names it, and its files are its own."""
    assert "site" in FORMATS
    done = runner.invoke(main, ["export", "--help"])
    assert "site" in " ".join(done.output.split()).split("FORMAT is one of: ", 1)[1].split(".", 1)[0]
    writes = EXPORTERS["site"].writes
    assert [writes(n) for n in ("index.html", "site.css", "site.js", "actors.csv", "x.db")] == [
        True,
        True,
        True,
        True,
        False,
    ]


def test_the_pages_are_those_of_the_data(site: Path, ds: Dataset) -> None:
    """One page per actor and per proposal, the fixed pages, the bundle and CSVs beside them."""
    names = {p.name for p in site.iterdir()}
    expected = {"index.html", "actors.html", "proposals.html", "matrix.html", "responses.html"}
    expected |= {"timeline.html", "about.html", "site.css", "site.js", "SHA256SUMS", ".dispatchdata-export"}
    expected |= {f"actor-{a.id}.html" for a in ds.actors} | {f"proposal-{p.id}.html" for p in ds.proposals}
    expected |= {f"dispatchdata-{ds.version}.json", "statements.csv", "actors.csv"}
    assert expected <= names
    assert {n for n in names if n.endswith(".html")} == {n for n in expected if n.endswith(".html")}


def test_every_passage_is_marked_with_its_anchors_exact_text(site: Path, ds: Dataset) -> None:
    """Each statement's anchors are marked, as many as it has, each marked text equal to its
    anchor's ``exact`` (offsets sliced as code points); the first carries ``id="st-<id>"``."""
    page = read_page(site / "index.html", collect=("data-anchor", "data-quote"))
    marked = {key[1]: text for key, text in page.texts.items() if key[0] == "data-anchor"}
    expected = {f"{s.id}:{i}": a.exact for s in ds.statements for i, a in enumerate(s.anchors)}
    assert marked == expected
    assert {f"st-{s.id}" for s in ds.statements} <= page.ids
    quoted = {key[1] for key in page.texts if key[0] == "data-quote"}
    assert quoted == {s.id for s in ds.statements if s.quotes}


def test_footnote_markers_lead_to_footnotes_with_the_erratum_beside(site: Path, ds: Dataset) -> None:
    """Every footnote has its row (``fn-<n>``); footnote 8 is printed 3033 and corrected."""
    html = (site / "index.html").read_text(encoding="utf-8")
    page = read_page(site / "index.html")
    numbers = [f.number for d in ds.documents for f in d.footnotes]
    assert {f"fn-{n}" for n in numbers} <= page.ids
    assert {f"#fn-{n}" for n in numbers} <= set(page.links)
    assert "<td>December 25, 3033 (3033-12-25)</td>\n<td><strong>2022-12-25</strong>: The year 3033" in html
    timeline = (site / "timeline.html").read_text(encoding="utf-8")
    said = "printed “December 25, 3033”, read as 3033-12-25; <strong>corrected to 2022-12-25</strong>"
    assert said in timeline


def test_every_link_reaches_a_page_and_an_anchor_of_the_site(site: Path) -> None:
    """Following every link on every page reaches a file of the export and, with a fragment, an
    element with that id; no link leaves the folder."""
    ids = {p.name: read_page(p).ids for p in _pages(site)}
    broken = []
    for path in _pages(site):
        for link in read_page(path).links:
            target, _, fragment = link.partition("#")
            target = target or path.name
            missing = "/" in target or ":" in target or not (site / target).is_file()
            if missing or (fragment and fragment not in ids.get(target, set())):
                broken.append((path.name, link))
    assert broken == []


def test_the_matrix_cells_list_the_statements_of_the_stance_matrix(site: Path, ds: Dataset) -> None:
    """Each cell is one (actor, proposal) pair of ``stance_matrix()``, its links its statements."""
    cells: dict[tuple[str, str], list[str]] = {}
    current: tuple[str, str] | None = None
    for attributes in read_page(site / "matrix.html").attributes:
        if attributes["tag"] == "td" and "data-actor" in attributes:
            current = (attributes["data-actor"], attributes["data-proposal"])
            cells[current] = []
        elif "data-st" in attributes and current is not None:
            cells[current].append(attributes["data-st"])
    assert cells == {key: list(v.statements) for key, v in ds.stance_matrix().items()}


def test_the_diagram_has_one_edge_per_response_and_target(site: Path, ds: Dataset) -> None:
    """Solid edges: ``responds_to`` links; dashed: ``targets``; each links to its statement."""
    edges = [a for a in read_page(site / "responses.html").attributes if "edge" in a.get("class", "")]
    answers = sorted(f"st-{s.id}" for s in ds.statements for _ in s.responds_to)
    targets = sorted(f"st-{s.id}" for s in ds.statements for _ in s.targets)
    assert sorted(a["href"].split("#")[1] for a in edges if a["class"] == "edge answer") == answers
    assert sorted(a["href"].split("#")[1] for a in edges if a["class"] == "edge target") == targets
    assert len(edges) == len(answers) + len(targets)


def test_nothing_is_fetched_from_outside_the_folder(site: Path) -> None:
    """No http(s) URL in any page, stylesheet or script, but the SVG namespace (a name, never
    fetched); no ``<script>`` but the site's own file."""
    for path in [*_pages(site), site / "site.css", site / "site.js"]:
        text = path.read_text(encoding="utf-8").replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert re.findall(r"https?://", text) == [], path.name
        assert re.findall(r"<script(?! src=\"site\.js\"></script>)", text) == [], path.name


def test_two_site_exports_are_byte_identical(site: Path, tmp_path: Path) -> None:
    """Deterministic: a second export is the same files, byte for byte."""
    done = runner.invoke(main, ["export", "site", "--output", str(tmp_path / "again")])
    assert done.exit_code == 0, done.output
    first = {p.name: p.read_bytes() for p in site.iterdir()}
    assert {p.name: p.read_bytes() for p in (tmp_path / "again").iterdir()} == first


def _hostile(dataset_copy: Path) -> None:
    """The dataset with a name holding a script, a summary holding quotes and ampersands, and
    a description holding a javascript: URL."""
    path = dataset_copy / "actors.yaml"
    actors = yaml.safe_load(path.read_text(encoding="utf-8"))
    actors[0]["name"] = "<script>alert(1)</script>"
    actors[0]["description"] = "javascript:alert(1)"
    path.write_text(yaml.safe_dump(actors, allow_unicode=True, sort_keys=False), encoding="utf-8")
    path = dataset_copy / "statements.yaml"
    statements = yaml.safe_load(path.read_text(encoding="utf-8"))
    statements[0]["summary"] = 'He said "no" & <b>left</b>'
    path.write_text(yaml.safe_dump(statements, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_values_from_the_data_show_as_text(dataset_copy: Path, tmp_path: Path, ds: Dataset) -> None:
    """A name holding ``<script>`` and a summary holding ``"``, ``&`` and a tag are escaped on
    every page; a javascript: URL in the data is never a link."""
    _hostile(dataset_copy)
    out = tmp_path / "out"
    done = runner.invoke(main, ["export", "site", "--release", str(dataset_copy), "--output", str(out)])
    assert done.exit_code == 0, done.output
    actor = ds.actors[0].id
    everything = "".join(p.read_text(encoding="utf-8") for p in _pages(out))
    assert "<script>alert" not in everything
    assert "<b>left" not in everything
    assert re.findall(r"href=[\"']?\s*javascript:", everything, flags=re.I) == []
    page = (out / f"actor-{actor}.html").read_text(encoding="utf-8")
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page
    assert "<p>javascript:alert(1)</p>" in page
    start = (out / "index.html").read_text(encoding="utf-8")
    assert "He said &#34;no&#34; &amp; &lt;b&gt;left&lt;/b&gt;" in start


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "https://example.org/a b", 'https://e.org/"x', "ftp://e.org"]
)
def test_a_base_url_that_is_not_an_http_url_is_refused(url: str, tmp_path: Path) -> None:
    """Exit 2, nothing written."""
    done = runner.invoke(main, ["export", "site", "--base-url", url, "--output", str(tmp_path / "out")])
    assert done.exit_code == 2
    said = f"dispatchdata: error: --base-url {url!r} is not an http:// or https:// URL"
    assert done.stderr.startswith(said)
    assert not (tmp_path / "out").exists()


def test_a_base_url_makes_the_permanent_links(tmp_path: Path, ds: Dataset) -> None:
    """With --base-url, each page names its canonical URL and each statement its permanent
    link, which is what `cite --record --base-url` prints."""
    out = tmp_path / "out"
    base = "https://example.org/dispatchdata/"
    done = runner.invoke(main, ["export", "site", "--base-url", base, "--output", str(out)])
    assert done.exit_code == 0, done.output
    statement = ds.statements[0].id
    cited = runner.invoke(main, ["cite", "--record", statement, "--base-url", base])
    assert (cited.exit_code, cited.output) == (0, f"https://example.org/dispatchdata/#st-{statement}\n")
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/dispatchdata/">' in html
    assert f">https://example.org/dispatchdata/#st-{statement}</a>" in html
    actor = ds.actors[0].id
    cited = runner.invoke(main, ["cite", "--record", actor, "--base-url", base])
    assert cited.output == f"https://example.org/dispatchdata/actor-{actor}.html\n"
    page = (out / f"actor-{actor}.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="https://example.org/dispatchdata/actor-{actor}.html">' in page


def test_cite_base_url_needs_a_record_it_knows() -> None:
    """Without --record, or with an unknown one: exit 2 and what to do."""
    done = runner.invoke(main, ["cite", "--base-url", "https://example.org"])
    assert (done.exit_code, done.stderr) == (
        2,
        "dispatchdata: error: --base-url prints a record's permanent link: "
        "give the record with --record ID\n",
    )
    done = runner.invoke(main, ["cite", "--record", "x", "--format", "bibtex", "--base-url", "https://e.org"])
    assert (done.exit_code, done.stderr) == (
        2,
        "dispatchdata: error: --base-url prints a record's permanent link, not a citation: "
        "leave out --format bibtex\n",
    )
    done = runner.invoke(main, ["cite", "--record", "nobody", "--base-url", "https://example.org"])
    assert (done.exit_code, done.stderr) == (
        2,
        f"dispatchdata: error: no record 'nobody' in release {dispatchdata.__version__}\n",
    )


def test_cite_refuses_a_base_url_that_is_not_an_http_url(ds: Dataset) -> None:
    """The same check as the export's: exit 2, no link printed."""
    done = runner.invoke(main, ["cite", "--record", ds.actors[0].id, "--base-url", "javascript:alert(1)"])
    assert (done.exit_code, done.stdout) == (2, "")
    assert done.stderr == (
        "dispatchdata: error: --base-url 'javascript:alert(1)' is not an http:// or https:// URL "
        "(a host, then a path without spaces, quotes or angle brackets)\n"
    )


@pytest.mark.parametrize(
    "option", [["--base-url", "https://e.org"], ["--base-url", ""], ["--sources", "."]], ids=str
)
def test_site_options_are_refused_for_other_formats(tmp_path: Path, option: list[str]) -> None:
    """--base-url and --sources mean nothing to csv: said, not ignored (an empty URL too)."""
    args = ["export", "csv", *option, "--output", str(tmp_path / "o")]
    done = runner.invoke(main, args)
    assert (done.exit_code, done.stderr) == (
        2,
        "dispatchdata: error: --sources and --base-url are options of the site format, not of csv\n",
    )


def test_an_option_a_format_does_not_take_is_refused(tmp_path: Path) -> None:
    """The library says so before writing anything, rather than a writer's TypeError."""
    with pytest.raises(ExportError, match=r"^the csv format takes no option 'base_url'$"):
        export(open_bundle(DATASET), "csv", tmp_path / "out", options={"base_url": "https://e.org"})
    with pytest.raises(ExportError, match=r"^the site format takes no option 'colour'$"):
        export(open_bundle(DATASET), "site", tmp_path / "out", options={"colour": "red"})
    assert not (tmp_path / "out").exists()


def test_a_document_whose_text_is_not_found_is_listed_without_it(dataset_copy: Path, tmp_path: Path) -> None:
    """Its page says why and lists its statements (each with its ``st-<id>``), no marked text."""
    path = dataset_copy / "documents.yaml"
    documents = yaml.safe_load(path.read_text(encoding="utf-8"))
    documents[0]["sha256"] = "0" * 64
    path.write_text(yaml.safe_dump(documents, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    done = runner.invoke(main, ["export", "site", "--release", str(dataset_copy), "--output", str(out)])
    assert done.exit_code == 0, done.output
    html = (out / "index.html").read_text(encoding="utf-8")
    assert (
        f'<p class="missing" role="note">The text of this document (SHA-256 {"0" * 64}) is not shipped with '
        "dispatchdata and was not found in the folders given to --sources, so its records are listed "
        "without it.</p>"
    ) in html
    page = read_page(out / "index.html", collect=("data-anchor",))
    assert page.texts == {}
    statements = yaml.safe_load((dataset_copy / "statements.yaml").read_text(encoding="utf-8"))
    assert {f"st-{s['id']}" for s in statements} <= page.ids


def test_a_text_found_in_sources_is_annotated(tmp_path: Path) -> None:
    """The minimal dataset's text is not shipped: found with --sources, its page is annotated."""
    minimal = ROOT / "tests" / "cases" / "minimal"
    for name, extra in (("without", []), ("with", ["--sources", str(ROOT / "tests" / "cases" / "sources")])):
        out = tmp_path / name
        args = ["export", "site", "--release", str(minimal), *extra, "--output", str(out)]
        done = runner.invoke(main, args)
        assert done.exit_code == 0, done.output
    without = read_page(tmp_path / "without" / "index.html", collect=("data-anchor",))
    found = read_page(tmp_path / "with" / "index.html", collect=("data-anchor",))
    assert without.texts == {}
    statements = yaml.safe_load((minimal / "statements.yaml").read_text(encoding="utf-8"))
    expected = {f"{s['id']}:{i}": a["exact"] for s in statements for i, a in enumerate(s["anchors"])}
    assert {k[1]: v for k, v in found.texts.items()} == expected


def test_without_jinja2_the_site_says_which_extra_it_needs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Exit 2 (an operational error, as a missing file), naming the extra; nothing written."""
    monkeypatch.setitem(sys.modules, "jinja2", None)
    with pytest.raises(ExportError, match=re.escape(MISSING_JINJA)):
        export(open_bundle(DATASET), "site", tmp_path / "api")
    done = runner.invoke(main, ["export", "site", "--output", str(tmp_path / "out")])
    assert (done.exit_code, done.stderr) == (2, f"dispatchdata: error: {MISSING_JINJA}\n")
    assert not (tmp_path / "out").exists()


def test_the_templates_are_in_the_wheel() -> None:
    """hatchling's own list of the wheel's files holds every template and static file."""
    from hatchling.builders.wheel import WheelBuilder

    shipped = {f.distribution_path for f in WheelBuilder(str(ROOT)).recurse_included_files()}
    folder = ROOT / "src" / "dispatchdata" / "export" / "site_templates"
    expected = {f"dispatchdata/export/site_templates/{p.name}" for p in folder.iterdir()}
    assert len(expected) > 10
    assert expected <= shipped


def test_an_anchor_that_does_not_match_the_text_is_refused() -> None:
    """The page never marks words the data does not quote."""
    from dispatchdata.export.site_paths import SiteError
    from dispatchdata.export.site_text import checked

    anchor = Anchor(document="d", start=0, end=3, exact="abd", prefix="", suffix="")
    with pytest.raises(SiteError, match="the anchor of x at 0:3 does not match the text of 'd'"):
        checked("abcdef", anchor, "x")


_spans = st.lists(st.tuples(st.integers(0, 30), st.integers(1, 10)), max_size=8)


@given(text=st.text(min_size=1, max_size=40), spans=_spans)
@settings(max_examples=examples(200))
def test_pieces_nest_and_each_marks_pieces_are_its_text(text: str, spans: list[tuple[int, int]]) -> None:
    """Whatever the overlaps: every close matches the open before it, and the text of each
    mark's pieces, joined, is the text at its offsets (code points); the text whole."""
    marks = [
        Mark(kind="passage", key=str(i), start=min(s, len(text) - 1), end=min(s + n, len(text)))
        for i, (s, n) in enumerate(spans)
    ]
    out = pieces(text, marks)
    stack: list[Mark] = []
    joined = {m.key: "" for m in marks}
    firsts = []
    for piece in out:
        if piece.kind == "open":
            assert piece.mark is not None
            stack.append(piece.mark)
            if piece.first:
                firsts.append(piece.mark.key)
        elif piece.kind == "close":
            assert stack.pop() is piece.mark
        else:
            for m in stack:
                joined[m.key] += piece.text
    assert stack == []
    assert sorted(firsts) == sorted(m.key for m in marks)
    assert joined == {m.key: text[m.start : m.end] for m in marks}
    assert "".join(p.text for p in out) == text


def test_pieces_of_a_text_with_no_marks_is_the_text() -> None:
    """The edge case: one piece."""
    assert pieces("abc", []) == [Piece("text", "abc")]


def test_the_readme_shows_the_start_page_as_a_small_png() -> None:
    """docs/site-start.png (made by docs/site_screenshot.py with the browser tests' code) is a
    1280x800 PNG under 150 KB, and the README's section on the site shows it."""
    data = (ROOT / "docs" / "site-start.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (1280, 800)
    assert len(data) < 150_000
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## The site\n", 1)[1].split("\n## ", 1)[0]
    assert "dispatchdata export site --output site/" in section
    assert "](docs/site-start.png)" in section


def test_each_passage_starts_with_its_speaker_linking_to_its_card(site: Path, ds: Dataset) -> None:
    """Without script or colour: a label before each passage names the speaker and links to the
    statement's card; the key lists each speaker once; the hover hint and the panel are hidden
    until the script shows them."""
    html = (site / "index.html").read_text(encoding="utf-8")
    for s in ds.statements:
        name = ds.actor(s.speaker).name
        label = f'<a class="who" href="#info-{s.id}" data-label="">{name}</a><span class="passage'
        assert html.count(label) == len(s.anchors), s.id
    key = html.split('<ul class="key" aria-labelledby="key">', 1)[1].split("</ul>", 1)[0]
    speakers = list(dict.fromkeys(s.speaker for s in sorted(ds.statements, key=_text_order)))
    assert re.findall(r'href="actor-([a-z0-9-]+)\.html"', key) == speakers
    assert '<span class="js-only" hidden>Hover over a passage' in html
    assert 'aria-label="The statement in focus" hidden>' in html


def _text_order(s: Any) -> tuple[int, str]:
    return (min((a.start for a in s.anchors), default=0), s.id)


def test_each_matrix_cell_shows_each_statement_s_stance(site: Path, ds: Dataset) -> None:
    """Not one summary: each statement behind a cell comes with the stance(s) it takes there
    (Siluanov on the higher tax: opposes, mixed, neutral, as stance_matrix() gives)."""
    html = (site / "matrix.html").read_text(encoding="utf-8")
    for (actor, proposal), v in ds.stance_matrix().items():
        cell = html.split(f'data-actor="{actor}" data-proposal="{proposal}">', 1)[1].split("</td>", 1)[0]
        shown = [
            re.findall(r'class="stance stance-([a-z]+)"', pair)
            for pair in cell.split('<span class="pair">')[1:]
        ]
        taken = [
            [
                t.stance
                for t in ds.statement(sid).stances
                if t.proposal == proposal and (t.holder or ds.statement(sid).speaker) == actor
            ]
            for sid in v.statements
        ]
        assert shown == taken
        assert sorted({x for one in shown for x in one}) == sorted(set(v.stances))


def test_who_answers_whom_says_whose_statement(site: Path, ds: Dataset) -> None:
    """Each link's sentence names the statement, its speaker and whom it answers or aims at."""
    text = re.sub(r"<[^>]+>", "", (site / "responses.html").read_text(encoding="utf-8"))
    for s in ds.statements:
        speaker = ds.actor(s.speaker).name
        for r in s.responds_to:
            answered = ds.statement(r)
            whom = ds.actor(answered.speaker).name
            said = f"{speaker}'s statement “{s.summary}” answers {whom}'s statement “{answered.summary}”"
            assert _unescape(said) in _unescape(text)
        for t in s.targets:
            assert _unescape(
                f"{speaker}'s statement “{s.summary}” is aimed at {ds.actor(t).name}"
            ) in _unescape(text)
    assert "Solid: answers a statement of." not in text


def _unescape(text: str) -> str:
    return html_lib.unescape(text)


def test_a_proposal_page_links_each_passage_to_its_place_in_the_text(site: Path, ds: Dataset) -> None:
    """Each anchor of a proposal links to ``index.html#pr-<id>-<n>``, an element of the
    annotated text holding exactly the anchor's words."""
    for p in ds.proposals:
        page = read_page(site / f"proposal-{p.id}.html")
        assert [x for x in page.links if "#pr-" in x] == [
            f"index.html#pr-{p.id}-{i}" for i in range(len(p.anchors))
        ]
    start = read_page(site / "index.html", collect=("id",))
    for p in ds.proposals:
        for i, a in enumerate(p.anchors):
            assert start.texts[("id", f"pr-{p.id}-{i}")] == a.exact


def test_the_citation_box_holds_only_the_citation(site: Path) -> None:
    """The advice to cite the source too is outside the copyable text."""
    html = (site / "about.html").read_text(encoding="utf-8")
    (box,) = re.findall(r'<pre class="citation">([^<]*)</pre>\n<p>Cite the release', html)
    assert "\n" not in box
    assert box.startswith("dispatchdata contributors (")
