"""Query parameters shared by the feeds and the widgets, checked strictly: a partner who mistypes a
parameter gets a 400 with a sentence saying what is wrong, not a silently unfiltered feed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext as _

from xuthanh.areas.models import Commune
from xuthanh.catalog.models import Tag
from xuthanh.core.languages import LANG_CODES, request_language

_TAG = re.compile(r"^[a-z0-9-]{1,40}$")


class BadParameter(ValueError):
    """A query parameter is malformed or unknown; the message is shown to the caller as is. It names the
    parameter and what it accepts, never repeats what was sent (an answer should not carry a caller's text)."""


@dataclass(frozen=True)
class Filters:
    lang: str
    commune: int | None = None
    kind: str = ""
    category: str = ""
    tag: str = ""
    former_district: str = ""
    limit: int = 0

    def key(self) -> str:
        """What shapes the answer, for the ETag."""
        return repr(self)


def parse(
    request: HttpRequest,
    *,
    kinds: Iterable[str] = (),
    categories: Iterable[str] = (),
    former_district: bool = False,
    limit: tuple[int, int] | None = None,
) -> Filters:
    """Filters from the query string. `kinds`/`categories`: allowed values (empty: parameter not
    accepted); `limit`: (default, maximum)."""
    get = request.GET
    lang = get.get("lang", "")
    if "lang" in get and lang not in LANG_CODES:
        raise BadParameter(_("Unknown language in “lang”; use one of %(codes)s.") % {"codes": ", ".join(LANG_CODES)})
    values: dict = {"lang": request_language(request, lang or None)}
    if get.get("commune"):
        values["commune"] = _commune(get["commune"])
    if get.get("tag"):
        values["tag"] = _tag(get["tag"])
    for name, allowed in (("kind", list(kinds)), ("category", list(categories))):
        value = get.get(name, "")
        if value and allowed:
            if value not in allowed:
                raise BadParameter(
                    _("Unknown value of “%(name)s”; use one of %(allowed)s.")
                    % {"name": name, "allowed": ", ".join(allowed)}
                )
            values[name] = value
    if former_district and get.get("former_district"):
        value = get["former_district"].strip()
        if len(value) > 60:
            raise BadParameter(_("former_district is longer than 60 characters."))
        values["former_district"] = value
    if limit is not None:
        values["limit"] = _limit(get.get("limit", ""), *limit)
    return Filters(**values)


def _commune(value: str) -> int:
    if not value.isdigit() or len(value) > 6:
        raise BadParameter(_("commune must be an official commune/ward code (digits), e.g. 16531."))
    code = int(value)
    if not Commune.objects.filter(code=code).exists():
        raise BadParameter(_("No commune or ward of Thanh Hóa has the code %(code)s.") % {"code": code})
    return code


def _tag(value: str) -> str:
    if not _TAG.match(value) or not Tag.objects.filter(slug=value).exists():
        raise BadParameter(_("Unknown interest in “tag”; use the code of an interest, e.g. history or beach."))
    return value


def _limit(value: str, default: int, maximum: int) -> int:
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= maximum:
        raise BadParameter(_("limit must be a whole number from 1 to %(max)s.") % {"max": maximum})
    return int(value)
