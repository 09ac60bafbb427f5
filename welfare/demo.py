"""Cluster II's welfare as the articles tell it, written through welfare.services.

2018: the seven units collected 140 million đồng and gave it, at the conference, to two officers of
Cao Bằng police in hardship (one of a policy family) to build houses. The article names neither
the officers nor each unit's share nor the dates: the names say so, and the even split is marked
illustrative ("minh họa"). 2023: the cluster inaugurated and handed over a "Nghĩa tình đồng đội"
house to Đại úy Vừ A Di on 21/11/2023; the article does not give its cost, so the amount stays
unknown. What an article states is marked "số liệu cụm công bố" with the article as its source."""

import datetime

from accounts.access import COMMAND_LINE
from clusters.demo import CLUSTER_II_UNITS, ClusterDemo
from clusters.models import DataStatus
from welfare import services
from welfare.models import Beneficiary, Contribution, Fund, Support

ILLUSTRATIVE = "Phân bổ minh họa: bài báo chỉ nêu tổng 140 triệu đồng của Công an 7 tỉnh."
PUBLISHED = DataStatus.CLUSTER_PUBLISHED


def seed_welfare(demo: ClusterDemo) -> None:
    y2018, y2023 = demo.years[2018], demo.years[2023]
    by = COMMAND_LINE
    if not y2018.is_published and not Fund.objects.filter(cluster_year=y2018).exists():
        source = demo.sources[2018]
        fund = services.fund_save(
            fund=Fund(
                cluster_year=y2018,
                title="Hỗ trợ cán bộ Công an tỉnh Cao Bằng làm nhà",
                purpose=(
                    "Công an 7 tỉnh trong Cụm thi đua số 2 quyên góp hỗ trợ 2 đồng chí cán bộ có "
                    "hoàn cảnh khó khăn và gia đình chính sách đang công tác tại Công an tỉnh Cao Bằng "
                    "để làm nhà."
                ),
                target=140_000_000,
                notes="Tổng 140 triệu đồng theo bài báo năm 2018.",
                source=source,
                data_status=PUBLISHED,
            ),
            by=by,
        )
        for _name, slug in CLUSTER_II_UNITS:
            services.contribution_save(
                contribution=Contribution(
                    fund=fund,
                    unit=demo.units[slug],
                    amount=20_000_000,
                    notes=ILLUSTRATIVE,
                    source=source,
                    data_status=DataStatus.ILLUSTRATIVE,
                ),
                by=by,
            )
        for number, circumstance in ((1, "hardship"), (2, "policy_family")):
            officer = services.beneficiary_save(
                beneficiary=Beneficiary(
                    full_name=f"Cán bộ Công an tỉnh Cao Bằng ({number})",
                    unit=demo.units["cao-bang"],
                    circumstance=circumstance,
                    story="Bài báo không nêu tên; số tiền trao tại hội nghị tổng kết năm 2018 để làm nhà.",
                    source=source,
                    data_status=PUBLISHED,
                ),
                by=by,
                cluster_year=y2018,
            )
            services.support_save(
                support=Support(
                    fund=fund,
                    beneficiary=officer,
                    kind=Support.Kind.HOUSE,
                    amount=70_000_000,
                    notes=f"{ILLUSTRATIVE} Trao tại hội nghị; bài báo không nêu tiến độ xây nhà.",
                    source=source,
                    data_status=DataStatus.ILLUSTRATIVE,
                ),
                by=by,
            )
        fund.status = Fund.Status.CLOSED
        services.fund_save(fund=fund, by=by)
    if not y2023.is_published and not Fund.objects.filter(cluster_year=y2023).exists():
        source = demo.sources[2023]
        fund = services.fund_save(
            fund=Fund(
                cluster_year=y2023,
                title="Xây nhà “Nghĩa tình đồng đội” năm 2023",
                notes="Bài báo không nêu số tiền quyên góp và chi phí ngôi nhà.",
                source=source,
                data_status=PUBLISHED,
            ),
            by=by,
        )
        officer = services.beneficiary_save(
            beneficiary=Beneficiary(
                full_name="Vừ A Di",
                rank="Đại úy",
                position="Phó trưởng Công an xã Khổng Lào",
                unit=demo.units["lai-chau"],
                place="Xã Khổng Lào, huyện Phong Thổ, tỉnh Lai Châu",
                source=source,
                data_status=PUBLISHED,
            ),
            by=by,
            cluster_year=y2023,
        )
        services.support_save(
            support=Support(
                fund=fund,
                beneficiary=officer,
                kind=Support.Kind.HOUSE,
                handed_over_on=datetime.date(2023, 11, 21),
                notes="Khánh thành và trao nhà chiều 21/11/2023, trước hội nghị tổng kết.",
                source=source,
                data_status=PUBLISHED,
            ),
            by=by,
            require_amount=False,
        )
        fund.status = Fund.Status.CLOSED
        services.fund_save(fund=fund, by=by)
