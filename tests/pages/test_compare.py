"""Comparisons (issue 15): a cluster's units between two years, and every cluster in one year
against the year before. Like with like: changes only over the units with figures in both
years, said how many; totals over different units shown but not compared. Hand arithmetic."""

import re

import pytest

from accounts.models import Role
from tests.factories import ClusterFactory, UnitFactory, UserFactory
from tests.pages import two_years

pytestmark = pytest.mark.django_db

# crimes recorded / solved per unit; None: no report that year
CRIMES = {
    #      2023        2024
    "A": ((100, 90), (120, 108)),
    "B": ((200, 180), (150, 140)),
    "C": ((400, 380), None),
    "D": ((500, 450), None),
    "E": ((600, 540), None),
    "F": (None, (300, 240)),
}


def build(crimes, *, number=61, status_2024="published", leaders=None):
    return two_years.build(
        crimes, number=number, suffix=str(number), status_2024=status_2024, leaders=leaders
    )


def text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def table(html, section_id):
    """The rows of the first table in the section: [[cell texts]]."""
    start = html.index(f'id="{section_id}"')
    body = html[start : html.index("</table>", start)]
    return [
        [text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


def test_units_between_two_years_change_only_over_units_of_both(leader_client):
    build(CRIMES, leaders={2023: "C", 2024: "A"})
    html = leader_client.get("/clusters/cum-61/compare/?from=2023&to=2024").content.decode()
    rows = table(html, "group-1")
    # two header rows, then A and B (both years), their total, C D E F (one year), the cluster
    body = {row[0]: row[1:] for row in rows[2:]}
    assert body["Tỉnh A61"][:3] == ["100", "120", "tăng 20,0%"]
    assert body["Tỉnh B61"][:3] == ["200", "150", "giảm 25,0%"]
    assert body["Cộng 2 đơn vị có số liệu cả hai năm"] == [
        "300",
        "270",
        "giảm 10,0%",
        "270",
        "248",
        "giảm 8,1%",
        "90,0%",
        "91,9%",  # 248 / 270
        "+1,9 điểm %",
    ]
    assert body["Tỉnh C61 (chỉ có số liệu một năm: không so sánh)"][:3] == ["400", "—", "—"]
    assert body["Tỉnh F61 (chỉ có số liệu một năm: không so sánh)"][:3] == ["—", "300", "—"]
    # the whole cluster: 1.800 against 570 are different units: shown, not compared
    assert body["Cả cụm (các đơn vị khác nhau giữa hai năm)"][:3] == ["1.800", "570", "—"]
    assert "Thay đổi chỉ tính trên 2 đơn vị có số liệu cả năm 2023 và năm 2024" in text(html)
    # the leading units and their clearance rates: C in 2023 (95,0%), A in 2024 (90,0% -> 90,0%)
    leaders = table(html, "leaders")[1:]
    assert leaders == [
        ["2023", "Tỉnh C61", "95,0%", "—", "—"],
        ["2024", "Tỉnh A61", "90,0%", "90,0%", "±0,0 điểm %"],
    ]
    # the years in between: every unit's sums, not compared with each other
    span = table(html, "span")[1:]
    assert [row[:5] for row in span] == [
        ["2023", "5", "1.800", "1.640", "91,1%"],
        ["2024", "3", "570", "488", "85,6%"],
    ]


def test_the_same_units_in_both_years_have_no_separate_rows(leader_client):
    build({"A": ((100, 90), (80, 72)), "B": ((200, 180), (170, 160))})
    html = leader_client.get("/clusters/cum-61/compare/?from=2024&to=2023").content.decode()
    assert "single-year" not in html and "whole-total" not in html
    body = {row[0]: row[1:] for row in table(html, "group-1")[2:]}
    assert body["Cộng 2 đơn vị có số liệu cả hai năm"][:3] == ["300", "250", "giảm 16,7%"]


def test_without_years_it_compares_the_last_two(leader_client):
    build(CRIMES)
    html = leader_client.get("/clusters/cum-61/compare/").content.decode()
    assert 'id="like-with-like"' in html
    assert "năm 2023 và năm 2024" in text(html)


@pytest.mark.parametrize(
    "query",
    ["?from=abc&to=2024", "?from=1800&to=99999", "?from=2023&to=2023", "?from=%00&to=%FF"],
)
def test_bad_years_get_a_message_not_an_error(leader_client, query):
    build(CRIMES)
    response = leader_client.get(f"/clusters/cum-61/compare/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="like-with-like"' in html or 'id="compare-problem"' in html


def test_a_cluster_with_one_year_of_figures_says_so(leader_client):
    build({"A": ((100, 90), None)})
    html = leader_client.get("/clusters/cum-61/compare/").content.decode()
    assert "Cụm chưa có số liệu của hai năm để so sánh." in html


def test_another_secretariat_compares_only_published_years(client, leader):
    build(CRIMES, status_2024="open")
    other = ClusterFactory(number=62, slug="cum-62")
    client.force_login(UserFactory(role=Role.SECRETARIAT, cluster=other))
    html = client.get("/clusters/cum-61/compare/?from=2023&to=2024").content.decode()
    assert "Cụm chưa có số liệu của hai năm để so sánh." in html
    assert "120" not in text(html)  # A's open 2024


def test_who_may_compare(client, leader):
    build(CRIMES)
    assert client.get("/clusters/cum-61/compare/").status_code == 302
    officer = UserFactory(role=Role.UNIT_OFFICER, unit=UnitFactory())
    client.force_login(officer)
    assert client.get("/clusters/cum-61/compare/").status_code == 403
    assert client.get("/compare/").status_code == 403
    client.force_login(leader)
    assert client.get("/clusters/nowhere/compare/").status_code == 404
    assert client.post("/clusters/cum-61/compare/").status_code == 405


def test_the_comparison_costs_the_same_for_more_units(leader_client, django_assert_num_queries):
    build(CRIMES, leaders={2024: "A"})
    # the session, the user, the cluster, its years, both years' reports, the totals, the
    # years between, the leading units and their reports
    with django_assert_num_queries(9) as few:
        leader_client.get("/clusters/cum-61/compare/?from=2023&to=2024")
    many = {f"{letter}{i}": figures for i in range(4) for letter, figures in CRIMES.items()}
    build(many, number=63, leaders={2024: "A0"})
    with django_assert_num_queries(len(few.captured_queries)):
        leader_client.get("/clusters/cum-63/compare/?from=2023&to=2024")


def test_clusters_in_one_year_against_the_year_before(leader_client, django_assert_num_queries):
    build(CRIMES, leaders={2024: "A"})
    build({"A": ((50, 40), (60, 57))}, number=62)
    # the session, the user, the years, the totals by cluster (the whole force is their sum),
    # the clusters' years, their leading units' reports, whether any figure is not "reported"
    with django_assert_num_queries(7):
        html = leader_client.get("/compare/?year=2024").content.decode()
    summary = {row[0]: row[1:] for row in table(html, "clusters-summary")[1:]}
    assert summary["Cụm thi đua số 61"] == [
        "Đã công bố",
        "3/6",
        "2",
        "Tỉnh A61",
        "90,0%",
        "±0,0 điểm %",
    ]
    assert summary["Cụm thi đua số 62"][1:3] == ["1/1", "1"]
    crimes = {row[0]: row[1:] for row in table(html, "group-1")[2:]}
    # each cluster's whole figures, the change over its units of both years
    assert crimes["Cụm thi đua số 61 (2)"][:3] == ["1.800", "570", "giảm 10,0%"]
    assert crimes["Cụm thi đua số 62 (1)"][:3] == ["50", "60", "tăng 20,0%"]
    # 270 + 60 against 300 + 50: down 20 of 350
    assert crimes["Toàn lực lượng (3)"][:3] == ["1.850", "630", "giảm 5,7%"]
    # the chart's table is the chart's data: like with like rates of both years
    chart = {row[0]: row[1:] for row in table(html, "chart-clearance")[1:]}
    assert chart == {
        "Cụm thi đua số 61": ["91,9", "90,0"],
        "Cụm thi đua số 62": ["95,0", "80,0"],
    }


def test_the_clusters_comparison_costs_the_same_for_more_clusters(
    leader_client, django_assert_num_queries
):
    build(CRIMES, leaders={2024: "A"})
    with django_assert_num_queries(7) as few:
        leader_client.get("/compare/?year=2024")
    for number in range(64, 68):
        build(CRIMES, number=number, leaders={2024: "B"})
    with django_assert_num_queries(len(few.captured_queries)):
        leader_client.get("/compare/?year=2024")
