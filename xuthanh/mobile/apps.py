"""The mobile app: an installable, offline-first Progressive Web App served by the platform under /app/."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobileConfig(AppConfig):
    name = "xuthanh.mobile"
    verbose_name = _("Mobile app")

