from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    name = "xuthanh.translations"
    label = "translations"
    verbose_name = _("Translation desk")

    def ready(self) -> None:
        from xuthanh.translations import signals  # noqa: F401 - reviewed translations feed the memory
