"""What all translated catalogue content shares: the interests vocabulary, translation status and coverage,
the folded search text and the workflow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatableModel, TranslatedFields

from xuthanh.core.models import Publishable, TranslationStatus
from xuthanh.core.text import fold


def translation_status_field() -> models.CharField:
    return models.CharField(
        _("translation status"),
        max_length=10,
        choices=TranslationStatus.choices,
        default=TranslationStatus.REVIEWED,
    )


class Tag(TranslatableModel):
    """An interest a tourist may choose (history, beach, spirituality, food, …)."""

    slug = models.SlugField(_("short id"), max_length=40, unique=True)
    translations = TranslatedFields(name=models.CharField(_("name"), max_length=80))

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.safe_translation_getter("name", any_language=True) or self.slug


class TranslatedContent(TranslatableModel, Publishable):
    """Base of places, events, specialties and tours (abstract)."""

    slug = models.SlugField(_("short id"), max_length=120, unique=True)
    popularity = models.PositiveSmallIntegerField(
        _("popularity"), default=50, help_text=_("0–100, used to rank search results and plans.")
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("interests"), blank=True)
    search_text = models.TextField(editable=False, blank=True, default="")

    SEARCH_TRANSLATED = ("name",)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.safe_translation_getter("name", any_language=True) or self.slug

    def translation_statuses(self) -> dict[str, str]:
        """Per configured language: 'missing', 'machine' or 'reviewed'."""
        present = {
            t.language_code: (t.translation_status if t.name else "missing") for t in self.translations.all()
        }
        return {code: present.get(code, "missing") for code, _name in settings.LANGUAGES}

    def extra_search_terms(self) -> list[str]:
        return []

    def build_search_text(self) -> str:
        parts = [self.slug.replace("-", " ")]
        for translation in self.translations.all():
            parts.extend(getattr(translation, field, "") or "" for field in self.SEARCH_TRANSLATED)
        parts.extend(self.extra_search_terms())
        if self.pk:
            parts.extend(str(tag.slug) for tag in self.tags.all())
        folded = fold(" ".join(parts))
        return " ".join(dict.fromkeys(folded.split()))  # de-duplicated words, order kept

    def refresh_search_text(self) -> None:
        """Recompute the folded text after a write, and tell readers (the search index) it changed."""
        from django.utils import timezone

        from xuthanh.catalog.signals import content_changed

        self.search_text = self.build_search_text()
        self.updated_at = timezone.now()  # relations (tags, hours, …) changed too: readers' ETags must change
        type(self).objects.filter(pk=self.pk).update(search_text=self.search_text, updated_at=self.updated_at)
        content_changed.send(sender=type(self), instance=self)

    @property
    def is_published(self) -> bool:
        return self.status == "published"
