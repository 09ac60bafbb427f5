"""Like with like: the cluster's change against last year counts only the units that reported in
both years, says how many they are, and is not coloured good or bad when the two years' sets of
units differ (issue 12). Hand arithmetic below."""

import re

import pytest

from clusters.models import ClusterYear
from reports import selectors
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
    "G": (None, None),
}


def build(crimes):
    return two_years.build(crimes)[1]


def cells(html, row_id):
    start = html.index(f'id="{row_id}"')
    row = html[start : html.index("</tr>", start)]
    header = re.sub(r"<[^>]+>", "", re.search(r"<th[^>]*>(.*?)</th>", row, re.S).group(1))
    return " ".join(header.split()), [
        (re.sub(r"<[^>]+>", "", cell).strip(), cell)
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


def test_the_selector_sums_all_this_year_and_compares_only_units_of_both_years(
    django_assert_num_queries,
):
    years = build(CRIMES)
    with django_assert_num_queries(1):
        totals = selectors.cluster_totals(years[2024])
    assert (totals.reports, totals.previous_reports, totals.compared) == (3, 5, 2)
    assert totals.sums["crimes_recorded"] == 120 + 150 + 300
    assert totals.previous_sums["crimes_recorded"] == 100 + 200 + 400 + 500 + 600
    assert totals.compared_sums["crimes_recorded"] == 120 + 150
    assert totals.compared_previous_sums["crimes_recorded"] == 100 + 200
    assert totals.compared_sums["drug_cases"] == 12 + 15
    assert not totals.like_with_like
    change = totals.crimes_change  # 270 against 300
    assert (change.current, change.previous, str(change.percent), change.direction) == (
        270,
        300,
        "10.0",
        "down",
    )
    assert str(totals.compared_clearance_rate) == "91.9"  # (108 + 140) / 270
    assert str(totals.clearance_rate) == "85.6"  # (108 + 140 + 240) / 570


def test_the_year_page_says_which_units_are_compared_and_colours_nothing(
    client, django_assert_num_queries
):
    build(CRIMES)
    with django_assert_num_queries(12):
        html = client.get("/clusters/cum-61/2024/").content.decode()
    header, totals = cells(html, "totals")
    assert header == "Toàn cụm (3 đơn vị)"
    assert [text for text, _ in totals[:5]] == ["570", "—", "—", "488", "85,6%"]
    header, compared = cells(html, "compared-totals")
    assert header == "so sánh 2/7 đơn vị đã báo cáo cả hai năm"
    assert [text for text, _ in compared[:5]] == ["270", "300", "giảm 10,0%", "248", "91,9%"]
    change_cell = compared[2][1]
    assert "text-success" not in change_cell and "text-danger" not in change_cell
    assert "năm nay 3 đơn vị báo cáo, năm trước 5" in html


def test_the_same_units_both_years_are_compared_and_coloured(client):
    same = {
        "A": ((100, 90), (80, 72)),
        "B": ((200, 180), (170, 160)),
        "C": (None, None),  # a member that reported in neither year
    }
    build(same)
    totals = selectors.cluster_totals(ClusterYear.objects.get(cluster__slug="cum-61", year=2024))
    assert totals.like_with_like and totals.compared == 2
    html = client.get("/clusters/cum-61/2024/").content.decode()
    _header, row = cells(html, "totals")
    assert [text for text, _ in row[:3]] == ["250", "300", "giảm 16,7%"]
    assert "text-success" in row[2][1]  # crimes went down: good, and like with like
    assert 'id="compared-totals"' not in html
    assert "so sánh 2/3 đơn vị đã báo cáo cả hai năm" in html


def test_the_demo_2024_against_2023_with_two_units_in(client, seeded, secretary):
    """Lai Châu (210 in 2023) and Sơn La (410) report 2024; five members have not yet."""
    from accounts.access import COMMAND_LINE
    from reports import services
    from reports.models import COUNT_FIELDS, UnitReport

    year = seeded.years[2024]
    for slug, (recorded, solved) in {"lai-chau": (189, 180), "son-la": (451, 420)}.items():
        report = UnitReport(
            cluster_year=year, unit=seeded.units[slug], **dict.fromkeys(COUNT_FIELDS, 5)
        )
        report.crimes_recorded, report.crimes_solved = recorded, solved
        services.unit_report_save(report=report, by=COMMAND_LINE)
    client.force_login(secretary)
    html = client.get("/clusters/cum-2/2024/").content.decode()
    header, compared = cells(html, "compared-totals")
    assert header == "so sánh 2/7 đơn vị đã báo cáo cả hai năm"
    # 189 + 451 = 640 against 210 + 410 = 620: up 3,2%, neither good nor bad
    assert [text for text, _ in compared[:5]] == ["640", "620", "tăng 3,2%", "600", "93,8%"]
    assert "text-danger" not in compared[2][1]
    _header, totals = cells(html, "totals")
    assert [text for text, _ in totals[:3]] == ["640", "—", "—"]
    assert "năm nay 2 đơn vị báo cáo, năm trước 7" in html


def test_nothing_to_compare_when_last_year_has_no_report(client):
    build({"A": (None, (100, 90)), "B": (None, (50, 45))})
    html = client.get("/clusters/cum-61/2024/").content.decode()
    _header, row = cells(html, "totals")
    assert [text for text, _ in row[:3]] == ["150", "—", "—"]
    assert 'id="compared-totals"' not in html
    assert "cả hai năm" not in html
