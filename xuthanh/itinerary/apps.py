from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItineraryConfig(AppConfig):
    name = "xuthanh.itinerary"
    label = "itinerary"
    verbose_name = _("Trip planner")

    def ready(self) -> None:
        # The trip endpoints live with the app but are served by the one open API (/api/v1/trips…).
        from xuthanh.api.views import api
        from xuthanh.itinerary.api import mount

        mount(api)
