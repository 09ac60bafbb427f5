from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from clusters import views as cluster_views
from config import workbook_views
from config.views import healthz

admin.site.site_header = _("Quản trị Cụm thi đua")
admin.site.site_title = _("Quản trị Cụm thi đua")
admin.site.index_title = _("Dữ liệu")

urlpatterns = [
    path("", cluster_views.home, name="home"),
    path("", include("clusters.urls")),
    path("", include("reports.urls")),
    path(
        "clusters/<slug:slug>/<int:year>/import/",
        workbook_views.year_import,
        name="workbook_import",
    ),
    path(
        "clusters/<slug:slug>/<int:year>/export.xlsx",
        workbook_views.year_export,
        name="workbook_export",
    ),
    path("workbook/template.xlsx", workbook_views.template, name="workbook_template"),
    path("", include("awards.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/workbook/", workbook_views.admin_workbook, name="admin_workbook"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
