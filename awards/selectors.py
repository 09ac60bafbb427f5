from django.db.models import Count, Exists, F, Q
from django.utils.translation import gettext as _

from awards.models import Commendation, Nomination
from clusters.selectors import hidden_memberships, vietnamese_sort_key


def visible_commendations(queryset, visible):
    """Commendations without those of a unit in a year the viewer may not read."""
    return queryset.exclude(Exists(hidden_memberships(visible)))


def nominations_of(cluster_year) -> list[Nomination]:
    """A year's nominations with kind, unit, who overrode and the decision's document (1 query)."""
    return list(
        Nomination.objects.filter(cluster_year=cluster_year)
        .select_related("award_kind", "unit", "overridden_by", "cluster_year", "decision_source")
        .order_by("award_kind__order", "rank_order", "id")
    )


def unit_awards(unit, visible):
    """A unit's nominations and collective commendations, and its individual commendations
    counted by year and kind (3 queries, whatever the thousands of individual records), in the
    years `visible` (clusters.selectors.visible_years) only."""
    commendations = visible_commendations(Commendation.objects.filter(unit=unit), visible)
    nominations = list(
        Nomination.objects.filter(unit=unit, cluster_year__in=visible)
        .select_related("award_kind", "cluster_year__cluster", "unit", "decision_source")
        .order_by("-cluster_year__year", "award_kind__order", "id")
    )
    collective = list(
        commendations.filter(person_name="")
        .select_related("award_kind")
        .order_by("-year", "award_kind__order")
    )
    individual = list(
        commendations.exclude(person_name="")
        .values("year", "award_kind__name", "award_kind__order")
        .annotate(count=Count("id"))
        .order_by("-year", "award_kind__order")
    )
    return nominations, collective, individual


def commendations_in(*, visible, year=None, cluster=None):
    """Commendations filtered in the database; by cluster means the units on that cluster's
    roster in the commendation's year; only those of years the viewer may read."""
    queryset = visible_commendations(Commendation.objects.all(), visible)
    if year:
        queryset = queryset.filter(year=year)
    if cluster:
        queryset = queryset.filter(
            unit__memberships__cluster_year__cluster=cluster, unit__memberships__year=F("year")
        )
    return queryset


def nominations_in(*, visible, year=None, cluster=None, flags_only=False):
    """Nominations of the years the viewer may read (a secretariat: its own cluster's open
    years and everyone's published ones)."""
    queryset = Nomination.objects.filter(cluster_year__in=visible).select_related(
        "award_kind", "unit", "cluster_year__cluster", "decision_source"
    )
    if year:
        queryset = queryset.filter(cluster_year__year=year)
    if cluster:
        queryset = queryset.filter(cluster_year__cluster=cluster)
    if flags_only:
        queryset = queryset.filter(award_kind__is_flag=True)
    return queryset.order_by("cluster_year__year", "award_kind__order", "unit__short_name")


def totals_by_kind(commendations):
    """[{kind, collectives, individuals}] in one aggregate query."""
    return list(
        commendations.values("award_kind__name", "award_kind__order")
        .annotate(
            collectives=Count("id", filter=Q(person_name="")),
            individuals=Count("id", filter=~Q(person_name="")),
        )
        .order_by("award_kind__order")
    )


class Entry(str):
    """A cell's text that also carries its record, for the provenance mark beside it."""

    record = None

    @classmethod
    def of(cls, text, record):
        entry = cls(text)
        entry.record = record
        return entry


def flag_matrix(nominations, flag_commendations):
    """Units × years: in each cell the flags proposed or received. Built from two lists already
    fetched, so it costs no query."""
    cells: dict[tuple[int, int], dict[str, str]] = {}
    units, years = {}, set()
    for n in nominations:
        units[n.unit_id] = n.unit
        years.add(n.cluster_year.year)
        status = n.status_label
        if n.override_reason:
            status += " · " + _("vượt quy định: %(reason)s") % {"reason": n.override_reason}
        if n.amendment_mark:
            status += " · " + n.amendment_mark
        cells.setdefault((n.unit_id, n.cluster_year.year), {})[n.award_kind.name] = Entry.of(
            status, n
        )
    for c in flag_commendations:
        units[c.unit_id] = c.unit
        years.add(c.year)
        cells.setdefault((c.unit_id, c.year), {})[c.award_kind.name] = Entry.of(
            str(Nomination.Status.APPROVED.label), c
        )
    years = sorted(years)
    rows = [
        (unit, [sorted(cells.get((unit.pk, year), {}).items()) for year in years])
        for unit in sorted(units.values(), key=vietnamese_sort_key)
    ]
    return years, rows
