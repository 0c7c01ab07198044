"""Browser fixtures: Debian Chromium driven by playwright (async API).

One browser per test process; every page lives in its own fresh context (no shared cookies),
pointed at the `live_server`. Uncaught JavaScript errors fail the test that caused them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from playwright.async_api import Browser, BrowserContext, Error, Page, async_playwright

from tests.conftest import LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Actions and navigations wait at most this long; a healthy test takes far less.
TIMEOUT_MS = 10_000

NewPage = Callable[[], Awaitable[Page]]


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()


@pytest.fixture
async def new_page(browser: Browser, live_server: LiveServer) -> AsyncIterator[NewPage]:
    """A factory of pages, each in a fresh browser context (its own cookies): one per user."""
    contexts: list[BrowserContext] = []
    errors: list[Error] = []

    async def open_page() -> Page:
        context = await browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = await context.new_page()
        page.on("pageerror", lambda error: errors.append(error))
        return page

    try:
        yield open_page
    finally:
        for context in contexts:
            await context.close()
    assert not errors, f"uncaught JavaScript errors: {errors}"


@pytest.fixture
async def page(new_page: NewPage) -> Page:
    return await new_page()
