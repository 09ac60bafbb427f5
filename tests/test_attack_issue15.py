"""An independent attack on issue 15's pages (leadership views): /awards/, the comparisons, the
leadership's glance on the home page, the charts, /search/, the year's PDF, report and news.

Each test passes when the application keeps its rules and fails when it does not: visibility
(nothing of a year the viewer may not read), never a 500, a fixed number of queries, nothing
invented and "not reported" marked, no inline style or script in the charts, formulas
neutralised in exports, and a published year's PDF rendered once whatever the query string."""

import datetime
import io
import re
import traceback

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from awards import services as award_services
from awards.models import AwardKind, Commendation, Nomination
from clusters.models import ClusterYear, Source
from core.cache import bump_generation
from reports import services as report_services
from reports.models import UnitReport
from tests.factories import (
    ClusterFactory,
    ClusterYearFactory,
    CommendationFactory,
    MembershipFactory,
    UnitFactory,
    UnitReportFactory,
    UserFactory,
)
from welfare import services as welfare_services
from welfare.models import Beneficiary, Support

pytestmark = pytest.mark.django_db

SECRET = "bí mật"
DAY = datetime.date(2024, 6, 1)
# what an open 2024 of cluster II holds, planted below: none of it may reach a viewer who may
# not read that year
PLANTED = (SECRET, "987.654", "987654", "4242/QĐ-MAT", "5555/MAT")
CHAIR_DECISION = "7777/QĐ-MAT"  # the open 2024's chair decision (see its own test)


# --- helpers ---------------------------------------------------------------------------------


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def text_of(response) -> str:
    """Everything a reader gets: HTML, plain text, an XLSX's cells, a PDF's or DOCX's text."""
    content = body(response)
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in workbook
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    if "pdf" in kind:
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    if "wordprocessingml" in kind:
        import docx

        document = docx.Document(io.BytesIO(content))
        parts = [p.text for p in document.paragraphs]
        parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join(parts)
    return content.decode("utf-8", "replace")


def leaks_in(text: str, marks) -> list[str]:
    folded = text.casefold()
    return [mark for mark in marks if mark.casefold() in folded]


def get_safely(client, address, **extra):
    """The answer, or a fake 599 with the traceback when the view raised (test client)."""
    try:
        return client.get(address, **extra)
    except Exception as error:  # noqa: BLE001 - the probe reports any exception as a 500

        class Failed:
            status_code = 599
            reason = f"{type(error).__name__}: {' '.join(str(error).split())}"[:160]
            trace = traceback.format_exc()[-800:]

        return Failed()


def listing(items) -> str:
    return "\n" + "\n".join(str(item) for item in items)


def svgs_of(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, flags=re.S)


def chart_table(html: str, slug: str) -> list[list[str]]:
    """The rows of the table under the chart `slug`, as text cells (a star kept)."""
    match = re.search(rf'<figure[^>]*id="chart-{slug}".*?</figure>', html, flags=re.S)
    assert match, f"no chart {slug}"
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", match.group(0), flags=re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


def queries(client, address, **extra) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address, **extra)
    assert response.status_code == 200, (address, response.status_code)
    body(response)  # a streamed answer runs its queries while it is read
    return len(captured.captured_queries)


# --- people and data ---------------------------------------------------------------------------


@pytest.fixture
def outsider_secretary(other_cluster):
    """The secretariat of cluster I: reads cluster II's published years only."""
    return UserFactory(username="thuky.cum1", role=Role.SECRETARIAT, cluster=other_cluster.cluster)


@pytest.fixture
def officer_hanoi(other_cluster):
    """An officer of a cluster I unit: reads cluster I's 2024 and published years only."""
    unit = other_cluster.memberships.select_related("unit").first().unit
    return UserFactory(username="canbo.hanoi", role=Role.UNIT_OFFICER, unit=unit)


@pytest.fixture
def ministry(db):
    return UserFactory(username="bo.thidua", role=Role.MINISTRY)


@pytest.fixture
def planted(seeded, admin_user):
    """Cluster II's open 2024 with a report, a nomination of a person, a commendation, a chair
    decision, a document and a house, each carrying a mark of PLANTED."""
    year = seeded.years[2024]
    lai_chau = seeded.units["lai-chau"]
    report_services.unit_report_save(
        report=UnitReport(
            cluster_year=year,
            unit=lai_chau,
            crimes_recorded=987654,
            crimes_solved=123,
            serious_recorded=5,
            serious_solved=4,
            drug_cases=55,
            drug_offenders=66,
            commended_collectives=77,
            commended_individuals=88,
            citizen_tips=99,
            notes=f"Ghi chú {SECRET}",
        ),
        by=admin_user,
    )
    award_services.nomination_propose(
        cluster_year=year,
        award_kind=AwardKind.objects.get(code="bang-khen-bo-truong"),
        unit=lai_chau,
        person_name=f"Người đề nghị {SECRET}",
        by=admin_user,
    )
    award_services.nomination_propose(  # a flag over the quota: on the flag matrix, kept
        cluster_year=year,
        award_kind=AwardKind.objects.get(code="co-bo-cong-an"),
        unit=lai_chau,
        by=admin_user,
        votes_for=1,
        council_size=10,
        override_reason=f"Lý do {SECRET}",
    )
    award_services.commendation_save(
        commendation=Commendation(
            award_kind=AwardKind.objects.get(code="chien-si-thi-dua-co-so"),
            year=2024,
            unit=lai_chau,
            person_name=f"Cá nhân {SECRET}",
            decision_number="4242/QĐ-MAT",
            decision_date=DAY,
        ),
        by=admin_user,
    )
    fund = welfare_services.fund_open(cluster_year=year, title=f"Quỹ {SECRET}", by=admin_user)
    beneficiary = welfare_services.beneficiary_save(
        beneficiary=Beneficiary(full_name=f"Người được giúp {SECRET}", unit=lai_chau),
        by=admin_user,
        cluster_year=year,
    )
    welfare_services.contribution_add(
        fund=fund, amount=200_000_000, given_on=DAY, by=admin_user, unit=lai_chau
    )
    welfare_services.support_save(
        support=Support(fund=fund, beneficiary=beneficiary, amount=100_000_000), by=admin_user
    )
    ClusterYear.objects.filter(pk=year.pk).update(chair_decision_number="7777/QĐ-MAT")
    Source.objects.create(cluster_year=year, title=f"Tài liệu {SECRET}", number="5555/MAT")
    bump_generation()
    return seeded


def small_cluster(number, *, years, units=2, status=None, crimes=None, name=None, unit_names=None):
    """A cluster of its own with `units` member units every year in `years`, each reporting
    (crimes: {(unit index, year): (recorded, solved)}, default 100/92). Returns (cluster,
    {year: ClusterYear}, [units])."""
    cluster = ClusterFactory(
        number=number, slug=f"cum-{number}", name=name or f"Cụm thi đua số {number}"
    )
    status = status or {}
    cluster_years = {
        y: ClusterYearFactory(cluster=cluster, year=y, status=status.get(y, "published"))
        for y in years
    }
    members = []
    for i in range(units):
        short = (unit_names or {}).get(i, f"Tỉnh {number}-{i}")
        members.append(
            UnitFactory(short_name=short, name=f"Công an {short}", slug=f"tinh-{number}-{i}")
        )
    for y, cy in cluster_years.items():
        for i, unit in enumerate(members):
            MembershipFactory(cluster_year=cy, unit=unit)
            recorded, solved = (crimes or {}).get((i, y), (100, 92))
            UnitReportFactory(
                cluster_year=cy, unit=unit, crimes_recorded=recorded, crimes_solved=solved
            )
    return cluster, cluster_years, members


@pytest.fixture
def hidden_past(db):
    """Cluster 63: 2022 open (reopened for a correction, say), 2023 and 2024 published; unit
    L63 led 2023 and 2024. Its 2022 figures (4.321 crimes, 1.603 solved: 37,1 %) belong to a
    year only leadership, the admin and cluster 63's own people read."""
    cluster, years, (lead, other) = small_cluster(
        63,
        years=(2022, 2023, 2024),
        status={2022: "open"},
        crimes={
            (0, 2022): (4321, 1603),
            (1, 2022): (3000, 2000),
            (0, 2023): (1000, 900),
            (1, 2023): (500, 400),
            (0, 2024): (1200, 1000),
            (1, 2024): (600, 500),
        },
        unit_names={0: "Tỉnh L63", 1: "Tỉnh M63"},
    )
    ClusterYear.objects.filter(pk__in=[years[2023].pk, years[2024].pk]).update(leading_unit=lead)
    bump_generation()
    return cluster


@pytest.fixture
def stranger_secretary(db):
    """The secretariat of a cluster that has nothing to do with cluster 63."""
    return UserFactory(
        username="thuky.cum64", role=Role.SECRETARIAT, cluster=ClusterFactory(number=64)
    )


# 2022 of cluster 63 as it would show: its crimes, L63's clearance rate, the change to 2023
# against it (1000 vs 4321: -76,9 %; the cluster 1500 vs 7321: -79,5 %), L63's rate change
# in points (90,0 - 37,1 = 52,9)
HIDDEN_2022 = ("4.321", "4321", "7.321", "37,1", "76,9", "79,5", "52,9")


# --- visibility ---------------------------------------------------------------------------------


def test_an_open_years_records_reach_no_viewer_who_may_not_read_that_year(
    client, planted, outsider_secretary, officer_hanoi, leader
):
    """Cluster II's open 2024 (PLANTED) through every new page, export and document, for the
    public, another cluster's secretariat and an officer of another cluster's unit; after the
    leader, who reads it, has filled every cache (flag matrix, charts, kept pages)."""
    public = [
        "/",
        "/clusters/cum-2/",
        "/units/lai-chau/",
        "/clusters/cum-2/2023/",
        "/clusters/cum-2/2023/print.pdf",
    ]
    signed_in = [
        "/",
        "/?year=2024",
        "/clusters/cum-2/",
        "/units/lai-chau/",
        "/search/?q=bi+mat",
        "/search/?q=4242",
        "/search/?q=7777",
        "/search/?q=5555",
        "/search/?q=nguoi",
        "/search/?q=ca+nhan",
        "/clusters/cum-2/2023/news/?format=txt",
        "/clusters/cum-2/2023/report.docx",
    ]
    summary = [
        "/awards/",
        "/awards/?year=2024",
        "/awards/?unit=lai-chau",
        "/awards/?cluster=cum-2&year_from=2024&year_to=2024",
        "/awards/?kind=chien-si-thi-dua-co-so",
        "/awards/?format=xlsx",
        "/awards/?year=2024&format=xlsx",
        "/awards/?unit=lai-chau&format=xlsx",
        "/compare/?year=2024",
        "/clusters/cum-2/compare/?from=2023&to=2024",
        "/clusters/cum-2/compare/",
    ]
    client.force_login(leader)
    for address in dict.fromkeys(signed_in + summary):
        assert get_safely(client, address).status_code == 200, address
    assert SECRET in client.get("/awards/", {"year": 2024}).content.decode()  # the probe can tell
    leaks, refused = [], []
    viewers = [
        ("anonymous", None, public),
        ("thuky.cum1", outsider_secretary, signed_in + summary),
        ("canbo.hanoi", officer_hanoi, signed_in),
    ]
    for name, user, addresses in viewers:
        client.logout()
        if user:
            client.force_login(user)
        for address in addresses:
            response = get_safely(client, address)
            if response.status_code != 200:
                refused.append((name, address, response.status_code))
                continue
            found = leaks_in(text_of(response), PLANTED)
            if found:
                leaks.append((name, address, found))
        # the open year's own documents: login for the public, 404 for the others
        for address in (
            "/clusters/cum-2/2024/print.pdf",
            "/clusters/cum-2/2024/report.docx",
            "/clusters/cum-2/2024/news/",
            "/clusters/cum-2/2024/news/?format=txt",
        ):
            status = get_safely(client, address).status_code
            if status != (302 if user is None else 404):
                refused.append((name, address, status))
    assert not leaks, listing(leaks)
    assert not refused, listing(refused)


def test_an_open_years_chair_decision_is_the_cluster_pages_not_searchs(client, planted):
    """The cluster page is public with its chair history (DESIGN §4), the Ministry's decision
    naming an open year's chair among it; search looks only in the years the viewer reads, so
    it does not find that decision for another cluster's secretariat. Kept as decided: the
    stricter of the two is search's."""
    client.force_login(
        UserFactory(username="thuky.cum9", role=Role.SECRETARIAT, cluster=ClusterFactory(number=9))
    )
    assert CHAIR_DECISION not in client.get("/search/", {"q": "7777"}).content.decode()
    client.logout()
    assert CHAIR_DECISION in client.get("/clusters/cum-2/").content.decode()


def test_counts_of_an_open_year_are_not_in_the_glance_summary_or_comparison(
    client, planted, outsider_secretary, leader
):
    """The open 2024 of cluster II is not counted for another cluster's secretariat: no row of
    it on the glance, /awards/ by cluster, the clusters' comparison; the leader has them."""
    client.force_login(outsider_secretary)
    home = client.get("/?year=2024")
    assert all(cy.cluster.slug != "cum-2" for cy in home.context.get("glance") or [])
    summary = client.get("/awards/", {"year": 2024})
    assert [
        r for r in summary.context["by_cluster"] if r["cluster_year"].cluster.slug == "cum-2"
    ] == []
    totals = {t["award_kind__name"]: t for t in summary.context["totals"]}
    assert "Chiến sĩ thi đua cơ sở" not in totals
    compare = client.get("/compare/", {"year": 2024})
    assert compare.context["year"] != 2024 and 2024 not in compare.context["years"]
    client.force_login(leader)
    summary = client.get("/awards/", {"year": 2024})
    assert [r for r in summary.context["by_cluster"] if r["cluster_year"].cluster.slug == "cum-2"]


def test_a_hidden_previous_year_does_not_leak_through_the_leaders_rates(
    client, hidden_past, stranger_secretary, leader
):
    """/awards/, /compare/ and the cluster's comparison show the leading unit's clearance rate
    "the year before" and its change: when that year is one the viewer may not read (cluster
    63's open 2022), neither may show."""
    client.force_login(stranger_secretary)
    leaks = []
    for address in (
        "/awards/?year=2023",
        "/awards/?cluster=cum-63",
        "/awards/?cluster=cum-63&format=xlsx",
        "/compare/?year=2023",
        "/clusters/cum-63/compare/?from=2023&to=2024",
    ):
        response = get_safely(client, address)
        assert response.status_code == 200, (address, response.status_code)
        text = text_of(response)
        found = leaks_in(text, HIDDEN_2022)
        if "xlsx" in address:
            # the rate is a number in the sheet: 37.1 (or 37.09…)
            found += re.findall(r"\b37\.0\d*|\b37\.1\b|\b52\.9\b", text)
        if found:
            leaks.append((address, found))
    assert not leaks, listing(leaks)
    # the leader, who reads 2022, does see it: the probe can tell
    client.force_login(leader)
    assert "37,1" in client.get("/awards/", {"year": 2023}).content.decode()


def test_a_hidden_previous_year_does_not_leak_into_the_years_page_pdf_report_or_news(
    client, hidden_past, stranger_secretary
):
    """The published 2023 of cluster 63 compared against its open 2022 (last year's crimes, the
    change): the public page and PDF, and the report and news of a reader of published years."""
    leaks = []
    for address in (
        "/clusters/cum-63/2023/",
        "/clusters/cum-63/2023/print.pdf",
        "/clusters/cum-63/",
        "/units/tinh-63-0/",
    ):
        response = get_safely(client, address)
        assert response.status_code == 200, (address, response.status_code)
        found = leaks_in(text_of(response), HIDDEN_2022)
        if found:
            leaks.append(("anonymous", address, found))
    client.force_login(stranger_secretary)
    for address in (
        "/clusters/cum-63/2023/report.docx",
        "/clusters/cum-63/2023/news/?format=txt",
    ):
        response = get_safely(client, address)
        assert response.status_code == 200, (address, response.status_code)
        found = leaks_in(text_of(response), HIDDEN_2022)
        if found:
            leaks.append(("thuky.cum64", address, found))
    assert not leaks, listing(leaks)


def test_who_may_open_the_new_pages(client, seeded, people, ministry, other_cluster):
    """Anonymous to login (the published PDF is public), a unit officer 403 on the leadership
    pages, another cluster's officer 404 on an open year's documents, POST 405."""
    expected = {
        None: {
            "/awards/": 302,
            "/compare/": 302,
            "/clusters/cum-2/compare/": 302,
            "/search/?q=son": 302,
            "/clusters/cum-2/2023/print.pdf": 200,
            "/clusters/cum-2/2023/report.docx": 302,
            "/clusters/cum-2/2023/news/": 302,
            "/clusters/cum-2/2024/print.pdf": 302,
        },
        "officer_laichau": {
            "/awards/": 403,
            "/awards/?format=xlsx": 403,
            "/compare/?year=2023": 403,
            "/compare/": 403,
            "/clusters/cum-2/compare/": 403,
            "/search/?q=son": 200,
            "/clusters/cum-2/2024/news/": 200,
            "/clusters/cum-1/2024/news/": 404,
            "/clusters/cum-1/2024/report.docx": 404,
            "/clusters/cum-1/2024/print.pdf": 404,
        },
        "secretary": {
            "/awards/": 200,
            "/compare/": 200,
            "/clusters/cum-2/compare/": 200,
            "/clusters/cum-1/2024/news/": 404,
            "/clusters/cum-1/2024/print.pdf": 404,
            "/clusters/nope/compare/": 404,
            "/clusters/cum-2/1999/news/": 404,
        },
        "ministry": {"/awards/": 200, "/compare/": 200, "/clusters/cum-1/2024/news/": 200},
        "leader": {"/awards/": 200, "/clusters/cum-1/2024/report.docx": 200},
    }
    wrong = []
    for who, addresses in expected.items():
        client.logout()
        if who == "ministry":
            client.force_login(ministry)
        elif who:
            client.force_login(people[who])
        for address, status in addresses.items():
            got = get_safely(client, address).status_code
            if got != status:
                wrong.append((who, address, got, status))
    # the glance is for those who read the summary only
    for who in (None, "officer_laichau"):
        client.logout()
        if who:
            client.force_login(people[who])
        if 'id="force-glance"' in client.get("/").content.decode():
            wrong.append((who, "/ shows the glance", 200, "none"))
    client.force_login(people["leader"])
    for address in (
        "/awards/",
        "/compare/",
        "/clusters/cum-2/compare/",
        "/search/",
        "/clusters/cum-2/2023/print.pdf",
        "/clusters/cum-2/2023/report.docx",
        "/clusters/cum-2/2023/news/",
    ):
        got = client.post(address).status_code
        if got != 405:
            wrong.append(("leader POST", address, got, 405))
    assert not wrong, listing(wrong)


# --- never a 500 ----------------------------------------------------------------------------------

HUGE = "9" * 40
LONG = "x" * 20_000


def test_awards_filters_never_fail_and_say_why_they_were_ignored(client, seeded, leader):
    client.force_login(leader)
    bad = [
        {"year": "abc"},
        {"year": "\x00"},
        {"year": HUGE},
        {"year": "-2023"},
        {"year": "2023.5"},
        {"year": "٢٠٢٣"},
        {"year_from": HUGE},
        {"year_from": "-5", "year_to": "abc"},
        {"year_to": "1e400"},
        {"year_from": "\x00"},
        {"cluster": "\x00"},
        {"cluster": LONG},
        {"cluster": "cum-2'--"},
        {"unit": "\x00lai-chau"},
        {"unit": "lai chau 🚓"},
        {"kind": "\x00"},
        {"kind": LONG},
        {"year": ["2023", "abc"]},
        {"cluster": ["cum-2", "cum-2"], "unit": ["x", "y"]},
    ]
    failures = []
    for params in bad:
        for fmt in ({}, {"format": "xlsx"}):
            response = get_safely(client, "/awards/", data={**params, **fmt})
            if response.status_code != 200:
                failures.append(
                    (params, fmt, response.status_code, getattr(response, "reason", ""))
                )
            elif not fmt and "Bộ lọc không hợp lệ" not in response.content.decode():
                failures.append((params, "no message"))
    for page in ("\x00", "-1", HUGE, "abc", "1e9", LONG):
        response = get_safely(client, "/awards/", data={"page": page})
        if response.status_code != 200:
            failures.append(({"page": page[:20]}, response.status_code))
    for fmt in ("XLSX", "\x00", "csv", LONG, ["xlsx", "html"]):
        response = get_safely(client, "/awards/", data={"format": fmt})
        if response.status_code != 200:
            failures.append(({"format": str(fmt)[:20]}, response.status_code))
    assert not failures, listing(failures)


def test_comparisons_and_glance_never_fail_on_garbage(client, seeded, leader):
    client.force_login(leader)
    values = ["abc", "\x00", HUGE, "-1", "0", "2023.0", "٢٠٢٣", LONG, "2023\x00", "🚓", ""]
    failures = []
    for value in values:
        for address, params in (
            ("/compare/", {"year": value}),
            ("/clusters/cum-2/compare/", {"from": value, "to": "2023"}),
            ("/clusters/cum-2/compare/", {"from": "2023", "to": value}),
            ("/clusters/cum-2/compare/", {"from": value, "to": value}),
            ("/", {"year": value}),
        ):
            response = get_safely(client, address, data=params)
            if response.status_code != 200:
                failures.append((address, value[:20], response.status_code))
    for address in (
        "/clusters/cum-2/compare/?from=2023&from=2018&to=x&to=2023",
        "/compare/?year=2023&year=x",
        "/?year=2023&year=%00",
        "/clusters/cum-2/compare/?from=2023&to=2023",
        "/clusters/cum-2/compare/?from=1&to=99999",
    ):
        response = get_safely(client, address)
        if response.status_code != 200:
            failures.append((address, response.status_code))
    for address in (
        "/clusters/khong-co/compare/",
        "/clusters/" + "a" * 3000 + "/compare/",
        "/clusters/cum99999999999999999999999/",
        "/clusters/cum-" + "l" * 5000 + "/",
        "/clusters/" + "9" * 30 + "/",
    ):
        status = get_safely(client, address).status_code
        if status != 404:
            failures.append((address[:40], status))
    assert not failures, listing(failures)
    # a message, in Vietnamese, for two years that are the same
    html = client.get("/clusters/cum-2/compare/", {"from": 2023, "to": 2023}).content.decode()
    assert "Hãy chọn hai năm khác nhau" in html or "chưa có số liệu" in html


def test_a_huge_or_odd_year_in_the_address_is_404_not_500(client, seeded, leader):
    failures = []
    for user in (None, leader):
        client.logout()
        if user:
            client.force_login(user)
        for year in (HUGE, "99999999999999999999", "0", "00002023x"):
            for tail in ("print.pdf", "report.docx", "news/", "news/?format=docx", ""):
                address = f"/clusters/cum-2/{year}/{tail}"
                status = get_safely(client, address).status_code
                if status not in (302, 404):
                    failures.append((user and user.username, address[:60], status))
    assert not failures, listing(failures)


def test_news_and_report_never_fail_on_odd_formats(client, seeded, leader):
    client.force_login(leader)
    failures = []
    for fmt in ("TXT", "\x00", "pdf", LONG, ["txt", "docx"], "docx\x00", "txt "):
        response = get_safely(client, "/clusters/cum-2/2023/news/", data={"format": fmt})
        if response.status_code != 200:
            failures.append((str(fmt)[:20], response.status_code))
    response = get_safely(client, "/clusters/cum-2/2023/report.docx", data={"x": "\x00" * 50})
    if response.status_code != 200:
        failures.append(("report ?x", response.status_code))
    assert not failures, listing(failures)


def test_search_never_fails_on_hostile_queries(client, planted, leader):
    client.force_login(leader)
    failures = []
    for q in (
        "\x00",
        "\x00\x00vu a di\x00",
        "a" * 100_000,
        "%",
        "%%",
        "_",
        "\\",
        "\\%",
        "'\"; --",
        "a\u0301" * 500,
        "\u202eid\u202c",
        "🚓 vừ",
        "ǅ ß ﬁ İ",
        "\ufeff\u200b",
        ["vu", "a di"],
    ):
        response = get_safely(client, "/search/", data={"q": q})
        if response.status_code != 200:
            failures.append((str(q)[:20], response.status_code, getattr(response, "reason", "")))
    for raw in ("q=%ED%A0%80", "q=%FF%FE%00", "q=%C0%80", "q=" + "%25" * 3000):
        response = get_safely(client, "/search/", QUERY_STRING=raw)
        if response.status_code != 200:
            failures.append((raw[:20], response.status_code))
    assert not failures, listing(failures)


def test_a_name_with_dollar_signs_does_not_break_the_charts(client, db, leader):
    """matplotlib reads "$…$" as mathematics: a unit or cluster named with dollar signs must
    still give its pages (and be drawn as typed), not a 500."""
    _cluster, years, (odd, _other) = small_cluster(
        66,
        years=(2022, 2023),
        unit_names={0: "Tỉnh $$ 66"},
        name="Cụm $\\frac{$ 66",
    )
    Nomination.objects.create(
        cluster_year=years[2023], award_kind=AwardKind.objects.get(code="co-bo-cong-an"), unit=odd
    )
    bump_generation()
    failures = []
    anonymous = ["/clusters/cum-66/2023/", "/clusters/cum-66/", "/units/tinh-66-0/"]
    for address in anonymous:
        response = get_safely(client, address)
        if response.status_code != 200:
            failures.append(("anonymous", address, response.status_code, response.reason))
    client.force_login(leader)
    for address in (
        "/",
        "/compare/?year=2023",
        "/clusters/cum-66/compare/?from=2022&to=2023",
        "/awards/",
        "/awards/?cluster=cum-66",
        "/clusters/cum-66/2023/report.docx",
    ):
        response = get_safely(client, address)
        if response.status_code != 200:
            failures.append(("leader", address, response.status_code, response.reason))
    assert not failures, listing(failures)


# --- fixed number of queries -----------------------------------------------------------------------


def grow_force(start: int, count: int, *, with_awards=True):
    """`count` more clusters with two published years (2022, 2023), four units each, every
    unit reporting, a flag proposed and a commendation each."""
    flag = AwardKind.objects.get(code="co-bo-cong-an")
    kind = AwardKind.objects.get(code="chien-si-thi-dua-co-so")
    for number in range(start, start + count):
        _c, years, units = small_cluster(number, years=(2022, 2023), units=4)
        ClusterYear.objects.filter(pk=years[2023].pk).update(leading_unit=units[0])
        if with_awards:
            for unit in units:
                Nomination.objects.create(cluster_year=years[2023], award_kind=flag, unit=unit)
                CommendationFactory(unit=unit, year=2023, award_kind=kind)
    bump_generation()


def test_the_leadership_pages_cost_the_same_for_a_bigger_force(client, seeded, secretary):
    """Seen by a secretariat (its visibility filtered in the database): the glance, /awards/
    plain and with every filter, the export, the clusters' comparison and search."""
    client.force_login(secretary)
    addresses = [
        "/?year=2023",
        "/awards/",
        "/awards/?year_from=2018&year_to=2023&kind=co-bo-cong-an",
        "/awards/?cluster=cum-2&page=2",
        "/awards/?format=xlsx",
        "/compare/?year=2023",
        "/clusters/cum-2/compare/?from=2018&to=2023",
        "/search/?q=tinh",
    ]
    grow_force(80, 1)
    before = {a: queries(client, a) for a in addresses}
    grow_force(90, 4)
    after = {a: queries(client, a) for a in addresses}
    assert after == before


def test_the_chart_pages_cost_the_same_for_more_years_and_units(client, db, leader):
    """The cluster page and a unit page (each figure over the years) and an open year's page
    (every unit side by side) with 2 years and 3 units, then 6 years and 9 units."""

    def measure(number, years, units):
        small_cluster(number, years=years, units=units, status={years[-1]: "open"})
        bump_generation()
        last = years[-1]
        client.force_login(leader)
        return [
            queries(client, f"/clusters/cum-{number}/"),
            queries(client, f"/units/tinh-{number}-0/"),
            queries(client, f"/clusters/cum-{number}/{last}/"),
            queries(client, f"/clusters/cum-{number}/{last}/news/"),
        ]

    small = measure(70, (2022, 2023), 3)
    big = measure(71, tuple(range(2018, 2024)), 9)
    assert big == small


def test_an_open_years_pdf_costs_the_same_for_more_units(client, db, leader, monkeypatch):
    monkeypatch.setattr("pages.printing.pdf_from_html", lambda html, *sheets: b"%PDF-1.4 probe")
    small_cluster(72, years=(2023, 2024), units=2, status={2024: "open"})
    small_cluster(73, years=(2023, 2024), units=10, status={2024: "open"})
    client.force_login(leader)
    assert queries(client, "/clusters/cum-73/2024/print.pdf") == queries(
        client, "/clusters/cum-72/2024/print.pdf"
    )


# --- the published PDF and the kept pages --------------------------------------------------------


def test_a_published_pdf_is_rendered_once_whatever_the_query_string(client, seeded, monkeypatch):
    renders = []

    def fake(html, *sheets):
        renders.append(len(html))
        return b"%PDF-1.4 probe"

    monkeypatch.setattr("pages.printing.pdf_from_html", fake)
    for address in (
        "/clusters/cum-2/2023/print.pdf",
        "/clusters/cum-2/2023/print.pdf?x=1",
        "/clusters/cum-2/2023/print.pdf?x=2&y=%00",
        "/clusters/cum-2/2023/print.pdf?" + "z" * 2000,
        "/clusters/cum-2/02023/print.pdf",
        "/clusters/cum-2/002023/print.pdf?x=3",
    ):
        response = client.get(address)
        assert response.status_code == 200, address
    client.head("/clusters/cum-2/2023/print.pdf?x=4")
    client.get("/clusters/cum-2/2023/print.pdf?x=5", HTTP_ACCEPT_LANGUAGE="fr")
    client.cookies["django_language"] = "xx-yy"
    client.get("/clusters/cum-2/2023/print.pdf?x=6")
    assert len(renders) == 1, f"rendered {len(renders)} times"


def test_a_query_string_does_not_render_the_public_year_page_again(
    client, seeded, django_assert_num_queries
):
    """The anonymous year page is kept whole; a visitor varying the query string (which the
    page ignores) must not have it rendered, read from the database and kept once more."""
    assert client.get("/clusters/cum-2/2023/").status_code == 200
    with django_assert_num_queries(0):
        client.get("/clusters/cum-2/2023/")
    with django_assert_num_queries(0):
        client.get("/clusters/cum-2/2023/?x=1")


# --- nothing invented; "not reported" marked ------------------------------------------------------


def test_awards_marks_the_units_illustrative_commendation_counts(client, seeded, leader):
    """2023's unit reports are illustrative (the seed gives only the cluster's totals): the
    "as the units reported" counts on /awards/ (table and chart) carry a mark."""
    client.force_login(leader)
    html = client.get("/awards/", {"year": 2023, "cluster": "cum-2"}).content.decode()
    table = re.search(r'id="by-cluster".*?</table>', html, flags=re.S).group(0)
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S) if "2.847" in r)
    assert "data-status" in row or "*" in row, "2.847 / 9.341 shown without a mark"
    chart = chart_table(html, "commendations-collectives")
    assert any("2.847*" in cells for cells in chart), chart


def test_awards_marks_the_leaders_estimated_previous_rate(client, db, leader):
    """The leading unit's rate "the year before" comes from an estimate: marked like the rate
    of the year itself."""
    _c, years, units = small_cluster(
        74, years=(2022, 2023), crimes={(0, 2022): (200, 150), (0, 2023): (200, 180)}
    )
    UnitReport.objects.filter(cluster_year=years[2022], unit=units[0]).update(
        data_status="estimate"
    )
    ClusterYear.objects.filter(pk=years[2023].pk).update(leading_unit=units[0])
    bump_generation()
    client.force_login(leader)
    html = client.get("/awards/", {"year": 2023, "cluster": "cum-74"}).content.decode()
    table = re.search(r'id="by-cluster".*?</table>', html, flags=re.S).group(0)
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S) if "75,0" in r)
    assert 'data-status="estimate"' in row, "75,0 (estimate) shown without a mark"


def test_the_chart_tables_are_the_data_and_unknown_is_a_dash(client, db, leader):
    """Cluster 75: 2020 and 2023 reported, 2021-2022 without any report; a unit that did not
    report 2023. The cluster's and unit's charts say "—" for the years without figures."""
    _c, years, units = small_cluster(
        75, years=(2020, 2023), units=2, crimes={(0, 2020): (10, 5), (1, 2020): (30, 27)}
    )
    UnitReport.objects.filter(cluster_year=years[2023], unit=units[1]).delete()
    bump_generation()
    client.force_login(leader)
    cluster = chart_table(client.get("/clusters/cum-75/").content.decode(), "crimes")
    assert cluster[1:] == [
        ["2020", "40", "32"],
        ["2021", "—", "—"],
        ["2022", "—", "—"],
        ["2023", "100", "92"],
    ]
    unit = chart_table(client.get("/units/tinh-75-1/").content.decode(), "crimes")
    assert unit[1:] == [["2020", "30", "27"]]
    year = chart_table(client.get("/clusters/cum-75/2023/").content.decode(), "crimes")
    assert year[1:] == [
        ["Tỉnh 75-0", "100", "92"]
    ]  # no row of zeros for the unit that did not report


def test_the_clusters_comparison_does_not_invent_a_change_without_a_previous_year(
    client, db, leader
):
    small_cluster(76, years=(2023,), units=2)  # no 2022 at all
    small_cluster(
        77, years=(2022, 2023), units=2, crimes={(0, 2022): (50, 40), (1, 2022): (50, 40)}
    )
    client.force_login(leader)
    response = client.get("/compare/", {"year": 2023})
    rows = {r["cluster_year"].cluster.slug: r for r in response.context["rows"]}
    crimes = rows["cum-76"]["groups"][0][0]
    assert crimes.before is None and crimes.change is None
    assert rows["cum-77"]["groups"][0][0].change is not None
    overall = response.context["tables"][0]["overall"][0]
    # the force's change is over the units of both years only: 200 against 100
    assert overall.basis == (100, 200)


# --- Content-Security-Policy: no inline style or script, nothing from elsewhere ----------------


def test_charts_and_pages_carry_no_inline_style_script_or_external_url(client, planted, leader):
    client.force_login(leader)
    pages = [
        "/",
        "/awards/",
        "/awards/?unit=lai-chau",
        "/clusters/cum-2/",
        "/clusters/cum-2/2023/",
        "/clusters/cum-2/2024/",
        "/units/lai-chau/",
        "/compare/?year=2024",
        "/clusters/cum-2/compare/?from=2023&to=2024",
        "/search/?q=lai+chau",
        "/clusters/cum-2/2023/news/",
    ]
    problems, drawn = [], 0
    for address in pages:
        response = client.get(address)
        assert response.status_code == 200, address
        html = response.content.decode()
        for svg in svgs_of(html):
            drawn += 1
            for pattern in (
                r"\sstyle\s*=",
                r"<style",
                r"<script",
                r"\son[a-z]+\s*=",
                r"<foreignObject",
                r"javascript:",
                r"@import",
            ):
                if re.search(pattern, svg, flags=re.I):
                    problems.append((address, "svg", pattern))
            external = [
                u for u in re.findall(r"https?://[^\s\"')<]+", svg) if "www.w3.org" not in u
            ]
            if external:
                problems.append((address, "svg url", external[:3]))
        # the page: no style attribute, no inline script, no asset from elsewhere
        if re.search(r"<[a-z][^>]*\sstyle\s*=", html, flags=re.I):
            problems.append(
                (
                    address,
                    "style attribute",
                    re.search(r"<[a-z][^>]*\sstyle\s*=[^>]*", html, flags=re.I).group(0)[:100],
                )
            )
        for script in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S | re.I):
            if "src=" not in script[0] and script[1].strip() and "json" not in script[0]:
                problems.append((address, "inline script", script[1][:80]))
        for url in re.findall(r'(?:src|href)="(https?:)?//([^"/]+)', html):
            if url[1] not in ("testserver",):
                problems.append((address, "external asset", url[1]))
        csp = response.get("Content-Security-Policy", "")
        if "unsafe-inline" in csp or not csp:
            problems.append((address, "csp", csp[:80]))
    assert drawn >= 15, drawn
    assert not problems, listing(problems)


# --- formulas in the export ---------------------------------------------------------------------

DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n")


def test_every_text_cell_of_the_summary_export_is_neutralised(client, seeded, leader):
    unit = UnitFactory(
        short_name='+HYPERLINK("http://x")', name='=HYPERLINK("http://x","y")', slug="cong-thuc"
    )
    cluster = ClusterFactory(number=78, slug="cum-78", name="-2+3 Cụm")
    cy = ClusterYearFactory(cluster=cluster, year=2023, status="published", leading_unit=unit)
    MembershipFactory(cluster_year=cy, unit=unit)
    UnitReportFactory(cluster_year=cy, unit=unit)
    Nomination.objects.create(
        cluster_year=cy, award_kind=AwardKind.objects.get(code="co-bo-cong-an"), unit=unit
    )
    CommendationFactory(
        unit=unit,
        year=2023,
        person_name="@SUM(1+1)",
        person_rank="\tĐại úy",
        person_position="\r=cmd|' /C calc'!A0",
        decision_number="=1+2",
        decision_issuer="-1+1",
    )
    bump_generation()
    client.force_login(leader)
    unsafe = []
    for params in ({"format": "xlsx"}, {"format": "xlsx", "unit": "cong-thuc"}):
        response = client.get("/awards/", params)
        workbook = openpyxl.load_workbook(io.BytesIO(body(response)))
        for sheet in workbook:
            for row in sheet.iter_rows():
                for cell in row:
                    value = cell.value
                    if cell.data_type == "f" or (
                        isinstance(value, str)
                        and value.startswith(DANGEROUS)
                        and not cell.quotePrefix
                    ):
                        unsafe.append((sheet.title, cell.coordinate, value))
        names = {str(c.value) for s in workbook for r in s.iter_rows() for c in r}
        assert any("HYPERLINK" in n for n in names)  # the rows are there
    assert not unsafe, listing(unsafe)


def test_markup_in_names_stays_text_in_charts_and_tables(client, db, leader):
    """A unit and a cluster named with markup: drawn and tabled as text on the public year
    page, the cluster's page, /awards/ and the clusters' comparison."""
    _c, years, (odd, _other) = small_cluster(
        79,
        years=(2022, 2023),
        unit_names={0: '<img src=x onerror="alert(1)">'},
        name='Cụm "><script>alert(2)</script> 79',
    )
    Nomination.objects.create(
        cluster_year=years[2023], award_kind=AwardKind.objects.get(code="co-bo-cong-an"), unit=odd
    )
    bump_generation()
    found = []
    pages = [(None, "/clusters/cum-79/2023/"), (None, "/clusters/cum-79/")]
    pages += [(leader, a) for a in ("/awards/", "/awards/?cluster=cum-79", "/compare/?year=2023")]
    for user, address in pages:
        client.logout()
        if user:
            client.force_login(user)
        html = client.get(address).content.decode()
        for raw in (r"<img src=x", r"<script>alert\(2\)", r"<[a-z][^<>]*onerror="):
            if re.search(raw, html):
                found.append((address, raw))
    assert not found, listing(found)


def test_the_forces_total_without_a_previous_year_is_unknown_not_zero(client, db, leader):
    """No cluster has figures for 2022: the force's 2022 total is unknown ("—"), not 0, and
    there is no change to show."""
    small_cluster(81, years=(2023,), units=2)
    small_cluster(82, years=(2023,), units=3)
    client.force_login(leader)
    response = client.get("/compare/", {"year": 2023})
    crimes = response.context["tables"][0]["overall"][0]
    assert crimes.before is None, f"2022 shown as {crimes.before!r}"
    assert crimes.change is None
    html = response.content.decode()
    row = re.search(r'<tr class="[^"]*compared-total.*?</tr>', html, flags=re.S).group(0)
    cells = [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
    ]
    assert cells[:2] == ["—", "500"], cells


def test_control_characters_in_the_years_texts_do_not_break_its_documents(
    client, seeded, leader, monkeypatch
):
    """Text pasted from Word with control characters (vertical tab, form feed, NUL's cousins)
    in the conference, a unit's notes and a commendation: every document of the year answers."""
    from reports.models import Conference

    odd = "Dòng\x0bmột\x0chai\x01ba\x1f\u2028bốn\ufffe"
    Conference.objects.filter(cluster_year=seeded.years[2023]).update(
        guests=odd, directions=odd, highlights=odd, place=odd
    )
    UnitReport.objects.filter(cluster_year=seeded.years[2023]).update(notes=odd)
    CommendationFactory(
        unit=seeded.units["son-la"], year=2023, person_name=odd, decision_issuer=odd
    )
    Nomination.objects.create(
        cluster_year=seeded.years[2023],
        award_kind=AwardKind.objects.get(code="bang-khen-bo-truong"),
        unit=seeded.units["son-la"],
        person_name=odd,
    )
    bump_generation()
    client.force_login(leader)
    failures = []
    for address in (
        "/clusters/cum-2/2023/",
        "/clusters/cum-2/2023/report.docx",
        "/clusters/cum-2/2023/news/",
        "/clusters/cum-2/2023/news/?format=txt",
        "/clusters/cum-2/2023/news/?format=docx",
        "/clusters/cum-2/2023/print.pdf",
        "/awards/?year=2023&format=xlsx",
        "/search/?q=dong",
    ):
        response = get_safely(client, address)
        if response.status_code != 200:
            failures.append((address, response.status_code, getattr(response, "reason", "")))
        else:
            body(response)
    assert not failures, listing(failures)
