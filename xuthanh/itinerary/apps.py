from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItineraryConfig(AppConfig):
    name = "xuthanh.itinerary"
    label = "itinerary"
    verbose_name = _("Trip planner")

