from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "xuthanh.catalog"
    label = "catalog"
    verbose_name = _("Tourism catalogue")

    def ready(self) -> None:
        from django.db.models.signals import post_save, pre_save

        from xuthanh.catalog.models import Event, Place, Specialty, Tour
        from xuthanh.core.sourcetrack import on_post_save, on_pre_save

        for model in (Place, Event, Specialty, Tour):  # the source version of every translation (core.sourcetrack)
            rows = model._parler_meta.root_model
            pre_save.connect(on_pre_save, sender=rows, dispatch_uid=f"sourcetrack-{model}")
            post_save.connect(on_post_save, sender=rows, dispatch_uid=f"sourcetrack-after-{model}")
