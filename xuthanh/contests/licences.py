"""The licences an entry may carry, each with the version of its text the entrant accepted. A contest's rules
choose which of them it allows; a winning entry's licence becomes its catalogue photo's."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Licence:
    code: str
    name: object  # str or lazy translated text
    version: str  # the text's version the entrant accepts, stored with the entry
    url: str
    catalogue: str  # catalog.Photo.Licence value
    summary: object  # lazy translated text


LICENCES: dict[str, Licence] = {
    "CC-BY-SA-4.0": Licence(
        "CC-BY-SA-4.0", "CC BY-SA 4.0", "4.0", "https://creativecommons.org/licenses/by-sa/4.0/legalcode",
        "CC-BY-SA-4.0",
        _("Anyone may share and adapt the work, also commercially, naming you and sharing alike."),
    ),
    "CC-BY-4.0": Licence(
        "CC-BY-4.0", "CC BY 4.0", "4.0", "https://creativecommons.org/licenses/by/4.0/legalcode", "CC-BY-4.0",
        _("Anyone may share and adapt the work, also commercially, naming you."),
    ),
    "grant": Licence(
        "grant", _("Use grant to the department"), "2026-1", "", "permission",
        _("You keep the copyright; the Department of Culture, Sports and Tourism may use the work without "
          "payment to promote Thanh Hóa tourism, always naming you."),
    ),
}


def choices(codes: list[str] | tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    return [(code, licence.name) for code, licence in LICENCES.items() if codes is None or code in codes]
