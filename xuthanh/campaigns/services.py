"""Campaign actions: who may run or see a campaign, short links made with their checks (a page of this site
only: no open redirect), where a link leads (with the campaign's UTM parameters), the counts of clicks and of
what followed them (in the shared counter, folded into the database by a job; no personal data), items and
their publishing."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xuthanh.campaigns.models import Campaign, ClickHour, Link, Market
from xuthanh.core import audit, tally
from xuthanh.core.models import AuditEntry
from xuthanh.orgs import permissions
from xuthanh.orgs.models import Role

CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from paper
CODE_LENGTH = 7


class CampaignError(ValueError):
    """Refused; the message says what and why."""


def can_manage(user: Any) -> bool:
    """The department's and the promotion centre's editors and administrators run campaigns."""
    if permissions.is_platform_admin(user):
        return True
    return any(m.role in (Role.ADMIN, Role.EDITOR) and m.organisation.province_wide
               for m in permissions.memberships(user))


def can_see(user: Any, campaign: Campaign) -> bool:
    """Those who run campaigns, and the members of the campaign's sponsors (its figures only)."""
    if can_manage(user):
        return True
    sponsor_ids = set(campaign.sponsors.values_list("pk", flat=True))
    return any(m.organisation_id in sponsor_ids for m in permissions.memberships(user))


def visible(user: Any):  # noqa: ANN201 - a queryset
    if can_manage(user):
        return Campaign.objects.all()
    return Campaign.objects.filter(sponsors__in=[m.organisation_id for m in permissions.memberships(user)]).distinct()


def clean_target(target: str) -> str:
    """A path of this site that a page answers; CampaignError otherwise (another site, a scheme, `//host`)."""
    target = (target or "").strip()
    parts = urlsplit(target)
    if (not target.startswith("/") or target.startswith("//") or "\\" in target or parts.scheme or parts.netloc
            or any(ord(c) < 33 for c in target)):
        raise CampaignError(_("A short link leads to a page of this site: give its path, e.g. /vi/places/."))
    if not answers(parts.path):
        raise CampaignError(_("No page of this site answers at %(path)s.") % {"path": parts.path})
    return target


def answers(path: str) -> bool:
    """Does a view of this site answer `path`? (Pages under a language prefix resolve in that language.)"""
    prefix = path.strip("/").split("/", 1)[0]
    languages = {code for code, _name in settings.LANGUAGES}
    with translation.override(prefix if prefix in languages else None):
        try:
            resolve(path)
        except Resolver404:
            return False
    return True


def make_link(campaign: Campaign, actor: Any, *, target: str, channel: str, market: Market | None = None,
              item: str = "", expires_at: dt.datetime | None = None) -> Link:
    if not can_manage(actor):
        raise CampaignError(_("You cannot run campaigns."))
    if channel not in Link.Channel.values:
        raise CampaignError(_("Unknown channel."))
    if market is not None and not campaign.markets.filter(pk=market.pk).exists():
        raise CampaignError(_("The market is not one of the campaign's."))
    link = Link(campaign=campaign, market=market, channel=channel, item=item, target=clean_target(target),
                expires_at=expires_at, created_by=actor if getattr(actor, "pk", None) else None)
    with transaction.atomic():
        link.code = new_code()
        link.save()
        audit.record(actor=actor, action=AuditEntry.Action.CREATE, obj=link)
    return link


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Link.objects.filter(code=code).exists():
            return code


def destination(link: Link, campaign_slug: str, market_code: str | None) -> str:
    """The link's target with utm_source (the channel), utm_medium, utm_campaign and utm_content (the market
    and the item); the target's own parameters are kept."""
    parts = urlsplit(link.target)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith("utm_")]
    medium = "print" if link.channel == Link.Channel.PRINT else "sms" if link.channel == Link.Channel.SMS else "social"
    content = "-".join(x for x in (market_code, link.item) if x)
    query += [("utm_source", link.channel), ("utm_medium", medium), ("utm_campaign", campaign_slug)]
    if content:
        query.append(("utm_content", content))
    return f"{parts.path}?{urlencode(query)}" + (f"#{parts.fragment}" if parts.fragment else "")


TALLY = "campaigns"


def count(code: str, kind: str = "click", now: dt.datetime | None = None) -> None:
    """One more `kind` (Outcome) for the link `code` in the current hour, in the shared counter (core.tally): no
    write to the database on the visitor's path; `fold_counts` moves the counts into ClickHour."""
    hour = int((now or timezone.now()).timestamp()) // 3600
    tally.add(TALLY, f"{code}:{kind}:{hour}")


def on_outcome(sender: object, code: str, kind: str, **kwargs: Any) -> None:
    """core.attribution's signal: a visit that came by link `code` did `kind`."""
    from xuthanh.campaigns.models import Outcome

    if kind in Outcome.values and kind != Outcome.CLICK:
        count(code, kind)


def fold_counts(*, purge: bool = False) -> int:
    """The shared counter's counts added into ClickHour, each batch once (its token stored in the same
    transaction); codes of links deleted since are dropped. Called outside any transaction (the job, the back
    office's dashboards): a batch is dropped from the counter once its own transaction has committed. `purge`
    (the minute's job): forget tokens a week old, which no counter offers again. The number of counts stored."""
    from xuthanh.campaigns.models import Fold, Outcome

    stored = 0
    for token, counts in tally.take(TALLY).items():
        rows: dict[tuple[str, str, int], int] = {}
        for key, n in counts.items():
            code, kind, hour = key.rsplit(":", 2)
            if kind in Outcome.values and hour.isdigit():
                rows[(code, kind, int(hour))] = rows.get((code, kind, int(hour)), 0) + n
        links = dict(Link.objects.filter(code__in={code for code, _k, _h in rows}).values_list("code", "pk"))
        table = ClickHour._meta.db_table
        with transaction.atomic():
            _fold, new = Fold.objects.get_or_create(token=token)
            if new:
                values = [(links[code], kind, connection.ops.adapt_datetimefield_value(
                    dt.datetime.fromtimestamp(hour * 3600, tz=dt.UTC)), n)
                    for (code, kind, hour), n in rows.items() if code in links]
                with connection.cursor() as cursor:
                    # the hour as the ORM stores it (SQLite keeps text), so the unique (link, kind, hour) meets it
                    cursor.executemany(
                        f"INSERT INTO {table} (link_id, kind, hour, count) VALUES (%s, %s, %s, %s) "  # noqa: S608
                        f"ON CONFLICT (link_id, hour, kind) DO UPDATE SET count = {table}.count + excluded.count",
                        values)
                stored += sum(v[-1] for v in values)
        tally.done(TALLY, token)
    if purge:
        Fold.objects.filter(at__lt=timezone.now() - dt.timedelta(days=7)).delete()
    return stored


def rollup_days(until: dt.date | None = None) -> int:
    """Finished days' counts summed from their hours into ClickDay (local dates), from the last day rolled up
    (again: it is cheap and idempotent) or the first count, to yesterday. The number of days rolled up."""
    from django.db.models import Max, Min, Sum

    from xuthanh.campaigns.models import ClickDay

    fold_counts()
    until = until or timezone.localdate() - dt.timedelta(days=1)
    last = ClickDay.objects.aggregate(last=Max("day"))["last"]
    if last is None:
        first = ClickHour.objects.aggregate(first=Min("hour"))["first"]
        if first is None:
            return 0
        last = timezone.localtime(first).date()
    day, rolled = last, 0
    while day <= until:
        start = timezone.make_aware(dt.datetime.combine(day, dt.time()))
        sums = (ClickHour.objects.filter(hour__gte=start, hour__lt=start + dt.timedelta(days=1))
                .values("link", "kind").annotate(n=Sum("count")).values_list("link", "kind", "n"))
        with transaction.atomic():
            ClickDay.objects.filter(day=day).delete()
            ClickDay.objects.bulk_create([ClickDay(link_id=link, kind=kind, day=day, count=n)
                                          for link, kind, n in sums])
        day += dt.timedelta(days=1)
        rolled += 1
    return rolled


# --- items ---------------------------------------------------------------------------------------------------

SOURCES = ("place", "event", "tour", "entry")  # what an item is built from: Item's fields of these names


def source_of(item: Any) -> Any:
    """The catalogue object (or contest entry) an item was built from."""
    return next((getattr(item, name) for name in SOURCES if getattr(item, f"{name}_id")), None)


def title_of(obj: Any, language: str) -> str:
    """An item source's name in `language` (a contest entry's title, with its author's credit)."""
    from xuthanh.core.languages import translated

    if obj._meta.model_name == "entry":
        return f"{translated(obj, 'title', language)} © {obj.entrant.credit_name}"
    return translated(obj, "name", language)


def _object_page(obj: Any, language: str) -> str:
    """Where an item's link leads: the place's, event's or winning entry's page; a tour (a trip idea) opens the
    trip planner with its stops preset."""
    from urllib.parse import urlencode

    from django.urls import reverse

    kind = obj._meta.model_name
    with translation.override(language):
        if kind == "tour":
            stops = obj.stops.order_by("day", "position").values_list("place__slug", flat=True)
            return reverse("trips:plan") + "?" + urlencode([("must_see", slug) for slug in dict.fromkeys(stops)])
        if kind == "entry":
            return reverse("contests:entry", args=[obj.contest.slug, obj.pk])
        return reverse("portal:place_detail" if kind == "place" else "portal:event_detail", args=[obj.slug])


def compose(obj: Any, language: str, channel: str, url: str) -> str:
    """A first text for the channel from the object's translated fields in `language` (the officer edits it):
    its name, its summary, the short link; SMS: the name and the link only, without accents when that keeps it
    to one GSM-7 message."""
    from xuthanh.campaigns import channels
    from xuthanh.core.languages import translated
    from xuthanh.core.text import fold

    name = title_of(obj, language)
    if channel == Link.Channel.SMS:
        text = f"{name}: {url}"
        plain = fold(name).title() + f": {url}"
        return plain if channels.sms_segments(text) > 1 and channels.sms_segments(plain) == 1 else text
    field = "description" if obj._meta.model_name == "entry" else "summary"
    summary = translated(obj, field, language) if hasattr(obj, field) else ""
    if obj._meta.model_name == "entry":
        summary = summary[:280]
    return "\n\n".join(x for x in (name, summary, url, "#ThanhHoa #XuThanh") if x)


def check_source(**sources: Any) -> Any:
    """The one object an item is built from, among `sources` (place, event, tour, entry); CampaignError when
    there is not exactly one, or an entry that won no award, or a tour without stops."""
    given = [obj for obj in sources.values() if obj is not None]
    if len(given) != 1:
        raise CampaignError(_("Build the item from one place, event, tour or contest winner."))
    entry, tour = sources.get("entry"), sources.get("tour")
    if entry is not None and not type(entry).objects.filter(pk=entry.pk, state=entry.State.ACCEPTED,
                                                            awards__isnull=False).exists():  # as stored now
        raise CampaignError(_("Only an entry that won an award is promoted as a contest winner."))
    if tour is not None and not tour.stops.exists():
        raise CampaignError(_("This tour has no stops to plan a trip with."))
    return given[0]


def make_item(campaign: Campaign, actor: Any, *, channel: str, language: str, place: Any = None, event: Any = None,
              tour: Any = None, entry: Any = None, market: Market | None = None,
              scheduled_at: dt.datetime | None = None) -> Any:
    """An item built from a catalogue place, event or tour, or a contest's winning entry: a short link to its
    page in the item's language (a tour: the planner with its stops), its first photo (an entry: the photo it
    gave the catalogue), each with its credit, a composed text; a draft, audited."""
    from xuthanh.campaigns.models import Item

    if not can_manage(actor):
        raise CampaignError(_("You cannot run campaigns."))
    obj = check_source(place=place, event=event, tour=tour, entry=entry)
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise CampaignError(_("Unknown language."))
    photo = entry.catalogue_photo if entry is not None else obj.photos.first() if hasattr(obj, "photos") else None
    with transaction.atomic():
        link = make_link(campaign, actor, target=_object_page(obj, language), channel=channel, market=market,
                         item=f"{obj._meta.model_name}-{obj.pk}")
        url = f"{settings.SITE_URL.rstrip('/')}/go/{link.code}"
        item = Item.objects.create(
            campaign=campaign, market=market, channel=channel, language=language, place=place, event=event,
            tour=tour, entry=entry, photo=photo, link=link, text=compose(obj, language, channel, url),
            scheduled_at=scheduled_at, created_by=actor)
        audit.record(actor=actor, action=AuditEntry.Action.CREATE, obj=item)
    return item


def _step(item: Any, actor: Any, allowed_from: tuple[str, ...], to: str, **changes: Any) -> Any:
    if not can_manage(actor):
        raise CampaignError(_("You cannot run campaigns."))
    return audit.step(item, actor, field="status", allowed=allowed_from, to=to, **changes, refused=lambda stored: (
        CampaignError(_("This item is %(status)s; it cannot go to that step now.")
                      % {"status": stored.get_status_display()})))


def approve(item: Any, actor: Any) -> Any:
    """Another person than its author — one of the campaign's approvers where it names them — approves an item
    whose text fits its channel."""
    from xuthanh.campaigns import channels

    if item.created_by_id == getattr(actor, "pk", None) and not permissions.is_platform_admin(actor):
        raise CampaignError(_("An item is approved by someone other than its author."))
    approvers = set(item.campaign.approvers.values_list("pk", flat=True))
    if approvers and getattr(actor, "pk", None) not in approvers and not permissions.is_platform_admin(actor):
        raise CampaignError(_("This campaign's items are approved by its approvers only."))
    found = channels.problems(item.channel, item.text)
    if found:
        raise CampaignError(_("The text does not fit the channel: %(why)s.") % {"why": "; ".join(found)})
    return _step(item, actor, ("draft",), "approved", approved_by=actor)


def schedule(item: Any, actor: Any, when: dt.datetime) -> Any:
    if when <= timezone.now():
        raise CampaignError(_("Choose a time in the future."))
    return _step(item, actor, ("approved", "scheduled"), "scheduled", scheduled_at=when)


def mark_published(item: Any, actor: Any) -> Any:
    """The officer posted it (a channel without a publishing API): what was posted is kept as it was."""
    return _step(item, actor, ("approved", "scheduled"), "published", published_at=timezone.now(),
                 published_text=item.text)


def picture_for(item: Any) -> bytes | None:
    """The item's photo cut to its channel's shape (the centre kept), as JPEG, at most 1200 pixels wide."""
    import io

    from PIL import Image, ImageOps

    from xuthanh.campaigns import channels

    if item.photo is None or not item.photo.image:
        return None
    width, height = channels.spec(item.channel).ratio
    target = (1200, round(1200 * height / width))
    with item.photo.image.open("rb") as handle, Image.open(handle) as img:
        fitted = ImageOps.fit(ImageOps.exif_transpose(img).convert("RGB"), target)
        out = io.BytesIO()
        fitted.save(out, format="JPEG", quality=85)
        return out.getvalue()


BACKOFF_MINUTES = (1, 5, 25, 120, 600)
PUBLISH_LEASE = dt.timedelta(minutes=15)  # a worker that died while publishing: the item is tried again then


def publish_due(now: dt.datetime | None = None) -> dict[str, int]:
    """Scheduled items whose time has come, on channels with a configured publisher: posted; a refusal worth
    retrying waits (1, 5, 25… minutes), another or too many attempts mark the item failed with the network's
    reason. Never lost: the item keeps its text and says what happened. Rows are claimed one at a time, locked
    (skip_locked where the database has it) just long enough to set a lease (PUBLISH_LEASE) that other workers
    skip, so several workers never post one item twice; the network is called outside any transaction, and the
    outcome recorded in a second short one. A publisher is given
    a `publishing.Post`: the text, the short link, the place's or event's name in the item's language, the
    picture cut to the channel's shape and its signed public address (for networks that fetch it)."""
    from django.db.models import Q

    from xuthanh.campaigns import publishing
    from xuthanh.campaigns.models import Item

    now = now or timezone.now()
    done = {"published": 0, "retry": 0, "failed": 0}
    due = Item.objects.filter(status=Item.Status.SCHEDULED, scheduled_at__lte=now).filter(
        Q(next_attempt_at=None) | Q(next_attempt_at__lte=now))
    for pk in list(due.values_list("pk", flat=True)[:100]):
        with transaction.atomic():  # claim it: a lease other workers skip (a short transaction: no network)
            locking = {"skip_locked": True} if connection.features.has_select_for_update_skip_locked else {}
            item = due.select_for_update(of=("self",), **locking).select_related("link").filter(pk=pk).first()
            if item is None:
                continue
            publisher = publishing.publisher_for(item.channel)
            if publisher is None:
                continue  # posted by hand from its package
            Item.objects.filter(pk=item.pk).update(next_attempt_at=now + PUBLISH_LEASE)
        url = f"{settings.SITE_URL.rstrip('/')}/go/{item.link.code}" if item.link else settings.SITE_URL
        subject = source_of(item)
        picture = publishing.picture_of(item)  # None without a photo, or with an unreadable one
        post = publishing.Post(
            text=item.text, link=url, title=title_of(subject, item.language) if subject else "",
            picture=picture, picture_url=publishing.picture_url(item) if picture is not None else None)
        try:  # outside any transaction: a network's seconds never hold the database's locks
            outcome: str | publishing.PublishError = publisher.publish(post)[:100]
        except publishing.PublishError as exc:
            outcome = exc
        with transaction.atomic():
            item = Item.objects.select_for_update().get(pk=item.pk)
            before = audit.snapshot(item)
            if isinstance(outcome, str):
                item.external_id = outcome
                item.status, item.published_at, item.published_text, item.error = (
                    Item.Status.PUBLISHED, now, post.text, "")
                done["published"] += 1
            else:
                item.attempts += 1
                item.error = str(outcome)[:300]
                if outcome.retry and item.attempts < settings.CAMPAIGN_PUBLISH_ATTEMPTS:
                    wait = BACKOFF_MINUTES[min(item.attempts - 1, len(BACKOFF_MINUTES) - 1)]
                    item.next_attempt_at = now + dt.timedelta(minutes=wait)
                    done["retry"] += 1
                else:
                    item.status = Item.Status.FAILED
                    done["failed"] += 1
            item.save()
            audit.record(actor=publisher.name, action=AuditEntry.Action.STATUS, obj=item, before=before)
    return done
