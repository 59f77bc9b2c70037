"""Reads of contests for pages, the API and plan monitoring: contests by phase, a gallery page (keyset paging
over an index, flat rows: fast at 10,000 entries without the page cache), an entry, results, the fraud signals
moderators see before results, and the figures of contests held."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import Count, Min, Q
from django.utils import timezone, translation

from xuthanh.contests.models import Award, Category, Contest, Entrant, Entry, EntryTranslation, Round, Vote
from xuthanh.core.derived import per_content_version


def contests_public() -> list[Contest]:
    return list(Contest.objects.filter(published=True).prefetch_related("translations"))


@per_content_version
def contest(slug: str, lang: str) -> Contest | None:
    """A published contest with its categories, read once per content version and language in a process
    (every page of a contest starts with it; a contest or category write bumps the version). Read-only."""
    with translation.override(lang):
        found = (Contest.objects.filter(slug=slug, published=True).select_related("organiser")
                 .prefetch_related("translations", "categories__translations").first())
        if found is not None:
            list(found.categories.all())
    return found


@dataclass(frozen=True)
class Card:
    id: int
    title: str
    author: str
    kind: str
    small_url: str
    votes: int
    category_id: int
    licence: str


def gallery(contest_: Contest, *, lang: str, category: Category | None = None, before: int | None = None,
            size: int = 48) -> tuple[list[Card], int | None]:
    """A page of accepted entries, newest first, and the id to continue before (None at the end)."""
    qs = Entry.objects.filter(contest=contest_, state=Entry.State.ACCEPTED)
    if category is not None:
        qs = qs.filter(category=category)
    if before:
        qs = qs.filter(pk__lt=before)
    rows = list(qs.order_by("-id").values_list("pk", "entrant__credit_name", "kind", "small", "votes",
                                                 "category_id", "licence")[: size + 1])
    more = rows[size][0] if len(rows) > size else None
    rows = rows[:size]
    titles = _titles([r[0] for r in rows], lang)
    cards = [Card(pk, titles.get(pk, ""), author, kind, default_storage.url(small) if small else "", votes,
                  category_id, licence)
             for pk, author, kind, small, votes, category_id, licence in rows]
    return cards, (rows[-1][0] if more else None)


def _titles(ids: list[int], lang: str) -> dict[int, str]:
    found: dict[int, str] = {}
    rows = EntryTranslation.objects.filter(master_id__in=ids, language_code__in={lang, "vi"}).values_list(
        "master_id", "language_code", "title")
    for master_id, code, title in rows:
        if code == lang or master_id not in found:
            found[master_id] = title
    return found


def entry(contest_: Contest, pk: int) -> Entry | None:
    return (Entry.objects.filter(contest=contest_, pk=pk).select_related("entrant", "category", "place")
            .prefetch_related("translations", "pictures", "awards").first())


def my_entries(contest_: Contest, user: Any) -> list[Entry]:
    return list(Entry.objects.filter(contest=contest_, entrant__user=user).select_related("category")
                .prefetch_related("translations"))


def awards(contest_: Contest) -> list[Award]:
    return list(Award.objects.filter(contest=contest_).select_related("entry__entrant", "entry__category")
                .prefetch_related("entry__translations").order_by("entry__category__position", "rank", "id"))


def rounds_for(juror: Any) -> list[Round]:
    return list(Round.objects.filter(jurors=juror, state=Round.State.OPEN).select_related("contest", "category")
                .annotate(todo=Count("tasks", filter=Q(tasks__juror=juror, tasks__value=None)),
                          total=Count("tasks", filter=Q(tasks__juror=juror))))


# --- fraud signals -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Signal:
    kind: str  # "address" | "burst" | "fresh"
    entry_id: int | None
    detail: str
    votes: int


def fraud_signals(contest_: Contest, *, accounts_per_address: int = 5, burst_minutes: int = 10,
                  burst_votes: int = 30, fresh_hours: int = 24) -> list[Signal]:
    """What a moderator should look at before the results: many voters from one address, an entry receiving
    a burst of votes, and entries whose votes come mostly from accounts made just before voting."""
    signals: list[Signal] = []
    votes = Vote.objects.filter(entry__contest=contest_)
    for address, voters, count in (votes.exclude(address="").values("address")
                                   .annotate(voters=Count("voter", distinct=True), n=Count("id"))
                                   .filter(voters__gte=accounts_per_address)
                                   .values_list("address", "voters", "n").order_by("-voters")[:50]):
        signals.append(Signal("address", None, f"{voters} accounts voted from one address ({address[:8]}…)", count))
    window = dt.timedelta(minutes=burst_minutes)
    per_entry: dict[int, list[dt.datetime]] = {}
    for entry_id, created in votes.values_list("entry_id", "created_at").order_by("entry_id", "created_at"):
        per_entry.setdefault(entry_id, []).append(created)
    for entry_id, times in per_entry.items():
        start, worst = 0, 0
        for end, moment in enumerate(times):
            while moment - times[start] > window:
                start += 1
            worst = max(worst, end - start + 1)
        if worst >= burst_votes:
            signals.append(Signal("burst", entry_id, f"{worst} votes within {burst_minutes} minutes", worst))
    fresh = dt.timedelta(hours=fresh_hours)
    for entry_id, total, young in (votes.values("entry_id").annotate(
            n=Count("id"), young=Count("id", filter=Q(voter__date_joined__gte=timezone.now() - fresh)))
            .values_list("entry_id", "n", "young")):
        if total >= 10 and young * 2 > total:
            signals.append(Signal("fresh", entry_id, f"{young} of {total} votes from accounts made in the last "
                                                     f"{fresh_hours} hours", young))
    return signals


# --- figures for plan monitoring -----------------------------------------------------------------------------

@dataclass(frozen=True)
class YearFigures:
    year: int
    contests: int
    entries: int
    contributors: int
    media_added: int
    estimated: bool  # some figures come from published reports, not from this platform's records


def figures() -> list[YearFigures]:
    """Per year: contests held, entries, contributors and media added to the catalogue; contests held before
    this platform count with the figures their sources reported."""
    by_year: dict[int, dict[str, Any]] = {}
    for c in Contest.objects.filter(published=True, sample=False).annotate(
            n_entries=Count("entries", filter=~Q(entries__state=Entry.State.WITHDRAWN), distinct=True),
            n_people=Count("entries__entrant", distinct=True),
            n_media=Count("entries__catalogue_photo", distinct=True)):
        row = by_year.setdefault(c.year, {"contests": 0, "entries": 0, "contributors": 0, "media": 0,
                                          "estimated": False})
        row["contests"] += 1
        if c.held_here:
            row["entries"] += c.n_entries
            row["contributors"] += c.n_people
            row["media"] += c.n_media
        else:
            row["entries"] += c.reported_entries or 0
            row["contributors"] += c.reported_contributors or 0
            row["estimated"] = row["estimated"] or c.reported_entries is None
    return [YearFigures(y, r["contests"], r["entries"], r["contributors"], r["media"], r["estimated"])
            for y, r in sorted(by_year.items())]


def first_vote_at(contest_: Contest) -> dt.datetime | None:
    return Vote.objects.filter(entry__contest=contest_).aggregate(first=Min("created_at"))["first"]


def entrant_count(contest_: Contest) -> int:
    return Entrant.objects.filter(contest=contest_).count()
