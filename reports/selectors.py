"""Reads for the year page and the unit page: each a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from clusters.models import ClusterYear
from core import rates as stats
from reports.models import COUNT_FIELDS, Conference, UnitReport


def conferences_of(cluster_year: ClusterYear) -> list[Conference]:
    return list(cluster_year.conferences.select_related("host").order_by("kind"))


def reports_of(cluster_year: ClusterYear) -> list[UnitReport]:
    """Every report of the year with the unit and its previous-year crimes (1 query)."""
    return list(
        UnitReport.objects.filter(cluster_year=cluster_year)
        .with_previous_year()
        .select_related("unit", "cluster_year")
    )


@dataclass(frozen=True)
class Totals:
    year: int
    reports: int
    previous_reports: int
    sums: dict
    previous_sums: dict

    @property
    def clearance_rate(self):
        return stats.rate(self.sums["crimes_solved"], self.sums["crimes_recorded"])

    @property
    def serious_rate(self):
        return stats.rate(self.sums["serious_solved"], self.sums["serious_recorded"])

    @property
    def previous_crimes_recorded(self):
        return self.previous_sums["crimes_recorded"]

    @property
    def crimes_change(self):
        return stats.change(self.sums["crimes_recorded"], self.previous_sums["crimes_recorded"])

    @property
    def previous_clearance_rate(self):
        return stats.rate(
            self.previous_sums["crimes_solved"], self.previous_sums["crimes_recorded"]
        )


def cluster_totals(cluster_year: ClusterYear) -> Totals:
    """Sums of the cluster's reports this year and the year before, in one aggregate query."""
    this_year = Q(cluster_year__year=cluster_year.year)
    last_year = Q(cluster_year__year=cluster_year.year - 1)
    aggregates = {"reports": Count("id", filter=this_year)}
    aggregates["previous_reports"] = Count("id", filter=last_year)
    for field in COUNT_FIELDS:
        aggregates[f"this_{field}"] = Sum(field, filter=this_year)
        aggregates[f"previous_{field}"] = Sum(field, filter=last_year)
    row = UnitReport.objects.filter(
        cluster_year__cluster_id=cluster_year.cluster_id,
        cluster_year__year__in=[cluster_year.year, cluster_year.year - 1],
    ).aggregate(**aggregates)
    return Totals(
        year=cluster_year.year,
        reports=row["reports"],
        previous_reports=row["previous_reports"],
        sums={field: row[f"this_{field}"] for field in COUNT_FIELDS},
        previous_sums={field: row[f"previous_{field}"] for field in COUNT_FIELDS},
    )


def reports_of_unit(unit) -> list[UnitReport]:
    """A unit's reports, newest first, with the previous year's crimes (1 query)."""
    return list(
        UnitReport.objects.filter(unit=unit)
        .with_previous_year()
        .select_related("cluster_year__cluster", "unit")
        .order_by("-cluster_year__year")
    )
