"""The SQLite export in Datasette, the tool its users open first: ``datasette dispatchdata.db -m
metadata.json`` serves its pages, links its foreign keys (those of several columns too, through
their one-column stand-ins), searches statements with the right rows, and shows the licence and
description. Datasette runs as a subprocess on 127.0.0.1, on a free port, and is always stopped."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from dispatchdata.export import export

pytest.importorskip("datasette")

#: How long Datasette may take to start on a busy machine.
_START_SECONDS = 60


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def served(real: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of Datasette serving the export, as the README says to start it."""
    folder = tmp_path_factory.mktemp("datasette") / "db"
    export(real, "sqlite", folder)
    port = _free_port()
    command = [sys.executable, "-m", "datasette", "serve", "dispatchdata.db", "-m", "metadata.json"]
    process = subprocess.Popen(
        [*command, "-h", "127.0.0.1", "-p", str(port)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + _START_SECONDS
        while True:
            if process.poll() is not None:
                raise AssertionError(f"datasette exited: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                if _get(f"{base}/-/versions.json")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"datasette did not answer within {_START_SECONDS} s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()  # type: ignore[union-attr]


def test_the_statements_page_loads_with_a_search_box(served: str) -> None:
    """The table page answers 200 and offers table search (it found ``statements_fts``)."""
    status, page = _get(f"{served}/dispatchdata/statements")
    assert status == 200
    assert '<input id="_search" type="search" name="_search" value="">' in page


def test_a_composite_foreign_key_links_to_its_row(served: str) -> None:
    """footnote_dates → footnotes (a key of two columns): the page links each date to its
    footnote through ``footnote_id``, and the link opens that footnote's row."""
    status, page = _get(f"{served}/dispatchdata/footnote_dates")
    assert status == 200
    links = re.findall(r'href="(/dispatchdata/footnotes/[^"]+)"', page)
    assert links[0] == "/dispatchdata/footnotes/memri-special-dispatch-10423~3A1"
    status, row = _get(f"{served}{links[0]}.json?_shape=array")
    assert status == 200
    (footnote,) = json.loads(row)
    assert (footnote["document"], footnote["number"]) == ("memri-special-dispatch-10423", 1)
    status, page = _get(f"{served}/dispatchdata/statements?id=bovt-crooked-path")
    assert (status, 'href="/dispatchdata/actors/george-bovt"' in page) == (200, True)  # one column


def test_table_search_returns_exactly_the_matching_statements(served: str, real: dict[str, Any]) -> None:
    """``statements.json?_search=citizenship``: the statements whose summary or quotes hold the
    word, not all of them."""
    quotes: dict[str, list[str]] = {}
    for s in real["collections"]["statements"]:
        quotes[s["id"]] = [s["summary"], *(q["exact"] for q in s["quotes"])]
    word = re.compile(r"\bcitizenship\b", re.IGNORECASE)
    expected = sorted(sid for sid, texts in quotes.items() if any(word.search(t) for t in texts))
    assert 0 < len(expected) < len(quotes)
    status, body = _get(f"{served}/dispatchdata/statements.json?_search=citizenship&_shape=array&_size=max")
    assert status == 200
    assert sorted(r["id"] for r in json.loads(body)) == expected


def test_the_licence_and_description_show(served: str, real: dict[str, Any]) -> None:
    """``/-/metadata.json`` is the metadata written beside the database, and the pages show it."""
    status, body = _get(f"{served}/-/metadata.json")
    assert status == 200
    metadata = json.loads(body)
    m = real["metadata"]
    assert (metadata["license"], metadata["description"], metadata["title"]) == (
        "CC-BY-4.0", m["description"], m["title"],
    )  # fmt: skip
    assert metadata["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    tables = metadata["databases"]["dispatchdata"]["tables"]
    assert tables["statements"]["columns"]["kind"] == "direct-quote, partial-quote, paraphrase or editorial."
    status, page = _get(f"{served}/dispatchdata/statements")
    assert status == 200
    assert '<a href="https://creativecommons.org/licenses/by/4.0/">CC-BY-4.0</a>' in page
    assert "Attributed statements." in page


def test_the_views_and_their_columns_are_described(served: str) -> None:
    """Each view's page shows what it is, and its metadata describes every column it has: its
    own, and the statements' columns it shows (Datasette lists them on the page)."""
    status, page = _get(f"{served}/dispatchdata/stance_matrix")
    assert status == 200
    assert "Each actor&#39;s stances on each proposal" in page
    status, text = _get(f"{served}/-/metadata.json")
    tables = json.loads(text)["databases"]["dispatchdata"]["tables"]
    for view in ("stance_matrix", "statements_with_speakers"):
        status, data = _get(f"{served}/dispatchdata/{view}.json?_size=1&_shape=objects")
        columns = list(json.loads(data)["rows"][0])
        assert sorted(tables[view]["columns"]) == sorted(columns)
        assert all(tables[view]["columns"][c] for c in columns)
    summary = tables["statements"]["columns"]["summary"]
    assert tables["statements_with_speakers"]["columns"]["summary"] == summary


def test_a_corpus_of_many_documents_is_counted_as_the_source(
    real: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Datasette shows the source on every page and in every JSON response: up to three
    documents are named, more are counted (the documents table lists them)."""
    from dispatchdata.export.datasette import metadata

    many = {**real, "collections": {**real["collections"]}}
    one = real["collections"]["documents"][0]
    many["collections"]["documents"] = [{**one, "id": f"doc-{i}"} for i in range(4)]
    assert metadata(many, "dispatchdata", [])["source"] == "4 documents: see the documents table"
    assert metadata(real, "dispatchdata", [])["source"] == (
        "MEMRI, Special Dispatch No. 10423 (2023-01-13): Russia Debates: Should There Be Any Love For"
        " Citizens Who Leave The Country?"
    )
