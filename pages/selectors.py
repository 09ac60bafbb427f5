"""Reads that join several apps, for the pages that compose them."""

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum

from awards.models import Nomination
from clusters.models import ClusterYear, DataStatus, Membership
from emulation.models import Dossier
from reports.models import UnitReport


def leaders_of(cluster_years, visible) -> list[dict]:
    """Each year's leading unit with its clearance rate that year and the year before (2
    queries): [{cluster_year, unit, report, previous, rate, previous_rate}]."""
    cluster_years = list(
        cluster_years.select_related("cluster", "leading_unit").order_by("cluster__number", "year")
    )
    pairs = {(cy.leading_unit_id, cy.year) for cy in cluster_years if cy.leading_unit_id}
    pairs |= {(unit, year - 1) for unit, year in pairs}
    found = {}
    if pairs:
        units = {unit for unit, _year in pairs}
        years = {year for _unit, year in pairs}
        # only the years the viewer may read: the year before may be open again for a correction
        for report in UnitReport.objects.filter(
            unit_id__in=units, cluster_year__year__in=years, cluster_year__in=visible
        ).select_related("cluster_year"):
            found[(report.unit_id, report.cluster_year.year)] = report
    rows = []
    for cy in cluster_years:
        report = found.get((cy.leading_unit_id, cy.year)) if cy.leading_unit_id else None
        previous = found.get((cy.leading_unit_id, cy.year - 1)) if cy.leading_unit_id else None
        rate = report.clearance_rate if report else None
        previous_rate = previous.clearance_rate if previous else None
        rows.append(
            {
                "cluster_year": cy,
                "unit": cy.leading_unit,
                "report": report,
                "previous": previous,
                "rate": rate,
                "previous_rate": previous_rate,
                "points": None if None in (rate, previous_rate) else rate - previous_rate,
            }
        )
    return rows


def reported_by_year_and_cluster(reports) -> list[dict]:
    """Commendations as the units reported them, by year and cluster (1 query): [{year,
    cluster, reports, collectives, individuals}]."""
    return list(
        reports.order_by()
        .values(year=F("cluster_year__year"), cluster=F("cluster_year__cluster_id"))
        .annotate(
            reports=Count("id"),
            collectives=Sum("commended_collectives"),
            individuals=Sum("commended_individuals"),
            **{
                f"status_{status.value}": Count("id", filter=Q(data_status=status))
                for status in WEAKEST_FIRST
            },
        )
    )


# The status a sum takes from the least certain of its figures.
WEAKEST_FIRST = (DataStatus.ILLUSTRATIVE, DataStatus.ESTIMATE, DataStatus.CLUSTER_PUBLISHED)


def weakest_status(row) -> str:
    """The status of a sum (reported_by_year_and_cluster's row): the least certain among its
    figures, or "reported"."""
    for status in WEAKEST_FIRST:
        if row.get(f"status_{status.value}"):
            return status.value
    return DataStatus.REPORTED.value


def force_overview(year: int, visible) -> list[ClusterYear]:
    """Every cluster's year `year` the viewer may read, with where it stands (1 query): members,
    units that reported, whether the cluster voted (a nomination not withdrawn), and the status
    of its dossier to the Ministry (None: no cycle or dossier)."""
    members = Membership.objects.filter(cluster_year=OuterRef("pk")).values("cluster_year")
    reported = UnitReport.objects.filter(cluster_year=OuterRef("pk")).values("cluster_year")
    return list(
        ClusterYear.objects.filter(year=year, pk__in=visible.values("pk"))
        .select_related("cluster", "leading_unit")
        .annotate(
            member_count=Subquery(members.annotate(n=Count("pk")).values("n")[:1]),
            reported_count=Subquery(reported.annotate(n=Count("pk")).values("n")[:1]),
            voted=Exists(
                Nomination.objects.filter(cluster_year=OuterRef("pk")).exclude(
                    status=Nomination.Status.WITHDRAWN
                )
            ),
            dossier_status=Subquery(
                Dossier.objects.filter(cycle__cluster_year=OuterRef("pk")).values("status")[:1]
            ),
        )
        .order_by("cluster__number")
    )
