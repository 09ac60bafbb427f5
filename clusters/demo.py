"""Cluster II as the seed articles (../shared/seeds/) tell it: units, rosters, chairs, the 2025 merger.

Only what the articles say is recorded; where they are silent (the 2018 chair, the 2023 vice-chair,
the exact handover date) the field stays empty rather than invented.
"""

import datetime
from dataclasses import dataclass

from accounts.access import COMMAND_LINE
from clusters import services
from clusters.models import Cluster, ClusterYear, Unit

MERGER_DATE = datetime.date(2025, 7, 1)

# (short name, slug) of the seven members of cluster II in 2018 and 2023, in the 2023 article's order.
CLUSTER_II_UNITS = [
    ("Lai Châu", "lai-chau"),
    ("Điện Biên", "dien-bien"),
    ("Sơn La", "son-la"),
    ("Lào Cai", "lao-cai"),
    ("Hà Giang", "ha-giang"),
    ("Cao Bằng", "cao-bang"),
    ("Lạng Sơn", "lang-son"),
]
# Successors in the 2025 merger of provinces, not members of cluster II in the seeds.
OTHER_UNITS = [("Tuyên Quang", "tuyen-quang"), ("Yên Bái", "yen-bai")]


@dataclass
class ClusterDemo:
    cluster: Cluster
    units: dict[str, Unit]
    years: dict[int, ClusterYear]


def _unit(short_name: str, slug: str) -> Unit:
    unit, _ = Unit.objects.update_or_create(
        slug=slug, defaults={"name": f"Công an tỉnh {short_name}", "short_name": short_name}
    )
    return unit


def _year(cluster, year, units, *, chair=None, vice_chair=None, handover_note="") -> ClusterYear:
    cluster_year, _ = ClusterYear.objects.get_or_create(cluster=cluster, year=year)
    if cluster_year.is_published:
        return cluster_year  # frozen: a re-run leaves a published year as it is
    services.cluster_year_set_roster(cluster_year=cluster_year, units=units, by=COMMAND_LINE)
    services.cluster_year_set_chairs(
        by=COMMAND_LINE,
        cluster_year=cluster_year,
        chair=chair,
        vice_chair=vice_chair,
        handover_note=handover_note,
    )
    return cluster_year


def seed_clusters() -> ClusterDemo:
    units = {slug: _unit(name, slug) for name, slug in CLUSTER_II_UNITS + OTHER_UNITS}
    cluster, _ = Cluster.objects.update_or_create(
        number=2,
        defaults={
            "name": "Cụm thi đua số II",
            "slug": "cum-2",
            "description": "Công an 7 tỉnh miền núi phía Bắc, khu vực biên giới Tây Bắc và Đông Bắc.",
        },
    )
    members = [units[slug] for _, slug in CLUSTER_II_UNITS]
    years = {
        2018: _year(cluster, 2018, members),
        # 2022 is not in the articles; its roster is the same seven units, so that 2023's
        # "lower than 2022" can be shown (reports/demo.py).
        2022: _year(cluster, 2022, members),
        2023: _year(cluster, 2023, members, chair=units["lai-chau"]),
        2024: _year(
            cluster,
            2024,
            members,
            chair=units["lang-son"],
            vice_chair=units["cao-bang"],
            handover_note="Công an tỉnh Lai Châu bàn giao tại Hội nghị tổng kết năm 2023",
        ),
    }
    # Vietnam merged provinces on 2025-07-01: Hà Giang into Tuyên Quang, Yên Bái into Lào Cai.
    for old, new in (("ha-giang", "tuyen-quang"), ("yen-bai", "lao-cai")):
        unit = units[old]
        if unit.successor_id != units[new].pk or unit.ended_on != MERGER_DATE:
            services.unit_merge(
                unit=unit, successor=units[new], ended_on=MERGER_DATE, by=COMMAND_LINE
            )
    return ClusterDemo(cluster=cluster, units=units, years=years)


def publish_the_past(demo: ClusterDemo) -> None:
    """Once every part of the seeds is loaded: 2018-2023 are published; 2024 stays open with no
    reports, so that the forms can be tried."""
    for year in (2018, 2022, 2023):
        if not demo.years[year].is_published:
            services.cluster_year_publish(cluster_year=demo.years[year], by=COMMAND_LINE)
