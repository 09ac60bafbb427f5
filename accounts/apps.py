from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from config import admin_widgets
        from config.middleware import mark_seen_at_login

        admin_widgets.install()
        user_logged_in.connect(mark_seen_at_login, dispatch_uid="accounts.mark_seen_at_login")
