"""A static files finder for front-end packages of which only a few files are served (three.js ships 10 MB of
builds; the 360° viewer needs two of them): `STATICFILES_SELECTED` lists (prefix, directory, file names), and
only those files are found and collected, under `prefix/`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error, Warning
from django.core.files.storage import FileSystemStorage


class SelectedFilesFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries: list[tuple[str, Path, tuple[str, ...]]] = [
            (prefix.strip("/"), Path(directory), tuple(names))
            for prefix, directory, names in getattr(settings, "STATICFILES_SELECTED", [])
        ]

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        problems: list[CheckMessage] = [
            Error(f"STATICFILES_SELECTED: {prefix} names a path with a directory: {name}", id="xuthanh.E001")
            for prefix, _directory, names in self.entries for name in names if "/" in name or name in ("", "..")
        ]
        missing = [f"{prefix}/{name}" for prefix, directory, names in self.entries for name in names
                   if "/" not in name and not (directory / name).is_file()]
        if missing:
            problems.append(Warning(f"front-end files missing: {', '.join(missing)}", id="xuthanh.W001",
                                    hint="Run `npm ci` (`make frontend`); until then the 360° views stay flat."))
        return problems

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str]:
        found: list[str] = []
        for prefix, directory, names in self.entries:
            head, _sep, name = path.rpartition("/")
            if head == prefix and name in names and (directory / name).is_file():
                found.append(str(directory / name))
                if not (find_all or kwargs.get("all")):
                    return found[0]
        return found if (find_all or kwargs.get("all")) else ""

    def list(self, ignore_patterns: list[str] | None) -> Iterator[tuple[str, FileSystemStorage]]:
        for prefix, directory, names in self.entries:
            if not directory.is_dir():
                continue  # npm not run: the pages that need the package say so (see guide's 360° view)
            storage = FileSystemStorage(location=str(directory))
            storage.prefix = prefix
            for name in names:
                if (directory / name).is_file():
                    yield name, storage
