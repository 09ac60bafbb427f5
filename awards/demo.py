"""The 2018 vote of cluster II as the article tells it: the cluster proposed the Government's flag
for Sơn La (so Sơn La led the cluster) and the Ministry's flag for Lạng Sơn, Hà Giang and Lai Châu.

The article gives neither the vote counts nor the decisions: the nominations are recorded as
submitted, without votes, and say so. They are historical records loaded through the same service
as a workbook row (awards.services.nomination_import); no rule of the later decrees applies (none
was in force in 2018)."""

from accounts.access import COMMAND_LINE
from awards import services
from awards.catalogue import ensure_award_catalogue
from awards.models import AwardKind, Nomination
from clusters.demo import ClusterDemo
from clusters.models import DataStatus

SOURCE = "Theo bài báo về hội nghị năm 2018: bài không nêu số phiếu và quyết định khen thưởng."

VOTE_2018 = [("co-chinh-phu", "son-la", 1)] + [
    ("co-bo-cong-an", slug, rank)
    for rank, slug in enumerate(("lang-son", "ha-giang", "lai-chau"), 1)
]


def seed_awards(demo: ClusterDemo) -> None:
    ensure_award_catalogue()
    year = demo.years[2018]
    if year.is_published:
        return
    if year.leading_unit_id != demo.units["son-la"].pk:
        services.cluster_year_set_leader(
            cluster_year=year, unit=demo.units["son-la"], by=COMMAND_LINE
        )
    for code, slug, rank in VOTE_2018:
        kind = AwardKind.objects.get(code=code)
        if Nomination.objects.filter(
            cluster_year=year, award_kind=kind, unit=demo.units[slug], person_name=""
        ).exists():
            continue
        services.nomination_import(
            nomination=Nomination(
                cluster_year=year,
                award_kind=kind,
                unit=demo.units[slug],
                rank_order=rank,
                status=Nomination.Status.SUBMITTED,
                notes=SOURCE,
                source=demo.sources[2018],
                data_status=DataStatus.CLUSTER_PUBLISHED,
            ),
            by=COMMAND_LINE,
            note=SOURCE,
        )
