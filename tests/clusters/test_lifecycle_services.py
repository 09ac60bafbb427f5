"""The year's lifecycle through clusters.services: the secretariat opens the next year with the
roster copied, changes members with the Ministry's decision, records the handover."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.access import COMMAND_LINE
from accounts.models import Role
from clusters import services
from clusters.models import ClusterYear, MembershipChange
from tests.factories import UnitFactory, UnitReportFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 12, 5)


def roster(cluster_year):
    return sorted(cluster_year.memberships.values_list("unit__slug", flat=True))


# --- open the next year ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["secretary", "admin"])
def test_the_secretariat_opens_next_year_with_the_roster_copied(cluster_ii, people, who):
    year = cluster_ii.years[2024]
    opened = services.cluster_year_open_next(cluster_year=year, by=people[who])
    assert (opened.cluster, opened.year, opened.status) == (cluster_ii.cluster, 2025, "open")
    assert roster(opened) == roster(year)
    assert opened.chair is None and opened.vice_chair is None


def test_a_unit_merged_away_is_followed_by_its_successor(cluster_ii):
    """Hà Giang ended on 01/07/2025 (merged into Tuyên Quang): 2026 has Tuyên Quang instead."""
    y2025 = services.cluster_year_open_next(cluster_year=cluster_ii.years[2024], by=COMMAND_LINE)
    assert "ha-giang" in roster(y2025)
    y2026 = services.cluster_year_open_next(cluster_year=y2025, by=COMMAND_LINE)
    assert "ha-giang" not in roster(y2026) and "tuyen-quang" in roster(y2026)
    assert len(roster(y2026)) == 7


def test_next_year_opens_once(cluster_ii, secretary):
    services.cluster_year_open_next(cluster_year=cluster_ii.years[2024], by=secretary)
    with pytest.raises(ValidationError) as refused:
        services.cluster_year_open_next(cluster_year=cluster_ii.years[2024], by=secretary)
    assert refused.value.messages == ["Năm 2025 của Cụm thi đua số II đã được mở."]
    assert ClusterYear.objects.filter(cluster=cluster_ii.cluster, year=2025).count() == 1


@pytest.mark.parametrize("who", ["officer_laichau", "leader"])
def test_others_do_not_open_next_year(cluster_ii, people, who):
    with pytest.raises(PermissionDenied):
        services.cluster_year_open_next(cluster_year=cluster_ii.years[2024], by=people[who])
    assert not ClusterYear.objects.filter(year=2025).exists()


def test_another_clusters_secretariat_does_not_open_it(cluster_ii, other_cluster):
    stranger = UserFactory(role=Role.SECRETARIAT, cluster=other_cluster.cluster)
    with pytest.raises(PermissionDenied):
        services.cluster_year_open_next(cluster_year=cluster_ii.years[2024], by=stranger)


# --- members with the reason --------------------------------------------------------------


def test_before_the_first_report_members_change_without_a_decision(cluster_ii, secretary):
    year = cluster_ii.years[2024]
    newcomer = UnitFactory(short_name="Tuyên Quang", slug="tuyen-quang")
    change = services.membership_change(
        cluster_year=year, unit=newcomer, action="add", by=secretary
    )
    assert "tuyen-quang" in roster(year)
    assert (change.by, change.decision_number, change.decision_date) == (secretary, "", None)


def test_after_the_first_report_the_decision_is_required(cluster_ii, secretary):
    year = cluster_ii.years[2024]
    UnitReportFactory(cluster_year=year, unit=cluster_ii.units["lai-chau"])
    ha_giang = cluster_ii.units["ha-giang"]
    with pytest.raises(ValidationError) as refused:
        services.membership_change(cluster_year=year, unit=ha_giang, action="remove", by=secretary)
    assert refused.value.message_dict == {
        "decision_number": ["Năm đã có đơn vị nộp báo cáo: hãy ghi số quyết định của Bộ."],
        "decision_date": ["Năm đã có đơn vị nộp báo cáo: hãy ghi ngày quyết định."],
    }
    assert "ha-giang" in roster(year)

    change = services.membership_change(
        cluster_year=year,
        unit=ha_giang,
        action="remove",
        by=secretary,
        decision_number=" 1234/QĐ-BCA ",
        decision_date=DAY,
        note="Hợp nhất tỉnh",
    )
    assert "ha-giang" not in roster(year)
    stored = MembershipChange.objects.get()
    assert stored == change
    assert (stored.action, stored.decision_number, stored.decision_date, stored.note) == (
        "remove",
        "1234/QĐ-BCA",
        DAY,
        "Hợp nhất tỉnh",
    )


def test_the_chair_is_not_removed(cluster_ii, secretary):
    year = cluster_ii.years[2024]
    with pytest.raises(ValidationError) as refused:
        services.membership_change(
            cluster_year=year, unit=cluster_ii.units["lang-son"], action="remove", by=secretary
        )
    assert refused.value.message_dict["unit"] == [
        "Công an tỉnh Lạng Sơn đang là Cụm trưởng hoặc Phó Cụm trưởng năm 2024: "
        "đổi Cụm trưởng, Phó Cụm trưởng trước."
    ]
    assert not MembershipChange.objects.exists()


def test_a_member_of_another_cluster_is_not_added(cluster_ii, other_cluster, secretary):
    ha_noi = other_cluster.members.get(slug="ha-noi")
    with pytest.raises(ValidationError) as refused:
        services.membership_change(
            cluster_year=cluster_ii.years[2024], unit=ha_noi, action="add", by=secretary
        )
    assert "một đơn vị chỉ thuộc một cụm thi đua trong một năm" in refused.value.messages[0]
    assert not MembershipChange.objects.exists()


def test_members_of_a_published_year_do_not_change(cluster_ii, secretary, admin_user):
    year = cluster_ii.years[2023]
    services.cluster_year_publish(cluster_year=year, by=COMMAND_LINE)
    newcomer = UnitFactory()
    for who in (secretary, admin_user):
        with pytest.raises(ValidationError):
            services.membership_change(cluster_year=year, unit=newcomer, action="add", by=who)


def test_an_officer_does_not_change_members(cluster_ii, officer_laichau):
    with pytest.raises(PermissionDenied):
        services.membership_change(
            cluster_year=cluster_ii.years[2024],
            unit=UnitFactory(),
            action="add",
            by=officer_laichau,
        )


# --- the handover ----------------------------------------------------------------------------


def test_the_handover_opens_next_year_and_records_the_chairs(cluster_ii, secretary):
    year = cluster_ii.years[2024]
    next_year = services.handover_record(
        cluster_year=year,
        by=secretary,
        chair=cluster_ii.units["cao-bang"],
        vice_chair=cluster_ii.units["ha-giang"],
        handover_date=DAY,
        note="Bàn giao tại Hội nghị tổng kết năm 2024",
    )
    next_year.refresh_from_db()
    assert next_year.year == 2025 and roster(next_year) == roster(year)
    assert (next_year.chair.slug, next_year.vice_chair.slug) == ("cao-bang", "ha-giang")
    assert next_year.handover_date == DAY
    assert next_year.handover_note == "Bàn giao tại Hội nghị tổng kết năm 2024"
    assert next_year.chair_decision_number == "" and next_year.chair_decision_date is None


def test_a_chair_assigned_by_decision_keeps_its_reference(cluster_ii, secretary):
    year = cluster_ii.years[2024]
    services.cluster_year_open_next(cluster_year=year, by=secretary)
    next_year = services.handover_record(
        cluster_year=year,
        by=secretary,
        chair=cluster_ii.units["son-la"],
        vice_chair=None,
        decision_number="5678/QĐ-BCA",
        decision_date=DAY,
    )
    next_year.refresh_from_db()
    assert next_year.chair.slug == "son-la"
    assert (next_year.chair_decision_number, next_year.chair_decision_date) == (
        "5678/QĐ-BCA",
        DAY,
    )


def test_a_decision_needs_number_and_date(cluster_ii, secretary):
    with pytest.raises(ValidationError) as refused:
        services.handover_record(
            cluster_year=cluster_ii.years[2024],
            by=secretary,
            chair=cluster_ii.units["son-la"],
            vice_chair=None,
            decision_number="5678/QĐ-BCA",
        )
    assert refused.value.message_dict == {
        "decision_date": ["Quyết định chỉ định Cụm trưởng cần ghi cả số và ngày."]
    }
    assert not ClusterYear.objects.filter(year=2025).exists()


def test_a_chair_outside_the_roster_is_refused_and_nothing_opens(
    cluster_ii, other_cluster, secretary
):
    with pytest.raises(ValidationError):
        services.handover_record(
            cluster_year=cluster_ii.years[2024],
            by=secretary,
            chair=other_cluster.members.first(),
            vice_chair=None,
        )
    assert not ClusterYear.objects.filter(cluster=cluster_ii.cluster, year=2025).exists()


def test_an_officer_does_not_record_the_handover(cluster_ii, officer_laichau):
    with pytest.raises(PermissionDenied):
        services.handover_record(
            cluster_year=cluster_ii.years[2024],
            by=officer_laichau,
            chair=cluster_ii.units["son-la"],
            vice_chair=None,
        )
