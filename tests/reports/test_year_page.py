import pytest

from accounts.access import COMMAND_LINE
from clusters import services
from reports import selectors
from tests.factories import ClusterFactory, UnitFactory, UnitReportFactory

pytestmark = pytest.mark.django_db


def totals_row(html):
    row = html[html.index('id="totals"') : html.index("</tr>", html.index('id="totals"'))]
    import re

    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)
    ]


def test_2023_totals_match_the_article(client, seeded, django_assert_num_queries):
    with django_assert_num_queries(12):
        response = client.get("/clusters/cum-2/2023/")
    html = response.content.decode()
    assert response.status_code == 200
    # crimes, last year, change, solved, rate, serious, solved, rate, drugs, offenders,
    # collectives, individuals, tips
    # no 2022 in the seeds: nothing to compare with
    assert totals_row(html) == [
        "1.955",
        "—",
        "—",
        "1.810",
        "92,6%",
        "244",
        "242",
        "99,2%",
        "4.213",
        "5.435",
        "2.847",
        "9.341",
        "5.100",
    ]
    assert "Toàn cụm (7 đơn vị)" in html
    assert "Số liệu từng đơn vị là phân bổ minh họa" in html
    assert "Tất cả đơn vị thành viên đã báo cáo." in html
    assert "2.023" not in html


def test_cluster_totals_selector_against_hand_sums(seeded):
    totals = selectors.cluster_totals(seeded.years[2023])
    assert (totals.reports, totals.previous_reports, totals.compared) == (7, 0, 0)
    assert totals.sums["drug_cases"] == 402 + 720 + 1105 + 630 + 410 + 388 + 558
    assert totals.previous_sums["crimes_recorded"] is None and totals.crimes_change is None
    assert str(totals.clearance_rate) == "92.6"
    assert str(totals.serious_rate) == "99.2"


def test_every_unit_clears_more_than_90_percent(seeded):
    for report in selectors.reports_of(seeded.years[2023]):
        assert report.clearance_rate > 90, report.unit
        assert report.serious_rate >= 97, report.unit
        assert report.crimes_change is None, report.unit  # no 2022 report to compare with


def test_2018_shows_the_slogan_and_the_presiding_official(client, seeded):
    html = client.get("/clusters/cum-2/2018/").content.decode()
    assert (
        "Chủ động, đổi mới, kỷ cương, trách nhiệm, hiệu quả - Vì bình yên biên cương Tổ quốc, "
        "vì hạnh phúc của nhân dân" in html
    )
    assert '<dd class="col-sm-9" id="presiding">Đại tá Nguyễn Công Bẩy</dd>' in html
    assert "Năm này không có số liệu báo cáo của các đơn vị." in html


def test_open_year_lists_who_has_not_reported(client, seeded, officer_laichau):
    client.force_login(officer_laichau)
    html = client.get("/clusters/cum-2/2024/").content.decode()
    assert "Chưa báo cáo:" in html and "Chưa đơn vị nào báo cáo." in html
    assert 'href="/units/lai-chau/2024/report/"' in html
    assert "Đang mở" in html


def test_unpublished_year_asks_anonymous_to_log_in(client, seeded):
    response = client.get("/clusters/cum-2/2024/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/clusters/cum-2/2024/"


def test_unknown_year_is_404(client, seeded):
    assert client.get("/clusters/cum-2/1999/").status_code == 404
    assert client.get("/clusters/khong-co/2023/").status_code == 404


def test_year_page_query_count_does_not_grow_with_units(client, django_assert_num_queries):
    cluster = ClusterFactory(number=9, slug="cum-9")
    units = [UnitFactory() for _ in range(40)]
    for year in (2022, 2023):
        cluster_year = services.cluster_year_create(
            by=COMMAND_LINE, cluster=cluster, year=year, units=units
        )
        for i, unit in enumerate(units):
            UnitReportFactory(
                cluster_year=cluster_year, unit=unit, crimes_recorded=100 + i + (year - 2022) * 5
            )
        services.cluster_year_publish(by=COMMAND_LINE, cluster_year=cluster_year)
    with django_assert_num_queries(12):
        response = client.get("/clusters/cum-9/2023/")
    assert len(response.context["reports"]) == 40
    assert response.context["totals"].crimes_change.direction == "up"


def test_unit_page_shows_published_results_only_to_the_public(client, seeded, officer_laichau):
    from clusters.models import ClusterYear

    lai_chau = seeded.units["lai-chau"]
    UnitReportFactory(cluster_year=ClusterYear.objects.get(year=2024), unit=lai_chau)
    public = client.get("/units/lai-chau/").context["reports"]
    assert [r.cluster_year.year for r in public] == [2023]
    client.force_login(officer_laichau)
    own = client.get("/units/lai-chau/").context["reports"]
    assert [r.cluster_year.year for r in own] == [2024, 2023]
