"""Cluster II's welfare as the articles tell it.

2018: the seven units collected 140 million đồng and gave it, at the conference, to two officers of
Cao Bằng police in hardship (one of a policy family) to build houses. The article names neither
the officers nor each unit's share nor the dates: the names say so, and the even split is marked
illustrative. 2023: the cluster inaugurated and handed over a "Nghĩa tình đồng đội" house to Đại úy
Vừ A Di on 21/11/2023; the article does not give its cost, so the amount stays unknown.

Historical records are written directly (validated by the models); new ones go through the
services and the secretariat's page."""

import datetime

from clusters.demo import CLUSTER_II_UNITS, ClusterDemo
from welfare.models import Beneficiary, Contribution, Fund, Support

ILLUSTRATIVE = "Phân bổ minh họa: bài báo chỉ nêu tổng 140 triệu đồng của Công an 7 tỉnh."


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


def seed_welfare(demo: ClusterDemo) -> None:
    y2018, y2023 = demo.years[2018], demo.years[2023]
    if not y2018.is_published and not Fund.objects.filter(cluster_year=y2018).exists():
        fund = _saved(
            Fund(
                cluster_year=y2018,
                title="Hỗ trợ cán bộ Công an tỉnh Cao Bằng làm nhà",
                purpose=(
                    "Công an 7 tỉnh trong Cụm thi đua số 2 quyên góp hỗ trợ 2 đồng chí cán bộ có "
                    "hoàn cảnh khó khăn và gia đình chính sách đang công tác tại Công an tỉnh Cao Bằng "
                    "để làm nhà."
                ),
                target=140_000_000,
                status=Fund.Status.CLOSED,
                notes=ILLUSTRATIVE,
            )
        )
        for _name, slug in CLUSTER_II_UNITS:
            _saved(
                Contribution(
                    fund=fund, unit=demo.units[slug], amount=20_000_000, notes=ILLUSTRATIVE
                )
            )
        for number, circumstance in ((1, "hardship"), (2, "policy_family")):
            officer = _saved(
                Beneficiary(
                    full_name=f"Cán bộ Công an tỉnh Cao Bằng ({number})",
                    unit=demo.units["cao-bang"],
                    circumstance=circumstance,
                    story="Bài báo không nêu tên; số tiền trao tại hội nghị tổng kết năm 2018 để làm nhà.",
                )
            )
            _saved(
                Support(
                    fund=fund,
                    beneficiary=officer,
                    kind=Support.Kind.HOUSE,
                    amount=70_000_000,
                    notes=f"{ILLUSTRATIVE} Trao tại hội nghị; bài báo không nêu tiến độ xây nhà.",
                )
            )
    if not y2023.is_published and not Fund.objects.filter(cluster_year=y2023).exists():
        fund = _saved(
            Fund(
                cluster_year=y2023,
                title="Xây nhà “Nghĩa tình đồng đội” năm 2023",
                status=Fund.Status.CLOSED,
                notes="Bài báo không nêu số tiền quyên góp và chi phí ngôi nhà.",
            )
        )
        officer = _saved(
            Beneficiary(
                full_name="Vừ A Di",
                rank="Đại úy",
                position="Phó trưởng Công an xã Khổng Lào",
                unit=demo.units["lai-chau"],
                place="Xã Khổng Lào, huyện Phong Thổ, tỉnh Lai Châu",
            )
        )
        _saved(
            Support(
                fund=fund,
                beneficiary=officer,
                kind=Support.Kind.HOUSE,
                handed_over_on=datetime.date(2023, 11, 21),
                notes="Khánh thành và trao nhà chiều 21/11/2023, trước hội nghị tổng kết.",
            )
        )
