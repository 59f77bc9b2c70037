"""The content the desk translates: each kind's model (the catalogue's, and the audio guide's tours, stops,
place narrations, 360° scenes and their notes), the text fields a translator sees and how long each may be
where it is shown. What a kind cannot lack, where its published state is and which records have texts are
the model's own answers (catalog.selectors.translation_main_field, published_q, translatable)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from xuthanh.catalog.selectors import CONTENT_MODELS, translation_main_field
from xuthanh.core.sourcetrack import text_fields
from xuthanh.guide import models as guide

CONTENT: dict[str, type[models.Model]] = {
    **CONTENT_MODELS, "guided_tour": guide.Tour, "stop": guide.Stop, "narration": guide.Narration,
    "scene": guide.Scene, "hotspot": guide.Hotspot,
}
_KIND_OF = {model: kind for kind, model in CONTENT.items()}
_KIND_OF.update({model._parler_meta.root_model: kind for kind, model in CONTENT.items()})

# Lengths past which a field no longer fits where it is shown on a phone (cards, list lines, the app).
SCREEN_HINTS = {
    "name": (48, _("Cards and the app's lists show about 48 characters of a name on a phone.")),
    "summary": (160, _("Lists and search results show about 160 characters of a summary.")),
    "origin": (60, _("Shown on one line under the dish's name.")),
    "title": (48, _("The app and the 360° viewer show about 48 characters of a title on a phone.")),
}
# Chinese, Japanese and Korean characters are about twice as wide as Latin letters.
WIDE_LANGUAGES = {"zh-hans", "zh-hant", "ja", "ko"}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    max_length: int | None
    multiline: bool
    rows: int
    screen_limit: int | None
    screen_hint: str


def kind_of(model: type[models.Model]) -> str:
    """"place", "event", … of a content model or of its translation model."""
    return _KIND_OF[model]


def has_field(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def field_specs(model: type[models.Model], lang: str) -> list[FieldSpec]:
    """The fields to translate, in order, with the hints the editor shows for `lang`."""
    root = model._parler_meta.root_model
    specs = []
    for name in text_fields(root):
        field = root._meta.get_field(name)
        limit, hint = SCREEN_HINTS.get(name, (None, ""))
        if limit and lang in WIDE_LANGUAGES:
            limit = limit // 2
        specs.append(
            FieldSpec(
                name=name,
                label=str(field.verbose_name),
                max_length=field.max_length if isinstance(field, models.CharField) else None,
                multiline=isinstance(field, models.TextField) or (field.max_length or 0) > 120,
                rows=8 if isinstance(field, models.TextField) else 3,
                screen_limit=limit,
                screen_hint=str(hint),
            )
        )
    return specs


def main_field_needed(model: type[models.Model]) -> str:
    """Why a translation without its main field (a name, a title, a script) is refused."""
    main = translation_main_field(model)
    if main == "name":
        return str(_("The name is needed: a translation without a name is not shown."))
    label = model._parler_meta.root_model._meta.get_field(main).verbose_name
    return str(_("The %(field)s is needed: a translation without it is not shown.")) % {"field": label}
