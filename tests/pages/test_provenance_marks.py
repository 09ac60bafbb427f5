"""Issue 12: every figure and record shows where it comes from, with a legend; a figure without a
source says so. The demo: the 2023 article's totals are "số liệu cụm công bố", the per-unit split
"minh họa"."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def marks(html, status):
    return re.findall(rf'<abbr class="prov [^"]*" title="([^"]*)"[^>]*data-status="{status}"', html)


def test_the_2023_page_marks_each_figure_with_its_status_and_source(client, seeded):
    html = client.get(reverse("pages:year_detail", args=["cum-2", 2023])).content.decode()
    illustrative = marks(html, "illustrative")
    assert len(illustrative) == 7  # one per unit's row: the article gives no unit's figures
    assert all("minh họa (dữ liệu mẫu) — nguồn: Bài báo về Hội nghị" in t for t in illustrative)
    published = marks(html, "cluster_published")
    # the year's roster, the conference, the four totals the article states, the fund and the
    # house for Đại úy Vừ A Di
    assert len(published) == 8, len(published)
    awards_2018 = client.get(reverse("pages:year_detail", args=["cum-2", 2018])).content.decode()
    votes = awards_2018[awards_2018.index('id="year-nominations"') :]
    assert len(marks(votes[: votes.index("</table>")], "cluster_published")) == 4
    row = html[html.index('id="published-figures"') :]
    row = row[: row.index("</tr>")]
    for figure in ("4.213", "5.435", "2.847", "9.341"):
        assert figure in row
    legend = html[html.index("prov-legend") :]
    assert "minh họa (dữ liệu mẫu)" in legend and "số liệu cụm công bố" in legend
    assert "chưa rõ" in legend  # the stored article keeps no headline, paper or date


def test_a_figure_without_a_source_says_so(client, seeded, secretary):
    from reports import services
    from reports.models import UnitReport

    year = seeded.years[2024]
    services.unit_report_save(
        report=UnitReport(
            cluster_year=year,
            unit=seeded.units["lai-chau"],
            **dict.fromkeys(
                [
                    "crimes_recorded",
                    "crimes_solved",
                    "serious_recorded",
                    "serious_solved",
                    "drug_cases",
                    "drug_offenders",
                    "commended_collectives",
                    "commended_individuals",
                    "citizen_tips",
                ],
                10,
            ),
        ),
        by=secretary,
    )
    client.force_login(secretary)
    html = client.get(reverse("pages:year_detail", args=["cum-2", 2024])).content.decode()
    reported = marks(html, "reported")
    assert reported == ["báo cáo của đơn vị — chưa ghi nguồn"]
    assert "prov-unsourced" in html


def test_the_awards_summary_marks_the_2018_vote_with_its_status(client, seeded, leader):
    client.force_login(leader)
    html = client.get("/awards/", {"cluster": "cum-2"}).content.decode()
    matrix = html[html.index('id="flag-matrix"') :]
    matrix = matrix[: matrix.index("</table>")]
    assert len(marks(matrix, "cluster_published")) == 4  # Sơn La's and three Ministry flags
    assert "prov-legend" in html


def test_the_unit_page_marks_its_awards_and_the_support_it_received(client, seeded):
    html = client.get(reverse("pages:unit_detail", args=["lai-chau"])).content.decode()
    # the 2018 Ministry flag proposed, and the 2023 house for Đại úy Vừ A Di
    assert len(marks(html, "cluster_published")) == 2
    assert len(marks(html, "illustrative")) == 1  # its 2023 report: an illustrative split
    assert "prov-legend" in html and "năm 2023 của Cụm thi đua số II" in html
