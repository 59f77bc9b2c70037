"""Public wifi at the key sites: the hotspots (where, which SSID, whose, which gateway and how it hands
visitors over), their gateways' uptime folded from heartbeats (core.uptime, as the kiosks'), the access
granted through the splash page (client addresses kept only as keyed hashes, for a limited time), the
anonymous counts per hotspot and day, and the optional news subscriptions with their consent."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from xuthanh.catalog.models import Place
from xuthanh.orgs.models import Organisation


class Hotspot(models.Model):
    """One public wifi network at a site, behind one captive-portal gateway."""

    class Controller(models.TextChoices):
        OPENNDS = "opennds", _("openNDS (Forward Authentication Service)")
        OTHER = "other", _("Other controller (splash and captive portal API only)")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("In service")
        RETIRED = "retired", _("Out of service for good")

    class Level(models.IntegerChoices):
        HASHED = 1, _("1 – hashed client id (http)")
        ENCRYPTED = 2, _("2 – encrypted parameters (http)")
        ENCRYPTED_HTTPS = 3, _("3 – encrypted parameters, https and authmon")

    SCOPE_OPERATOR = "run_by"
    AUDIT_SECRETS = ("token_hash",)

    slug = models.SlugField(_("short id"), max_length=80, unique=True)
    place = models.ForeignKey(Place, verbose_name=_("site"), on_delete=models.PROTECT, related_name="hotspots")
    ssid = models.CharField(_("network name (SSID)"), max_length=32)
    controller = models.CharField(_("gateway"), max_length=10, choices=Controller.choices,
                                  default=Controller.OPENNDS)
    fas_level = models.PositiveSmallIntegerField(
        _("openNDS security level"), choices=Level.choices, default=Level.ENCRYPTED_HTTPS,
        help_text=_("fas_secure_enabled on the gateway; level 0 (the token in clear) is not accepted."))
    gatewayname = models.CharField(
        _("gateway name"), max_length=100, unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9._-]{8,100}$", _("8 to 100 letters, digits, dots, dashes."))],
        help_text=_("gatewayname on the gateway: make it hard to guess (authmon is known by it)."))
    gateway_address = models.CharField(
        _("gateway address"), max_length=60, blank=True,
        help_text=_("Its address on the hotspot's network, e.g. 192.168.8.1:2050; when set, a hand-off "
                    "naming another is refused."))
    key_version = models.PositiveSmallIntegerField(default=1, editable=False)
    session_minutes = models.PositiveIntegerField(
        _("session length (minutes)"), default=240, validators=[MinValueValidator(10), MaxValueValidator(10080)])
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    operator_name = models.CharField(_("operator"), max_length=200, blank=True,
                                     help_text=_("Who runs or sponsors the network (a telecom, a business)."))
    run_by = models.ForeignKey(Organisation, verbose_name=_("managed by"), on_delete=models.PROTECT, null=True,
                               blank=True, related_name="hotspots")
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PLANNED)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    token_prefix = models.CharField(_("token"), max_length=8, blank=True, editable=False)
    last_seen_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True, editable=False)
    last_beat = models.JSONField(_("last heartbeat's report"), default=dict, blank=True, editable=False)
    alerted_at = models.DateTimeField(_("offline alert sent"), null=True, blank=True, editable=False,
                                      help_text=_("For the current outage; cleared by the next heartbeat."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("wifi hotspot")
        verbose_name_plural = _("wifi hotspots")
        ordering = ["slug"]

    def __str__(self) -> str:
        return f"{self.place} · {self.ssid}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from xuthanh.wifi import fas

        if self.gateway_address:
            try:
                fas.gateway_address(self.gateway_address)
            except fas.FasError:
                raise ValidationError({"gateway_address": _(
                    "Give the gateway's address on the hotspot's network and its port, e.g. 192.168.8.1:2050 "
                    "(a private address, no zone id).")}) from None

    @property
    def faskey(self) -> str:
        """The key shared with the gateway (faskey), derived from the platform's secret: never stored, and
        changed by raising key_version. 64 hex characters, as openNDS makes its own."""
        import hashlib
        import hmac

        message = f"wifi-faskey:{self.pk}:{self.key_version}".encode()
        return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


class GatewayInterval(models.Model):
    """A stretch of time a hotspot's gateway beat without a gap."""

    hotspot = models.ForeignKey(Hotspot, on_delete=models.CASCADE, related_name="intervals")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        verbose_name = _("gateway uptime interval")
        verbose_name_plural = _("gateway uptime intervals")
        indexes = [models.Index(fields=["hotspot", "-start"], name="wifi_interval_latest")]

    def __str__(self) -> str:
        return f"{self.hotspot_id}: {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"


class Grant(models.Model):
    """Access granted to one device through the splash page. The device's addresses are kept only as keyed
    hashes (the MAC's changes every day, so days cannot be linked), and the row itself only for
    WIFI_RETENTION_DAYS; the day's counts outlive it."""

    hotspot = models.ForeignKey(Hotspot, on_delete=models.CASCADE, related_name="grants")
    hid_hash = models.CharField(max_length=64, unique=True)  # a gateway's hand-off is used once
    rhid = models.CharField(max_length=64, blank=True)  # level 3: on the auth list until authmon acknowledges
    mac_hash = models.CharField(max_length=64, blank=True, db_index=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    level = models.PositiveSmallIntegerField()
    lang = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)  # level 3: first sent to authmon
    acked_at = models.DateTimeField(null=True, blank=True)  # level 3: the gateway let the device through
    ended_at = models.DateTimeField(null=True, blank=True)  # the gateway said the session ended

    class Meta:
        verbose_name = _("wifi access")
        verbose_name_plural = _("wifi accesses")
        indexes = [models.Index(fields=["hotspot", "ip_hash", "-created_at"], name="wifi_grant_client")]

    def __str__(self) -> str:
        return f"{self.hotspot_id} {self.created_at:%Y-%m-%d %H:%M}"


class Day(models.Model):
    """Anonymous figures of a hotspot on a day: accesses granted, distinct devices, the busiest hour, and
    the most devices connected at once that its gateway reported."""

    hotspot = models.ForeignKey(Hotspot, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    sessions = models.PositiveIntegerField(_("accesses"), default=0)
    devices = models.PositiveIntegerField(_("distinct devices"), default=0)
    peak_clients = models.PositiveIntegerField(_("most connected at once"), default=0)
    hours = models.JSONField(default=dict, blank=True)  # {"14": 12, …} accesses per local hour

    class Meta:
        verbose_name = _("wifi day")
        verbose_name_plural = _("wifi days")
        constraints = [models.UniqueConstraint(fields=["hotspot", "day"], name="wifi_day_per_hotspot")]

    def __str__(self) -> str:
        return f"{self.hotspot_id} {self.day}: {self.sessions}"


class Subscription(models.Model):
    """A visitor's e-mail for the province's tourism news, given on a splash page with explicit consent
    (Law 91/2025/QH15, Decree 356/2025/ND-CP) and confirmed from the address itself (until then nothing is
    sent to it but the confirmation, and it is erased after WIFI_CONFIRM_HOURS): for that purpose only,
    withdrawable by the link in every message, and erased when withdrawn or after WIFI_SUBSCRIPTION_MONTHS."""

    email = models.EmailField(_("e-mail"))
    lang = models.CharField(_("language"), max_length=10)
    hotspot = models.ForeignKey(Hotspot, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="subscriptions")
    consent_text = models.TextField(_("the consent as shown"))
    consent_version = models.CharField(_("consent version"), max_length=20)
    consented_at = models.DateTimeField(_("consented at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True,
                                        help_text=_("When the link sent to the address was followed; news go "
                                                    "to confirmed addresses only."))

    class Meta:
        verbose_name = _("news subscription")
        verbose_name_plural = _("news subscriptions")
        ordering = ["-consented_at"]

    def __str__(self) -> str:  # no address: this is what the audit log keeps of an erased subscription
        return f"#{self.pk} ({self.consented_at:%Y-%m-%d})"

    def token(self, purpose: str) -> str:
        """The signed token of the confirmation ("confirm") or withdrawal ("withdraw") link."""
        import hashlib

        from django.core import signing

        return signing.Signer(salt=f"wifi-{purpose}").sign(
            f"{self.pk}.{hashlib.sha256(self.email.lower().encode()).hexdigest()[:12]}")

    @property
    def withdraw_token(self) -> str:
        """The token of the withdrawal link, for every message sent to this address: signed with the
        platform's secret, so it needs no storage and cannot be guessed."""
        return self.token("withdraw")
