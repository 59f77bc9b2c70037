"""The contests shipped with the platform: those about Thanh Hóa held before it, from their published sources
(data/past_contests.toml), and one sample contest to show the whole cycle (data/sample_contest.toml)."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from xuthanh.contests.models import Category, Contest
from xuthanh.orgs.models import Organisation

DATA = Path(__file__).resolve().parent / "data"
LANGS = ("vi", "en", "zh_Hans", "fr")


def _moment(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return timezone.make_aware(dt.datetime.combine(value, dt.time(12)))
    return None


@transaction.atomic
def load(data_dir: Path = DATA) -> tuple[int, int]:
    """(past contests, sample contests) stored or updated; idempotent."""
    past = tomllib.loads((data_dir / "past_contests.toml").read_text(encoding="utf-8"))["contest"]
    for row in past:
        contest, _created = Contest.objects.update_or_create(slug=row["slug"], defaults={
            "year": row["year"], "organiser_name": row.get("organiser", ""), "published": True, "sample": False,
            "source_url": row["source"], "reported_entries": row.get("entries"),
            "reported_contributors": row.get("contributors"), "submissions_open": None, "submissions_close": None,
            "results_at": _moment(row.get("results_on")),
        })
        for lang, key in (("vi", "title_vi"), ("en", "title_en")):
            contest.set_current_language(lang)
            contest.title = row[key]
            contest.prizes = row.get("prizes", "") if lang == "vi" else ""
        contest.save()
    sample = tomllib.loads((data_dir / "sample_contest.toml").read_text(encoding="utf-8"))
    department = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).first()
    contest, _created = Contest.objects.update_or_create(slug=sample["slug"], defaults={
        "year": sample["year"], "organiser": department, "published": True, "sample": True,
        **{k: sample[k] for k in ("submissions_open", "submissions_close", "vote_open", "vote_close", "results_at",
                                  "votes_per_category", "licences", "allow_video_links", "min_photo_side",
                                  "max_film_seconds", "max_film_mb")},
    })
    for lang in LANGS:
        contest.set_current_language(lang)
        for field in ("title", "theme", "rules", "prizes"):
            setattr(contest, field, sample[field].get(lang, ""))
    contest.save()
    for position, row in enumerate(sample["category"]):
        category, _created = Category.objects.update_or_create(
            contest=contest, slug=row["slug"], defaults={"kind": row["kind"], "position": position})
        for lang in LANGS:
            category.set_current_language(lang)
            category.name = row[lang]
        category.save()
    return len(past), 1
