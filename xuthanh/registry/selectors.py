"""Reads of the registry: what expires (star ratings, travel licences, guide cards) and the public check of a
tour guide card. A decision is current when it is the newest of its kind for its establishment that is not
revoked; an older one, superseded, never counts as expiring."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from xuthanh.registry.models import Credential, Establishment, GuideCard

CARD = "card"  # the kind of an expiring item that is a guide card (credentials use Credential.Kind)


def _not_revoked(today: dt.date) -> Q:
    return Q(revoked_on__isnull=True) | Q(revoked_on__gt=today)


def current_credentials(*, today: dt.date) -> QuerySet[Credential]:
    """The current decision of each kind of each establishment that is not closed."""
    newer = Credential.objects.filter(
        _not_revoked(today),
        establishment=OuterRef("establishment"),
        kind=OuterRef("kind"),
        issued_on__gt=OuterRef("issued_on"),
    )
    return (
        Credential.objects.filter(_not_revoked(today))
        .exclude(establishment__state=Establishment.State.CLOSED)
        .exclude(Exists(newer))
    )


def _window(*, within_days: int, today: dt.date, expired_since: dt.date | None) -> Q:
    q = Q(expires_on__isnull=False, expires_on__lte=today + dt.timedelta(days=within_days))
    return q & Q(expires_on__gte=expired_since) if expired_since else q


def expiring_credentials(
    *, within_days: int, today: dt.date, expired_since: dt.date | None = None
) -> QuerySet[Credential]:
    """Current decisions that expire within `within_days` or have expired (since `expired_since`, if given)."""
    window = _window(within_days=within_days, today=today, expired_since=expired_since)
    return current_credentials(today=today).filter(window).select_related("establishment")


def expiring_cards(*, within_days: int, today: dt.date, expired_since: dt.date | None = None) -> QuerySet[GuideCard]:
    """Cards not revoked that expire within `within_days` or have expired (since `expired_since`, if given)."""
    window = _window(within_days=within_days, today=today, expired_since=expired_since)
    return GuideCard.objects.filter(_not_revoked(today)).filter(window).select_related("employer")


@dataclass(frozen=True)
class Expiry:
    """One thing that expires: a current star rating or travel licence, or a guide card."""

    kind: str  # Credential.Kind.STAR_RATING, Credential.Kind.TRAVEL_LICENCE or CARD
    item: Credential | GuideCard
    expires_on: dt.date
    days_left: int  # negative once expired

    @property
    def establishment(self) -> Establishment | None:
        """The establishment the credential is of, or the agency employing the guide."""
        return self.item.employer if isinstance(self.item, GuideCard) else self.item.establishment

    @property
    def is_sample(self) -> bool:
        return self.item.is_sample if isinstance(self.item, GuideCard) else self.item.establishment.is_sample


def expiring(within_days: int, today: dt.date, *, expired_since: dt.date | None = None) -> list[Expiry]:
    """Star ratings, travel licences and guide cards that expire within `within_days` of `today` or have
    expired, and are not revoked; soonest first."""
    items = [
        Expiry(c.kind, c, c.expires_on, (c.expires_on - today).days)
        for c in expiring_credentials(within_days=within_days, today=today, expired_since=expired_since)
    ]
    items += [
        Expiry(CARD, g, g.expires_on, (g.expires_on - today).days)
        for g in expiring_cards(within_days=within_days, today=today, expired_since=expired_since)
    ]
    return sorted(items, key=lambda e: (e.expires_on, e.kind, e.item.pk))


def establishments_expiring(*, within_days: int, today: dt.date, expired: bool) -> QuerySet[Establishment]:
    """Establishments with a current decision expired (`expired`) or expiring within `within_days` (not yet)."""
    credentials = current_credentials(today=today).filter(expires_on__isnull=False)
    if expired:
        credentials = credentials.filter(expires_on__lt=today)
    else:
        credentials = credentials.filter(expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=within_days))
    return Establishment.objects.filter(pk__in=credentials.values("establishment"))


def cards_expiring(*, within_days: int, today: dt.date, expired: bool) -> QuerySet[GuideCard]:
    """Cards not revoked, expired (`expired`) or expiring within `within_days` (not yet)."""
    cards = GuideCard.objects.filter(_not_revoked(today), expires_on__isnull=False)
    if expired:
        return cards.filter(expires_on__lt=today)
    return cards.filter(expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=within_days))


def guidecard_by_number(number: str) -> GuideCard | None:
    """The card with this number (numbers are kept in capitals: letter case does not matter), with its
    employer."""
    return GuideCard.objects.select_related("employer").filter(number=number.strip().upper()).first()
