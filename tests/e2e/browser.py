"""Helpers of the browser tests."""

from __future__ import annotations

import time
from typing import Any


def wait_for(page: Any, expression: str, arg: Any = None, *, timeout: float = 15_000) -> None:
    """Like Playwright's `wait_for_function`, polled from the test: Playwright's own polling evaluates the
    predicate from a string inside the page, which the pages' Content-Security-Policy refuses (no
    'unsafe-eval', core.csp), while `evaluate` reaches the page through the browser's debugging protocol.
    `expression` is a JavaScript expression, or a function (sync or async) called with `arg`."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            if page.evaluate(expression, arg):
                return
        except Error as exc:  # the page navigated while we asked: ask again
            if "context was destroyed" not in str(exc) and "navigation" not in str(exc):
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout / 1000:g} s: {expression}")
        page.wait_for_timeout(50)
