"""The template environment of every public page (portal, trips, news, accounts, widgets, the app shell).

Public pages are rendered by Jinja2, which compiles a template to Python code once; the Django template
language walks a tree of nodes on every render, which cost a place page about 3 ms of its 5 ms without the
page cache. The back office (the Django admin) keeps the Django template language.

Conventions of the templates (so that ``manage.py makemessages`` finds their strings, as it does in Django
templates): a translated text is ``{{ _("Text") }}``, with values ``{{ _("%(n)s km") % {"n": km} }}``; a
translation holding markup is ``{{ _('Lunch at <a href="%(url)s">%(name)s</a>')|markup % {...} }}`` (the
values are escaped, the translation is trusted as Django's ``blocktranslate`` trusts it). Plurals are the
Python helpers below (``places_count``…), where ``ngettext`` is seen by makemessages. ``{% trans %}`` is not
used. ``_``, ``url`` and the language are bound once per page by ``page_context`` (no lookup of the active
language for every string), and ``url``/``static`` results are memoised: they depend only on the URL
configuration, the language and the deployment's script prefix.
"""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import jinja2
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import HttpRequest
from django.templatetags.static import static as django_static
from django.urls import get_script_prefix, reverse
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.html import json_script
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, gettext_noop, ngettext, trans_real
from django.utils.translation import override as translation_override
from markupsafe import Markup, escape

from xuthanh.core.hours import format_minutes
from xuthanh.portal import seo


@functools.lru_cache(maxsize=8192)
def _reverse(language: str, prefix: str, name: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]) -> str:
    """``reverse`` for one language and script prefix (the active ones when it is called)."""
    return reverse(name, args=args or None, kwargs=dict(kwargs) or None)


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """The path of a named URL in the active language, like ``{% url %}`` (pages get one bound to their
    language by ``page_context``)."""
    return _reverse(get_language() or settings.LANGUAGE_CODE, get_script_prefix(), name, args, tuple(kwargs.items()))


def _url_in(language: str, prefix: str) -> Any:
    def url(name: str, *args: Any, **kwargs: Any) -> str:
        return _reverse(language, prefix, name, args, tuple(kwargs.items()))

    return url


@functools.lru_cache(maxsize=1024)
def static(path: str) -> str:
    return django_static(path)


# ---- filters ---------------------------------------------------------------------------------------------


_NUMERIC = {
    "d": lambda d: f"{d.day:02d}",
    "j": lambda d: str(d.day),
    "m": lambda d: f"{d.month:02d}",
    "n": lambda d: str(d.month),
    "Y": lambda d: f"{d.year:04d}",
}


@functools.lru_cache(maxsize=256)
def _numeric_format(arg: str) -> tuple | None:
    """The parts of a date format made only of numbers (d, j, m, n, Y) and separators; None otherwise."""
    parts: list = []
    for char in arg:
        if char in _NUMERIC:
            parts.append(_NUMERIC[char])
        elif char.isalpha() or char == "\\":
            return None
        else:
            parts.append(char)
    return tuple(parts)


def date(value: Any, arg: str | None = None) -> str:
    """Django's ``date`` filter: a format string (``"d/m/Y"``) or a format name (``"DATE_FORMAT"``), in the
    active language. Numeric formats (the lists' "d/m/Y", "Y-m-d") are written directly."""
    if value in (None, ""):
        return ""
    parts = _numeric_format(arg) if arg and not arg.isupper() else None
    if parts is not None and hasattr(value, "year"):
        return "".join(part if isinstance(part, str) else part(value) for part in parts)
    from django.template.defaultfilters import date as django_date

    return django_date(value, arg)


def localtime(value: Any) -> Any:
    """An aware date-time in the platform's time zone (what Django's templates do to every date-time shown)."""
    from django.utils import timezone

    return timezone.localtime(value) if value is not None and timezone.is_aware(value) else value


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@jinja2.pass_context
def weekday(context: Any, value: Any) -> str:
    """The day's name in the page's language (what ``date("l")`` says)."""
    return context.get("_", gettext)(_WEEKDAYS[value.weekday()])


@jinja2.pass_context
def floatformat(context: Any, value: Any, places: int = 1) -> str:
    """A number with ``places`` decimals in the page language's notation ("4,5" in vi and fr, "4.5" in en)."""
    try:  # as Django's floatformat: the decimal written, rounded half up (4.25 -> 4.3)
        number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    except (TypeError, ValueError, ArithmeticError):
        return ""
    language = context.get("LANGUAGE_CODE") or get_language()
    return numberformat.format(number, get_format("DECIMAL_SEPARATOR", language), places)


def linebreaks(value: Any) -> SafeString:
    from django.utils.html import linebreaks as django_linebreaks

    return mark_safe(django_linebreaks(value, autoescape=True))  # noqa: S308 - escaped by linebreaks


def truncatechars(value: Any, length: int) -> str:
    return Truncator(value).chars(length)


def truncatewords(value: Any, length: int) -> str:
    return Truncator(value).words(length, truncate=" …")


def urlquote(value: Any, safe: str = "/") -> str:
    """Django's ``urlencode`` filter (``safe=""`` quotes slashes too)."""
    from urllib.parse import quote

    return quote(str(value), safe=safe)


def hhmm(minutes: int) -> str:
    return format_minutes(int(minutes))


def vnd_in(amount: int | None, language: str) -> str:
    """An amount of đồng grouped as the language writes thousands: "40.000 ₫" (vi, de, da), "40,000 ₫" (en,
    zh, ja, ko), "40 000 ₫" with a no-break space (fr, ru): Django's formats of the language."""
    if amount is None:
        return ""
    separator = get_format("THOUSAND_SEPARATOR", language) or ","  # Django's Chinese formats group with none
    return numberformat.format(int(amount), ".", grouping=3, thousand_sep=separator, force_grouping=True) + " ₫"


@jinja2.pass_context
def vnd(context: Any, amount: int | None) -> str:
    return vnd_in(amount, context.get("LANGUAGE_CODE") or get_language())


def duration(minutes: int) -> str:
    """A travel time in the active language: "1 h 35 min", "1 giờ 35 phút", "1小时35分钟"…"""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return gettext("%(m)s min") % {"m": rest}
    if not rest:
        return gettext("%(h)s h") % {"h": hours}
    return gettext("%(h)s h %(m)s min") % {"h": hours, "m": f"{rest:02d}"}


def markup(value: str) -> Markup:
    """A translation that holds markup, trusted as Django's blocktranslate trusts it; ``%`` escapes the values."""
    return Markup(value)  # noqa: S704 - only ever applied to our own translated strings


# ---- helpers ---------------------------------------------------------------------------------------------


def select_options(choices: list[tuple[Any, Any]], selected: Any) -> Markup:
    """The <option> elements of a filter's <select>: (value, label) pairs, the one equal to `selected`
    marked; values and labels escaped."""
    chosen = "" if selected is None else str(selected)
    return Markup(  # noqa: S704 - every value and label is escaped here
        "".join(
            f'<option value="{escape(str(value))}"{" selected" if chosen and str(value) == chosen else ""}>'
            f"{escape(str(label))}</option>"
            for value, label in choices
        )
    )


def querystring(request: HttpRequest, **changes: Any) -> str:
    """The request's query string with ``changes`` applied (None removes a key), like ``{% querystring %}``."""
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params or request.GET else ""


def page_seo(request: HttpRequest | None) -> dict[str, Any]:
    """Canonical URL, hreflang alternates (every language, and x-default: the unprefixed address that
    redirects to the visitor's language) and OpenGraph locale of the page being rendered."""
    if request is None:
        return {}
    return {
        "canonical": seo.canonical_url(request),
        "alternates": seo.alternates(request),
        "x_default": seo.x_default_url(request),
        "og_locale": seo.og_locale(),
    }


def places_count(n: int) -> str:
    return ngettext("%(n)s place", "%(n)s places", n) % {"n": n}


def visits_count(n: int) -> str:
    return ngettext("%(n)s visit", "%(n)s visits", n) % {"n": n}


_MEMO_LIMIT = 4096  # texts remembered per language (the templates' literals are about 600)


# ---- which language a text is in ------------------------------------------------------------------------
# A text shown in another language than the page's (a translation not made yet) is never passed off as the
# page's: it carries its own `lang` attribute (screen readers and fonts follow it), and the page says so once.


@jinja2.pass_context
def lang_attr(context: Any, code: str | None) -> Markup:
    """` lang="en"` when a text is in `code` and the page is not; nothing when they agree."""
    if not code or code == context.get("LANGUAGE_CODE"):
        return Markup("")
    return Markup(' lang="%s"') % code


@jinja2.pass_context
def served(context: Any, obj: Any) -> str:
    """The language `obj`'s texts are really shown in on this page (its translation, or a fallback)."""
    from xuthanh.core.languages import served_language

    return served_language(obj, context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE)


def language_name(code: str) -> str:
    """A language's own name for itself (Tiếng Việt, English, 简体中文…)."""
    return settings.KNOWN_LANGUAGES.get(code, code)


_NOT_YET_TRANSLATED = gettext_noop("Not yet translated into %(language)s: shown in %(shown)s.")


@jinja2.pass_context
def untranslated_note(context: Any, code: str | None) -> Markup:
    """A visible note, in the page's language, when the texts below are in `code` because no translation into
    the page's language exists yet."""
    page = context.get("LANGUAGE_CODE")
    if not code or code == page:
        return Markup("")
    text = context["_"](_NOT_YET_TRANSLATED)
    names = {
        "language": Markup('<span lang="%s">%s</span>') % (page, language_name(page)),
        "shown": Markup('<span lang="%s">%s</span>') % (code, language_name(code)),
    }
    return Markup('<p class="lang-note" role="note">%s</p>') % (escape(text) % names)


@functools.lru_cache(maxsize=256)
def _audience_words(audience: str, page: str) -> frozenset[str]:
    """How a ticket's audience is said on the page and in the labels' two languages (casefolded)."""
    from xuthanh.catalog.models import TicketPrice

    label = TicketPrice.Audience(audience).label
    words = set()
    for language in {page, "vi", "en"}:
        with translation_override(language):
            words.add(str(label).casefold())
    return frozenset(words)


@jinja2.pass_context
def ticket_label(context: Any, ticket: Any) -> Markup:
    """The detail of a ticket price in the page's language, in parentheses, when there is one worth saying: the
    Vietnamese label on Vietnamese pages, the English one elsewhere (marked as English on other pages); none
    when it only repeats who the price is for."""
    page = context.get("LANGUAGE_CODE")
    text, code = (ticket.label, "vi") if page == "vi" else (ticket.label_en, "en")
    if not text or text.strip().casefold() in _audience_words(ticket.audience, page):
        return Markup("")
    return Markup(" (<span%s>%s</span>)") % (lang_attr(context, code), text)


def price_range(place: Any) -> str:
    """“400,000–900,000 ₫”, “from 400,000 ₫” or “up to 900,000 ₫”, in the page's number format."""
    low, high = place.price_from_vnd, place.price_to_vnd
    lang = get_language()
    if low and high:
        return f"{vnd_in(low, lang)}–{vnd_in(high, lang)}" if low != high else vnd_in(low, lang)
    if low:
        return gettext("from %(price)s") % {"price": vnd_in(low, lang)}
    return gettext("up to %(price)s") % {"price": vnd_in(high, lang)}


# ---- photos ---------------------------------------------------------------------------------------------


def photo_picture(photo: Any, *, alt: str, sizes: str, lazy: bool = True) -> Markup:
    """A photo as <picture>: AVIF and WebP `srcset`s of its renditions (made in the background queue) and an
    <img> of its reduced copy with width and height (no layout shift); lazy below the fold. `photo` is a Photo
    or a card's CardPhoto."""
    from django.core.files.storage import default_storage

    from xuthanh.core.images import RENDITION_FORMATS

    url = getattr(photo, "url", None) or (photo.small.url if photo.small else photo.image.url)
    sources = []
    for fmt in RENDITION_FORMATS:
        widths = (getattr(photo, "renditions", None) or {}).get(fmt) or {}
        if widths:
            steps = sorted(widths.items(), key=lambda item: int(item[0]))
            srcset = ", ".join(f"{default_storage.url(name)} {w}w" for w, name in steps)
            sources.append(Markup('<source type="image/%s" srcset="%s" sizes="%s">') % (fmt, srcset, sizes))
    size = Markup(' width="%s" height="%s"') % (photo.width, photo.height) if photo.width and photo.height else ""
    loading = Markup(' loading="lazy" decoding="async"') if lazy else ""
    img = Markup('<img src="%s" alt="%s"%s%s>') % (url, alt, size, loading)
    return Markup("<picture>%s%s</picture>") % (Markup("").join(sources), img)


def _gettext_of(language: str) -> Any:
    """``gettext`` in `language`, remembering each text's translation: a page asks for about 60, each of which
    gettext looks up in a chain of catalogues. The memory hangs on Django's translation object, so that it goes
    when Django drops its translations (a test changing LOCALE_PATHS, say)."""
    catalogue = trans_real.translation(language)
    memo = getattr(catalogue, "_xuthanh_memo", None)
    if memo is None:
        memo = catalogue._xuthanh_memo = {}
    translate = catalogue.gettext

    def gettext(message: str) -> str:
        found = memo.get(message)
        if found is None:
            found = translate(message)
            if len(memo) < _MEMO_LIMIT:
                memo[message] = found
        return found

    return gettext


def page_context(request: HttpRequest) -> dict[str, Any]:
    """Per page: the active language, its translation and URLs bound once (``_``, ``url``), the map tiles."""
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "_": _gettext_of(language),
        "url": _url_in(language, get_script_prefix()),
        "LANGUAGE_CODE": language,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
    }


def environment(**options: Any) -> jinja2.Environment:
    env = jinja2.Environment(**options)  # noqa: S701 - the backend sets autoescape=True
    env.globals.update(
        _=gettext,
        url=url,
        static=static,
        select_options=select_options,
        querystring=querystring,
        page_seo=page_seo,
        places_count=places_count,
        visits_count=visits_count,
        json_script=json_script,
        urlencode=urlencode,
        lang_attr=lang_attr,
        served=served,
        untranslated_note=untranslated_note,
        ticket_label=ticket_label,
        photo_picture=photo_picture,
        price_range=price_range,
        language_name=language_name,
    )
    env.filters.update(
        date=date,
        floatformat=floatformat,
        weekday=weekday,
        linebreaks=linebreaks,
        truncatechars=truncatechars,
        truncatewords=truncatewords,
        urlquote=urlquote,
        hhmm=hhmm,
        vnd=vnd,
        duration=duration,
        intcomma=intcomma,
        markup=markup,
        localtime=localtime,
    )
    return env
