"""Which language to answer in and which one was really served, for every public reader of translated
(django-parler) content: the open API, the feeds and the widgets.

`?lang=` wins, then the request's language (Accept-Language, cookie), then the default. Missing
translations fall back as PARLER_LANGUAGES says: English to Vietnamese, others to English then Vietnamese.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.http import HttpRequest

LANG_CODES = tuple(code for code, _name in settings.LANGUAGES)


def prefixes() -> tuple[str, ...]:
    """The path prefixes of the pages in each language: ("/vi/", "/en/", …)."""
    return tuple(f"/{code}/" for code, _name in settings.LANGUAGES)


def request_language(request: HttpRequest, requested: str | None) -> str:
    """`requested` (already validated against LANG_CODES) or the request's language or the default."""
    if requested:
        return requested
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return current if current in LANG_CODES else settings.LANGUAGE_CODE


def translated(obj: Any, field: str, lang: str) -> str:
    """The field in `lang`, or in its fallback languages; "" when none has it."""
    obj.set_current_language(lang)
    return obj.safe_translation_getter(field, default="") or ""


def served_language(obj: Any, lang: str, *, field: str = "name") -> str:
    """The language whose translation is really shown for `lang` (the first with a non-empty `field`)."""
    present = {t.language_code for t in obj.translations.all() if getattr(t, field, "")}
    for code in fallback_chain(lang):
        if code in present:
            return code
    return settings.LANGUAGE_CODE


def fallback_chain(lang: str) -> list[str]:
    """`lang` and the languages a missing translation falls back to, in order (PARLER_LANGUAGES): for
    "zh-hans" ["zh-hans", "en", "vi"], for "en" ["en", "vi"], for "vi" ["vi"]."""
    from parler import appsettings

    languages = appsettings.PARLER_LANGUAGES
    key = (id(languages), lang)
    chain = _CHAINS.get(key)
    if chain is None:  # parler works the fallbacks out of its settings on every call: keep the answer
        chain = _CHAINS[key] = tuple(dict.fromkeys([lang, *languages.get_fallback_languages(lang)]))
    return list(chain)


_CHAINS: dict[tuple[int, str], tuple[str, ...]] = {}


def first_in_chain(rows: Iterable[tuple[Any, str, Any]], lang: str) -> dict[Any, tuple[str, Any]]:
    """{key: (language, value)} from rows (key, language, value) of translated content: for each key, the row
    whose language comes first in `lang`'s fallback chain, as parler chooses a translation (rows in languages
    outside the chain are left out). For flat rows read without model instances (cards, narrations, tours)."""
    rank = {code: i for i, code in enumerate(fallback_chain(lang))}
    best: dict[Any, tuple[int, str, Any]] = {}
    for key, code, value in rows:
        if code in rank and (key not in best or rank[code] < best[key][0]):
            best[key] = (rank[code], code, value)
    return {key: (code, value) for key, (_rank, code, value) in best.items()}


def translations_prefetch(model: type, lang: str, lookup: str = "translations") -> Any:
    """A Prefetch of `model`'s translation rows in `lang` and its fallbacks only, at `lookup` (e.g.
    "translations", or "photos__translations" with `model` = Photo). Parler reads prefetched rows and
    falls back among them exactly as it does over all rows, so a page that shows one language loads one to
    three rows per object instead of one per configured language."""
    from django.db.models import Prefetch

    rows = model._parler_meta.root_model.objects.filter(language_code__in=fallback_chain(lang))
    return Prefetch(lookup, queryset=rows)
