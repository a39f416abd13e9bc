"""The exported site in a real browser: Debian's Chromium, headless, opening the pages from
``file://``. The DOM after the page's script ran (``--dump-dom``) holds every passage and the
panel a permanent link opens; the console has no message; the network log holds no http(s)
request; screenshots of the start page, an actor page and the matrix, at desktop and phone sizes.

Chromium is not a Python package: ``.ci/run`` installs it. Where it is missing these tests fail
saying how to install it, unless ``DISPATCHDATA_SKIP_BROWSER=1`` is set (then they are skipped,
with that reason). ``DISPATCHDATA_SCREENSHOTS=DIR`` keeps the screenshots in DIR."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import dispatchdata
from dispatchdata.cli import main
from dispatchdata.dataset import Dataset

from .site_pages import read_page

runner = CliRunner()
SKIP = "DISPATCHDATA_SKIP_BROWSER"
INSTALL = (
    "chromium is not installed: install Debian's package (apt-get install -y --no-install-recommends "
    f"chromium, as root), or run .ci/run, which does; or set {SKIP}=1 to skip the browser tests"
)
#: Chromium's own flags: no sandbox (containers), no GPU, none of its background requests.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
)
#: Window sizes: a desktop and a phone.
SIZES = {"desktop": "1280,900", "phone": "390,844"}


def find_chromium() -> str:
    """The browser's path; a failure saying how to install it when it is missing (a skip only
    with DISPATCHDATA_SKIP_BROWSER=1)."""
    if os.environ.get(SKIP) == "1":
        pytest.skip(f"{SKIP}=1: the browser tests are skipped as asked")
    path = shutil.which("chromium")
    if path is None:
        pytest.fail(INSTALL, pytrace=False)
    return path


@pytest.fixture(scope="module")
def chromium() -> str:
    return find_chromium()


def test_a_missing_browser_fails_unless_skipping_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never a silent skip: without chromium on PATH the tests fail saying how to install it;
    with DISPATCHDATA_SKIP_BROWSER=1 they are skipped, saying so."""
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv(SKIP, raising=False)
    with pytest.raises(pytest.fail.Exception, match=re.escape(INSTALL)):
        find_chromium()
    monkeypatch.setenv(SKIP, "1")
    with pytest.raises(pytest.skip.Exception, match=f"{SKIP}=1: the browser tests are skipped as asked"):
        find_chromium()


class Run:
    """What one page load gave: the DOM (or the screenshot's path), the console's lines and
    the URLs of the requests in the network log that are not ``file:`` ones."""

    def __init__(self, out: str, console: list[str], requests: list[str]) -> None:
        self.out, self.console, self.requests = out, console, requests


def browse(chromium: str, url: str, work: Path, *action: str) -> Run:
    """Open ``url`` in a fresh profile and do ``action`` (``--dump-dom``, or a screenshot)."""
    work.mkdir(parents=True, exist_ok=True)
    net = work / "net.json"
    args = [chromium, *FLAGS, f"--user-data-dir={work / 'profile'}", f"--log-net-log={net}", *action, url]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return Run(done.stdout, console, page_requests(net))


def page_requests(net: Path) -> list[str]:
    """The URLs, but ``file:`` ones, of the requests a page made, from Chromium's network log:
    each request's start names its initiator, which for Chromium's own requests (its clock,
    its account checks, which the flags do not all turn off) is "not an origin"; a page opened
    from ``file://`` is the opaque origin "null"."""
    log = json.loads(net.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = set()
    for event in log["events"]:
        params = event.get("params", {})
        if event["type"] == start and "url" in params and params.get("initiator") != "not an origin":
            urls.add(params["url"])
    return sorted(u for u in urls if not u.startswith("file:"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    done = runner.invoke(main, ["export", "site", "--output", str(out)])
    assert done.exit_code == 0, done.output
    return out


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return dispatchdata.load()


def test_the_start_page_renders_every_passage(chromium: str, site: Path, ds: Dataset, tmp_path: Path) -> None:
    """The DOM Chromium builds holds one marked passage per anchor of each statement, each the
    anchor's exact text; no console message; no http(s) request."""
    run = browse(chromium, (site / "index.html").as_uri(), tmp_path, "--dump-dom")
    (tmp_path / "dom.html").write_text(run.out, encoding="utf-8")
    page = read_page(tmp_path / "dom.html", collect=("data-anchor",))
    expected = {f"{s.id}:{i}": a.exact for s in ds.statements for i, a in enumerate(s.anchors)}
    assert {k[1]: v for k, v in page.texts.items()} == expected
    assert (run.console, run.requests) == ([], [])


def test_a_permanent_link_opens_the_page_with_its_statement_shown(
    chromium: str, site: Path, ds: Dataset, tmp_path: Path
) -> None:
    """``index.html#st-<id>``: the page's script shows that statement in the panel."""
    statement = ds.statements[5]
    run = browse(chromium, f"{(site / 'index.html').as_uri()}#st-{statement.id}", tmp_path, "--dump-dom")
    panel = run.out.split('<aside class="panel" id="panel"', 1)[1].split("</aside>", 1)[0]
    assert f"{statement.summary}</a></h3>" in panel.replace("&quot;", '"').replace("&amp;", "&")
    assert (run.console, run.requests) == ([], [])


@pytest.mark.parametrize(
    "page", ["actors.html", "matrix.html", "responses.html", "timeline.html", "about.html"]
)
def test_every_other_page_loads_quietly(chromium: str, site: Path, page: str, tmp_path: Path) -> None:
    """No console message, no request leaving the folder."""
    run = browse(chromium, (site / page).as_uri(), tmp_path, "--dump-dom")
    assert "</html>" in run.out
    assert (run.console, run.requests) == ([], [])


def test_the_checks_see_a_console_error_and_a_request(chromium: str, tmp_path: Path) -> None:
    """What the tests above rely on: a script error is in the console lines, and a request to a
    web address in the requests."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><img src="http://127.0.0.1:9/x.png"><script>nowhere();</script>', "utf-8")
    run = browse(chromium, page.as_uri(), tmp_path / "run", "--dump-dom")
    assert len(run.console) == 1
    assert "Uncaught ReferenceError: nowhere is not defined" in run.console[0]
    assert run.requests == ["http://127.0.0.1:9/x.png"]


def test_a_name_holding_a_script_shows_as_text(chromium: str, dataset_copy: Path, tmp_path: Path) -> None:
    """In the browser's DOM the name is the heading's text, and the page has no script."""
    path = dataset_copy / "actors.yaml"
    actors = yaml.safe_load(path.read_text(encoding="utf-8"))
    actors[0]["name"] = "<script>alert(1)</script>"
    path.write_text(yaml.safe_dump(actors, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    done = runner.invoke(main, ["export", "site", "--release", str(dataset_copy), "--output", str(out)])
    assert done.exit_code == 0, done.output
    run = browse(chromium, (out / f"actor-{actors[0]['id']}.html").as_uri(), tmp_path / "run", "--dump-dom")
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in run.out
    assert "<script" not in run.out
    assert run.console == []


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("page", ["index.html", "actor-oleg-morozov.html", "matrix.html"])
def test_screenshots(chromium: str, site: Path, page: str, size: str, tmp_path: Path) -> None:
    """A screenshot of the page at the size (kept in DISPATCHDATA_SCREENSHOTS when set)."""
    folder = Path(os.environ.get("DISPATCHDATA_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / f"{page.removesuffix('.html')}-{size}.png"
    action = (f"--window-size={SIZES[size]}", f"--screenshot={shot}")
    run = browse(chromium, (site / page).as_uri(), tmp_path / "run", *action)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (run.console, run.requests) == ([], [])
