from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "xuthanh.campaigns"
    verbose_name = _("Promotion campaigns")

    def ready(self) -> None:
        from xuthanh.campaigns import services
        from xuthanh.core import attribution

        attribution.outcome.connect(services.on_outcome, dispatch_uid="campaigns-outcomes")
