"""The exported site in a real browser: Debian's Chromium, headless, driven by Selenium, opening
the pages from ``file://``. Every count comes from ``dispatchdata.load()``: the DOM after the
page's script ran holds every passage; every link followed reaches a page and an anchor; Tab to a
passage shows its card, and on a phone the passage stays in sight above the panel; axe-core finds
no serious or critical violation at desktop and phone sizes; no console message and no request
leaving the folder; screenshots of the start page, an actor page and the matrix, at both sizes.

Chromium, chromedriver and axe-core are not Python packages: ``.ci/run`` installs them (see
tests/site_browser.py). Where one is missing these tests skip saying so, and fail under
``CI=true``. The screenshots go to ``DISPATCHDATA_SCREENSHOTS`` when set, else a temporary
folder; the test prints which."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

import dispatchdata
from dispatchdata.cli import main
from dispatchdata.dataset import Dataset

from . import site_browser as browser
from .site_pages import read_page

runner = CliRunner()


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    browser.check_browser()
    chrome = browser.open_browser()
    try:
        yield chrome
    finally:
        chrome.quit()


@pytest.fixture
def fresh(driver: WebDriver) -> WebDriver:
    """The browser at the desktop size, its console and network logs emptied."""
    browser.resize(driver, browser.SIZES["desktop"])
    driver.get("about:blank")
    browser.console(driver)
    browser.requests(driver)
    return driver


def quiet(driver: WebDriver) -> tuple[list[str], list[str]]:
    """The console's messages and the requests leaving the folder since the last look."""
    return browser.console(driver), browser.requests(driver)


def test_what_is_missing_skips_and_fails_under_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never a silent pass: a missing browser or axe-core skips saying what is missing, and
    fails under CI=true."""
    monkeypatch.setattr(browser, "CHROMEDRIVER", tmp_path / "chromedriver")
    monkeypatch.setenv("CI", "true")
    said = f"{tmp_path / 'chromedriver'} is missing: {browser.INSTALL}"
    with pytest.raises(pytest.fail.Exception, match=f"^CI=true and {re.escape(said)}$"):
        browser.check_browser()
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match=f"^{re.escape(said)}$"):
        browser.check_browser()
    monkeypatch.delenv(browser.AXE, raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"^axe-core is missing: set DISPATCHDATA_AXE"):
        browser.axe_source()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"^CI=true and axe-core is missing"):
        browser.axe_source()


def test_the_start_page_renders_every_passage(
    fresh: WebDriver, site: Path, ds: Dataset, tmp_path: Path
) -> None:
    """The DOM Chromium builds holds one marked passage per anchor of each statement, each the
    anchor's exact text; no console message; no request."""
    browser.open_page(fresh, (site / "index.html").as_uri())
    (tmp_path / "dom.html").write_text(fresh.page_source, encoding="utf-8")
    page = read_page(tmp_path / "dom.html", collect=("data-anchor",))
    expected = {f"{s.id}:{i}": a.exact for s in ds.statements for i, a in enumerate(s.anchors)}
    assert {k[1]: v for k, v in page.texts.items()} == expected
    assert quiet(fresh) == ([], [])


def panel_heading(driver: WebDriver) -> str:
    return str(driver.execute_script("return document.querySelector('#panel h3').textContent"))


def test_a_permanent_link_opens_the_page_with_its_statement_shown(
    fresh: WebDriver, site: Path, ds: Dataset
) -> None:
    """``index.html#st-<id>``: the page's script shows that statement in the panel; following
    another permanent link within the page (``hashchange``) shows that one's."""
    first, second = ds.statements[5], ds.statements[9]
    browser.open_page(fresh, f"{(site / 'index.html').as_uri()}#st-{first.id}")
    assert panel_heading(fresh) == first.summary
    fresh.execute_script(f"location.hash = '#st-{second.id}'")
    assert panel_heading(fresh) == second.summary
    assert quiet(fresh) == ([], [])


def test_tab_to_a_passage_shows_its_card(fresh: WebDriver, site: Path, ds: Dataset) -> None:
    """Pressing Tab from the top reaches the first passage of the text; the panel then holds the
    card of its statement."""
    browser.open_page(fresh, (site / "index.html").as_uri())
    first = min(ds.statements, key=lambda s: (min(a.start for a in s.anchors), s.id))
    for _ in range(60):
        ActionChains(fresh).send_keys(Keys.TAB).perform()
        focused = fresh.switch_to.active_element
        if "passage" in (focused.get_attribute("class") or ""):
            break
    assert focused.get_attribute("id") == f"st-{first.id}"
    assert panel_heading(fresh) == first.summary


def test_every_link_followed_reaches_a_page_and_an_anchor(fresh: WebDriver, site: Path) -> None:
    """Every page loads with no console message and no request leaving the folder; every link
    on it, as the browser resolves it, names a file of the export and, with a fragment, an
    element of that page's DOM with that id."""
    links: dict[str, set[str]] = {}
    ids: dict[str, set[str]] = {}
    noisy = {}
    for path in sorted(site.glob("*.html")):
        browser.open_page(fresh, path.as_uri())
        ids[path.name] = set(
            fresh.execute_script("return [...document.querySelectorAll('[id]')].map(e => e.id)")
        )
        hrefs = fresh.execute_script(
            "return [...document.querySelectorAll('[href]')]"
            ".map(e => new URL(e.getAttribute('href'), location.href).href)"
        )
        links[path.name] = set(hrefs)
        if (said := quiet(fresh)) != ([], []):
            noisy[path.name] = said
    assert noisy == {}
    broken = []
    for page, hrefs in sorted(links.items()):
        for href in sorted(hrefs):
            target, _, fragment = href.partition("#")
            name = target.removeprefix(site.as_uri() + "/")
            reached = "/" not in name and ":" not in name and (site / name).is_file()
            if not reached or (fragment and fragment not in ids.get(name, set())):
                broken.append((page, href))
    assert broken == []
    assert len(ids) == len(list(site.glob("*.html")))


def axe_violations(driver: WebDriver, source: str) -> list[str]:
    """axe-core's serious and critical violations on the page shown: rule, count, first element."""
    driver.execute_script(source)
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => `${v.impact} ${v.id} x${v.nodes.length}: ${v.nodes[0].target.join(' ')}`)))"
    )
    return [str(v) for v in found]


@pytest.mark.parametrize("size", sorted(browser.SIZES))
def test_axe_finds_no_serious_violation(fresh: WebDriver, site: Path, size: str) -> None:
    """Each page, at the size: axe-core (injected) reports no serious or critical violation."""
    source = browser.axe_source()
    browser.resize(fresh, browser.SIZES[size])
    found = {}
    for path in sorted(site.glob("*.html")):
        browser.open_page(fresh, path.as_uri())
        if violations := axe_violations(fresh, source):
            found[path.name] = violations
    assert found == {}


def test_the_checks_see_a_console_error_a_request_and_a_violation(fresh: WebDriver, tmp_path: Path) -> None:
    """What the tests above rely on: a script error is in the console, a request to a web
    address in the requests, an image without alt text in axe-core's findings."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><img src="http://127.0.0.1:9/x.png"><script>nowhere();</script>', "utf-8")
    browser.open_page(fresh, page.as_uri())
    said, requested = quiet(fresh)
    assert sorted(said) == [
        f"{page.as_uri()} 0:59 Uncaught ReferenceError: nowhere is not defined",
        "http://127.0.0.1:9/x.png - Failed to load resource: net::ERR_UNSAFE_PORT",
    ]
    assert requested == ["http://127.0.0.1:9/x.png"]
    assert [v.split(" x")[0] for v in axe_violations(fresh, browser.axe_source())] == [
        "serious document-title",
        "serious html-has-lang",
        "critical image-alt",
    ]


def test_a_name_holding_a_script_shows_as_text(fresh: WebDriver, dataset_copy: Path, tmp_path: Path) -> None:
    """In the browser's DOM the name is the heading's text, and the page runs no script."""
    path = dataset_copy / "actors.yaml"
    actors = yaml.safe_load(path.read_text(encoding="utf-8"))
    actors[0]["name"] = "<script>alert(1)</script>"
    path.write_text(yaml.safe_dump(actors, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    done = runner.invoke(main, ["export", "site", "--release", str(dataset_copy), "--output", str(out)])
    assert done.exit_code == 0, done.output
    browser.open_page(fresh, (out / f"actor-{actors[0]['id']}.html").as_uri())
    assert (
        fresh.execute_script("return document.querySelector('h1').textContent") == "<script>alert(1)</script>"
    )
    assert fresh.execute_script("return document.scripts.length") == 0
    assert quiet(fresh) == ([], [])


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(os.environ.get("DISPATCHDATA_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))


@pytest.mark.parametrize("size", sorted(browser.SIZES))
@pytest.mark.parametrize("page", ["index.html", "actor-oleg-morozov.html", "matrix.html"])
def test_screenshots(
    fresh: WebDriver, site: Path, page: str, size: str, shots: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A screenshot of the page at the size, saved where the test says."""
    shot = shots / f"{page.removesuffix('.html')}-{size}.png"
    shots.mkdir(parents=True, exist_ok=True)
    browser.resize(fresh, browser.SIZES[size])
    if (page, size) == ("index.html", "desktop"):
        browser.start_page_screenshot(fresh, site, shot)  # the README's (docs/site_screenshot.py)
    else:
        browser.open_page(fresh, (site / page).as_uri())
        assert fresh.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert quiet(fresh) == ([], [])
    with capsys.disabled():
        print(f"\nscreenshot: {shot}")


def in_text_order(ds: Dataset) -> list[str]:
    """The statements' ids in the order of their first passage in the text."""
    ordered = sorted(ds.statements, key=lambda s: (min(a.start for a in s.anchors), s.id))
    return [s.id for s in ordered]


def test_a_link_in_the_panel_shows_the_statement_it_leads_to(
    fresh: WebDriver, site: Path, ds: Dataset
) -> None:
    """Clicking a statement's "Answers" link in the panel moves within the page (``hashchange``):
    the panel then shows the statement answered, not the one the page opened at."""
    s = next(s for s in ds.statements if s.responds_to)
    browser.open_page(fresh, f"{(site / 'index.html').as_uri()}#st-{s.id}")
    assert panel_heading(fresh) == s.summary
    answered = ds.statement(s.responds_to[0])
    fresh.find_element("css selector", f'#panel a[href="index.html#st-{answered.id}"]').click()
    assert fresh.execute_script("return location.hash") == f"#st-{answered.id}"
    assert panel_heading(fresh) == answered.summary
    assert quiet(fresh) == ([], [])


def test_passing_over_other_passages_keeps_the_card_shown(fresh: WebDriver, site: Path, ds: Dataset) -> None:
    """A passage clicked keeps its card while the mouse crosses another passage on its way to
    the panel: hovering previews a card only after a pause."""
    first, second = in_text_order(ds)[3:5]
    browser.open_page(fresh, (site / "index.html").as_uri())
    fresh.find_element("id", f"st-{first}").click()
    assert panel_heading(fresh) == ds.statement(first).summary
    other = fresh.find_element("id", f"st-{second}")
    ActionChains(fresh).move_to_element(other).move_to_element(fresh.find_element("id", "panel")).perform()
    fresh.execute_async_script("setTimeout(arguments[arguments.length - 1], 800)")
    assert panel_heading(fresh) == ds.statement(first).summary


def test_on_a_phone_the_focused_passage_stays_above_the_panel(
    fresh: WebDriver, site: Path, ds: Dataset
) -> None:
    """At 390x844 the panel sits at the bottom of the screen: each passage focused (every one
    of the text) is in sight above it (one taller than the room left starts at the top of the
    screen); the panel's close button hides it."""
    browser.resize(fresh, browser.SIZES["phone"])
    browser.open_page(fresh, (site / "index.html").as_uri())
    hidden = []
    for sid in in_text_order(ds):
        fresh.execute_script(f"document.getElementById('st-{sid}').focus()")
        top, bottom, panel = fresh.execute_script(
            f"const r = document.getElementById('st-{sid}').getBoundingClientRect();"
            "return [r.top, r.bottom, document.getElementById('panel').getBoundingClientRect().top]"
        )
        if top < 0 or (bottom > panel + 1 and top > 10):
            hidden.append((sid, top, bottom, panel))
    assert hidden == []
    fresh.find_element("css selector", "#panel .close").click()
    assert fresh.execute_script("return getComputedStyle(document.getElementById('panel')).display") == "none"
    assert quiet(fresh) == ([], [])


def sideways(driver: WebDriver, folder: Path, pages: list[str]) -> dict[str, int]:
    """The pages wider than the phone's screen, with their width."""
    browser.resize(driver, browser.SIZES["phone"])
    wide = {}
    for page in pages:
        browser.open_page(driver, (folder / page).as_uri())
        width = driver.execute_script("return document.documentElement.scrollWidth")
        if width > browser.SIZES["phone"][0]:
            wide[page] = width
    return wide


def test_no_page_scrolls_sideways_on_a_phone(fresh: WebDriver, site: Path) -> None:
    """At 390 px no page is wider than the screen: tables and the drawing scroll inside their
    own box, long hashes break, the matrix's hidden words stay in their cells."""
    assert sideways(fresh, site, sorted(p.name for p in site.glob("*.html"))) == {}


def test_a_long_name_without_spaces_widens_no_page(
    fresh: WebDriver, dataset_copy: Path, tmp_path: Path
) -> None:
    """A 5000-character name with no space in it wraps wherever it must, on every page."""
    path = dataset_copy / "actors.yaml"
    actors = yaml.safe_load(path.read_text(encoding="utf-8"))
    speaker = dispatchdata.load().statements[0].speaker
    for actor in actors:
        if actor["id"] == speaker:
            actor["name"] = "N" * 5000
    path.write_text(yaml.safe_dump(actors, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    done = runner.invoke(main, ["export", "site", "--release", str(dataset_copy), "--output", str(out)])
    assert done.exit_code == 0, done.output
    pages = [
        "index.html",
        "actors.html",
        f"actor-{speaker}.html",
        "matrix.html",
        "responses.html",
        "timeline.html",
    ]
    assert sideways(fresh, out, pages) == {}


def test_the_matrix_prints_every_column(fresh: WebDriver, site: Path) -> None:
    """Printed (print media, the width of a landscape A4 page inside 1 cm margins: 1047 px), the
    matrix is not clipped by its scroll box and fits the page's width."""
    browser.resize(fresh, (1047, 740))
    fresh.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        browser.open_page(fresh, (site / "matrix.html").as_uri())
        table, box, overflow, page = fresh.execute_script(
            "const t = document.querySelector('table.matrix'), s = t.parentElement;"
            "return [t.getBoundingClientRect().width, s.clientWidth, getComputedStyle(s).overflowX,"
            " document.documentElement.scrollWidth]"
        )
    finally:
        fresh.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert overflow == "visible"
    assert table <= box <= page <= 1047
