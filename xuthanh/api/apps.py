from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "xuthanh.api"
    label = "api"
    verbose_name = _("Open API")

    def ready(self) -> None:
        from corsheaders.signals import check_request_enabled

        from xuthanh.api.services import cors_allowed

        check_request_enabled.connect(cors_allowed, dispatch_uid="xuthanh_api_cors")
