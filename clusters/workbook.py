"""Spreadsheet columns for the admin's import/export and the workbook: units and clusters by
name, never by id. Every resource checks, row by row, that the importing user may write that row."""

from django.db import models
from django.utils.translation import gettext as _
from import_export import fields
from import_export.widgets import ForeignKeyWidget

from clusters import services
from clusters.models import Cluster, ClusterYear, Membership, Unit
from core.resources import (
    NameForeignKeyWidget,
    ServiceResource,
    date_field,
    number_widget,
    text_field,
)
from core.sheets import Section

CLUSTER = "Cụm thi đua"
YEAR = "Năm"
UNIT = "Đơn vị"


class ClusterYearWidget(ForeignKeyWidget):
    """The cluster column names the cluster; the year comes from the row's year column."""

    def __init__(self):
        super().__init__(ClusterYear)

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        cluster = NameForeignKeyWidget(Cluster, "name").clean(value)
        year = row.get(YEAR) if row else None
        try:
            return ClusterYear.objects.select_related("cluster").get(
                cluster=cluster, year=int(year)
            )
        except (TypeError, ValueError):
            raise ValueError(
                _("Năm “%(value)s” không phải là một năm.") % {"value": year}
            ) from None
        except ClusterYear.DoesNotExist:
            raise ValueError(
                _("%(cluster)s chưa có năm thi đua %(year)s.")
                % {"cluster": cluster.name, "year": year}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.cluster.name if value else ""


class UnitResource(ServiceResource):
    name = text_field("name", "Tên đơn vị")
    short_name = text_field("short_name", "Tên ngắn")
    slug = text_field("slug", "Mã đường dẫn")
    started_on = date_field("started_on", "Ngày thành lập")
    ended_on = date_field("ended_on", "Ngày kết thúc")
    successor = fields.Field(
        attribute="successor",
        column_name="Đơn vị kế thừa",
        widget=NameForeignKeyWidget(Unit, "name"),
    )
    notes = text_field("notes", "Ghi chú")

    class Meta:
        model = Unit
        import_id_fields = ("name",)
        fields = ("name", "short_name", "slug", "started_on", "ended_on", "successor", "notes")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("successor")

    def write(self, instance, by):
        services.unit_save(unit=instance, by=by)


class ClusterResource(ServiceResource):
    number = fields.Field(attribute="number", column_name="Số", widget=number_widget())
    name = text_field("name", "Tên cụm")
    slug = text_field("slug", "Mã đường dẫn")
    description = text_field("description", "Mô tả")

    class Meta:
        model = Cluster
        import_id_fields = ("name",)
        fields = ("number", "name", "slug", "description")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def write(self, instance, by):
        services.cluster_save(cluster=instance, by=by)


class ClusterYearResource(ServiceResource):
    cluster = fields.Field(
        attribute="cluster", column_name=CLUSTER, widget=NameForeignKeyWidget(Cluster, "name")
    )
    year = fields.Field(attribute="year", column_name=YEAR, widget=number_widget())
    chair = fields.Field(
        attribute="chair", column_name="Cụm trưởng", widget=NameForeignKeyWidget(Unit, "name")
    )
    vice_chair = fields.Field(
        attribute="vice_chair",
        column_name="Phó Cụm trưởng",
        widget=NameForeignKeyWidget(Unit, "name"),
    )
    handover_date = date_field("handover_date", "Ngày nhận bàn giao")
    handover_note = text_field("handover_note", "Ghi chú bàn giao")
    leading_unit = fields.Field(
        attribute="leading_unit",
        column_name="Đơn vị dẫn đầu",
        widget=NameForeignKeyWidget(Unit, "name"),
    )

    class Meta:
        model = ClusterYear
        import_id_fields = ("cluster", "year")
        fields = (
            "cluster",
            "year",
            "chair",
            "vice_chair",
            "handover_date",
            "handover_note",
            "leading_unit",
        )
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("cluster", "chair", "vice_chair")

    def write(self, instance, by):
        services.cluster_year_save(cluster_year=instance, by=by)


class MembershipResource(ServiceResource):
    cluster_year = fields.Field(
        attribute="cluster_year", column_name=CLUSTER, widget=ClusterYearWidget()
    )
    year = fields.Field(attribute="year", column_name=YEAR, widget=number_widget())
    unit = fields.Field(
        attribute="unit", column_name=UNIT, widget=NameForeignKeyWidget(Unit, "name")
    )

    class Meta:
        model = Membership
        import_id_fields = ("cluster_year", "unit")
        fields = ("cluster_year", "year", "unit")
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return super().get_queryset().select_related("cluster_year__cluster", "unit")

    def write(self, instance, by):
        services.membership_add(membership=instance, by=by)


def _units(years, member_units, year):
    # Successors and predecessors come along, so that every name in the sheet can be found.
    return (
        Unit.objects.filter(
            models.Q(pk__in=member_units)
            | models.Q(predecessors__in=member_units)
            | models.Q(successor__in=member_units)
        )
        .distinct()
        .select_related("successor")
        .order_by("name")
    )


# The sheets of the year's workbook that this app keeps (workbook.registry finds them).
SHEETS = [
    Section(
        10,
        "Đơn vị",
        UnitResource,
        ("Tên đơn vị",),
        _units,
        deferred=("Đơn vị kế thừa",),
        deferred_after="Đơn vị",
    ),
    Section(
        20,
        "Cụm thi đua",
        ClusterResource,
        ("Tên cụm",),
        lambda years, units, year: (
            Cluster.objects.filter(years__in=years).distinct().order_by("number", "name")
        ),
    ),
    Section(
        30,
        "Năm thi đua, Cụm trưởng",
        ClusterYearResource,
        (CLUSTER, YEAR),
        lambda years, units, year: years.select_related(
            "cluster", "chair", "vice_chair", "leading_unit"
        ).order_by("cluster__number", "cluster__name", "year"),
        deferred=("Cụm trưởng", "Phó Cụm trưởng", "Đơn vị dẫn đầu"),
        deferred_after="Thành viên",
    ),
    Section(
        40,
        "Thành viên",
        MembershipResource,
        (CLUSTER, YEAR, UNIT),
        lambda years, units, year: (
            Membership.objects.filter(cluster_year__in=years)
            .select_related("cluster_year__cluster", "unit")
            .order_by("cluster_year__cluster__number", "cluster_year__cluster__name", "unit__name")
        ),
    ),
]
