"""The fund's part of the publish checklist (clusters/checklist.py): funds still collecting,
houses not yet handed over, and the money-date warnings (welfare/warnings.py)."""

from django.utils.translation import gettext as _

from clusters.bundle import YearBundle, bundle_for
from clusters.checklist import Item
from welfare import warnings
from welfare.models import Fund, Support
from welfare.selectors import year_funds, year_supports

SECTION = "welfare"


def items(cluster_year, bundle: YearBundle | None = None) -> list[Item]:
    """One item per collecting fund, per house not handed over, per warning (4 queries: the
    funds, their contributions and supports, the rules; none when the request's bundle has read
    them)."""
    bundle = bundle_for(cluster_year, bundle)
    found = [
        Item(
            key=f"welfare:fund-collecting:fund-{fund.pk}",
            section=SECTION,
            text=_("Quỹ “%(fund)s” còn đang vận động, chưa khóa sổ.") % {"fund": fund.title},
        )
        for fund in year_funds(bundle)
        if fund.status == Fund.Status.COLLECTING
    ]
    houses = [
        support
        for support in year_supports(bundle)
        if support.kind == Support.Kind.HOUSE and support.handed_over_on is None
    ]
    found += [
        Item(
            key=f"welfare:house-not-handed-over:support-{house.pk}",
            section=SECTION,
            text=_("Nhà của %(beneficiary)s chưa khánh thành, bàn giao.")
            % {"beneficiary": house.beneficiary},
        )
        for house in houses
    ]
    found += [
        Item(
            key=f"warning:{warning.key}",
            section=SECTION,
            text=f"{warning.subject} – {warning.reason}",
        )
        for warning in warnings.for_cluster_year(cluster_year, bundle)
    ]
    return found
