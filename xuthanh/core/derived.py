"""Values derived from the published content that many requests read and only a content write changes (the
portal's filter choices: which interests, communes and former districts have published places). Each
process keeps them for the current content version (`core.pagecache.content_version`, bumped by every
write to a content model) and works them out again on the first request after a write; every language or
argument is a separate value. Unlike the page cache, one value serves every URL that needs it."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from xuthanh.core.pagecache import content_version

F = TypeVar("F", bound=Callable[..., Any])
MAX_VALUES = 4096  # per function and version: arguments from a query string cannot grow memory without end


def per_content_version(func: F) -> F:
    """`func(*args)` computed once per content version and arguments (positional, hashable) in this process."""
    state: dict[str, Any] = {"version": None, "values": {}}
    lock = threading.Lock()

    @functools.wraps(func)
    def wrapper(*args: Any) -> Any:
        version = content_version()
        with lock:
            if state["version"] != version:
                state["version"], state["values"] = version, {}
            if args in state["values"]:
                return state["values"][args]
        value = func(*args)
        with lock:
            if state["version"] == version and len(state["values"]) < MAX_VALUES:  # else: computed again
                state["values"][args] = value
        return value

    return wrapper  # type: ignore[return-value]
