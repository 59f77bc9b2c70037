from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "xuthanh.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from xuthanh.search import signals  # noqa: F401 - connects the index to catalogue writes
