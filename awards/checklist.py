"""The awards' part of the publish checklist (clusters.checklist): every nomination still in the
vote without the Ministry's decision. A withdrawn one is out of the vote and is not listed."""

from django.utils.translation import gettext as _

from awards.models import Nomination
from clusters.checklist import Item


def items(cluster_year) -> list[Item]:
    """One item per live, undecided nomination of the year (1 query)."""
    nominations = (
        Nomination.objects.filter(cluster_year=cluster_year, status__in=Nomination.UNDECIDED)
        .select_related("award_kind", "unit")
        .order_by("award_kind__order", "rank_order", "id")
    )
    return [
        Item(
            key=f"awards:undecided:nomination-{n.pk}",
            section="vote",
            text=_("Đề nghị %(award)s cho %(recipient)s chưa có quyết định (%(status)s).")
            % {
                "award": n.award_kind.name,
                "recipient": n.recipient_label,
                "status": n.get_status_display(),
            },
        )
        for n in nominations
    ]
