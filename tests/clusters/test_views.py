import pytest
from django.urls import reverse

from accounts.access import COMMAND_LINE
from clusters import services
from tests.factories import ClusterFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_clusters(cluster_ii):
    """Nine more clusters, each with five years of eight units, so an N+1 would show."""
    for number in range(3, 12):
        cluster = ClusterFactory(number=number)
        units = [UnitFactory() for _ in range(8)]
        for year in range(2019, 2024):
            services.cluster_year_create(
                by=COMMAND_LINE, cluster=cluster, year=year, units=units, chair=units[year % 8]
            )
    return cluster_ii


def test_home_lists_clusters_with_latest_year_and_chair(
    client, cluster_ii, django_assert_num_queries
):
    with django_assert_num_queries(2):
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cụm thi đua số II" in html
    assert "Công an tỉnh Lạng Sơn" in html  # chair of the latest year, 2024
    assert ">2024<" in html and "2.024" not in html


def test_home_query_count_does_not_grow(client, many_clusters, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get("/")
    assert response.content.decode().count('class="card h-100"') == 10


def test_cluster_page_shows_rosters_chairs_and_rotation(
    client, cluster_ii, django_assert_num_queries
):
    # the cluster, its years, their rosters and changes, the figures by year
    with django_assert_num_queries(5):
        response = client.get("/clusters/cum-2/")
    html = response.content.decode()
    assert response.status_code == 200
    for year in ("2018", "2023", "2024"):
        assert f'id="roster-{year}"' in html
    assert "2.023" not in html and "2.024" not in html
    assert "Năm 2023: 7 đơn vị" in html
    assert "Gợi ý Cụm trưởng năm 2025" in html
    assert "Là Phó Cụm trưởng năm 2024." in html
    assert "Công an tỉnh Lai Châu bàn giao tại Hội nghị tổng kết năm 2023" in html
    assert response.context["suggestion"].unit.slug == "cao-bang"


def test_cluster_page_query_count_does_not_grow(client, many_clusters, django_assert_num_queries):
    with django_assert_num_queries(5):
        response = client.get("/clusters/cum-3/")
    assert len(response.context["years"]) == 5


def test_cluster_page_logged_in_adds_only_the_session_queries(
    client, officer_laichau, django_assert_num_queries
):
    client.force_login(officer_laichau)
    with django_assert_num_queries(7):  # session, user, then the page's 5
        assert client.get("/clusters/cum-2/").status_code == 200


@pytest.mark.parametrize("alias", ["cum2", "cum-ii", "2", "cum-thi-dua-so-ii", "CUM-II"])
def test_typed_cluster_numbers_redirect_to_the_real_address(client, cluster_ii, alias):
    response = client.get(f"/clusters/{alias}/")
    assert response.status_code == 301
    assert response["Location"] == "/clusters/cum-2/"


@pytest.mark.parametrize("slug", ["cum-9", "khong-co", "hanoi"])
def test_unknown_cluster_is_404(client, cluster_ii, slug):
    assert client.get(f"/clusters/{slug}/").status_code == 404


def test_unit_page_shows_history_and_successor(client, cluster_ii, django_assert_num_queries):
    with django_assert_num_queries(9):
        response = client.get("/units/ha-giang/")
    html = response.content.decode()
    assert "Từ ngày 01/07/2025, đơn vị hợp nhất vào" in html
    assert 'href="/units/tuyen-quang/"' in html
    assert [m.year for m in response.context["unit"].memberships_desc] == [2024, 2023, 2018]


def test_unit_page_shows_predecessors_and_chairs_held(client, cluster_ii):
    html = client.get("/units/lao-cai/").content.decode()
    assert "Đơn vị đã hợp nhất vào đơn vị này:" in html and 'href="/units/yen-bai/"' in html
    html = client.get("/units/lai-chau/").content.decode()
    assert html.count('class="badge badge-chair"') == 1  # chaired 2023


def test_unit_page_query_count_does_not_grow(client, many_clusters, django_assert_num_queries):
    unit = UnitFactory(short_name="Kế thừa")
    for _ in range(5):
        services.unit_merge(
            by=COMMAND_LINE,
            unit=UnitFactory(),
            successor=unit,
            ended_on=__import__("datetime").date(2018, 1, 1),
        )
    with django_assert_num_queries(9):
        response = client.get(reverse("pages:unit_detail", args=[unit.slug]))
    assert len(response.context["unit"].predecessors.all()) == 5


def test_unknown_unit_is_404(client, cluster_ii):
    assert client.get("/units/khong-co/").status_code == 404


@pytest.mark.parametrize("url", ["/", "/clusters/cum-2/", "/units/lai-chau/"])
def test_pages_refuse_post_with_405(client, cluster_ii, url):
    assert client.post(url).status_code == 405


def test_unit_page_title_and_sections_appear_once(client, seeded):
    html = client.get("/units/lai-chau/").content.decode()
    title = html[html.index("<title>") + 7 : html.index("</title>")]
    assert title == "Công an tỉnh Lai Châu · Quản lý Cụm thi đua CAND"
    assert html.count("Kết quả qua các năm") == 1
    assert html.count('id="unit-results"') == 1
