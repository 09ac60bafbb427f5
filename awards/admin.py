from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin, ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from awards import resources, services
from awards.models import (
    AwardKind,
    AwardQuota,
    AwardRule,
    Commendation,
    Nomination,
    NominationEvent,
)


class AwardRuleInline(admin.StackedInline):
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
class AwardKindAdmin(SimpleHistoryAdmin, ImportExportModelAdmin):
    resource_classes = [resources.AwardKindResource]
    list_display = ("name", "level", "recipient", "is_flag", "order")
    list_filter = ("level", "recipient", "is_flag")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
    inlines = [AwardRuleInline]


@admin.register(AwardQuota)
class AwardQuotaAdmin(SimpleHistoryAdmin):
    list_display = ("cluster_year", "award_kind", "quota")
    list_select_related = ("cluster_year__cluster", "award_kind")
    list_filter = ("award_kind", "cluster_year__year")


class NominationEventInline(admin.TabularInline):
    model = NominationEvent
    extra = 0
    fields = ("status", "by", "at", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(SimpleHistoryAdmin, ExportMixin):
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


@admin.register(Commendation)
class CommendationAdmin(SimpleHistoryAdmin, ImportExportModelAdmin):
    resource_classes = [resources.CommendationResource]
    list_display = ("year", "award_kind", "unit", "person_name", "decision_number", "decision_date")
    list_select_related = ("award_kind", "unit")
    list_filter = ("year", "award_kind")
    search_fields = ("person_name", "decision_number", "unit__name")
    autocomplete_fields = ("unit",)
    raw_id_fields = ("nomination",)
    show_full_result_count = False
    list_per_page = 100
