"""Charts (issue 15): drawn on the server, each with its numbers as a table that is the data,
starring figures whose status is not "reported"; the leadership's glance at the whole force."""

import re

import pytest

from awards.models import AwardKind, Nomination
from clusters.models import DataStatus
from core import charts
from core.charts import Chart, Series
from reports.models import UnitReport
from tests.factories import ClusterFactory, ClusterYearFactory, MembershipFactory, UnitFactory

pytestmark = pytest.mark.django_db


def table(html, chart_id):
    start = html.index(f'id="chart-{chart_id}"')
    body = html[start : html.index("</figure>", start)]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", "", c).split())
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_a_chart_draws_text_and_patterns_and_is_kept():
    chart = Chart(
        "Tội phạm",
        ["Lai Châu", "Điện Biên"],
        [Series("Xảy ra", [210, 265], ["minh họa", ""]), Series("Khám phá", [196, None])],
        unit="vụ",
    )
    drawing = charts.svg(chart)
    assert drawing.startswith("<svg") and "<?xml" not in drawing
    assert "Lai Châu" in drawing and "210*" in drawing  # labels as text, the star on the note
    assert "* minh họa" in drawing
    assert 'id="c' in drawing  # ids of its own: several charts share a page
    # the Content-Security-Policy refuses inline styles: colours are attributes
    assert "style=" not in drawing.replace("font-style=", "") and "<style" not in drawing
    assert 'fill="#1f4e79"' in drawing
    assert charts.svg(chart) == drawing
    assert charts.png(chart)[:8] == b"\x89PNG\r\n\x1a\n"
    assert chart.rows == [
        ("Lai Châu", [("210", "minh họa"), ("196", "")]),
        ("Điện Biên", [("265", ""), ("—", "")]),
    ]


def test_the_year_pages_charts_tables_are_the_reports(client, seeded):
    html = client.get("/clusters/cum-2/2023/").content.decode()
    reports = {
        r.unit.short_name: r
        for r in UnitReport.objects.filter(cluster_year=seeded.years[2023]).select_related("unit")
    }
    crimes = table(html, "crimes")
    assert crimes[0] == ["Đơn vị", "Xảy ra", "Điều tra, khám phá"]
    # every 2023 figure of the demo is an illustrative split: starred, and the note says so
    assert {row[0]: row[1:] for row in crimes[1:]} == {
        name: [f"{r.crimes_recorded}*", f"{r.crimes_solved}*"] for name, r in reports.items()
    }
    assert "minh họa (dữ liệu mẫu)" in html[html.index('id="chart-crimes"') :]
    rates = {row[0]: row[1] for row in table(html, "rates")[1:]}
    assert rates["Lai Châu"] == "93,3*"  # 196 / 210
    drugs = {row[0]: row[1:] for row in table(html, "drugs")[1:]}
    assert drugs["Sơn La"] == ["1.105*", "1.420*"]


def test_the_cluster_page_shows_each_figure_over_the_years_with_gaps(client):
    cluster = ClusterFactory(number=71, slug="cum-71")
    unit = UnitFactory(short_name="Tỉnh X", slug="tinh-x")
    for year, crimes in ((2019, 100), (2021, 80)):
        cluster_year = ClusterYearFactory(cluster=cluster, year=year, status="published")
        MembershipFactory(cluster_year=cluster_year, unit=unit)
        UnitReport.objects.create(
            cluster_year=cluster_year,
            unit=unit,
            crimes_recorded=crimes,
            crimes_solved=crimes - 10,
            serious_recorded=0,
            serious_solved=0,
            drug_cases=1,
            drug_offenders=2,
            commended_collectives=3,
            commended_individuals=4,
            citizen_tips=5,
            data_status=DataStatus.ESTIMATE if year == 2021 else DataStatus.REPORTED,
        )
    html = client.get("/clusters/cum-71/").content.decode()
    assert table(html, "crimes")[1:] == [
        ["2019", "100", "90"],
        ["2020", "—", "—"],  # no figure is not zero
        ["2021", "80*", "70*"],
    ]
    assert "* ước tính" in html
    unit_html = client.get("/units/tinh-x/").content.decode()
    assert table(unit_html, "rates")[1:] == [
        ["2019", "90,0", "—"],
        ["2020", "—", "—"],
        ["2021", "87,5*", "—"],
    ]


def test_the_leadership_sees_the_whole_force_at_a_glance(
    client, seeded, leader, officer_laichau, django_assert_num_queries
):
    Nomination.objects.create(
        cluster_year=seeded.years[2024],
        award_kind=AwardKind.objects.get(code="co-bo-cong-an"),
        unit=seeded.units["son-la"],
    )
    other = ClusterYearFactory(cluster=ClusterFactory(number=72, slug="cum-72"), year=2024)
    MembershipFactory(cluster_year=other, unit=UnitFactory())
    client.force_login(leader)
    with django_assert_num_queries(5):
        html = client.get("/").content.decode()
    rows = {row[0]: row[1:] for row in table_rows(html, "force-table")[1:]}
    assert rows["Cụm thi đua số II"] == ["0/7", "✓ đã bình xét", "—", "chưa lập", "chưa xác định"]
    assert rows["Cụm thi đua số 72"] == ["0/1", "—", "—", "chưa lập", "chưa xác định"]
    assert table(html, "force")[1:] == [
        ["Đủ báo cáo của các đơn vị", "0"],
        ["Đã bình xét, đề nghị", "1"],
        ["Đã công bố", "0"],
        ["Đã gửi hồ sơ lên Bộ", "0"],
    ]
    html = client.get("/?year=2023").content.decode()
    rows = {row[0]: row[1:] for row in table_rows(html, "force-table")[1:]}
    assert rows == {"Cụm thi đua số II": ["7/7", "—", "✓ đã công bố", "chưa lập", "chưa xác định"]}
    client.get("/?year=abc")  # a bad year is the latest
    client.force_login(officer_laichau)
    assert 'id="force-glance"' not in client.get("/").content.decode()


def table_rows(html, table_id):
    start = html.index(f'id="{table_id}"')
    body = html[start : html.index("</table>", start)]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", c).split())
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]
