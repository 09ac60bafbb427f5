"""The reports' items of the publish checklist (clusters/checklist.py): every member unit that
has not reported, then every plausibility warning on the reports (reports/warnings.py). The
clerk ticks each one they accept before publishing; the keys stay the same from one reading to
the next, so that a tick names what was accepted."""

from django.utils.translation import gettext as _

from clusters.bundle import YearBundle, bundle_for
from clusters.checklist import Item
from clusters.models import ClusterYear, Unit
from reports import warnings
from reports.selectors import year_reports

SECTION = "reports"


def missing_units(bundle: YearBundle) -> list[Unit]:
    """The year's member units without a report, in the Vietnamese order."""
    reported = {report.unit_id for report in year_reports(bundle)}
    return [unit for unit in bundle.members if unit.pk not in reported]


def items(cluster_year: ClusterYear, bundle: YearBundle | None = None) -> list[Item]:
    """Who has not reported, then the warnings: three queries (the roster, the rules, the
    reports of this year with last year's), none for what the request's bundle has read."""
    bundle = bundle_for(cluster_year, bundle)
    found = [
        Item(
            key=f"reports:missing:unit-{unit.pk}",
            section=SECTION,
            text=_("%(unit)s chưa báo cáo.") % {"unit": unit.name},
        )
        for unit in missing_units(bundle)
    ]
    found.extend(
        Item(key=f"warning:{warning.key}", section=SECTION, text=warning.reason)
        for warning in warnings.for_cluster_year(cluster_year, bundle)
    )
    return found
