from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from clusters.admin import ClusterYearAdmin, FrozenWhenPublishedInline
from core.admin import ServiceAdmin
from reports import services
from reports import workbook as resources
from reports.models import Conference, PublishedFigure, UnitReport


class YearBoundAdmin(ServiceAdmin, SimpleHistoryAdmin, ImportExportModelAdmin):
    """Objects of a published year are read-only here too, until an admin reopens the year."""

    def year_of(self, obj):
        return obj.cluster_year


@admin.register(UnitReport)
class UnitReportAdmin(YearBoundAdmin):
    resource_classes = [resources.UnitReportResource]
    list_display = (
        "unit",
        "cluster_year",
        "crimes_recorded",
        "crimes_solved",
        "drug_cases",
        "drug_offenders",
        "updated_at",
    )
    list_select_related = ("unit", "cluster_year__cluster")
    list_filter = ("cluster_year__cluster", "cluster_year__year", "cluster_year__status")
    search_fields = ("unit__name", "unit__short_name", "cluster_year__cluster__name")
    autocomplete_fields = ("unit",)
    show_full_result_count = False

    def write(self, obj, by):
        services.unit_report_save(report=obj, by=by)

    def remove(self, obj, by):
        services.unit_report_delete(report=obj, by=by)


@admin.register(Conference)
class ConferenceAdmin(YearBoundAdmin):
    resource_classes = [resources.ConferenceResource]
    list_display = ("cluster_year", "kind", "date", "host", "presiding_name")
    list_select_related = ("cluster_year__cluster", "host")
    list_filter = ("kind", "cluster_year__cluster", "cluster_year__year")
    search_fields = ("cluster_year__cluster__name", "presiding_name", "place", "slogan")
    autocomplete_fields = ("host",)

    def write(self, obj, by):
        services.conference_save(conference=obj, by=by)

    def remove(self, obj, by):
        services.conference_delete(conference=obj, by=by)


class ConferenceFormSet(BaseInlineFormSet):
    def write(self, by):
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        for form in self.forms:
            if not form.has_changed() and not form.cleaned_data.get("DELETE"):
                continue
            if form.cleaned_data.get("DELETE"):
                if form.instance.pk:
                    services.conference_delete(conference=form.instance, by=by)
            else:
                form.instance.cluster_year = self.instance
                services.conference_save(conference=form.instance, by=by)


class ConferenceInline(FrozenWhenPublishedInline):
    model = Conference
    formset = ConferenceFormSet
    extra = 0
    fields = ("kind", "date", "host", "place", "presiding_rank", "presiding_name")
    show_change_link = True
    verbose_name_plural = _("hội nghị")


ClusterYearAdmin.inlines = [*ClusterYearAdmin.inlines, ConferenceInline]


@admin.register(PublishedFigure)
class PublishedFigureAdmin(ServiceAdmin, SimpleHistoryAdmin):
    """The cluster's totals as it published them, beside the sum of the units' reports."""

    list_display = ("cluster_year", "figure", "value", "data_status", "source")
    list_select_related = ("cluster_year__cluster", "source")
    list_filter = ("cluster_year__cluster", "figure")
    autocomplete_fields = ("source",)

    def write(self, obj, by):
        services.published_figure_save(figure=obj, by=by)

    def remove(self, obj, by):
        services.published_figure_delete(figure=obj, by=by)

    def year_of(self, obj):
        return obj.cluster_year
