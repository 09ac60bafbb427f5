"""One workbook per emulation year: a sheet per section, with the columns of each model's resource
(the same headers the admin's import/export and, later, import_workbook use)."""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

from django.db import models

from awards.models import Commendation, Nomination
from awards.resources import CommendationResource, NominationResource
from clusters.models import Cluster, ClusterYear, Membership, Unit
from clusters.resources import (
    CLUSTER,
    UNIT,
    YEAR,
    ClusterResource,
    ClusterYearResource,
    MembershipResource,
    UnitResource,
)
from config.spreadsheets import write_workbook
from reports.models import Conference, UnitReport
from reports.resources import ConferenceResource, UnitReportResource
from welfare.models import Beneficiary, Contribution, Fund, Support
from welfare.resources import (
    BeneficiaryResource,
    ContributionResource,
    FundResource,
    SupportResource,
)


def typed_row(resource, fields, obj) -> list:
    """A row of real values: dates stay dates and numbers stay numbers; a related object is
    written as its name (the resource's widget), never as an id."""
    row = []
    for field in fields:
        value = field.get_value(obj)
        if isinstance(value, models.Model):
            value = field.widget.render(value)
        elif isinstance(value, datetime.datetime):
            value = value.date()
        elif value is not None and not isinstance(value, int | datetime.date | str):
            value = str(value)
        row.append(value)
    return row


@dataclass(frozen=True)
class Section:
    """One sheet of the workbook: its title, the resource that reads and writes it, the columns
    a sheet must have to be read as this section (those that identify a row), and the columns
    that refer forward and are imported in a second pass after the section named by
    deferred_after (None: after everything else)."""

    title: str
    resource_class: type
    required: tuple[str, ...]
    rows: Callable  # (years, member_units, year) -> queryset, in a stable order
    deferred: tuple[str, ...] = ()
    deferred_after: str | None = None

    @cached_property
    def headers(self) -> list[str]:
        return [f.column_name for f in self.resource_class().get_export_fields()]

    @cached_property
    def kinds(self) -> dict[str, str]:
        from config.importer import _column_kinds

        return _column_kinds(self)


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


SECTIONS = [
    Section(
        "Đơn vị",
        UnitResource,
        ("Tên đơn vị",),
        _units,
        deferred=("Đơn vị kế thừa",),
        deferred_after="Đơn vị",
    ),
    Section(
        "Cụm thi đua",
        ClusterResource,
        ("Tên cụm",),
        lambda years, units, year: (
            Cluster.objects.filter(years__in=years).distinct().order_by("number", "name")
        ),
    ),
    Section(
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
        "Thành viên",
        MembershipResource,
        (CLUSTER, YEAR, UNIT),
        lambda years, units, year: (
            Membership.objects.filter(cluster_year__in=years)
            .select_related("cluster_year__cluster", "unit")
            .order_by("cluster_year__cluster__number", "cluster_year__cluster__name", "unit__name")
        ),
    ),
    Section(
        "Hội nghị",
        ConferenceResource,
        (CLUSTER, YEAR, "Loại hội nghị (year_end/mid_year)"),
        lambda years, units, year: (
            Conference.objects.filter(cluster_year__in=years)
            .select_related("cluster_year__cluster", "host")
            .order_by("cluster_year__cluster__number", "cluster_year__cluster__name", "kind")
        ),
    ),
    Section(
        "Báo cáo đơn vị",
        UnitReportResource,
        (CLUSTER, YEAR, UNIT),
        lambda years, units, year: (
            UnitReport.objects.filter(cluster_year__in=years)
            .select_related("cluster_year__cluster", "unit")
            .order_by("cluster_year__cluster__number", "cluster_year__cluster__name", "unit__name")
        ),
    ),
    Section(
        "Bình xét",
        NominationResource,
        (CLUSTER, YEAR, "Hình thức", UNIT, "Họ tên"),
        lambda years, units, year: (
            Nomination.objects.filter(cluster_year__in=years)
            .select_related("cluster_year__cluster", "award_kind", "unit")
            .order_by(
                "cluster_year__cluster__number",
                "cluster_year__cluster__name",
                "award_kind__order",
                "award_kind__name",
                "rank_order",
                "unit__name",
                "person_name",
            )
        ),
    ),
    Section(
        "Khen thưởng",
        CommendationResource,
        (YEAR, "Hình thức", UNIT, "Họ tên", "Số quyết định"),
        lambda years, units, year: (
            Commendation.objects.filter(year=year, unit__in=units)
            .select_related("award_kind", "unit")
            .order_by(
                "award_kind__order",
                "award_kind__name",
                "unit__name",
                "person_name",
                "decision_number",
                "decision_date",
                "person_rank",
                "person_position",
                "notes",
            )
        ),
    ),
    Section(
        "Quỹ",
        FundResource,
        (CLUSTER, YEAR, "Tên quỹ"),
        lambda years, units, year: (
            Fund.objects.filter(cluster_year__in=years)
            .select_related("cluster_year__cluster")
            .order_by("cluster_year__cluster__number", "cluster_year__cluster__name", "title")
        ),
        deferred=("Trạng thái (collecting/closed)",),
    ),
    Section(
        "Đóng góp",
        ContributionResource,
        (CLUSTER, YEAR, "Quỹ", UNIT, "Nhà hảo tâm khác", "Số tiền (₫)", "Ngày đóng góp"),
        lambda years, units, year: (
            Contribution.objects.filter(fund__cluster_year__in=years)
            .select_related("fund__cluster_year__cluster", "unit")
            .order_by(
                "fund__cluster_year__cluster__number",
                "fund__cluster_year__cluster__name",
                "fund__title",
                "given_on",
                "unit__name",
                "donor_name",
                "amount",
                "notes",
            )
        ),
    ),
    Section(
        "Người được hỗ trợ",
        BeneficiaryResource,
        ("Họ tên", UNIT),
        lambda years, units, year: (
            Beneficiary.objects.filter(supports__fund__cluster_year__in=years)
            .distinct()
            .select_related("unit")
            .order_by("unit__name", "full_name")
        ),
    ),
    Section(
        "Hỗ trợ",
        SupportResource,
        (CLUSTER, YEAR, "Quỹ", "Người được hỗ trợ", UNIT, "Hình thức"),
        lambda years, units, year: (
            Support.objects.filter(fund__cluster_year__in=years)
            .select_related("fund__cluster_year__cluster", "beneficiary__unit")
            .order_by(
                "fund__cluster_year__cluster__number",
                "fund__cluster_year__cluster__name",
                "fund__title",
                "beneficiary__unit__name",
                "beneficiary__full_name",
                "kind",
            )
        ),
    ),
]


def _sheet(section: Section, queryset):
    resource = section.resource_class()
    fields = resource.get_export_fields()

    def rows() -> Iterator[list]:
        for obj in queryset.iterator(chunk_size=2000):
            yield typed_row(resource, fields, obj)

    return section.title, [f.column_name for f in fields], rows()


def sections(year: int, cluster: Cluster | None = None):
    years = ClusterYear.objects.filter(year=year)
    if cluster is not None:
        years = years.filter(cluster=cluster)
    member_units = Unit.objects.filter(memberships__cluster_year__in=years)
    return [_sheet(section, section.rows(years, member_units, year)) for section in SECTIONS]


def template_sections():
    """The blank template: every sheet with its headers and no rows."""
    return [(section.title, section.headers, []) for section in SECTIONS]


def export_workbook(target, *, year: int, cluster: Cluster | None = None) -> None:
    write_workbook(target, sections(year, cluster))
