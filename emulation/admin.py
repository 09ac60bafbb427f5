"""The cycle in the admin: criteria change through their service (after scoring began only the
admin may, and the history keeps every change); pledges and score sheets are read here and
written on the cycle's pages."""

from django.contrib import admin
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ServiceAdmin
from core.resources import reading_resource
from emulation import services
from emulation.models import (
    BallotCount,
    Candidate,
    CouncilMember,
    Criterion,
    Cycle,
    Dossier,
    DossierRound,
    Pledge,
    ScoreSheet,
)


class ReadOnlyAdmin(ServiceAdmin, SimpleHistoryAdmin, ExportMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Cycle)
class CycleAdmin(ServiceAdmin, SimpleHistoryAdmin, ExportMixin, admin.ModelAdmin):
    resource_classes = [
        reading_resource(
            Cycle,
            [
                "cluster_year",
                "divergence_threshold",
                "tie_break",
                "scoring_started_at",
                "ranking_adopted_at",
            ],
        )
    ]
    list_display = ("cluster_year", "scoring_started_at", "ranking_adopted_at")
    list_select_related = ("cluster_year__cluster",)
    list_filter = ("cluster_year__year",)
    fields = (
        "divergence_threshold",
        "tie_break",
        "self_score_due",
        "inspection_due",
        "report_due",
        "dossier_due",
    )

    def has_add_permission(self, request):
        return False  # a cycle is opened on its year's scoring page

    def has_delete_permission(self, request, obj=None):
        return False

    def year_of(self, obj):
        return obj.cluster_year

    def write(self, obj, by):
        services.cycle_settings_save(
            cycle=obj,
            by=by,
            **{name: getattr(obj, name) for name in self.fields},
        )


@admin.register(Criterion)
class CriterionAdmin(ServiceAdmin, SimpleHistoryAdmin, ExportMixin, admin.ModelAdmin):
    resource_classes = [
        reading_resource(
            Criterion, ["cycle", "parent", "kind", "number", "title", "max_points", "guidance"]
        )
    ]
    list_display = ("number", "title", "kind", "max_points", "cycle")
    list_select_related = ("cycle__cluster_year__cluster",)
    list_filter = ("kind", "cycle__cluster_year__year")
    search_fields = ("title", "number")
    raw_id_fields = ("cycle", "parent")

    def year_of(self, obj):
        return obj.cycle.cluster_year

    def write(self, obj, by):
        services.criterion_save(criterion=obj, by=by)

    def remove(self, obj, by):
        services.criterion_delete(criterion=obj, by=by)


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdmin):
    resource_classes = [reading_resource(Pledge, ["cycle", "unit", "signed_by", "signed_on"])]
    list_display = ("unit", "cycle", "signed_by", "signed_on")
    list_select_related = ("unit", "cycle__cluster_year__cluster")
    list_filter = ("cycle__cluster_year__year",)


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnlyAdmin):
    resource_classes = [
        reading_resource(ScoreSheet, ["cycle", "unit", "kind", "inspector", "submitted_at"])
    ]
    list_display = ("unit", "kind", "inspector", "cycle", "submitted_at")
    list_select_related = ("unit", "inspector", "cycle__cluster_year__cluster")
    list_filter = ("kind", "cycle__cluster_year__year")


@admin.register(CouncilMember)
class CouncilMemberAdmin(ReadOnlyAdmin):
    list_display = ("name", "title", "attendance", "cycle")
    list_select_related = ("cycle__cluster_year__cluster",)
    list_filter = ("attendance", "cycle__cluster_year__year")
    resource_classes = [reading_resource(CouncilMember, ["cycle", "name", "title", "attendance"])]


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "award_kind", "votes_for", "written_for", "cycle")
    list_select_related = ("unit", "award_kind", "cycle__cluster_year__cluster")
    list_filter = ("award_kind", "cycle__cluster_year__year")
    resource_classes = [
        reading_resource(
            Candidate,
            ["cycle", "award_kind", "unit", "person_name", "votes_for", "written_for"],
        )
    ]


@admin.register(BallotCount)
class BallotCountAdmin(ReadOnlyAdmin):
    list_display = ("award_kind", "ballots_cast", "blank", "spoiled", "written", "cycle")
    list_select_related = ("award_kind", "cycle__cluster_year__cluster")
    list_filter = ("cycle__cluster_year__year",)
    resource_classes = [
        reading_resource(
            BallotCount, ["cycle", "award_kind", "ballots_cast", "blank", "spoiled", "written"]
        )
    ]


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ("cycle", "status")
    list_select_related = ("cycle__cluster_year__cluster",)
    list_filter = ("status", "cycle__cluster_year__year")
    resource_classes = [reading_resource(Dossier, ["cycle", "status"])]


@admin.register(DossierRound)
class DossierRoundAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "number", "submitted_at", "received_at", "returned_at", "decided_at")
    list_select_related = ("dossier__cycle__cluster_year__cluster",)
    resource_classes = [
        reading_resource(
            DossierRound,
            [
                "dossier",
                "number",
                "submitted_at",
                "received_at",
                "returned_at",
                "return_reason",
                "decided_at",
            ],
        )
    ]
