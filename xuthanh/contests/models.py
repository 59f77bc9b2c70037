"""A contest's data: the contest and its categories, entrants (with their consent), entries (photo, film or
article, each with its place and licence), the jury's rounds, conflicts and votes, the public's votes and the
awards. Personal data sit on Entrant only, so erasing an entrant erases them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from parler.models import TranslatableModel, TranslatedFields

from xuthanh.areas.models import Commune
from xuthanh.catalog.models import Photo, Place
from xuthanh.orgs.models import Organisation


class Kind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    FILM = "film", _("Short film")
    ARTICLE = "article", _("Article")


class Contest(TranslatableModel):
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    organiser = models.ForeignKey(Organisation, verbose_name=_("organiser"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="contests")
    organiser_name = models.CharField(_("organiser (not a unit of the platform)"), max_length=200, blank=True)
    published = models.BooleanField(_("published"), default=False)
    sample = models.BooleanField(_("sample"), default=False,
                                 help_text=_("Made up to show the platform: shown as a sample on every page."))
    translations = TranslatedFields(
        title=models.CharField(_("title"), max_length=200),
        theme=models.TextField(_("theme"), blank=True),
        rules=models.TextField(_("rules"), blank=True),
        prizes=models.TextField(_("prizes"), blank=True),
        sponsors=models.TextField(_("sponsors"), blank=True),
    )
    submissions_open = models.DateTimeField(_("submissions open"), null=True, blank=True)
    submissions_close = models.DateTimeField(_("submissions close"), null=True, blank=True)
    vote_open = models.DateTimeField(_("public vote opens"), null=True, blank=True,
                                     help_text=_("Leave empty when the rules have no public vote."))
    vote_close = models.DateTimeField(_("public vote closes"), null=True, blank=True)
    results_at = models.DateTimeField(_("results announced"), null=True, blank=True)
    votes_per_category = models.PositiveSmallIntegerField(
        _("votes per voter and category"), default=3,
        help_text=_("How many entries of one category a voter may vote for."))
    licences = models.JSONField(_("licences allowed"), default=list,
                                help_text=_("Codes from contests/licences.py, e.g. [\"CC-BY-SA-4.0\"]."))
    allow_video_links = models.BooleanField(_("films may be links to a public video host"), default=False)
    min_photo_side = models.PositiveIntegerField(_("shortest side of a photo, pixels"), default=1600)
    max_film_seconds = models.PositiveIntegerField(_("longest film, seconds"), default=300)
    max_film_mb = models.PositiveIntegerField(_("largest film, MB"), default=300)
    places = models.ManyToManyField(Place, verbose_name=_("limited to these places"), blank=True,
                                    related_name="+")
    communes = models.ManyToManyField(Commune, verbose_name=_("limited to these communes"), blank=True,
                                      related_name="+")
    # Contests held before this platform, known from a published source: their figures as reported.
    source_url = models.URLField(_("source"), blank=True)
    reported_entries = models.PositiveIntegerField(_("entries reported"), null=True, blank=True)
    reported_contributors = models.PositiveIntegerField(_("contributors reported"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-year", "-submissions_open", "id"]

    def __str__(self) -> str:
        return self.safe_translation_getter("title", any_language=True) or self.slug

    @property
    def organiser_shown(self) -> str:
        return self.organiser.name if self.organiser_id else self.organiser_name

    @property
    def held_here(self) -> bool:
        """Run on this platform (a past contest known from a source has no submission period here)."""
        return self.submissions_open is not None

    def phase(self, now=None) -> str:  # noqa: ANN001
        now = now or timezone.now()
        if not self.held_here:
            return "past"
        if now < self.submissions_open:
            return "announced"
        if self.submissions_close and now < self.submissions_close:
            return "submissions"
        if self.vote_open and self.vote_close and self.vote_open <= now < self.vote_close:
            return "vote"
        if self.results_at and now >= self.results_at:
            return "results"
        return "judging"

    def accepts_entries(self, now=None) -> bool:  # noqa: ANN001
        return self.phase(now) == "submissions"

    def voting(self, now=None) -> bool:  # noqa: ANN001
        return self.phase(now) == "vote"


class Category(TranslatableModel):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="categories")
    kind = models.CharField(_("kind of work"), max_length=10, choices=Kind.choices)
    slug = models.SlugField(_("address"), max_length=60)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=120),
        description=models.TextField(_("description"), blank=True),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["contest", "slug"], name="contest_category_slug")]

    def __str__(self) -> str:
        return self.safe_translation_getter("name", any_language=True) or self.slug


class Entrant(models.Model):
    """A person taking part in one contest: what the rules need to reach and credit them, and their consents."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="entrants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    full_name = models.CharField(_("full name"), max_length=150)
    credit_name = models.CharField(_("name to credit"), max_length=150,
                                   help_text=_("As it should appear under your work."))
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    minor = models.BooleanField(_("under 18"), default=False)
    guardian_name = models.CharField(_("parent or guardian"), max_length=150, blank=True)
    guardian_consent_at = models.DateTimeField(_("guardian's consent"), null=True, blank=True)
    privacy_consent_at = models.DateTimeField(_("consent to the processing of personal data"))
    privacy_version = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("entrant")
        verbose_name_plural = _("entrants")
        constraints = [models.UniqueConstraint(fields=["contest", "user"], name="contest_entrant_once")]

    def __str__(self) -> str:
        return self.credit_name


class Entry(TranslatableModel):
    class State(models.TextChoices):
        PROCESSING = "processing", _("Being prepared")
        SUBMITTED = "submitted", pgettext_lazy("contest entry", "Submitted")
        ACCEPTED = "accepted", pgettext_lazy("contest entry", "Accepted")
        DISQUALIFIED = "disqualified", _("Disqualified")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Appeal(models.TextChoices):
        NONE = "", _("None")
        PENDING = "pending", _("Waiting for an answer")
        UPHELD = "upheld", _("Upheld: the entry is back")
        REJECTED = "rejected", _("Rejected")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="entries")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="entries")
    entrant = models.ForeignKey(Entrant, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    translations = TranslatedFields(
        title=models.CharField(_("title"), max_length=200),
        description=models.TextField(_("story"), blank=True),
    )
    place = models.ForeignKey(Place, verbose_name=_("place"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    licence = models.CharField(_("licence"), max_length=20)
    licence_version = models.CharField(max_length=20)
    licence_at = models.DateTimeField()
    share_with_catalogue = models.BooleanField(
        _("may join the province's tourism database"), default=False,
        help_text=_("If the entry wins, its media may be shown on the portal, the app and to partners, with "
                    "your name and licence."))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.SUBMITTED,
                             db_index=True)
    reason = models.TextField(_("reason given to the entrant"), blank=True)
    appeal = models.CharField(_("appeal"), max_length=10, choices=Appeal.choices, default="", blank=True)
    appeal_text = models.TextField(_("entrant's appeal"), blank=True)
    appeal_answer = models.TextField(_("answer to the appeal"), blank=True)
    # photo (and an article's first picture): a copy without GPS; the jury sees the camera's date and model
    image = models.ImageField(upload_to="contests/i/%Y/", blank=True)
    small = models.ImageField(upload_to="contests/s/%Y/", blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    taken_at = models.DateTimeField(_("taken on"), null=True, blank=True)
    camera = models.CharField(_("camera"), max_length=120, blank=True)
    phash = models.BigIntegerField(null=True, blank=True, db_index=True)
    # film: the upload, its web copy and poster made in the queue; or a link
    video = models.FileField(upload_to="contests/v/%Y/", blank=True)
    video_web = models.FileField(upload_to="contests/w/%Y/", blank=True)
    duration = models.FloatField(_("duration, seconds"), null=True, blank=True)
    video_url = models.URLField(_("link to the film"), blank=True)
    media_error = models.CharField(max_length=300, blank=True)
    # article: sanitised HTML
    body = models.TextField(_("text"), blank=True)
    # moderation
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    duplicate_photo = models.ForeignKey(Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    votes = models.PositiveIntegerField(default=0)
    catalogue_photo = models.ForeignKey(Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    SCOPE_COMMUNE = None

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["-id"]
        indexes = [models.Index(fields=["contest", "state", "category", "-id"], name="entry_gallery")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.safe_translation_getter('title', any_language=True) or ''}"

    @property
    def public(self) -> bool:
        return self.state == self.State.ACCEPTED


class EntryImage(models.Model):
    """A picture of an article, checked and stripped of GPS as photos are."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="pictures")
    image = models.ImageField(upload_to="contests/a/%Y/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.entry_id}/{self.position}"


class Vote(models.Model):
    """One verified voter's vote for one entry. The unique constraint is what makes a second vote impossible,
    also when two arrive at once; `address` is a keyed hash, kept for the fraud signals only."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="public_votes")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    address = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "voter"], name="contest_vote_once")]
        indexes = [models.Index(fields=["voter", "category"], name="contest_vote_ballot")]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.entry_id}"


class Ballot(models.Model):
    """A voter's use of a category's votes: the row each of their votes locks, so the limit holds under
    concurrency."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    used = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "voter"], name="contest_ballot_once")]

    def __str__(self) -> str:
        return f"{self.voter_id}: {self.used}"


class Round(models.Model):
    class Method(models.TextChoices):
        YESNO = "yesno", _("Yes / no")
        RATING = "rating", _("Rating 1–5")
        RANKING = "ranking", _("Ranking of a short list")

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("jury round", "Open")
        CLOSED = "closed", pgettext_lazy("jury round", "Closed")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    quorum = models.PositiveSmallIntegerField(_("jurors per entry"), default=2)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="next")
    jurors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("jurors"), related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # the results at closing: [{"entry": id, "score": x, "votes": n, "advance": bool}], best first
    results = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("jury round")
        verbose_name_plural = _("jury rounds")
        ordering = ["category", "number"]
        constraints = [models.UniqueConstraint(fields=["category", "number"], name="contest_round_number")]

    def __str__(self) -> str:
        return f"{self.category} – {self.number} ({self.get_method_display()})"


class Conflict(models.Model):
    """A juror's declared conflict of interest with an entry: the entry is never shown to them."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="conflicts")
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["juror", "entry"], name="contest_conflict_once")]

    def __str__(self) -> str:
        return f"{self.juror_id} ✕ {self.entry_id}"


class Task(models.Model):
    """An entry given to a juror in a round; `value` is their vote (yes 1 / no 0, a rating 1–5, or a rank)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="tasks")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(null=True, blank=True)
    voted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "entry", "juror"], name="contest_task_once")]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.entry_id}/{self.juror_id}"


class Award(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="awards")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="awards")
    rank = models.PositiveSmallIntegerField(_("rank"))
    prize = models.CharField(_("prize"), max_length=120)
    awarded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["rank", "id"]
        constraints = [models.UniqueConstraint(fields=["contest", "entry"], name="contest_award_once")]

    def __str__(self) -> str:
        return f"{self.prize}: {self.entry}"
