"""Cluster II as the seed articles (../shared/seeds/) tell it: units, rosters, chairs, the 2025 merger.

Only what the articles say is recorded; where they are silent (the 2018 chair, the 2023 vice-chair,
the exact handover date) the field stays empty rather than invented. Every record names its source
(one of the two articles, clusters.Source) and its status: what an article states is "số liệu cụm
công bố"; what the demo needs but no article gives (2024's roster, per-unit splits) is "minh họa".
No year the articles do not tell is created, let alone published.
"""

import datetime
from dataclasses import dataclass

from accounts.access import COMMAND_LINE
from clusters import services
from clusters.models import Cluster, ClusterYear, DataStatus, Source, Unit

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


# The two articles. The stored copies keep neither the headline nor the paper nor the date of
# publication: the sources say so rather than guess them.
ARTICLES = {
    2018: {
        "title": (
            "Bài báo về Hội nghị tổng kết phong trào thi đua “Vì an ninh Tổ quốc” năm 2018 "
            "của Cụm thi đua số 2 (tác giả Thanh Duyên - Ngọc Ánh)"
        ),
        "notes": (
            "Bản lưu shared/seeds/000_574d7c48cbba0873.txt không ghi tiêu đề gốc, tên báo và ngày "
            "đăng (chưa rõ). Bài không nêu ngày hội nghị, số phiếu bình xét, quyết định khen thưởng, "
            "số liệu của từng đơn vị."
        ),
    },
    2023: {
        "title": (
            "Bài báo về Hội nghị tổng kết phong trào thi đua “Vì an ninh Tổ quốc” năm 2023 "
            "của Cụm thi đua số II"
        ),
        "notes": (
            "Bản lưu shared/seeds/004_d6601249aa94d8f2.txt không ghi tiêu đề gốc, tên báo, tác giả "
            "và ngày đăng (chưa rõ); hội nghị diễn ra sau chiều 21/11/2023 (lễ trao nhà “Nghĩa tình "
            "đồng đội” “trước đó”). Bài chỉ nêu tổng của cụm, không nêu số liệu từng đơn vị."
        ),
    },
}


@dataclass
class ClusterDemo:
    cluster: Cluster
    units: dict[str, Unit]
    years: dict[int, ClusterYear]
    sources: dict[int, Source]


def _unit(short_name: str, slug: str) -> Unit:
    unit, _ = Unit.objects.update_or_create(
        slug=slug, defaults={"name": f"Công an tỉnh {short_name}", "short_name": short_name}
    )
    return unit


def _year(
    cluster,
    year,
    units,
    *,
    source,
    status=DataStatus.CLUSTER_PUBLISHED,
    chair=None,
    vice_chair=None,
    handover_note="",
) -> ClusterYear:
    cluster_year = ClusterYear.objects.filter(cluster=cluster, year=year).first()
    if cluster_year is None:
        cluster_year = services.cluster_year_create(
            by=COMMAND_LINE, cluster=cluster, year=year, units=units
        )
    if cluster_year.is_published:
        return cluster_year  # frozen: a re-run leaves a published year as it is
    if (cluster_year.source_id, cluster_year.data_status) != (source.pk, status):
        cluster_year.source, cluster_year.data_status = source, status
        services.cluster_year_save(cluster_year=cluster_year, by=COMMAND_LINE)
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
    sources = {
        year: _source(cluster, year, members, **article) for year, article in ARTICLES.items()
    }
    years = {
        2018: _year(cluster, 2018, members, source=sources[2018]),
        2023: _year(cluster, 2023, members, source=sources[2023], chair=units["lai-chau"]),
        # 2024's chair and vice-chair are the 2023 article's handover; its roster is not in any
        # article: the seven units of 2023 stand in for it, marked illustrative.
        2024: _year(
            cluster,
            2024,
            members,
            source=sources[2023],
            status=DataStatus.ILLUSTRATIVE,
            chair=units["lang-son"],
            vice_chair=units["cao-bang"],
            handover_note=(
                "Công an tỉnh Lai Châu bàn giao tại Hội nghị tổng kết năm 2023 (theo bài báo năm "
                "2023). Danh sách thành viên năm 2024 là minh họa: lấy theo năm 2023."
            ),
        ),
    }
    # Vietnam merged provinces on 2025-07-01: Hà Giang into Tuyên Quang, Yên Bái into Lào Cai.
    for old, new in (("ha-giang", "tuyen-quang"), ("yen-bai", "lao-cai")):
        unit = units[old]
        if unit.successor_id != units[new].pk or unit.ended_on != MERGER_DATE:
            services.unit_merge(
                unit=unit, successor=units[new], ended_on=MERGER_DATE, by=COMMAND_LINE
            )
    return ClusterDemo(cluster=cluster, units=units, years=years, sources=sources)


def _source(cluster, year, members, *, title, notes) -> Source:
    """The article of a year, kept with that year (created with its roster if need be)."""
    cluster_year = ClusterYear.objects.filter(cluster=cluster, year=year).first()
    if cluster_year is None:
        cluster_year = services.cluster_year_create(
            by=COMMAND_LINE, cluster=cluster, year=year, units=members
        )
    source = Source.objects.filter(cluster_year=cluster_year, title=title).first()
    if source is None:
        source = services.source_save(
            source=Source(cluster_year=cluster_year, title=title, notes=notes), by=COMMAND_LINE
        )
    return source


def publish_the_past(demo: ClusterDemo) -> None:
    """Once every part of the seeds is loaded: the two years the articles tell are published;
    2024 stays open with no reports, so that the forms can be tried."""
    for year in (2018, 2023):
        if not demo.years[year].is_published:
            # The command line accepts every unfinished item as it finds it: the seeds are
            # what the articles tell, and no clerk is there to tick the checklist.
            services.cluster_year_publish(
                cluster_year=demo.years[year], by=COMMAND_LINE, accepted=services.ALL
            )
