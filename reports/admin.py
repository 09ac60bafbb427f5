from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from clusters.admin import ClusterYearAdmin, FrozenWhenPublishedInline
from reports import resources, services
from reports.models import CONFERENCE_FIELDS, COUNT_FIELDS, Conference, UnitReport


class FrozenWhenPublishedAdmin(SimpleHistoryAdmin, ImportExportModelAdmin):
    """Objects of a published year are read-only here too, until an admin reopens the year."""

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.cluster_year.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.cluster_year.is_published:
            return False
        return super().has_delete_permission(request, obj)


def raise_as_form_error(check, instance):
    """Run a service's rules inside a form's clean(), so the admin shows them next to the form."""
    try:
        check(instance)
    except ValidationError as error:
        raise ValidationError(error.messages) from None


class UnitReportAdminForm(forms.ModelForm):
    class Meta:
        model = UnitReport
        fields = [
            "cluster_year",
            "unit",
            *COUNT_FIELDS,
            "project06_notes",
            "other_results",
            "notes",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("cluster_year") and cleaned.get("unit"):
            report = UnitReport(cluster_year=cleaned["cluster_year"], unit=cleaned["unit"])
            raise_as_form_error(services.unit_report_check, report)
        return cleaned


class ConferenceAdminForm(forms.ModelForm):
    class Meta:
        model = Conference
        fields = ["cluster_year", "kind", *CONFERENCE_FIELDS]

    def clean(self):
        cleaned = super().clean()
        cluster_year = cleaned.get("cluster_year") or getattr(self.instance, "cluster_year", None)
        if cluster_year:
            raise_as_form_error(services.conference_check, Conference(cluster_year=cluster_year))
        return cleaned


@admin.register(UnitReport)
class UnitReportAdmin(FrozenWhenPublishedAdmin):
    form = UnitReportAdminForm
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


@admin.register(Conference)
class ConferenceAdmin(FrozenWhenPublishedAdmin):
    form = ConferenceAdminForm
    resource_classes = [resources.ConferenceResource]
    list_display = ("cluster_year", "kind", "date", "host", "presiding_name")
    list_select_related = ("cluster_year__cluster", "host")
    list_filter = ("kind", "cluster_year__cluster", "cluster_year__year")
    search_fields = ("cluster_year__cluster__name", "presiding_name", "place", "slogan")
    autocomplete_fields = ("host",)


class ConferenceInline(FrozenWhenPublishedInline):
    model = Conference
    form = ConferenceAdminForm
    extra = 0
    fields = ("kind", "date", "host", "place", "presiding_rank", "presiding_name")
    show_change_link = True
    verbose_name_plural = _("hội nghị")


ClusterYearAdmin.inlines = [*ClusterYearAdmin.inlines, ConferenceInline]
