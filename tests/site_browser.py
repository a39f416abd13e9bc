"""Driving Debian's Chromium with Selenium, for the site's browser tests and the README's
screenshot (``docs/site_screenshot.py`` makes it with :func:`start_page_screenshot`, the
function the tests use).

Both paths are given (``/usr/bin/chromium``, ``/usr/bin/chromedriver``): Selenium Manager, which
would download a browser, is never asked. axe-core is read from the file
``DISPATCHDATA_AXE`` names (``.ci/run`` installs it from the npm registry). What is missing makes
the tests skip saying so, and fail when ``CI=true``: CI never passes without the browser."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = "DISPATCHDATA_AXE"
#: Chromium's own flags: headless, no sandbox (containers), no GPU, none of its background requests.
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)
#: Window sizes (the viewport's): a desktop and a phone.
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
INSTALL = (
    "install Debian's packages as root (apt-get install -y --no-install-recommends chromium "
    "chromium-driver), or run .ci/run, which does"
)


def missing(what: str) -> None:
    """Skip saying what is missing; under ``CI=true``, fail saying so (never a silent pass)."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {what}", pytrace=False)
    pytest.skip(what)


def check_browser() -> None:
    """Chromium and its driver where the tests look for them, or :func:`missing`."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.is_file():
            missing(f"{path} is missing: {INSTALL}")


def axe_source() -> str:
    """axe-core's script, from the file ``DISPATCHDATA_AXE`` names, or :func:`missing`."""
    path = os.environ.get(AXE)
    if not path or not Path(path).is_file():
        missing(
            f"axe-core is missing: set {AXE} to its axe.min.js "
            "(npm install --prefix DIR axe-core@4.14.1; .ci/run does)"
        )
    return Path(str(path)).read_text(encoding="utf-8")


def open_browser(size: tuple[int, int] = SIZES["desktop"]) -> WebDriver:
    """A headless Chromium whose viewport is ``size``, logging the console and the network."""
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    resize(driver, size)
    return driver


#: How long a page may take to load on a busy machine.
LOAD_SECONDS = 30.0


def open_page(driver: WebDriver, url: str) -> None:
    """Go to ``url`` and wait until its document is complete and holds a ``<main>`` (once, in a
    loaded CI run, the source read right after ``get`` was empty)."""
    driver.get(url)
    WebDriverWait(driver, LOAD_SECONDS).until(
        lambda d: d.execute_script(
            "return document.readyState === 'complete' && document.querySelector('main, body > *') !== null"
        )
    )


def resize(driver: WebDriver, size: tuple[int, int]) -> None:
    """Make the viewport (not the window) ``size``, through the DevTools protocol."""
    width, height = size
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


#: How long the console must stay silent before its messages are taken as all there are, and
#: the longest it is waited for: a page's messages reach the driver's log a moment after they
#: are written (one read right after loading missed a script error once in a loaded run).
SETTLE_SECONDS, SETTLE_LIMIT = 0.3, 10.0


def console(driver: WebDriver) -> list[str]:
    """The console's messages since the last call, read until the log has stayed silent for
    :data:`SETTLE_SECONDS` (at most :data:`SETTLE_LIMIT` in all)."""
    said: list[str] = []
    start = last = time.monotonic()
    while True:
        got = [str(entry["message"]) for entry in driver.get_log("browser")]  # type: ignore[no-untyped-call]
        now = time.monotonic()
        if got:
            said, last = said + got, now
        if now - last >= SETTLE_SECONDS or now - start >= SETTLE_LIMIT:
            return said
        time.sleep(0.1)


def requests(driver: WebDriver) -> list[str]:
    """The URLs, but ``file:`` ones, the pages requested since the last call."""
    urls = set()
    for entry in driver.get_log("performance"):  # type: ignore[no-untyped-call]
        message: dict[str, Any] = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.add(message["params"]["request"]["url"])
    return sorted(u for u in urls if not u.startswith("file:"))


def start_page_screenshot(driver: WebDriver, site: Path, png: Path) -> None:
    """The start page's top 1280x800, as the README shows it."""
    resize(driver, SIZES["desktop"])
    open_page(driver, (site / "index.html").as_uri())
    png.parent.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(png)), f"no screenshot written to {png}"
