"""The 2018 vote of cluster II as the article tells it: the cluster proposed the Government's flag
for Sơn La (so Sơn La led the cluster) and the Ministry's flag for Lạng Sơn, Hà Giang and Lai Châu.

The article gives neither the vote counts nor the decisions: the nominations are recorded as
submitted, without votes, and say so. They are historical records loaded here, not a new vote, so
no rule of the later decrees applies (none was in force in 2018)."""

from awards.catalogue import ensure_award_catalogue
from awards.models import AwardKind, Nomination, NominationEvent
from clusters.demo import ClusterDemo

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
    year.leading_unit = demo.units["son-la"]
    year.full_clean()
    year.save(update_fields=["leading_unit"])
    for code, slug, rank in VOTE_2018:
        nomination, created = Nomination.objects.get_or_create(
            cluster_year=year,
            award_kind=AwardKind.objects.get(code=code),
            unit=demo.units[slug],
            person_name="",
            defaults={"rank_order": rank, "status": Nomination.Status.SUBMITTED, "notes": SOURCE},
        )
        if created:
            nomination.full_clean()
            NominationEvent.objects.create(
                nomination=nomination, status=Nomination.Status.SUBMITTED, note=SOURCE
            )
