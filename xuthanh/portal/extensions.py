"""Sections that apps above the portal add to its pages without the portal importing them: an app registers
a function (request, object) → HTML or None in its AppConfig.ready(), and the page shows what each returns,
in the order registered (the audio guide adds a place's narration and its guided tours)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from markupsafe import Markup

PlaceSection = Callable[[HttpRequest, Any], str | None]
_PLACE_SECTIONS: list[PlaceSection] = []


def register_place_section(section: PlaceSection) -> PlaceSection:
    if section not in _PLACE_SECTIONS:
        _PLACE_SECTIONS.append(section)
    return section


def place_sections(request: HttpRequest, place: Any) -> list[Markup]:
    """The HTML each registered section gives for the place page (already escaped by its own template)."""
    return [Markup(html) for section in _PLACE_SECTIONS if (html := section(request, place))]  # noqa: S704
