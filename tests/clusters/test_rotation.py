import datetime

import pytest

from accounts.access import COMMAND_LINE
from clusters import services
from clusters.models import ClusterYear
from clusters.selectors import suggest_next_chair
from tests.factories import ClusterFactory, UnitFactory

pytestmark = pytest.mark.django_db


def years_of(cluster):
    return list(ClusterYear.objects.filter(cluster=cluster).with_roster())


def test_seed_suggests_the_2024_vice_chair_who_never_chaired(cluster_ii):
    suggestion = suggest_next_chair(years_of(cluster_ii.cluster))
    assert suggestion.year == 2025
    assert suggestion.unit.slug == "cao-bang"
    assert suggestion.reason == (
        "Không làm Cụm trưởng năm nào trong các năm có dữ liệu (từ năm 2018); "
        "trước năm đó chưa rõ. Là Phó Cụm trưởng năm 2024."
    )
    rows = {row.unit.slug: row for row in suggestion.rows}
    assert rows["lai-chau"].last_chaired == 2023
    assert not rows["lang-son"].eligible  # chairs 2024, does not follow itself
    assert not rows["ha-giang"].eligible  # merged into Tuyên Quang in 2025


def test_least_recent_chair_when_everyone_has_chaired():
    cluster = ClusterFactory()
    a, b, c = (UnitFactory(short_name=n) for n in ("An Giang", "Bến Tre", "Cà Mau"))
    for year, chair in ((2019, b), (2020, a), (2021, c)):
        services.cluster_year_create(
            by=COMMAND_LINE, cluster=cluster, year=year, units=[a, b, c], chair=chair
        )
    suggestion = suggest_next_chair(years_of(cluster))
    assert (suggestion.year, suggestion.unit) == (2022, b)
    assert suggestion.reason == (
        "Làm Cụm trưởng gần nhất năm 2019, lâu nhất trong các đơn vị thành viên."
    )


def test_never_chaired_ties_break_by_name_without_a_vice_chair():
    cluster = ClusterFactory()
    units = [UnitFactory(short_name=n) for n in ("Điện Biên", "Cao Bằng", "Hà Giang")]
    services.cluster_year_create(by=COMMAND_LINE, cluster=cluster, year=2030, units=units)
    suggestion = suggest_next_chair(years_of(cluster))
    # no chair recorded for 2030 yet: the suggestion is for 2030 itself
    assert (suggestion.year, suggestion.unit.short_name) == (2030, "Cao Bằng")


def test_no_suggestion_without_years_or_candidates():
    assert suggest_next_chair([]) is None
    cluster = ClusterFactory()
    ending = UnitFactory(ended_on=datetime.date(2031, 3, 1))
    services.cluster_year_create(by=COMMAND_LINE, cluster=cluster, year=2031, units=[ending])
    assert suggest_next_chair(years_of(cluster)) is None


def test_the_rotation_table_says_unknown_not_never_before_the_first_recorded_year(
    client, cluster_ii
):
    """The press reports Lạng Sơn chaired in 2017 and Hà Giang in 2020: years this application
    does not hold. A unit with no chair year on record is "chưa rõ", never "chưa từng"."""
    from django.urls import reverse

    page = client.get(reverse("pages:cluster_detail", args=["cum-2"])).content.decode()
    assert "chưa rõ (không có dữ liệu trước 2018)" in page
    assert "chưa từng" not in page.lower()
