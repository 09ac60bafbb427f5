from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from clusters import views as cluster_views
from config.views import healthz

admin.site.site_header = _("Quản trị Cụm thi đua")
admin.site.site_title = _("Quản trị Cụm thi đua")
admin.site.index_title = _("Dữ liệu")

urlpatterns = [
    path("", cluster_views.home, name="home"),
    path("", include("clusters.urls")),
    path("", include("reports.urls")),
    path("", include("awards.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
