from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export.admin import ExportMixin, ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from welfare import resources, services
from welfare.models import Beneficiary, Contribution, Fund, Support


class FrozenWithTheirYear:
    """Funds of a published year are read-only until an admin reopens the year."""

    def _year(self, obj):
        return obj.cluster_year if isinstance(obj, Fund) else obj.fund.cluster_year

    def has_change_permission(self, request, obj=None):
        if obj is not None and self._year(obj).is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self._year(obj).is_published:
            return False
        return super().has_delete_permission(request, obj)


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 0
    fields = ("unit", "donor_name", "amount", "given_on")
    autocomplete_fields = ("unit",)

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.cluster_year.is_published

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(Fund)
class FundAdmin(FrozenWithTheirYear, SimpleHistoryAdmin, ImportExportModelAdmin):
    resource_classes = [resources.FundResource]
    list_display = ("title", "cluster_year", "target", "status", "opened_on", "closed_on")
    list_select_related = ("cluster_year__cluster",)
    list_filter = ("status", "cluster_year__cluster", "cluster_year__year")
    search_fields = ("title", "purpose")
    inlines = [ContributionInline]


class ContributionAdminForm(forms.ModelForm):
    class Meta:
        model = Contribution
        fields = ["fund", "unit", "donor_name", "amount", "given_on", "notes"]

    def clean(self):
        cleaned = super().clean()
        fund = cleaned.get("fund")
        if fund and fund.status == Fund.Status.CLOSED and self.instance.pk is None:
            raise ValidationError(
                _("Quỹ “%(fund)s” đã khóa sổ, không nhận thêm đóng góp.") % {"fund": fund.title}
            )
        return cleaned


@admin.register(Contribution)
class ContributionAdmin(FrozenWithTheirYear, SimpleHistoryAdmin, ImportExportModelAdmin):
    form = ContributionAdminForm
    resource_classes = [resources.ContributionResource]
    list_display = ("fund", "unit", "donor_name", "amount", "given_on")
    list_select_related = ("fund__cluster_year__cluster", "unit")
    list_filter = ("fund__cluster_year__year", "fund")
    search_fields = ("unit__name", "donor_name", "fund__title")
    autocomplete_fields = ("unit",)


@admin.register(Beneficiary)
class BeneficiaryAdmin(SimpleHistoryAdmin, ImportExportModelAdmin):
    resource_classes = [resources.BeneficiaryResource]
    list_display = ("full_name", "rank", "position", "unit", "circumstance")
    list_select_related = ("unit",)
    list_filter = ("circumstance", "unit")
    search_fields = ("full_name", "position", "place", "unit__name")
    autocomplete_fields = ("unit",)


class SupportAdminForm(forms.ModelForm):
    class Meta:
        model = Support
        fields = [
            "fund",
            "beneficiary",
            "kind",
            "amount",
            "paid_on",
            "non_member_reason",
            "house_total_cost",
            "other_funding",
            "approved_on",
            "building_started_on",
            "handed_over_on",
            "notes",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("fund") and cleaned.get("beneficiary") and not self.errors:
            candidate = Support(
                pk=self.instance.pk, **{f: cleaned.get(f) for f in self.Meta.fields}
            )
            candidate._state.adding = self.instance._state.adding
            for field, messages in services.support_errors(candidate).items():
                self.add_error(field, messages)
        return cleaned


@admin.register(Support)
class SupportAdmin(FrozenWithTheirYear, SimpleHistoryAdmin, ExportMixin):
    form = SupportAdminForm
    resource_classes = [resources.SupportResource]
    list_display = ("beneficiary", "fund", "kind", "amount", "handed_over_on")
    list_select_related = ("beneficiary__unit", "fund__cluster_year__cluster")
    list_filter = ("kind", "fund__cluster_year__year")
    search_fields = ("beneficiary__full_name", "fund__title")
    autocomplete_fields = ("beneficiary",)
