"""What one request reads of one emulation year, read once.

The year's edit page is made of sections from every app, and the publish checklist and the
warnings look again at what those sections show (the reports, the nominations, the funds' books).
Built once by the page and handed to each of them, a YearBundle keeps every read the first one
made, so that the page costs one query per kind of record whatever the number of sections and
rows. Each app keeps its own reads under its own keys (`once("reports:...", read)`): this module
knows nothing of the apps above it. Whoever passes no bundle gets a fresh one, and so reads what
is in the database now (the publish service, under the year's lock).
"""

from collections.abc import Callable
from typing import Any

from clusters.models import ClusterYear, Unit
from clusters.selectors import vietnamese_sort_key
from core.cache import kept
from core.warnings import active_rules


class YearBundle:
    def __init__(self, cluster_year: ClusterYear, *, years: list[ClusterYear] | None = None):
        """`years`: the cluster's years up to the next one, when the page read the year among
        them (clusters.views.edit_years_or_404)."""
        self.cluster_year = cluster_year
        self._read: dict[str, Any] = {}
        if years is not None:
            self._read["clusters:years"] = years

    def once(self, key: str, read: Callable[[], Any]) -> Any:
        """`read()` the first time `key` is asked for; what it gave, every time after."""
        if key not in self._read:
            self._read[key] = read()
        return self._read[key]

    @property
    def members(self) -> list[Unit]:
        """The year's member units in the Vietnamese order: from the roster read with the year
        (clusters.selectors.cluster_year_for_page), else one query."""
        return self.once("clusters:members", self._members)

    def _members(self) -> list[Unit]:
        year = self.cluster_year
        if "memberships" in getattr(year, "_prefetched_objects_cache", {}):
            units = [membership.unit for membership in year.memberships.all()]
        else:
            units = list(Unit.objects.filter(memberships__cluster_year=year))
        return sorted(units, key=vietnamese_sort_key)

    @property
    def years(self) -> list[ClusterYear]:
        """The cluster's years up to the one after this, newest first, each with its roster and
        people (2 queries): next year's roster and the rotation of the chair."""
        return self.once("clusters:years", self._years)

    def _years(self) -> list[ClusterYear]:
        year = self.cluster_year
        return list(
            ClusterYear.objects.with_roster()
            .filter(cluster_id=year.cluster_id, year__lte=year.year + 1)
            .order_by("-year")
        )

    @property
    def units(self) -> list[Unit]:
        """Every unit, in the Vietnamese order: the choices of the forms that may name a unit
        outside the cluster (one query for all of them)."""
        return self.once("clusters:units", lambda: kept("units", lambda: list(Unit.objects.all())))

    @property
    def warning_rules(self) -> dict:
        """The warning rules in force (core.warnings.active_rules), for every app's warnings."""
        return self.once("core:warning-rules", active_rules)


def bundle_for(cluster_year: ClusterYear, bundle: YearBundle | None) -> YearBundle:
    """The bundle given, or a fresh one for this year."""
    if bundle is not None and bundle.cluster_year is not cluster_year:
        raise ValueError("A bundle serves the year it was built for.")
    return bundle if bundle is not None else YearBundle(cluster_year)
