from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "xuthanh.registry"
    verbose_name = _("Tourism business registry")
    default_auto_field = "django.db.models.BigAutoField"
