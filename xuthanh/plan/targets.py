"""The plan's targets, computed from what the platform holds now — never typed in. Each measure asks the app
that provides it (wifi, kiosks, guide, translations, contests, campaigns, training, the catalogue and the open
API); a measure with nothing recorded yet answers "no data", never a number."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from xuthanh.plan.models import Measure

NARRATION_LANGUAGES = ("vi", "zh-hans", "en", "fr")  # the plan's item II.1: vi ↔ zh, en, fr


@dataclass(frozen=True)
class Target:
    measure: str
    value: float | None  # None: no data
    goal: float | None  # the plan's value for 2025 (None: the plan sets none)
    unit: str  # "%" or "" (a count)
    detail: str  # what the value is, in words, with the counts behind it
    by_year: dict[int, float | None] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(Measure(self.measure).label)

    @property
    def met(self) -> bool | None:
        if self.value is None or self.goal is None:
            return None
        return self.value >= self.goal


def _wifi_and_kiosks(now: dt.datetime) -> tuple[Target, Target]:
    from xuthanh.wifi import selectors as wifi

    years = wifi.coverage(now)
    last = years[-1] if years else None
    wifi_target = Target(
        Measure.WIFI, last.wifi_share if last else None, 100.0, "%",
        _("%(n)s of %(total)s key sites with a hotspot heard from in the last 7 days")
        % {"n": last.wifi_sites, "total": last.key_sites} if last and last.measured
        else _("no hotspot has reported yet"),
        {y.year: y.wifi_share for y in years})
    kiosk_target = Target(
        Measure.KIOSKS, last.kiosk_share if last else None, 100.0, "%",
        _("%(n)s of %(total)s locations named in the plan with all their planned kiosks working")
        % {"n": last.kiosk_locations, "total": last.named_locations} if last and last.kiosk_measured
        else _("no kiosk has reported yet"),
        {y.year: y.kiosk_share for y in years})
    return wifi_target, kiosk_target


def _narration() -> Target:
    from xuthanh.catalog.models import Place
    from xuthanh.guide.models import Narration

    key_sites = Place.objects.filter(key_site=True).count()
    languages: dict[int, set[str]] = {}
    for place_id, lang in (Narration.objects.filter(place__key_site=True).exclude(translations__script="")
                           .values_list("place_id", "translations__language_code")):
        languages.setdefault(place_id, set()).add(lang)
    complete = sum(1 for langs in languages.values() if set(NARRATION_LANGUAGES) <= langs)
    return Target(Measure.NARRATION, round(100 * complete / key_sites, 1) if key_sites else None, 100.0, "%",
                  _("%(n)s of %(total)s key sites narrated in Vietnamese, Chinese, English and French; %(some)s "
                    "in at least one language") % {"n": complete, "total": key_sites, "some": len(languages)})


def _translation() -> Target:
    from xuthanh.translations import selectors as desk

    shares = {}
    coverage = desk.coverage_now()
    for lang in ("en", "zh-hans"):
        total = done = reviewed = 0
        for per_lang in coverage.values():
            counts = per_lang.get(lang)
            if counts:
                total += counts["total"]
                done += counts["reviewed"] + counts["machine"]
                reviewed += counts["reviewed"]
        shares[lang] = (round(100 * done / total, 1) if total else None, round(100 * reviewed / total, 1)
                        if total else None, total)
    values = [s[0] for s in shares.values() if s[0] is not None]
    return Target(Measure.TRANSLATION, min(values) if len(values) == 2 else None, 100.0, "%",
                  _("published records translated (reviewed or machine draft, not outdated): English %(en)s %%, "
                    "Chinese %(zh)s %%; reviewed: English %(en_r)s %%, Chinese %(zh_r)s %%")
                  % {"en": shares["en"][0], "zh": shares["zh-hans"][0], "en_r": shares["en"][1],
                     "zh_r": shares["zh-hans"][1]})


def _contests(plan_years: tuple[int, ...] = (2020, 2022, 2024)) -> Target:
    from xuthanh.contests import selectors as contests

    by_year = {row.year: float(row.contests) for row in contests.figures()}
    held = sum(1 for year in plan_years if by_year.get(year))
    return Target(Measure.CONTESTS, float(held), float(len(plan_years)), "",
                  _("years of the plan (%(years)s) with a contest held; %(all)s contests in all")
                  % {"years": ", ".join(map(str, plan_years)), "all": int(sum(by_year.values()))}, by_year)


def _campaigns() -> Target:
    from xuthanh.campaigns import selectors as campaigns

    years = campaigns.by_year()
    total = sum(row.get("campaigns", 0) for row in years.values())
    clicks = sum(row.get("click", 0) for row in years.values())
    return Target(Measure.CAMPAIGNS, float(total) if years else None, None, "",
                  _("campaigns run (not drafts); %(clicks)s clicks on their links, %(trips)s trips planned after "
                    "them") % {"clicks": clicks, "trips": sum(row.get("trip", 0) for row in years.values())},
                  {y: float(row.get("campaigns", 0)) for y, row in years.items()})


def _portal() -> tuple[Target, Target, Target]:
    from xuthanh.api.models import ApiClient
    from xuthanh.catalog.models import Place
    from xuthanh.catalog.selectors import published
    from xuthanh.contests.models import Contest
    from xuthanh.guide.models import Scene
    from xuthanh.guide.selectors import tours_published

    places = published(Place).count()
    apps = {
        _("trip planner"): places > 0,
        _("audio guide"): tours_published().exists(),
        _("360° tours"): Scene.objects.exists(),
        _("contests"): Contest.objects.filter(published=True, sample=False).exists(),
        _("open API, feeds and widgets"): places > 0,
    }
    live = [name for name, on in apps.items() if on]
    partners = ApiClient.objects.filter(is_active=True).count()
    return (
        Target(Measure.PORTAL_APPS, float(len(live)), float(len(apps)), "",
               _("applications on the portal with published content: %(names)s") % {"names": ", ".join(live) or "–"}),
        Target(Measure.MOBILE_APP, 100.0 if places else 0.0, 100.0, "%",
               _("the installable app serves %(n)s published places offline") % {"n": places}),
        Target(Measure.FEEDS, float(partners), None, "",
               _("partner keys of the open API (feeds and widgets need none)")),
    )


def _training(plan_years: range = range(2020, 2026), tour_years: tuple[int, ...] = (2020, 2023)) -> tuple[Target,
                                                                                                     Target]:
    """People trained per year (a person once a year) and the plan's "one class a year"; study tours held
    (the plan: 2020 and 2023)."""
    from xuthanh.training import selectors as training

    found = training.summary()
    trained, classes, tours = found["trained"], found["classes"], found["study_tours"]
    audiences = found["audiences"]
    with_class = sum(1 for year in plan_years if classes.get(year))
    people = Target(
        Measure.TRAINED, float(sum(trained.values())) if trained else None, None, "",
        _("people trained in %(classes)s classes (state officials %(officials)s, businesses %(businesses)s, "
          "communities %(communities)s); years of the plan with a class: %(with)s of %(years)s")
        % {"classes": sum(classes.values()), "with": with_class, "years": len(plan_years), **audiences},
        {y: float(n) for y, n in trained.items()})
    held = sum(1 for year in tour_years if tours.get(year))
    study = Target(
        Measure.STUDY_TOURS, float(sum(tours.values())) if tours else None, float(len(tour_years)), "",
        _("study tours held; in the plan's years (%(years)s): %(held)s") % {
            "years": ", ".join(map(str, tour_years)), "held": held},
        {y: float(n) for y, n in tours.items()})
    return people, study


CACHE_SECONDS = 300


def current() -> dict[str, Target]:
    """`compute()` as of the last five minutes, per language (the public page and the dashboard read it: a
    few hundred queries at most once per five minutes, whatever the crowd or its query strings)."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    return cache.get_or_set(f"plan:targets:{get_language()}", compute, CACHE_SECONDS)


def compute(now: dt.datetime | None = None) -> dict[str, Target]:
    """Every measure of the plan, as of `now`."""
    now = now or timezone.now()
    wifi, kiosks = _wifi_and_kiosks(now)
    portal, app, feeds = _portal()
    trained, study_tours = _training()
    found = [wifi, kiosks, _narration(), _translation(), _contests(), _campaigns(), portal, app, feeds, trained,
             study_tours]
    return {t.measure: t for t in found}


def summary(found: dict[str, Target]) -> list[dict[str, Any]]:
    """Targets as rows for pages and reports, in the order of Measure."""
    return [{"target": found[m], "label": found[m].label} for m in Measure.values if m in found]
