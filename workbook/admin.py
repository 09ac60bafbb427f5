"""The background jobs, for the administrator to see what the workers are doing: read-only (a
job is started, confirmed and finished by its starter and the workers, never edited here); each
row links to the job's own page."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import AccentInsensitiveSearch
from workbook.models import ExportJob, ImportJob


class JobAdmin(AccentInsensitiveSearch, admin.ModelAdmin):
    list_select_related = ("user", "cluster_year__cluster")
    list_filter = ("status",)
    search_fields = ("filename", "user__username")
    date_hierarchy = "created_at"
    list_per_page = 50
    exclude = ("content",)  # the file itself: downloaded from the job's page, never shown here

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("trang của lượt"))
    def page(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Mở"))


@admin.register(ImportJob)
class ImportJobAdmin(JobAdmin):
    list_display = (
        "filename",
        "user",
        "cluster_year",
        "status",
        "rows_total",
        "rows_checked",
        "rows_written",
        "created_at",
        "finished_at",
        "page",
    )
    exclude = ("content", "sheets")  # the file and the rows as read: large, and not for reading


@admin.register(ExportJob)
class ExportJobAdmin(JobAdmin):
    list_display = (
        "filename",
        "user",
        "cluster_year",
        "status",
        "rows_total",
        "rows_written",
        "created_at",
        "finished_at",
        "page",
    )
