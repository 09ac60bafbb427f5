"""The commendation tallies (awards.models.CommendationTally): counts by unit, year and kind,
kept beside the commendations by every path that writes them (the services, the workbook's bulk
import, the data generator), so that the award summary never counts millions of rows."""

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q

from awards.models import Commendation, CommendationTally
from core.cache import bump_generation


def _tally(commendations) -> list[CommendationTally]:
    rows = (
        commendations.order_by()
        .values("unit_id", "year", "award_kind_id")
        .annotate(
            collectives=Count("id", filter=Q(person_name="")),
            individuals=Count("id", filter=~Q(person_name="")),
        )
    )
    return [CommendationTally(**row) for row in rows]


@transaction.atomic
def refresh_tallies(pairs: Iterable[tuple[int, int]]) -> None:
    """Count again the commendations of these (unit id, year) pairs (two queries a year)."""
    # Bulk writes send no signal: the pages kept in the cache are made stale here (core.cache).
    bump_generation()
    units_by_year = defaultdict(set)
    for unit_id, year in pairs:
        units_by_year[year].add(unit_id)
    for year, unit_ids in units_by_year.items():
        CommendationTally.objects.filter(year=year, unit_id__in=unit_ids).delete()
        CommendationTally.objects.bulk_create(
            _tally(Commendation.objects.filter(year=year, unit_id__in=unit_ids))
        )


@transaction.atomic
def rebuild_tallies(*, units=None) -> None:
    """Count again every commendation (of these units, if given)."""
    tallies = CommendationTally.objects.all()
    commendations = Commendation.objects.all()
    if units is not None:
        tallies = tallies.filter(unit__in=units)
        commendations = commendations.filter(unit__in=units)
    tallies.delete()
    CommendationTally.objects.bulk_create(_tally(commendations), batch_size=2000)


def tallies_match() -> bool:
    """Whether the tallies say what counting the commendations says (for tests and checks)."""
    stored = {
        (t.unit_id, t.year, t.award_kind_id, t.collectives, t.individuals)
        for t in CommendationTally.objects.all()
    }
    counted = {
        (t.unit_id, t.year, t.award_kind_id, t.collectives, t.individuals)
        for t in _tally(Commendation.objects.all())
    }
    return stored == counted
