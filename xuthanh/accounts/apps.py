from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "xuthanh.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from xuthanh.accounts.throttle import count_failure

        user_login_failed.connect(count_failure, dispatch_uid="accounts-login-failed-per-address")
