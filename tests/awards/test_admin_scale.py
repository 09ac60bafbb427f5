"""The commendations' admin list at national scale: newest first by id, a bounded count, the
years from the tallies."""

import pytest

from awards.admin import BoundedCountPaginator
from tests.factories import CommendationFactory

pytestmark = pytest.mark.django_db


def test_the_list_counts_at_most_its_limit_and_filters_by_year(
    admin_client, cluster_ii, monkeypatch, django_assert_max_num_queries
):
    unit = cluster_ii.units["lai-chau"]
    made = [CommendationFactory(unit=unit, year=2022 + i % 2) for i in range(12)]
    monkeypatch.setattr(BoundedCountPaginator, "LIMIT", 5)
    with django_assert_max_num_queries(9):
        response = admin_client.get("/admin/awards/commendation/")
    changelist = response.context["cl"]
    assert changelist.result_count == 5  # bounded
    assert [c.pk for c in changelist.result_list][:3] == [c.pk for c in reversed(made)][:3]
    html = response.content.decode()
    assert "?year=2023" in html and "?year=2022" in html  # the year filter's choices
    response = admin_client.get("/admin/awards/commendation/", {"year": "2023"})
    assert {c.year for c in response.context["cl"].result_list} == {2023}
    response = admin_client.get("/admin/awards/commendation/", {"year": "2.023"})
    assert response.status_code == 200  # a mangled year is ignored, not a 500
