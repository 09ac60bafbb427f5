"""The reports' items of the publish checklist (clusters/checklist.py): every member unit that
has not reported, then every plausibility warning on the reports (reports/warnings.py). The
clerk ticks each one they accept before publishing; the keys stay the same from one reading to
the next, so that a tick names what was accepted."""

from django.utils.translation import gettext as _

from clusters.checklist import Item
from clusters.models import ClusterYear, Unit, unit_ordering
from reports import warnings

SECTION = "reports"


def missing_units(cluster_year: ClusterYear):
    """The year's member units without a report, in the Vietnamese order (one query)."""
    return (
        Unit.objects.filter(memberships__cluster_year=cluster_year)
        .exclude(reports__cluster_year=cluster_year)
        .order_by(unit_ordering(), "name")
    )


def items(cluster_year: ClusterYear) -> list[Item]:
    found = [
        Item(
            key=f"reports:missing:unit-{unit.pk}",
            section=SECTION,
            text=_("%(unit)s chưa báo cáo.") % {"unit": unit.name},
        )
        for unit in missing_units(cluster_year)
    ]
    found.extend(
        Item(key=f"warning:{warning.key}", section=SECTION, text=warning.reason)
        for warning in warnings.for_cluster_year(cluster_year)
    )
    return found
