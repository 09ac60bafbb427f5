"""The reports' part of the publish checklist (reports/checklist.py): one item per member unit
that has not reported and one per plausibility warning, each with a stable key."""

import pytest

from clusters.checklist import Item, items_for
from reports import checklist, warnings
from tests.factories import (
    ClusterFactory,
    ClusterYearFactory,
    MembershipFactory,
    UnitFactory,
    UnitReportFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    """2024 of a cluster of 10 units: two have not reported, one solved 10 of 100 crimes."""
    cluster = ClusterFactory(number=51)
    before = ClusterYearFactory(cluster=cluster, year=2023)
    now = ClusterYearFactory(cluster=cluster, year=2024)
    names = ["Bắc Kạn", "Điện Biên", "Hà Giang", "Lai Châu", "Sơn La", "Cao Bằng", "Yên Bái"]
    names += ["Lào Cai", "Lạng Sơn", "Tuyên Quang"]
    units = {
        name: UnitFactory(short_name=name, name=f"Công an tỉnh {name}", slug=f"u{i}")
        for i, name in enumerate(names)
    }
    for name, unit in units.items():
        MembershipFactory(cluster_year=now, unit=unit)
        MembershipFactory(cluster_year=before, unit=unit)
        UnitReportFactory(cluster_year=before, unit=unit)
        if name not in ("Điện Biên", "Yên Bái"):
            UnitReportFactory(
                cluster_year=now, unit=unit, crimes_solved=10 if name == "Sơn La" else 92
            )
    return now, units


def test_missing_reports_then_warnings(year, django_assert_num_queries):
    cluster_year, units = year
    with django_assert_num_queries(3):  # the roster; the rules; this year's and last year's reports
        found = checklist.items(cluster_year)
    assert all(isinstance(item, Item) and item.section == "reports" for item in found)
    assert [item.text for item in found[:2]] == [
        "Công an tỉnh Điện Biên chưa báo cáo.",
        "Công an tỉnh Yên Bái chưa báo cáo.",
    ]
    assert found[0].key == f"reports:missing:unit-{units['Điện Biên'].pk}"
    flagged = warnings.for_cluster_year(cluster_year)
    assert len(flagged) == 2  # Sơn La: 10 solved after 92, and a 10% rate
    assert found[2:] == [
        Item(key="warning:" + w.key, section="reports", text=w.reason) for w in flagged
    ]
    assert found[3].key.startswith(
        f"warning:reports:unit-{units['Sơn La'].pk}:clearance_rate:clearance_rate:"
    )
    assert (
        "Công an tỉnh Sơn La: tỷ lệ điều tra, khám phá tội phạm về TTXH là 10,0%" in found[3].text
    )


def test_a_year_with_everything_in_order_has_no_items(year):
    cluster_year, units = year
    for name in ("Điện Biên", "Yên Bái"):
        UnitReportFactory(cluster_year=cluster_year, unit=units[name])
    cluster_year.unit_reports.filter(unit=units["Sơn La"]).update(crimes_solved=92)
    assert checklist.items(cluster_year) == []


def test_the_checklist_finds_the_reports_items(year):
    cluster_year, _units = year
    keys = {item.key for item in items_for(cluster_year)}
    assert {item.key for item in checklist.items(cluster_year)} <= keys


def test_keys_stay_the_same_from_one_reading_to_the_next(year):
    cluster_year, _units = year
    assert checklist.items(cluster_year) == checklist.items(cluster_year)
