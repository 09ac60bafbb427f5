from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: field mixins, form helpers and inputs, middleware, cells and rates."""

    name = "core"
    verbose_name = "core"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from core import admin_widgets
        from core.middleware import mark_seen_at_login

        admin_widgets.install()
        user_logged_in.connect(mark_seen_at_login, dispatch_uid="core.mark_seen_at_login")
