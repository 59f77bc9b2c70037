"""Promotion campaigns per target market: the markets (languages, networks, seasons, with their sources), a
campaign (markets, goal, period, budget, sponsors, owner), its short links (`/go/<code>`, each to a page of this
site with the campaign's UTM parameters, for a market, a channel and an item), their clicks and what the visits
they brought did next, counted per hour without any personal data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatableModel, TranslatedFields

from xuthanh.orgs.models import Organisation


class Market(TranslatableModel):
    class Kind(models.TextChoices):
        INTERNATIONAL = "international", _("International")
        DOMESTIC = "domestic", _("Domestic")

    code = models.SlugField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    translations = TranslatedFields(name=models.CharField(_("name"), max_length=100))
    languages = models.JSONField(_("languages"), default=list, blank=True)
    networks = models.JSONField(_("networks"), default=list, blank=True, help_text=_("Most used first."))
    # researched defaults, each fact with its source: {"network_facts": [...], "seasons": [...], "arrivals": [...]}
    facts = models.JSONField(_("facts and sources"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("target market")
        verbose_name_plural = _("target markets")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.safe_translation_getter("name", any_language=True) or self.code


class Campaign(TranslatableModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        RUNNING = "running", _("Running")
        ENDED = "ended", _("Ended")

    slug = models.SlugField(_("code in links"), max_length=60, unique=True,
                            help_text=_("Appears as utm_campaign in every link of the campaign."))
    translations = TranslatedFields(
        title=models.CharField(_("title"), max_length=200),
        goal=models.TextField(_("goal"), blank=True),
        theme=models.CharField(_("theme"), max_length=200, blank=True),
    )
    markets = models.ManyToManyField(Market, verbose_name=_("markets"), related_name="campaigns")
    owner = models.ForeignKey(Organisation, verbose_name=_("owner"), on_delete=models.PROTECT,
                              related_name="campaigns_owned")
    sponsors = models.ManyToManyField(Organisation, verbose_name=_("sponsors"), blank=True,
                                      related_name="campaigns_sponsored",
                                      help_text=_("Their members see this campaign's figures, nothing else."))
    approvers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("approvers"), blank=True,
                                       related_name="campaigns_to_approve",
                                       help_text=_("Who approves the campaign's items (never their own); none: any "
                                                   "other campaign editor."))
    starts = models.DateField(_("starts"))
    ends = models.DateField(_("ends"))
    budget_vnd = models.PositiveBigIntegerField(_("budget, VND"), default=0)
    spent_vnd = models.PositiveBigIntegerField(_("spent so far, VND"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts", "slug"]

    def __str__(self) -> str:
        return self.safe_translation_getter("title", any_language=True) or self.slug


class Link(models.Model):
    """A short link `/go/<code>`: where it leads is set by an officer (a page of this site), never by the
    address that is followed, so it cannot be made to redirect anywhere else."""

    class Channel(models.TextChoices):
        FACEBOOK = "facebook", "Facebook"
        INSTAGRAM = "instagram", "Instagram"
        TIKTOK = "tiktok", "TikTok"
        YOUTUBE = "youtube", "YouTube"
        ZALO = "zalo", "Zalo"
        WECHAT = "wechat", "WeChat"
        WEIBO = "weibo", "Weibo"
        QQ = "qq", "QQ"
        LINE = "line", "LINE"
        NAVER = "naver", "Naver"
        KAKAOTALK = "kakaotalk", "KakaoTalk"
        VK = "vk", "VK"
        TELEGRAM = "telegram", "Telegram"
        SMS = "sms", _("Text message")
        EMAIL = "email", _("E-mail newsletter")
        PRINT = "print", _("Printed material (QR code)")
        OTHER = "other", _("Other")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="links")
    market = models.ForeignKey(Market, null=True, blank=True, on_delete=models.PROTECT, related_name="links")
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    item = models.SlugField(_("item"), max_length=60, blank=True,
                            help_text=_("What the link is in (a post, a leaflet…): utm_content."))
    code = models.CharField(_("code"), max_length=12, unique=True, editable=False)
    target = models.CharField(_("leads to"), max_length=300,
                              help_text=_("A page of this site, e.g. /zh-hans/places/thanh-nha-ho/"))
    active = models.BooleanField(_("active"), default=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("short link")
        verbose_name_plural = _("short links")
        ordering = ["campaign", "market", "channel", "id"]

    def __str__(self) -> str:
        return f"/go/{self.code}"


class Outcome(models.TextChoices):
    """What is counted of a link: its clicks, and what the visits it brought did next (core.attribution)."""

    CLICK = "click", _("clicks")
    VIEW = "view", _("pages viewed")
    TRIP = "trip", _("trips planned")
    INSTALL = "install", _("app installs")
    ENTRY = "entry", _("contest entries")


class ClickHour(models.Model):
    """A link's count of one outcome in one hour: a number, nothing about who."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="hours")
    kind = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.CLICK)
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        # hour before kind: the index serves a link's hours since a moment (the dashboard's recent hours)
        constraints = [models.UniqueConstraint(fields=["link", "hour", "kind"], name="campaign_count_hour")]

    def __str__(self) -> str:
        return f"{self.link_id} {self.kind} {self.hour:%Y-%m-%d %H}h: {self.count}"


class ClickDay(models.Model):
    """A finished day's count of an outcome of a link (the sum of its hours, local date), rolled up every hour
    so that a year of figures reads 365 rows a link and outcome, not 8,760."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="days")
    kind = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.CLICK)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "day", "kind"], name="campaign_count_day")]

    def __str__(self) -> str:
        return f"{self.link_id} {self.kind} {self.day}: {self.count}"


class Fold(models.Model):
    """A batch of counts moved from the shared counter (core.tally) into ClickHour, by its token: stored in the
    same transaction as the counts, so a batch offered again after a crash is not counted twice."""

    token = models.CharField(max_length=40, unique=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.token


class Item(models.Model):
    """A piece of a campaign for one channel, market and language, built from a catalogue object — a place, an
    event, a tour (a trip idea) or a contest winner — (its texts in that language, a photo with its credit, a
    short link to its page) and edited for the channel. It keeps
    its own text: a later edit of the campaign or the catalogue does not change what was published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items")
    market = models.ForeignKey(Market, null=True, blank=True, on_delete=models.PROTECT, related_name="items")
    channel = models.CharField(_("channel"), max_length=12, choices=Link.Channel.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    place = models.ForeignKey("catalog.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey("catalog.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    tour = models.ForeignKey("catalog.Tour", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             help_text=_("A trip idea: its stops open preset in the trip planner."))
    entry = models.ForeignKey("contests.Entry", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("contest winner"), help_text=_("An awarded entry of a contest."))
    photo = models.ForeignKey("catalog.Photo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    link = models.ForeignKey(Link, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    text = models.TextField(_("text"))
    scheduled_at = models.DateTimeField(_("to publish on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_text = models.TextField(blank=True, editable=False)
    external_id = models.CharField(_("id on the network"), max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(_("the network's last answer"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign item")
        verbose_name_plural = _("campaign items")
        ordering = ["scheduled_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.language} · {self.text[:40]}"
