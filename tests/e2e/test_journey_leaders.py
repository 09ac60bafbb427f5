"""The issue's question, asked as a leader would (issue 15): "which units led their clusters
these five years, and how did their clearance rates move?" In Chromium: sign in, open the award
summary, choose 2019 to 2023, read the leading units and their clearance rates by cluster and
year, and print it for the meeting (the printed PDF read back). Then the same answer from one
cluster's comparison page."""

import io
import re
import time
import unicodedata

import pytest
from pypdf import PdfReader

from accounts.models import Role
from clusters.models import ClusterYear
from reports.models import UnitReport
from tests.e2e.conftest import log_in
from tests.factories import ClusterFactory, MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

# cluster number: {year: (leading unit, crimes recorded, solved)}; three units a cluster
LEADERS = {
    5: {
        2019: ("Hòa Bình", 200, 180),
        2020: ("Hòa Bình", 210, 195),
        2021: ("Phú Thọ", 190, 178),
        2022: ("Phú Thọ", 180, 171),
        2023: ("Vĩnh Phúc", 170, 165),
    },
    6: {
        2019: ("Thái Bình", 300, 270),
        2020: ("Nam Định", 320, 290),
        2021: ("Nam Định", 310, 283),
        2022: ("Hà Nam", 280, 262),
        2023: ("Hà Nam", 260, 250),
    },
}
UNITS = {5: ["Hòa Bình", "Phú Thọ", "Vĩnh Phúc"], 6: ["Thái Bình", "Nam Định", "Hà Nam"]}


def build():
    for number, years in LEADERS.items():
        cluster = ClusterFactory(
            number=number, name=f"Cụm thi đua số {number}", slug=f"cum-{number}"
        )
        units = {
            name: UnitFactory(short_name=name, name=f"Công an tỉnh {name}", slug=f"u-{number}-{i}")
            for i, name in enumerate(UNITS[number])
        }
        for year, (leader, recorded, solved) in years.items():
            cluster_year = ClusterYear.objects.create(
                cluster=cluster, year=year, status="published", leading_unit=units[leader]
            )
            for name, unit in units.items():
                MembershipFactory(cluster_year=cluster_year, unit=unit)
                mine = name == leader
                UnitReport.objects.create(
                    cluster_year=cluster_year,
                    unit=unit,
                    crimes_recorded=recorded if mine else 100,
                    crimes_solved=solved if mine else 80,
                    serious_recorded=10,
                    serious_solved=10,
                    drug_cases=5,
                    drug_offenders=6,
                    commended_collectives=1,
                    commended_individuals=2,
                    citizen_tips=3,
                )


def rate(solved, recorded):
    return f"{solved * 100 / recorded:.1f}".replace(".", ",") + "%"


def test_a_leader_answers_who_led_and_how_their_rates_moved_and_prints_it(page):
    build()
    UserFactory(username="lanhdao", role=Role.LEADERSHIP)
    started = time.monotonic()
    log_in(page, "lanhdao")
    page.get_by_role("link", name="Khen thưởng").first.click()
    page.select_option("#id_year_from", "2019")
    page.select_option("#id_year_to", "2023")
    page.locator("#summary-filter button[type=submit]").click()
    page.wait_for_url("**/awards/?*year_from=2019*")
    rows = page.locator("#by-cluster tbody tr")
    assert rows.count() == 10  # two clusters, five years
    answer = {}
    for i in range(rows.count()):
        cells = [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        answer[(cells[1], cells[0])] = (cells[10], cells[11], cells[13])
    # each year's leader, its clearance rate, and the move against its own previous year
    assert answer[("Cụm thi đua số 5", "2023")] == ("Vĩnh Phúc", rate(165, 170), "+17,1 điểm %")
    assert answer[("Cụm thi đua số 5", "2020")] == ("Hòa Bình", rate(195, 210), "+2,9 điểm %")
    assert answer[("Cụm thi đua số 6", "2023")] == ("Hà Nam", rate(250, 260), "+2,6 điểm %")
    assert answer[("Cụm thi đua số 6", "2019")][:2] == ("Thái Bình", rate(270, 300))
    elapsed = time.monotonic() - started
    assert elapsed < 60, elapsed

    # on paper: the print media hides the filters, the PDF holds the answer
    page.emulate_media(media="print")
    assert not page.locator("#summary-filter").is_visible()
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    text = "".join(
        "".join(unicodedata.normalize("NFC", p.extract_text()).split())
        for p in PdfReader(io.BytesIO(pdf)).pages
    )
    for leader in ("VĩnhPhúc", "HàNam", "HòaBình", "NamĐịnh", "PhúThọ", "TháiBình"):
        assert leader in text, leader
    assert "97,1%" in text and "+17,1điểm%" in text
    page.emulate_media(media="screen")

    # one cluster's own comparison tells the same, year by year
    page.goto("/clusters/cum-6/compare/?from=2019&to=2023")
    leaders = page.locator("#leaders tbody tr")
    assert [re.sub(r"\s+", " ", leaders.nth(i).inner_text()).split(" ")[0] for i in range(5)] == [
        "2019",
        "2020",
        "2021",
        "2022",
        "2023",
    ]
    assert "Hà Nam" in leaders.nth(4).inner_text() and "96,2%" in leaders.nth(4).inner_text()
