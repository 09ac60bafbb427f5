from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin, ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from awards import services
from awards import workbook as resources
from awards.models import (
    AwardKind,
    AwardQuota,
    AwardRule,
    Commendation,
    Discipline,
    Nomination,
    NominationEvent,
)
from awards.selectors import tallied_years
from core.admin import ServiceAdmin
from core.resources import reading_resource


class AwardRuleInline(admin.StackedInline):
    """Award rules are data the admin keeps (each change is in the history)."""

    model = AwardRule
    extra = 0
    fields = (
        "valid_from",
        "vote_threshold",
        "yearly_limit",
        "default_quota",
        "leader_only",
        "legal_basis",
        "notes",
    )


@admin.register(AwardKind)
class AwardKindAdmin(ServiceAdmin, SimpleHistoryAdmin, ImportExportModelAdmin):
    resource_classes = [resources.AwardKindResource]
    list_display = ("name", "level", "recipient", "is_flag", "order")
    list_filter = ("level", "recipient", "is_flag")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
    inlines = [AwardRuleInline]

    def write(self, obj, by):
        services.award_kind_save(award_kind=obj, by=by)

    def remove(self, obj, by):
        services.award_kind_delete(award_kind=obj, by=by)

    def save_formset(self, request, form, formset, change):
        """Each rule row through its service (a rule that applied to a published year stays)."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if row.cleaned_data.get("DELETE"):
                if row.instance.pk:
                    services.award_rule_delete(rule=row.instance, by=request.user)
            elif row.has_changed():
                row.instance.award_kind = form.instance
                services.award_rule_save(rule=row.instance, by=request.user)


@admin.register(AwardQuota)
class AwardQuotaAdmin(ServiceAdmin, SimpleHistoryAdmin):
    list_display = ("cluster_year", "award_kind", "quota")
    list_select_related = ("cluster_year__cluster", "award_kind")
    list_filter = ("award_kind", "cluster_year__year")

    def year_of(self, obj):
        return obj.cluster_year

    def write(self, obj, by):
        services.award_quota_set(
            cluster_year=obj.cluster_year, award_kind=obj.award_kind, quota=obj.quota, by=by
        )

    def remove(self, obj, by):
        services.award_quota_delete(quota=obj, by=by)


class NominationEventInline(admin.TabularInline):
    model = NominationEvent
    extra = 0
    fields = ("status", "by", "at", "note", "amendment", "source")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(ServiceAdmin, SimpleHistoryAdmin, ExportMixin, admin.ModelAdmin):
    """Nominations are made by the vote on the secretariat's page, where every rule is checked;
    here they are read, annotated and moved on through the services."""

    resource_classes = [resources.NominationResource]
    list_display = (
        "award_kind",
        "recipient",
        "cluster_year",
        "votes",
        "status",
        "decision_number",
        "overridden",
    )
    list_select_related = ("award_kind", "unit", "cluster_year__cluster")
    list_filter = ("status", "award_kind", "cluster_year__cluster", "cluster_year__year")
    list_per_page = 100
    search_fields = ("unit__name", "person_name", "decision_number")
    readonly_fields = (
        "cluster_year",
        "award_kind",
        "unit",
        "person_name",
        "person_rank",
        "person_position",
        "votes_for",
        "council_size",
        "status",
        "decision_number",
        "decision_date",
        "decision_issuer",
        "decision_source",
        "amended_at",
        "withdrawal_reason",
        "override_reason",
        "overridden_by",
    )
    fields = (*readonly_fields, "rank_order", "achievements", "notes")
    inlines = [NominationEventInline]
    actions = ["submit"]

    @admin.display(description=_("được đề nghị"))
    def recipient(self, obj):
        return obj.recipient_label

    @admin.display(description=_("phiếu"))
    def votes(self, obj):
        return f"{obj.votes_for}/{obj.council_size}" if obj.council_size else "—"

    @admin.display(description=_("vượt quy định"), boolean=True)
    def overridden(self, obj):
        return bool(obj.override_reason)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A nomination and its events stay: the secretariat's page withdraws it through the
        # service (a draft not yet submitted goes, a submitted one stays withdrawn with a reason).
        return False

    def year_of(self, obj):
        return obj.cluster_year

    def write(self, obj, by):
        services.nomination_annotate(nomination=obj, by=by)

    @admin.action(description=_("Trình các đề nghị đã chọn"))
    def submit(self, request, queryset):
        for nomination in queryset.select_related("cluster_year"):
            try:
                services.nomination_submit(nomination=nomination, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                text = (
                    " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                )
                self.message_user(request, f"{nomination}: {text}", messages.WARNING)


class BoundedCountPaginator(Paginator):
    """Counts at most LIMIT rows (a count of millions of commendations alone takes longer than a
    page should): past that, the pages say "10.000" and the filters or the search narrow it."""

    LIMIT = 10_000

    @cached_property
    def count(self):
        return self.object_list[: self.LIMIT].count()


class CommendationYearFilter(admin.SimpleListFilter):
    """The years from the tallies (a few thousand rows), not a DISTINCT over every commendation."""

    title = _("năm thành tích")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [(str(year), str(year)) for year in tallied_years().order_by("-year")]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit() and len(value) <= 4:
            return queryset.filter(year=int(value))
        return queryset


@admin.register(Commendation)
class CommendationAdmin(ServiceAdmin, SimpleHistoryAdmin, ImportExportModelAdmin):
    resource_classes = [resources.CommendationResource]
    list_display = ("year", "award_kind", "unit", "person_name", "decision_number", "decision_date")
    list_select_related = ("award_kind", "unit")
    list_filter = (CommendationYearFilter, "award_kind")
    # Newest first, by the primary key's index: the model's order (year, kind, unit, person) is
    # a sort of every row (1.8 s at 3 million on PostgreSQL).
    ordering = ("-id",)
    paginator = BoundedCountPaginator
    search_fields = ("person_name", "decision_number", "unit__name")
    autocomplete_fields = ("unit",)
    raw_id_fields = ("nomination",)
    show_full_result_count = False
    # Django's admin draws a row in about 0.4 ms (its checkbox, links, dates): 50 rows a page keep
    # the list within its 100 ms at national scale; search and the filters find the rest.
    list_per_page = 50

    def year_of(self, obj):
        return services.commendation_year(obj)

    def write(self, obj, by):
        services.commendation_save(commendation=obj, by=by)

    def remove(self, obj, by):
        services.commendation_delete(commendation=obj, by=by)


@admin.register(Discipline)
class DisciplineAdmin(ServiceAdmin, SimpleHistoryAdmin, ExportMixin, admin.ModelAdmin):
    resource_classes = [
        reading_resource(
            Discipline,
            [
                "cluster_year",
                "unit",
                "person_name",
                "person_rank",
                "form",
                "decision_number",
                "decision_date",
                "decision_issuer",
                "reason",
            ],
        )
    ]
    list_display = (
        "form",
        "unit",
        "person_name",
        "decision_number",
        "decision_date",
        "cluster_year",
    )
    list_select_related = ("unit", "cluster_year__cluster")
    list_filter = ("cluster_year__year",)
    search_fields = ("person_name", "decision_number", "unit__name")
    raw_id_fields = ("cluster_year",)

    def year_of(self, obj):
        return obj.cluster_year

    def write(self, obj, by):
        services.discipline_save(discipline=obj, by=by)

    def remove(self, obj, by):
        services.discipline_delete(discipline=obj, by=by)
