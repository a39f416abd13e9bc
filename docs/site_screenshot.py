"""Make docs/site-start.png, the README's screenshot of the site's start page, with the browser
tests' own code (tests/site_browser.py): the installed dataset's site, its top 1280x800.

    python docs/site_screenshot.py [PNG]

Needs what the browser tests need (Debian's chromium and chromium-driver)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from click.testing import CliRunner  # noqa: E402
from tests import site_browser  # noqa: E402

from dispatchdata.cli import main  # noqa: E402


def make(png: Path) -> None:
    """Export the site into a temporary folder and save its start page's screenshot as ``png``."""
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        done = CliRunner().invoke(main, ["export", "site", "--output", str(site)])
        if done.exit_code != 0:
            raise SystemExit(done.output)
        driver = site_browser.open_browser()
        try:
            site_browser.start_page_screenshot(driver, site, png)
        finally:
            driver.quit()


if __name__ == "__main__":
    make(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "site-start.png")
