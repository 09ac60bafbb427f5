"""The fund's part of the publish checklist (clusters/checklist.py): funds still collecting,
houses not yet handed over, and the money-date warnings (welfare/warnings.py)."""

from django.utils.translation import gettext as _

from clusters.checklist import Item
from welfare import warnings
from welfare.models import Fund, Support

SECTION = "welfare"


def items(cluster_year) -> list[Item]:
    """One item per collecting fund, per house not handed over, per warning (6 queries)."""
    found = [
        Item(
            key=f"welfare:fund-collecting:fund-{fund.pk}",
            section=SECTION,
            text=_("Quỹ “%(fund)s” còn đang vận động, chưa khóa sổ.") % {"fund": fund.title},
        )
        for fund in Fund.objects.filter(
            cluster_year=cluster_year, status=Fund.Status.COLLECTING
        ).order_by("id")
    ]
    houses = (
        Support.objects.filter(
            fund__cluster_year=cluster_year, kind=Support.Kind.HOUSE, handed_over_on__isnull=True
        )
        .select_related("beneficiary")
        .order_by("fund_id", "id")
    )
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
        for warning in warnings.for_cluster_year(cluster_year)
    ]
    return found
