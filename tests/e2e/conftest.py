"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

The live server serves /static/ (django.contrib.staticfiles) and needs committed data, so these tests are
transactional; `serialized_rollback` gives each one the Thanh Hóa data back (see the root conftest.py).
Only requests to the live server leave the browser: everything else (map tiles…) is aborted.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser() -> Iterator:
    """Chromium for one test. Playwright's sync API runs an asyncio loop in this thread while it is started,
    and Django then takes the thread for async code (other database connections, refused ORM calls), so
    the browser lives only inside the test: the database set-up and flush happen before and after it.
    Test bodies do not use the ORM; the live server answers the browser from its own thread."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `apt-get install chromium` to run the browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is missing: pip install -e '.[dev]'")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A fresh browser page whose relative URLs go to the live server; fails the test on a script error, on
    anything the Content-Security-Policy blocked, and on any answer of 400 or more to what the page loaded (a
    marker image, a script, a tile of our own)."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)

    def only_the_live_server(route) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_the_live_server)
    page = context.new_page()
    script_errors: list[str] = []
    failed: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    refused: list[str] = []  # what the Content-Security-Policy blocked (core.csp)
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert not script_errors, f"JavaScript errors: {script_errors}"
    assert not refused, f"blocked by the Content-Security-Policy: {refused}"
    assert not failed, f"requests our own server refused or failed (pages, images, scripts): {failed}"


@pytest.fixture(scope="session")
def axe_source() -> str:
    path = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        pytest.skip(f"{path} is missing: run `npm ci` (make does) to install axe-core")
    return path.read_text(encoding="utf-8")

