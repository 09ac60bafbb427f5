"""One workbook per emulation year: a sheet per section, with the columns of each model's resource
(the same headers the admin's import/export and, later, import_workbook use)."""

import datetime
from collections.abc import Iterator

from django.db import models

from awards.models import Commendation, Nomination
from awards.resources import CommendationResource, NominationResource
from clusters.models import Cluster, ClusterYear, Membership, Unit
from clusters.resources import (
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


def _sheet(title, resource_class, queryset):
    resource = resource_class()
    fields = resource.get_export_fields()
    headers = [field.column_name for field in fields]

    def rows() -> Iterator[list]:
        for obj in queryset.iterator(chunk_size=2000):
            yield typed_row(resource, fields, obj)

    return title, headers, rows()


def sections(year: int, cluster: Cluster | None = None):
    years = ClusterYear.objects.filter(year=year)
    if cluster is not None:
        years = years.filter(cluster=cluster)
    member_units = Unit.objects.filter(memberships__cluster_year__in=years)
    # Successors and predecessors come along, so that every name in the sheet can be found.
    units = Unit.objects.filter(
        models.Q(pk__in=member_units)
        | models.Q(predecessors__in=member_units)
        | models.Q(successor__in=member_units)
    ).distinct()
    clusters = Cluster.objects.filter(years__in=years).distinct()
    return [
        _sheet("Đơn vị", UnitResource, units.select_related("successor")),
        _sheet("Cụm thi đua", ClusterResource, clusters),
        _sheet(
            "Năm thi đua, Cụm trưởng",
            ClusterYearResource,
            years.select_related("cluster", "chair", "vice_chair"),
        ),
        _sheet(
            "Thành viên",
            MembershipResource,
            Membership.objects.filter(cluster_year__in=years).select_related(
                "cluster_year__cluster", "unit"
            ),
        ),
        _sheet(
            "Hội nghị",
            ConferenceResource,
            Conference.objects.filter(cluster_year__in=years).select_related(
                "cluster_year__cluster", "host"
            ),
        ),
        _sheet(
            "Báo cáo đơn vị",
            UnitReportResource,
            UnitReport.objects.filter(cluster_year__in=years).select_related(
                "cluster_year__cluster", "unit"
            ),
        ),
        _sheet(
            "Bình xét",
            NominationResource,
            Nomination.objects.filter(cluster_year__in=years).select_related(
                "cluster_year__cluster", "award_kind", "unit"
            ),
        ),
        _sheet(
            "Khen thưởng",
            CommendationResource,
            Commendation.objects.filter(year=year, unit__in=member_units).select_related(
                "award_kind", "unit"
            ),
        ),
        _sheet(
            "Quỹ",
            FundResource,
            Fund.objects.filter(cluster_year__in=years).select_related("cluster_year__cluster"),
        ),
        _sheet(
            "Đóng góp",
            ContributionResource,
            Contribution.objects.filter(fund__cluster_year__in=years).select_related(
                "fund__cluster_year__cluster", "unit"
            ),
        ),
        _sheet(
            "Người được hỗ trợ",
            BeneficiaryResource,
            Beneficiary.objects.filter(supports__fund__cluster_year__in=years)
            .distinct()
            .select_related("unit"),
        ),
        _sheet(
            "Hỗ trợ",
            SupportResource,
            Support.objects.filter(fund__cluster_year__in=years).select_related(
                "fund__cluster_year__cluster", "beneficiary__unit"
            ),
        ),
    ]


def export_workbook(target, *, year: int, cluster: Cluster | None = None) -> None:
    write_workbook(target, sections(year, cluster))
