from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuideConfig(AppConfig):
    name = "xuthanh.guide"
    verbose_name = _("Audio guide")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from xuthanh.guide import signals  # noqa: F401 - connects the receivers
        from xuthanh.guide.views import place_section
        from xuthanh.portal.extensions import register_place_section

        register_place_section(place_section)
