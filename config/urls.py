from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

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
    path("", include("workbook.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
