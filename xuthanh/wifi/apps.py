from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WifiConfig(AppConfig):
    name = "xuthanh.wifi"
    verbose_name = _("Public wifi")
    default_auto_field = "django.db.models.BigAutoField"
