from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin, ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import FrozenInline, ServiceAdmin
from welfare import services
from welfare import workbook as resources
from welfare.models import Beneficiary, Contribution, Fund, Support


class ContributionAdminForm(forms.ModelForm):
    """The admin's contribution, with the box that answers the repeat question of the service."""

    confirm_repeat = forms.BooleanField(
        label=_("Vẫn ghi thêm"),
        required=False,
        help_text=_("Đánh dấu khi đây là khoản thứ hai, giống một khoản vừa ghi trong 24 giờ."),
    )

    class Meta:
        model = Contribution
        fields = ["fund", "unit", "donor_name", "amount", "given_on", "notes"]

    def clean(self):
        cleaned = super().clean()
        # Read by ContributionAdmin.write, which gets the instance and not the form.
        self.instance._confirm_repeat = cleaned.get("confirm_repeat", False)
        return cleaned


def _confirmed(contribution) -> bool:
    return getattr(contribution, "_confirm_repeat", False)


class ContributionFormSet(BaseInlineFormSet):
    def write(self, by):
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        for form in self.forms:
            deleted = form.cleaned_data.get("DELETE")
            if not form.has_changed() and not deleted:
                continue
            if deleted:
                if form.instance.pk:
                    services.contribution_delete(contribution=form.instance, by=by)
            else:
                form.instance.fund = self.instance
                services.contribution_save(
                    contribution=form.instance, by=by, confirm_repeat=_confirmed(form.instance)
                )


class ContributionInline(FrozenInline, admin.TabularInline):
    model = Contribution
    form = ContributionAdminForm
    formset = ContributionFormSet
    extra = 0
    fields = ("unit", "donor_name", "amount", "given_on", "confirm_repeat")
    autocomplete_fields = ("unit",)


class FundYearAdmin(ServiceAdmin):
    def year_of(self, obj):
        return obj.fund.cluster_year


@admin.register(Fund)
class FundAdmin(ServiceAdmin, SimpleHistoryAdmin, ImportExportModelAdmin):
    resource_classes = [resources.FundResource]
    list_display = ("title", "cluster_year", "target", "status", "opened_on", "closed_on")
    list_select_related = ("cluster_year__cluster",)
    list_filter = ("status", "cluster_year__cluster", "cluster_year__year")
    search_fields = ("title", "purpose")
    inlines = [ContributionInline]

    def year_of(self, obj):
        return obj.cluster_year

    def write(self, obj, by):
        services.fund_save(fund=obj, by=by)

    def remove(self, obj, by):
        services.fund_delete(fund=obj, by=by)

    def save_formset(self, request, form, formset, change):
        formset.write(request.user)


@admin.register(Contribution)
class ContributionAdmin(FundYearAdmin, SimpleHistoryAdmin, ImportExportModelAdmin):
    resource_classes = [resources.ContributionResource]
    form = ContributionAdminForm
    fields = ["fund", "unit", "donor_name", "amount", "given_on", "notes", "confirm_repeat"]
    list_display = ("fund", "donor", "amount", "given_on")
    list_select_related = ("fund__cluster_year__cluster", "unit")
    list_filter = ("fund__cluster_year__year", "fund")
    search_fields = ("unit__name", "donor_name", "fund__title")
    autocomplete_fields = ("unit",)

    @admin.display(description=_("người đóng góp"), ordering="unit__name")
    def donor(self, obj):
        return obj.donor

    def write(self, obj, by):
        services.contribution_save(contribution=obj, by=by, confirm_repeat=_confirmed(obj))

    def remove(self, obj, by):
        services.contribution_delete(contribution=obj, by=by)


@admin.register(Beneficiary)
class BeneficiaryAdmin(ServiceAdmin, SimpleHistoryAdmin, ImportExportModelAdmin):
    resource_classes = [resources.BeneficiaryResource]
    list_display = ("full_name", "rank", "position", "unit", "circumstance")
    list_select_related = ("unit",)
    list_filter = ("circumstance", "unit")
    search_fields = ("full_name", "position", "place", "unit__name")
    autocomplete_fields = ("unit",)

    def frozen(self, obj):
        return (
            obj is not None and obj.supports.filter(fund__cluster_year__status="published").exists()
        )

    def write(self, obj, by):
        services.beneficiary_save(beneficiary=obj, by=by)

    def remove(self, obj, by):
        services.beneficiary_delete(beneficiary=obj, by=by)


@admin.register(Support)
class SupportAdmin(FundYearAdmin, SimpleHistoryAdmin, ExportMixin, admin.ModelAdmin):
    resource_classes = [resources.SupportResource]
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
    list_display = ("beneficiary", "fund", "kind", "amount", "handed_over_on")
    list_select_related = ("beneficiary__unit", "fund__cluster_year__cluster")
    list_filter = ("kind", "fund__cluster_year__year")
    search_fields = ("beneficiary__full_name", "fund__title")
    autocomplete_fields = ("beneficiary",)

    def write(self, obj, by):
        services.support_save(support=obj, by=by)

    def remove(self, obj, by):
        services.support_delete(support=obj, by=by)
