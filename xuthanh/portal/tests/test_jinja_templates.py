"""The public pages' Jinja2 templates (xuthanh/portal/jinja2env.py): written in the one convention that
`makemessages` reads (``_("…")``, no Django tags, no ``{% trans %}``), every string they show is translated in
every shipped catalogue, and values put into a translation are escaped while the translation's own markup is
kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation
from django.utils.translation.template import templatize
from django.utils.translation.trans_real import translation as catalogue

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(p for p in ROOT.glob("*/jinja2/**/*.html"))
MSGID = re.compile(r"""\b_\((?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\)""")
DJANGO_TAGS = re.compile(r"{%\s*(load|url|static|translate|trans|blocktranslate|blocktrans|csrf_token|empty)\b")


def _msgids(path: Path) -> list[str]:
    return [(a or b).replace('\\"', '"').replace("\\'", "'") for a, b in MSGID.findall(path.read_text())]


def test_every_public_page_template_is_jinja2_and_found():
    names = {str(p.relative_to(p.parents[1])) for p in TEMPLATES}
    assert {"portal/base.html", "portal/place_detail.html", "itinerary/trip.html", "feeds/widget_base.html"} <= names
    for path in TEMPLATES:
        assert not DJANGO_TAGS.search(path.read_text()), f"{path}: a Django template tag in a Jinja2 template"
        engines["jinja2"].get_template(str(path.relative_to(path.parents[1])))  # compiles


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_makemessages_finds_every_string_of_the_template(path: Path):
    """makemessages reads an .html file as a Django template (templatize): ``_("…")`` in a ``{{ }}`` is
    what it extracts, so every string of the template must be written that way."""
    extracted = templatize(path.read_text())
    for msgid in _msgids(path):
        assert msgid.replace('"', '\\"') in extracted or msgid in extracted, f"{path.name}: {msgid!r}"


@pytest.mark.parametrize("language", ["vi", "fr", "zh-hans"])
def test_every_template_string_is_translated(language: str):
    catalog = catalogue(language)._catalog
    missing = sorted({m for p in TEMPLATES for m in _msgids(p) if not catalog.get(m)})
    assert missing == []


def test_values_are_escaped_inside_a_translation_and_its_markup_is_kept():
    template = engines["jinja2"].from_string(
        """{{ _("%(n)s km") % {"n": name} }}|{{ _('Lunch at <a href="%(lunch_url)s">%(name)s</a>')|markup % """
        """{"lunch_url": "/x?a=1&b=2", "name": name} }}"""
    )
    with translation.override("en"):
        html = template.render({"name": "<b>Sầm Sơn</b>"})
    assert html == (
        "&lt;b&gt;Sầm Sơn&lt;/b&gt; km|Lunch at <a href=\"/x?a=1&amp;b=2\">&lt;b&gt;Sầm Sơn&lt;/b&gt;</a>"
    )


@pytest.mark.parametrize("language", ["vi", "en", "zh-hans", "fr"])
def test_the_fast_filters_say_what_djangos_say(language: str):
    """Numeric dates, numbers and weekday names are written without Django's format machinery; the text is the
    same as its `date`, `floatformat` and `date:"l"` filters give, in every language."""
    import datetime as dt

    from django.template import defaultfilters

    from xuthanh.portal import jinja2env

    template = engines["jinja2"].from_string(
        "{{ day|date('d/m/Y') }}|{{ day|date('j/n/Y') }}|{{ day|date('Y-m') }}|{{ day|date('DATE_FORMAT') }}"
        "|{{ day|weekday }}|{{ km|floatformat(1) }}|{{ km|floatformat(0) }}"
    )
    with translation.override(language):
        for day, km in ((dt.date(2027, 2, 6), 4.25), (dt.date(2026, 12, 31), 12.75), (dt.date(2027, 1, 4), 0.05)):
            html = template.render({**jinja2env.page_context(None), "day": day, "km": km})
            expected = [
                defaultfilters.date(day, "d/m/Y"),
                defaultfilters.date(day, "j/n/Y"),
                defaultfilters.date(day, "Y-m"),
                defaultfilters.date(day, "DATE_FORMAT"),
                defaultfilters.date(day, "l"),
                defaultfilters.floatformat(km, 1),
                defaultfilters.floatformat(km, 0),
            ]
            assert html.split("|") == [str(e) for e in expected]


@pytest.mark.parametrize("language", ["vi", "en", "zh-hans", "fr"])
def test_a_pages_translations_are_gettexts_remembered(language: str):
    """A page's ``_`` answers what gettext answers for every string of every template, and asks the
    catalogues once per text (then the remembered answer), until Django drops its translations."""
    from unittest import mock

    from django.utils.translation import gettext

    from xuthanh.portal.jinja2env import _gettext_of

    messages = sorted({m for p in TEMPLATES for m in _msgids(p)})
    with translation.override(language):
        expected = [gettext(m) for m in messages]
        assert [_gettext_of(language)(m) for m in messages] == expected
        with mock.patch.object(type(catalogue(language)), "gettext", side_effect=AssertionError("asked again")):
            assert [_gettext_of(language)(m) for m in messages] == expected
    fresh = _gettext_of(language)
    catalogue(language).__dict__.pop("_xuthanh_memo")  # as when Django makes new translation objects
    with mock.patch.object(type(catalogue(language)), "gettext", return_value="new") as asked:
        assert _gettext_of(language)(messages[0]) == "new" and asked.called
    catalogue(language).__dict__.pop("_xuthanh_memo")  # not to leave "new" to the tests after
    assert fresh(messages[0]) == expected[0]
