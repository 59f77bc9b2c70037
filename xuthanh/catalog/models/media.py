"""Photos of places, events and specialties, with author, licence and a checked, privacy-safe file."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatableModel, TranslatedFields

from xuthanh.catalog.models.events import Event
from xuthanh.catalog.models.places import Place
from xuthanh.catalog.models.products import Specialty
from xuthanh.core import images


def validate_image(file) -> None:
    try:
        images.inspect(file, max_bytes=settings.UPLOAD_IMAGE_MAX_BYTES)
    except images.ImageCheckError as exc:
        raise ValidationError(_("Image rejected: %(reason)s.") % {"reason": str(exc)}) from exc


class Photo(TranslatableModel):
    class Licence(models.TextChoices):
        CC_BY = "CC-BY-4.0", "CC BY 4.0"
        CC_BY_SA = "CC-BY-SA-4.0", "CC BY-SA 4.0"
        CC0 = "CC0-1.0", "CC0 1.0"
        PERMISSION = "permission", _("Used with the author's permission")
        OWN = "own", _("Owned by the department")

    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    specialty = models.ForeignKey(
        Specialty, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("image"), upload_to="photos/%Y/%m/", validators=[validate_image])
    small = models.ImageField(_("reduced copy"), upload_to="photos/small/%Y/%m/", blank=True, editable=False)
    # {"avif": {"320": name, …}, "webp": {…}}: the copies for `srcset`, made in the background queue
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    translations = TranslatedFields(
        caption=models.CharField(_("caption"), max_length=300, blank=True),
        alt_text=models.CharField(_("text alternative"), max_length=300, blank=True),
    )
    author = models.CharField(_("author"), max_length=150)
    licence = models.CharField(_("licence"), max_length=12, choices=Licence.choices)
    source_url = models.URLField(_("source"), blank=True)
    taken_at = models.DateTimeField(
        _("taken on"), null=True, blank=True, help_text=_("Read from EXIF when present.")
    )
    remove_location = models.BooleanField(
        _("remove GPS location"), default=True, help_text=_("Strip the camera's GPS position for privacy.")
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(place__isnull=False, event__isnull=True, specialty__isnull=True)
                    | models.Q(place__isnull=True, event__isnull=False, specialty__isnull=True)
                    | models.Q(place__isnull=True, event__isnull=True, specialty__isnull=False)
                ),
                name="photo_belongs_to_one",
            )
        ]

    def __str__(self) -> str:
        return f"{self.image.name} © {self.author}"
