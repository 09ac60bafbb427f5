import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.access import COMMAND_LINE
from clusters import services
from clusters.models import ClusterYear
from tests.factories import ClusterFactory, UnitFactory

pytestmark = pytest.mark.django_db


def messages_of(excinfo):
    return " ".join(excinfo.value.messages)


def test_a_unit_in_another_cluster_that_year_is_refused_with_a_vietnamese_message(
    cluster_ii, other_cluster
):
    lai_chau = cluster_ii.units["lai-chau"]
    with pytest.raises(ValidationError) as excinfo:
        services.cluster_year_set_roster(
            by=COMMAND_LINE,
            cluster_year=other_cluster,
            units=[*other_cluster.members.all(), lai_chau],
        )
    assert messages_of(excinfo) == (
        "Công an tỉnh Lai Châu đã là thành viên của Cụm thi đua số II trong năm 2024; "
        "một đơn vị chỉ thuộc một cụm thi đua trong một năm."
    )
    assert not other_cluster.memberships.filter(unit=lai_chau).exists()


def test_a_chair_who_is_not_a_member_is_refused(cluster_ii, other_cluster):
    year = cluster_ii.years[2024]
    stranger = other_cluster.members.first()
    with pytest.raises(ValidationError) as excinfo:
        services.cluster_year_set_chairs(
            by=COMMAND_LINE, cluster_year=year, chair=stranger, vice_chair=None
        )
    assert excinfo.value.message_dict == {
        "chair": [
            f"{stranger.name} không có trong danh sách thành viên năm này "
            "nên không thể làm Cụm trưởng."
        ]
    }
    year.refresh_from_db()
    assert year.chair == cluster_ii.units["lang-son"]


def test_chair_and_vice_chair_must_differ(cluster_ii):
    year = cluster_ii.years[2024]
    lang_son = cluster_ii.units["lang-son"]
    with pytest.raises(ValidationError) as excinfo:
        services.cluster_year_set_chairs(
            by=COMMAND_LINE, cluster_year=year, chair=lang_son, vice_chair=lang_son
        )
    assert excinfo.value.message_dict["vice_chair"] == [
        "Cụm trưởng và Phó Cụm trưởng phải là hai đơn vị khác nhau."
    ]


def test_removing_the_chair_from_the_roster_is_refused(cluster_ii):
    year = cluster_ii.years[2024]
    without_chair = [u for u in year.members.all() if u.slug != "lang-son"]
    with pytest.raises(ValidationError) as excinfo:
        services.cluster_year_set_roster(by=COMMAND_LINE, cluster_year=year, units=without_chair)
    assert "Công an tỉnh Lạng Sơn không có trong danh sách thành viên" in messages_of(excinfo)
    assert year.memberships.count() == 7


def test_an_ended_unit_cannot_join_a_later_year(cluster_ii):
    cluster_year = services.cluster_year_create(
        by=COMMAND_LINE, cluster=cluster_ii.cluster, year=2026
    )
    with pytest.raises(ValidationError) as excinfo:
        services.cluster_year_set_roster(
            by=COMMAND_LINE, cluster_year=cluster_year, units=[cluster_ii.units["ha-giang"]]
        )
    assert messages_of(excinfo) == (
        "Công an tỉnh Hà Giang không còn hoạt động trong năm 2026 nên không thể là thành viên."
    )


def test_a_duplicate_unit_in_the_roster_is_named():
    cluster_year = services.cluster_year_create(
        by=COMMAND_LINE, cluster=ClusterFactory(), year=2024
    )
    unit = UnitFactory(short_name="Bắc Kạn")
    with pytest.raises(ValidationError) as excinfo:
        services.cluster_year_set_roster(
            by=COMMAND_LINE, cluster_year=cluster_year, units=[unit, unit]
        )
    assert messages_of(excinfo) == "Công an Bắc Kạn có tên hai lần trong danh sách thành viên."


def test_a_published_year_refuses_changes(cluster_ii):
    year = cluster_ii.years[2023]
    ClusterYear.objects.filter(pk=year.pk).update(status=ClusterYear.Status.PUBLISHED)
    year.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        services.cluster_year_set_chairs(
            by=COMMAND_LINE, cluster_year=year, chair=cluster_ii.units["son-la"], vice_chair=None
        )
    assert messages_of(excinfo) == (
        "Năm thi đua 2023 của Cụm thi đua số II đã công bố nên không thể sửa; "
        "chỉ quản trị viên mới mở lại được."
    )
    year.refresh_from_db()
    assert year.chair == cluster_ii.units["lai-chau"]


def test_roster_replacement_keeps_and_adds(cluster_ii):
    year = services.cluster_year_create(
        by=COMMAND_LINE,
        cluster=cluster_ii.cluster,
        year=2025,
        units=list(cluster_ii.years[2024].members.all()),
    )
    tuyen_quang = cluster_ii.units["tuyen-quang"]
    units = [u for u in year.members.all() if u.slug != "dien-bien"] + [tuyen_quang]
    services.cluster_year_set_roster(by=COMMAND_LINE, cluster_year=year, units=units)
    assert sorted(year.members.values_list("slug", flat=True)) == sorted(u.slug for u in units)
    assert set(year.memberships.values_list("year", flat=True)) == {2025}


def test_merger_keeps_history_and_names_the_successor(cluster_ii):
    ha_giang = cluster_ii.units["ha-giang"]
    assert ha_giang.successor == cluster_ii.units["tuyen-quang"]
    assert ha_giang.ended_on == datetime.date(2025, 7, 1)
    assert ha_giang.memberships.count() == 3  # 2018, 2023, 2024 stay under its own name


def test_merger_refused_when_the_unit_is_on_a_later_roster(cluster_ii):
    lao_cai = cluster_ii.units["lao-cai"]
    with pytest.raises(ValidationError) as excinfo:
        services.unit_merge(
            by=COMMAND_LINE,
            unit=lao_cai,
            successor=cluster_ii.units["son-la"],
            ended_on=datetime.date(2020, 1, 1),
        )
    assert excinfo.value.message_dict["ended_on"] == [
        "Công an tỉnh Lào Cai vẫn có tên trong danh sách thành viên năm 2023, sau ngày kết thúc."
    ]


def test_merger_into_itself_is_refused(cluster_ii):
    unit = cluster_ii.units["son-la"]
    with pytest.raises(ValidationError):
        services.unit_merge(
            by=COMMAND_LINE, unit=unit, successor=unit, ended_on=datetime.date(2030, 1, 1)
        )
