from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: field mixins, form helpers and inputs, middleware, cells and rates."""

    name = "core"
    verbose_name = "core"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created

        from core import admin_widgets, cache
        from core.middleware import mark_seen_at_login
        from core.search import install_sqlite_functions

        admin_widgets.install()
        cache.connect()  # every committed domain write moves the cache's generation on
        user_logged_in.connect(mark_seen_at_login, dispatch_uid="core.mark_seen_at_login")
        # SQLite's UNACCENT and Unicode LOWER for the accent-insensitive search (core.search).
        connection_created.connect(install_sqlite_functions, dispatch_uid="core.sqlite_search")
