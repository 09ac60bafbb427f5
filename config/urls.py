from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.static import serve

from accounts import notification_views
from core.views import healthz
from pages import views as page_views

admin.site.site_header = _("Quản trị Cụm thi đua")
admin.site.site_title = _("Quản trị Cụm thi đua")
admin.site.index_title = _("Dữ liệu")

urlpatterns = [
    path("", page_views.home, name="home"),
    path("", include("pages.urls")),
    path("", include("clusters.urls")),
    path("", include("reports.urls")),
    path("", include("awards.urls")),
    path("", include("welfare.urls")),
    path("", include("emulation.urls")),
    path("", include("workbook.urls")),
    path("accounts/", include("accounts.urls")),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/unread.json", notification_views.unread_count, name="notifications_unread"),
    path("notifications/read/", notification_views.notification_read, name="notifications_read"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says: one fixed file, never a 404.
    path(
        "favicon.ico",
        cache_control(max_age=7 * 24 * 3600, public=True)(serve),
        {"path": "favicon.ico", "document_root": settings.BASE_DIR / "static"},
    ),
]
