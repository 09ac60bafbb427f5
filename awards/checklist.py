"""The awards' part of the publish checklist (clusters.checklist): every nomination still in the
vote without the Ministry's decision. A withdrawn one is out of the vote and is not listed."""

from django.utils.translation import gettext as _

from awards.bundle import year_nominations
from awards.models import Nomination
from clusters.bundle import YearBundle, bundle_for
from clusters.checklist import Item


def items(cluster_year, bundle: YearBundle | None = None) -> list[Item]:
    """One item per live, undecided nomination of the year, in the vote's order (1 query, none
    when the request's bundle has read the nominations)."""
    nominations = [
        nomination
        for nomination in year_nominations(bundle_for(cluster_year, bundle))
        if nomination.status in Nomination.UNDECIDED
    ]
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
