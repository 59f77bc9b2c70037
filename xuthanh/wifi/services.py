"""Writes of the public wifi: a gateway's token, its heartbeat (uptime folded as the kiosks' are, the day's
peak of connected devices kept), a visitor let through after the splash page (the gateway's hand-off used
once, the device's addresses kept only as keyed hashes, the day's anonymous counts), the level-3 auth list
that openNDS's authmon polls, a news subscription given and withdrawn, and what is forgotten when its time
is up. Views, the admin, the API and the background jobs call these."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from xuthanh.core import heartbeats
from xuthanh.core.heartbeats import hash_key
from xuthanh.wifi import fas
from xuthanh.wifi.models import Day, GatewayInterval, Grant, Hotspot, Subscription

DATA = Path(__file__).resolve().parent / "data"
AUTH_WAIT = dt.timedelta(minutes=10)  # a level-3 access not taken by authmon by then is dropped from its list


class Replayed(Exception):
    """This hand-off from the gateway was already used."""


class TokenRevoked(Exception):
    """The gateway's token was replaced or the hotspot retired while its heartbeat was on its way."""


def client_hash(value: str, *, scope: str) -> str:
    """A device's address as kept: keyed with the platform's secret (a table of every MAC address cannot
    reverse it) and scoped (with the day for MACs, so that two days of one device cannot be linked)."""
    if not value:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), f"wifi:{scope}:{value}".encode(), hashlib.sha256).hexdigest()


def token_new(hotspot: Hotspot) -> str:
    """A new heartbeat token for the hotspot's gateway (shown once; the previous one stops working)."""
    token, hotspot.token_hash, hotspot.token_prefix = heartbeats.token_new()
    hotspot.save(update_fields=["token_hash", "token_prefix"])
    return token


def key_rotate(hotspot: Hotspot) -> str:
    """A new faskey (the gateway must be given it: until then its hand-offs are refused)."""
    hotspot.key_version += 1
    hotspot.save(update_fields=["key_version"])
    return hotspot.faskey


def hotspot_for_token(token: str) -> Hotspot | None:
    return Hotspot.objects.filter(token_hash=hash_key(token)).exclude(state=Hotspot.State.RETIRED).first()


def _day(hotspot: Hotspot, moment: dt.datetime) -> Day:
    """The hotspot's row for the local day of `moment`, locked (caller's transaction)."""
    row, _created = Day.objects.select_for_update().get_or_create(hotspot=hotspot,
                                                                  day=timezone.localtime(moment).date())
    return row


@transaction.atomic
def heartbeat(hotspot: Hotspot, report: dict[str, Any], *, now: dt.datetime | None = None) -> None:
    """A gateway's minute report: its uptime folded, its report kept, the day's peak of connected devices
    raised when it reports more."""
    now = now or timezone.now()
    if not Hotspot.objects.select_for_update().filter(pk=hotspot.pk, token_hash=hotspot.token_hash).exclude(
            state=Hotspot.State.RETIRED).exists():
        raise TokenRevoked
    heartbeats.interval_fold(GatewayInterval, "hotspot", hotspot, now)
    Hotspot.objects.filter(pk=hotspot.pk).update(last_seen_at=now, last_beat=report, alerted_at=None)
    clients = report.get("clients")
    if isinstance(clients, int) and clients > 0:
        row = _day(hotspot, now)
        if clients > row.peak_clients:
            Day.objects.filter(pk=row.pk).update(peak_clients=clients)


def handoff_check(hotspot: Hotspot, query: dict[str, str]) -> fas.Handoff:
    """The gateway's hand-off as this hotspot is configured, or fas.FasError."""
    if hotspot.controller != Hotspot.Controller.OPENNDS:
        raise fas.FasError("no_fas", "This hotspot's gateway does not hand visitors over to the platform.")
    if hotspot.state != Hotspot.State.ACTIVE:
        raise fas.FasError("not_active", "This hotspot is not in service.")
    return fas.verify(query, level=hotspot.fas_level, faskey=hotspot.faskey, gatewayname=hotspot.gatewayname,
                      gatewayaddress=hotspot.gateway_address)


@transaction.atomic
def grant(hotspot: Hotspot, handoff: fas.Handoff, *, lang: str, now: dt.datetime | None = None) -> Grant:
    """Let the device through: the hand-off spent (a second use raises Replayed), the access kept with the
    device's hashed addresses, and the day's counts raised (accesses, distinct devices, the hour's)."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    mac_hash = client_hash(handoff.clientmac, scope=f"{hotspot.pk}:{local.date()}")
    row = _day(hotspot, now)
    seen_today = bool(mac_hash) and Grant.objects.filter(hotspot=hotspot, mac_hash=mac_hash).exists()
    try:
        with transaction.atomic():
            access = Grant.objects.create(
                hotspot=hotspot, hid_hash=hash_key(handoff.hid), level=handoff.level, lang=lang[:10],
                rhid=fas.rhid(handoff.hid, hotspot.faskey) if handoff.level == 3 else "",
                mac_hash=mac_hash, ip_hash=client_hash(handoff.clientip, scope=str(hotspot.pk)),
                created_at=now, expires_at=now + dt.timedelta(minutes=hotspot.session_minutes))
    except IntegrityError as exc:
        raise Replayed from exc
    hours = dict(row.hours)
    hours[str(local.hour)] = hours.get(str(local.hour), 0) + 1
    Day.objects.filter(pk=row.pk).update(sessions=row.sessions + 1, hours=hours,
                                         devices=row.devices + (0 if seen_today or not mac_hash else 1))
    return access


def authmon(gatewayhash: str, action: str, payload: str, *, now: dt.datetime | None = None) -> str:
    """Answer openNDS's authmon (level 3) for the gateway named by `gatewayhash`: `view` with no ack sends
    the waiting accesses (and marks them delivered); `view` with an ack list marks those let through;
    `list` sends and drops them; `clear` drops what waits (the gateway restarted); `deauthed` ends a
    session; `custom` is acknowledged. An unknown gateway gets the empty answer openNDS expects."""
    now = now or timezone.now()
    hotspot = next((h for h in Hotspot.objects.filter(controller=Hotspot.Controller.OPENNDS, fas_level=3,
                                                       state=Hotspot.State.ACTIVE)
                    if hmac.compare_digest(fas.gateway_hash(h.gatewayname), gatewayhash.strip().lower())), None)
    if hotspot is None:
        return ""
    waiting = Grant.objects.filter(hotspot=hotspot, acked_at__isnull=True, ended_at__isnull=True,
                                   created_at__gte=now - AUTH_WAIT).exclude(rhid="")
    if action == "clear":
        waiting.update(rhid="")
        return ""
    if action == "deauthed":
        notice = fas.deauthed(payload)
        mac = notice.get("clientmac", "").lower()
        if mac:
            scope = f"{hotspot.pk}:{timezone.localtime(now).date()}"
            Grant.objects.filter(hotspot=hotspot, mac_hash=client_hash(mac, scope=scope),
                                 ended_at__isnull=True).update(ended_at=now)
        return "ack"
    if action == "custom":
        return "ack"
    if action == "view":
        acked = fas.acknowledged(payload)
        if acked:
            waiting.filter(rhid__in=acked).update(acked_at=now, rhid="")
            return "ack"
    if action not in ("view", "list"):
        return ""
    entries = list(waiting.order_by("created_at")[:50])
    answer = fas.auth_list(fas.auth_entry(g.rhid, session_minutes=hotspot.session_minutes) for g in entries)
    ids = [g.pk for g in entries]
    if action == "list":  # sent once and forgotten: the gateway is trusted to let them through
        Grant.objects.filter(pk__in=ids).update(delivered_at=now, acked_at=now, rhid="")
    else:
        Grant.objects.filter(pk__in=ids, delivered_at__isnull=True).update(delivered_at=now)
    return answer


def offline_alerts(now: dt.datetime | None = None) -> dict[str, int]:
    """One e-mail per outage for each hotspot in service whose gateway has been silent for an hour (a
    public network is on day and night): to the unit that manages it and to WIFI_ALERT_EMAIL."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    now = now or timezone.now()

    def alert(hotspot: Hotspot) -> heartbeats.Alert:
        recipients = [a for a in (getattr(hotspot.run_by, "email", ""), settings.WIFI_ALERT_EMAIL) if a]
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Wifi gateway offline: %(hotspot)s") % {"hotspot": hotspot}
            body = _("The gateway of the wifi hotspot %(hotspot)s has sent no heartbeat since %(seen)s: visitors "
                     "may find no network. Check its power and its Internet line; the wifi dashboard shows its "
                     "state.") % {"hotspot": hotspot,
                                  "seen": timezone.localtime(hotspot.last_seen_at).strftime("%d/%m/%Y %H:%M")}
        return heartbeats.Alert(recipients, subject, body)

    silent = Hotspot.objects.filter(state=Hotspot.State.ACTIVE, token_hash__isnull=False).select_related(
        "place", "run_by")
    return heartbeats.outage_alerts(silent, now=now, alert=alert, log_name=__name__)


CONSENT_VERSION = "2026-12"


def subscribe(*, email: str, lang: str, hotspot: Hotspot | None, consent_text: str,
              now: dt.datetime | None = None) -> Subscription:
    """Keep an e-mail for the tourism news with the consent as the visitor saw it and ticked it, unconfirmed,
    and send the confirmation (its link, and the withdrawal link): a splash page cannot tell who types an
    address, so nothing but this message goes to it until its owner confirms. A failed sending loses nothing
    but the subscription, which is erased unconfirmed after WIFI_CONFIRM_HOURS."""
    import logging

    from django.core.mail import send_mail
    from django.utils import translation
    from django.utils.translation import gettext as _

    row = Subscription.objects.create(email=email.strip()[:254], lang=lang[:10], hotspot=hotspot,
                                      consent_text=consent_text, consent_version=CONSENT_VERSION,
                                      consented_at=now or timezone.now())
    with translation.override(row.lang):
        body = _("Someone, probably you, asked at %(site)s for the tourism news of Thanh Hóa province to be sent "
                 "to this address. To confirm, open: %(confirm)s\n\nIf it was not you, do nothing: the address "
                 "is erased within %(hours)s hours. To stop the news at any time and erase the address: "
                 "%(withdraw)s") % {"site": hotspot.place if hotspot else "Xứ Thanh",
                                    "confirm": link_url(row, "confirm"), "hours": settings.WIFI_CONFIRM_HOURS,
                                    "withdraw": link_url(row, "withdraw")}
        try:
            send_mail(_("Thanh Hóa tourism news: please confirm"), body, None, [row.email])
        except Exception:  # SMTP refusal, network: unconfirmed, it is erased in time
            logging.getLogger(__name__).exception("confirmation of subscription %s not sent", row.pk)
    return row


def link_url(subscription: Subscription, purpose: str) -> str:
    """The absolute address of a subscription's confirmation ("confirm") or withdrawal ("withdraw") link."""
    from django.urls import reverse

    path = reverse(f"wifi:{purpose}", kwargs={"token": subscription.token(purpose)})
    return settings.SITE_URL.rstrip("/") + path


def withdraw_url(subscription: Subscription) -> str:
    return link_url(subscription, "withdraw")


def _by_token(token: str, purpose: str) -> Subscription | None:
    from django.core import signing

    if not token or len(token) > 200:
        return None
    try:
        value = signing.Signer(salt=f"wifi-{purpose}").unsign(token)
    except signing.BadSignature:
        return None
    pk = value.partition(".")[0]
    row = Subscription.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
    return row if row is not None and row.token(purpose) == token else None


def confirm(token: str, *, now: dt.datetime | None = None) -> bool:
    """The owner of the address confirmed it. True when there was a subscription to confirm."""
    row = _by_token(token, "confirm")
    if row is None:
        return False
    Subscription.objects.filter(pk=row.pk, confirmed_at__isnull=True).update(confirmed_at=now or timezone.now())
    return True


def withdraw(token: str) -> bool:
    """The consent withdrawn: the e-mail is erased at once, not kept marked. True when there was one."""
    row = _by_token(token, "withdraw")
    if row is None:
        return False
    row.delete()
    return True


def retention_purge(now: dt.datetime | None = None) -> dict[str, int]:
    """Forget what has served its time: accesses (with their hashed addresses) after WIFI_RETENTION_DAYS,
    subscriptions after WIFI_SUBSCRIPTION_MONTHS (unconfirmed ones after WIFI_CONFIRM_HOURS), and level-3
    accesses authmon never took."""
    now = now or timezone.now()
    grants, _ = Grant.objects.filter(created_at__lt=now - dt.timedelta(days=settings.WIFI_RETENTION_DAYS)).delete()
    subscriptions, _ = Subscription.objects.filter(
        consented_at__lt=now - dt.timedelta(days=30 * settings.WIFI_SUBSCRIPTION_MONTHS)).delete()
    unconfirmed, _ = Subscription.objects.filter(
        confirmed_at__isnull=True, consented_at__lt=now - dt.timedelta(hours=settings.WIFI_CONFIRM_HOURS)).delete()
    stale = Grant.objects.filter(created_at__lt=now - AUTH_WAIT, acked_at__isnull=True).exclude(rhid="").update(
        rhid="")
    return {"grants": grants, "subscriptions": subscriptions, "unconfirmed": unconfirmed, "stale": stale}


@transaction.atomic
def key_sites_load(path: Any = None) -> int:
    """Flag the key sites of data/key_sites.toml with their source, where the catalogue place is not yet
    flagged (an officer's edits are kept). Returns how many were flagged."""
    import tomllib

    from xuthanh.catalog.models import Place

    with Path(path or DATA / "key_sites.toml").open("rb") as handle:
        records = tomllib.load(handle).get("site", [])
    flagged = 0
    for record in records:
        place = Place.objects.filter(slug=record["place"]).first()
        if place is None:
            raise ValueError(f"key_sites.toml: no catalogue place {record['place']}")
        if not place.key_site and not place.key_site_source:
            Place.objects.filter(pk=place.pk).update(key_site=True, key_site_source=record["source"][:300])
            flagged += 1
    return flagged
