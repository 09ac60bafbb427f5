from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.utils.translation import gettext as _

from awards.models import Commendation, CommendationTally, Nomination
from clusters.models import Membership
from clusters.selectors import hidden_memberships, sees_every_year, vietnamese_sort_key


def visible_commendations(queryset, visible):
    """Commendations without those of a unit in a year the viewer may not read."""
    if sees_every_year(visible):
        return queryset
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
    # counted from the tallies (awards.tallies): a unit has tens of thousands over the years
    individual = list(
        visible_commendations(
            CommendationTally.objects.filter(unit=unit, individuals__gt=0), visible
        )
        .values("year", "award_kind__name", "award_kind__order")
        .annotate(count=Sum("individuals"))
        .order_by("-year", "award_kind__order")
    )
    return nominations, collective, individual


def _narrowed(queryset, year_path, year, year_from, year_to, unit, kind):
    """The summary's filters other than the cluster: a year or a range, a unit, a kind."""
    if year:
        queryset = queryset.filter(**{year_path: year})
    if year_from:
        queryset = queryset.filter(**{f"{year_path}__gte": year_from})
    if year_to:
        queryset = queryset.filter(**{f"{year_path}__lte": year_to})
    if unit:
        queryset = queryset.filter(unit=unit)
    if kind:
        queryset = queryset.filter(award_kind=kind)
    return queryset


def commendations_in(
    *, visible, year=None, cluster=None, year_from=None, year_to=None, unit=None, kind=None
):
    """Commendations filtered in the database; by cluster means the units on that cluster's
    roster in the commendation's year; only those of years the viewer may read."""
    queryset = visible_commendations(Commendation.objects.all(), visible)
    queryset = _narrowed(queryset, "year", year, year_from, year_to, unit, kind)
    if cluster:
        queryset = queryset.filter(
            unit__memberships__cluster_year__cluster=cluster, unit__memberships__year=F("year")
        )
    return queryset


def nominations_in(
    *,
    visible,
    year=None,
    cluster=None,
    flags_only=False,
    year_from=None,
    year_to=None,
    unit=None,
    kind=None,
):
    """Nominations of the years the viewer may read (a secretariat: its own cluster's open
    years and everyone's published ones)."""
    queryset = Nomination.objects.filter(cluster_year__in=visible).select_related(
        "award_kind", "unit", "cluster_year__cluster", "decision_source"
    )
    queryset = _narrowed(queryset, "cluster_year__year", year, year_from, year_to, unit, kind)
    if cluster:
        queryset = queryset.filter(cluster_year__cluster=cluster)
    if flags_only:
        queryset = queryset.filter(award_kind__is_flag=True)
    return queryset.order_by("cluster_year__year", "award_kind__order", "unit__short_name")


def tallies_in(
    *, visible, year=None, cluster=None, year_from=None, year_to=None, unit=None, kind=None
):
    """The commendation tallies (unit × year × kind) that commendations_in() would count, with
    the same filters: a few thousand rows where the commendations are millions."""
    queryset = visible_commendations(CommendationTally.objects.all(), visible)
    queryset = _narrowed(queryset, "year", year, year_from, year_to, unit, kind)
    if cluster:
        queryset = queryset.filter(
            Exists(
                Membership.objects.filter(
                    unit_id=OuterRef("unit_id"),
                    year=OuterRef("year"),
                    cluster_year__cluster=cluster,
                )
            )
        )
    return queryset


def tallied_years():
    return CommendationTally.objects.order_by().values_list("year", flat=True).distinct()


# The listing's order: year (latest first), kind, unit, then the person and the record.
GROUP_ORDER = (
    F("year").desc(),
    F("award_kind__order").asc(),
    F("unit__short_name").asc(),
    F("unit_id").asc(),
    F("award_kind_id").asc(),
)


class CommendationListing:
    """The commendations of the summary in GROUP_ORDER, for Django's Paginator, without counting
    or sorting millions of rows: the tallies say how many rows each (year, kind, unit) group has,
    so a page finds the years it falls in (the count's query, by year), the few groups of those
    years it falls in (one query over those years' tallies: a national year has some 500, the
    whole force 10,000, whose sort took 15 ms) and reads only their rows (one query). Any page
    costs the same, the last as the first."""

    def __init__(self, tallies, years=None):
        """`years`: [(year, rows)] latest first, when the caller has counted them already."""
        self.tallies = tallies
        self._years = years

    def years(self) -> list[tuple[int, int]]:
        """(year, rows) for every year of the listing, latest first: one query, kept."""
        if self._years is None:
            self._years = list(
                self.tallies.order_by()
                .values("year")
                .annotate(rows=Sum(F("collectives") + F("individuals")))
                .order_by("-year")
                .values_list("year", "rows")
            )
        return self._years

    def count(self) -> int:
        return sum(rows for _year, rows in self.years())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step not in (None, 1):
            raise TypeError("CommendationListing takes a slice")
        start, stop = item.start or 0, item.stop
        if stop is None or stop <= start:
            return []
        # The years the slice spans, and how many rows come before the first of them.
        spanned, before, skipped = [], 0, None
        for year, rows in self.years():
            if before + rows > start and before < stop:
                spanned.append(year)
                skipped = before if skipped is None else skipped
            before += rows
        if not spanned:
            return []
        start, stop = start - skipped, stop - skipped
        size = F("collectives") + F("individuals")
        groups = list(
            self.tallies.filter(year__in=spanned)
            .annotate(size=size, end=Window(Sum(size), order_by=GROUP_ORDER))
            .filter(end__gt=start)
            .order_by(*GROUP_ORDER)
            .values("unit_id", "year", "award_kind_id", "size", "end")[: stop - start]
        )
        groups = [g for g in groups if g["end"] - g["size"] < stop]
        if not groups:
            return []
        keys = [
            Q(unit_id=g["unit_id"], year=g["year"], award_kind_id=g["award_kind_id"])
            for g in groups
        ]
        condition = keys[0]
        for key in keys[1:]:
            condition |= key
        offset = start - (groups[0]["end"] - groups[0]["size"])
        return list(
            Commendation.objects.filter(condition)
            .annotate(group=Case(*(When(key, then=Value(i)) for i, key in enumerate(keys))))
            .select_related("award_kind", "unit")
            .order_by("group", "person_name", "id")[offset : offset + stop - start]
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


def nomination_groups(nominations) -> list[dict]:
    """The nominations counted by year, cluster, unit, kind, status and whether for a
    collective (1 query): the summary folds them into its tables in memory."""
    return list(
        nominations.order_by()
        .values(
            "status",
            year=F("cluster_year__year"),
            cluster=F("cluster_year__cluster_id"),
            unit_ref=F("unit_id"),
            kind=F("award_kind_id"),
            collective=Case(When(person_name="", then=Value(True)), default=Value(False)),
        )
        .annotate(count=Count("id"))
    )


def tally_groups(tallies) -> list[dict]:
    """The commendations recorded by year, cluster (of the unit's roster that year; None off
    every roster) and kind (1 query): [{year, cluster, kind, collectives, individuals}]."""
    # unordered: the membership's default order (by unit name) would join every unit per row
    roster = Membership.objects.filter(
        unit_id=OuterRef("unit_id"), year=OuterRef("year")
    ).order_by()
    return list(
        tallies.order_by()
        .annotate(cluster=Subquery(roster.values("cluster_year__cluster_id")[:1]))
        .values("year", "cluster", kind=F("award_kind_id"))
        .annotate(collectives=Sum("collectives"), individuals=Sum("individuals"))
    )
