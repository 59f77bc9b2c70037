"""News articles: translated title, summary and body, the editorial workflow, the organisation that
wrote it, and optionally the commune it is about and a cover photo."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatableModel, TranslatedFields

from xuthanh.areas.models import Commune
from xuthanh.catalog.models import Photo
from xuthanh.catalog.models.base import translation_status_field
from xuthanh.catalog.models.media import validate_image
from xuthanh.core.models import Publishable, Status
from xuthanh.core.text import fold
from xuthanh.orgs.models import Organisation


class Article(TranslatableModel, Publishable):
    # Scope (see orgs.permissions): a commune's editors edit articles about their communes, every unit
    # edits the articles it wrote, province-wide units edit everything.
    SCOPE_COMMUNE = "commune"
    SCOPE_SITE = "author"

    slug = models.SlugField(_("short id"), max_length=120, unique=True)
    translations = TranslatedFields(
        title=models.CharField(_("title"), max_length=200),
        summary=models.CharField(_("summary"), max_length=300, blank=True),
        body=models.TextField(_("text"), blank=True),
        cover_alt=models.CharField(_("cover text alternative"), max_length=300, blank=True),
        translation_status=translation_status_field(),
    )
    author = models.ForeignKey(
        Organisation, verbose_name=_("author organisation"), on_delete=models.PROTECT, related_name="articles"
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune / ward"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text=_("The commune or ward the article is about, if it is about one."),
    )
    cover = models.ImageField(_("cover photo"), upload_to="news/%Y/%m/", blank=True, validators=[validate_image])
    cover_author = models.CharField(_("cover photo author"), max_length=150, blank=True)
    cover_licence = models.CharField(_("cover photo licence"), max_length=12, choices=Photo.Licence.choices, blank=True)
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self) -> str:
        return self.safe_translation_getter("title", any_language=True) or self.slug

    def clean(self) -> None:
        if self.cover and not (self.cover_author and self.cover_licence):
            raise ValidationError({"cover_author": _("Give the cover photo's author and licence.")})

    def get_absolute_url(self) -> str:
        return reverse("news:article_detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    def translation_statuses(self) -> dict[str, str]:
        """Per configured language: 'missing', 'machine' or 'reviewed' (shown by the admin)."""
        present = {t.language_code: (t.translation_status if t.title else "missing") for t in self.translations.all()}
        return {code: present.get(code, "missing") for code, _name in settings.LANGUAGES}

    def refresh_search_text(self) -> None:
        """Folded slug, titles and commune, for the admin's unaccented search."""
        parts = [self.slug.replace("-", " "), *(t.title for t in self.translations.all())]
        if self.commune_id:
            parts.append(self.commune.name)
        self.search_text = " ".join(dict.fromkeys(fold(" ".join(parts)).split()))
        type(self).objects.filter(pk=self.pk).update(search_text=self.search_text)
