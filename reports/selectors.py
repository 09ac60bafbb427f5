"""Reads for the year page and the unit page: each a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, Sum

from accounts.access import can
from clusters.bundle import YearBundle
from clusters.models import ClusterYear, DataStatus
from core import rates as stats
from reports.models import COUNT_FIELDS, Conference, UnitReport


def conferences_of(cluster_year: ClusterYear) -> list[Conference]:
    return list(cluster_year.conferences.select_related("host").order_by("kind"))


def year_conferences(bundle: YearBundle) -> list[Conference]:
    """The year's conferences, every kind, with their host (1 query, once a request)."""
    return bundle.once("reports:conferences", lambda: conferences_of(bundle.cluster_year))


def year_reports(bundle: YearBundle) -> list[UnitReport]:
    """The year's reports with their unit, in the units' order (once a request; read with
    previous_reports())."""
    return _this_and_last_year(bundle)[0]


def previous_reports(bundle: YearBundle) -> dict[int, UnitReport]:
    """The reports of the year before of the units that reported this year, by unit id: last
    year's figures for the warnings, from whichever cluster the unit was in."""
    return _this_and_last_year(bundle)[1]


def _this_and_last_year(bundle: YearBundle):
    def read():
        cluster_year = bundle.cluster_year
        reported = UnitReport.objects.filter(cluster_year=cluster_year).values("unit_id")
        last_year = ClusterYear.objects.filter(year=cluster_year.year - 1).values("pk")
        both = list(
            UnitReport.objects.filter(
                Q(cluster_year=cluster_year) | Q(cluster_year__in=last_year, unit_id__in=reported)
            ).select_related("unit")
        )
        this = [report for report in both if report.cluster_year_id == cluster_year.pk]
        previous = {r.unit_id: r for r in both if r.cluster_year_id != cluster_year.pk}
        return this, previous

    return bundle.once("reports:this-and-last-year", read)


def reports_of(cluster_year: ClusterYear, visible=None) -> list[UnitReport]:
    """Every report of the year with the unit and its previous-year crimes (1 query)."""
    return list(
        UnitReport.objects.filter(cluster_year=cluster_year)
        .with_previous_year(visible)
        .select_related("unit", "cluster_year")
    )


@dataclass(frozen=True)
class Totals:
    """A year's sums over every report of the cluster (`sums`, `previous_sums`), and the same
    over only the units that reported in both years (`compared_*`): changes against last year
    are taken from those, like with like."""

    year: int
    reports: int
    previous_reports: int
    compared: int  # units that reported in both years
    sums: dict
    previous_sums: dict
    compared_sums: dict
    compared_previous_sums: dict

    @property
    def like_with_like(self) -> bool:
        """Both years' reports come from the same units: the whole cluster's change means
        something, and may be shown as good or bad."""
        return self.reports == self.previous_reports == self.compared

    @property
    def clearance_rate(self):
        return stats.rate(self.sums["crimes_solved"], self.sums["crimes_recorded"])

    @property
    def serious_rate(self):
        return stats.rate(self.sums["serious_solved"], self.sums["serious_recorded"])

    @property
    def compared_clearance_rate(self):
        return stats.rate(
            self.compared_sums["crimes_solved"], self.compared_sums["crimes_recorded"]
        )

    @property
    def compared_serious_rate(self):
        return stats.rate(
            self.compared_sums["serious_solved"], self.compared_sums["serious_recorded"]
        )

    @property
    def previous_crimes_recorded(self):
        """Last year's crimes of the units compared."""
        return self.compared_previous_sums["crimes_recorded"]

    @property
    def crimes_change(self):
        """This year's crimes against last year's, of the units that reported in both."""
        return stats.change(
            self.compared_sums["crimes_recorded"], self.compared_previous_sums["crimes_recorded"]
        )

    @classmethod
    def combined(cls, many, *, year: int) -> "Totals":
        """Several clusters' Totals of the same two years as one: the sums add up, and so do
        the like-with-like sums (each cluster's units of both years)."""

        def add(part):
            sums = {}
            for field in COUNT_FIELDS:
                known = [getattr(t, part)[field] for t in many]
                known = [value for value in known if value is not None]
                sums[field] = sum(known) if known else None  # unknown is not zero
            return sums

        return cls(
            year=year,
            reports=sum(t.reports for t in many),
            previous_reports=sum(t.previous_reports for t in many),
            compared=sum(t.compared for t in many),
            sums=add("sums"),
            previous_sums=add("previous_sums"),
            compared_sums=add("compared_sums"),
            compared_previous_sums=add("compared_previous_sums"),
        )

    @property
    def previous_clearance_rate(self):
        return stats.rate(
            self.compared_previous_sums["crimes_solved"],
            self.compared_previous_sums["crimes_recorded"],
        )


def cluster_totals(cluster_year: ClusterYear, visible=None) -> Totals:
    """Sums of the cluster's reports this year and the year before, overall and over the units
    that reported in both years, in one aggregate query; the year before only if `visible`
    holds it (a year reopened for a correction is not read through the next one)."""
    reports = UnitReport.objects.filter(cluster_year__cluster_id=cluster_year.cluster_id)
    if visible is not None:
        reports = reports.filter(cluster_year__in=visible)
    return paired_totals(reports, cluster_year.year, cluster_year.year - 1)


def paired_totals(reports, year: int, other_year: int, *, by: str | None = None):
    """`reports` (a UnitReport queryset) summed for `year` against `other_year`, overall and
    over the units that reported in both years in the same cluster (like with like), in one
    aggregate query: one Totals, or {value of `by`: Totals} grouped by the field path `by`
    (e.g. "cluster_year__cluster_id")."""
    reports = reports.filter(cluster_year__year__in=[year, other_year])
    # The same unit's report of the other year in the same cluster (one report a year).
    other = reports.filter(
        unit_id=OuterRef("unit_id"), cluster_year__cluster_id=OuterRef("cluster_year__cluster_id")
    ).exclude(pk=OuterRef("pk"))
    # Grouped by year and by whether the unit has both years: the test runs once a report
    # (inside every FILTER of 36 sums, PostgreSQL ran it 36 times a row), and the few groups
    # are added up here.
    keys = ["cluster_year__year", "in_both"] + ([by] if by else [])
    rows = (
        reports.annotate(in_both=Exists(other))
        .order_by()
        .values(*keys)
        .annotate(n=Count("id"), **{field: Sum(field) for field in COUNT_FIELDS})
    )
    groups: dict = {}
    for row in rows:
        groups.setdefault(row[by] if by else None, []).append(row)

    def totals(group_rows):
        def pick(wanted_year, both_only):
            chosen = [
                r
                for r in group_rows
                if r["cluster_year__year"] == wanted_year and (r["in_both"] or not both_only)
            ]
            if not chosen:
                return dict.fromkeys(COUNT_FIELDS)
            return {field: sum(r[field] or 0 for r in chosen) for field in COUNT_FIELDS}

        def count(wanted_year, both_only):
            return sum(
                r["n"]
                for r in group_rows
                if r["cluster_year__year"] == wanted_year and (r["in_both"] or not both_only)
            )

        return Totals(
            year=year,
            reports=count(year, False),
            previous_reports=count(other_year, False),
            compared=count(year, True),
            sums=pick(year, False),
            previous_sums=pick(other_year, False),
            compared_sums=pick(year, True),
            compared_previous_sums=pick(other_year, True),
        )

    if by is None:
        return totals(groups.get(None, []))
    return {key: totals(group_rows) for key, group_rows in groups.items()}


def reports_of_unit(unit, visible=None) -> list[UnitReport]:
    """A unit's reports, newest first, with the previous year's crimes (1 query)."""
    return list(
        UnitReport.objects.filter(unit=unit)
        .with_previous_year(visible)
        .select_related("cluster_year__cluster", "unit")
        .order_by("-cluster_year__year")
    )


def forms_open_to(user, cluster_year: ClusterYear, units) -> set[int]:
    """The ids of `units` whose report form of `cluster_year` opens for `user` (no query): links
    to the others would answer 404."""
    return {
        unit.pk
        for unit in units
        if can(user, "reports.view_unitreport", UnitReport(unit=unit, cluster_year=cluster_year))
    }


def years_to_enter(user, unit, reports) -> list[ClusterYear]:
    """The open years of the unit's memberships (unit_history's memberships_desc) without a
    report among `reports`, where `user` may enter it (no query)."""
    reported = {report.cluster_year_id for report in reports}
    return [
        membership.cluster_year
        for membership in unit.memberships_desc
        if membership.cluster_year_id not in reported
        and can(
            user,
            "reports.change_unitreport",
            UnitReport(unit=unit, cluster_year=membership.cluster_year),
        )
    ]


def yearly_sums(reports):
    """Sums of `reports` (a UnitReport queryset) by year, with how many reports each year has
    and how many of them are of each status (1 aggregate query): [{year, reports, <field>...,
    statuses: {status: count}}], oldest first."""
    aggregates = {field: Sum(field) for field in COUNT_FIELDS}
    for status in DataStatus:
        aggregates[f"status_{status.value}"] = Count("id", filter=Q(data_status=status))
    rows = (
        reports.order_by()
        .values(year=F("cluster_year__year"))
        .annotate(reports=Count("id"), **aggregates)
        .order_by("year")
    )
    return [
        {
            **{key: value for key, value in row.items() if not key.startswith("status_")},
            "statuses": {
                status: row[f"status_{status.value}"]
                for status in DataStatus
                if row[f"status_{status.value}"]
            },
        }
        for row in rows
    ]
