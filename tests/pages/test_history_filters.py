"""The year's history page: filters by section, by who made the change and by dates (dd/mm/yyyy),
50 changes a page with a Vietnamese pager that keeps the filters; bad filters get a Vietnamese
message (never a 500); the page costs the same number of queries however long the history."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports import services
from reports.models import UnitReport
from tests.reports.test_unit_report_form import GOOD, post

pytestmark = pytest.mark.django_db

URL = "/clusters/cum-2/2024/history/"


def rows(html: str) -> list[str]:
    body = html.split('<tbody id="history-entries">', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr\b.*?</tr>", body, flags=re.S)


def edit_report(user, times: int, start: int = 400):
    report = UnitReport.objects.get(unit__slug="lai-chau", cluster_year__year=2024)
    for n in range(times):
        report.refresh_from_db()
        report.drug_cases = start + n + 1
        report._history_user = user  # as the middleware says it on a request
        services.unit_report_save(report=report, by=user)
    return report


@pytest.fixture
def history(client, seeded, officer_laichau, secretary):
    post(client, officer_laichau, GOOD)  # Lai Châu's 2024 report: added, drug cases 400
    edit_report(officer_laichau, 3)  # 401, 402, 403 by the officer
    edit_report(secretary, 2, start=500)  # 501, 502 by the secretariat
    client.force_login(secretary)
    return client


def test_the_page_lists_every_section_with_the_filters_form(history):
    page = history.get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert {"section", "user", "date_from", "date_to"} <= set(page.context["form"].fields)
    kinds = {entry.kind for entry in page.context["page"].object_list}
    assert len(kinds) >= 2  # the roster's and the year's records too, not only the reports
    assert 'placeholder="dd/mm/yyyy"' in html


def test_filter_by_section(history):
    page = history.get(URL, {"section": "reports"})
    entries = page.context["page"].object_list
    assert {e.section for e in entries} == {"reports"}
    assert {str(e.kind) for e in entries} == {str(UnitReport._meta.verbose_name)}
    assert len(entries) == 6  # added, then 5 changes
    roster = history.get(URL, {"section": "roster"}).context["page"].object_list
    assert roster and all(e.section == "roster" for e in roster)


def test_filter_by_user(history, officer_laichau, secretary):
    page = history.get(URL, {"section": "reports", "user": officer_laichau.pk})
    entries = page.context["page"].object_list
    assert len(entries) == 4 and {e.user_id for e in entries} == {officer_laichau.pk}
    choices = dict(page.context["form"].fields["user"].choices)
    assert officer_laichau.pk in choices and secretary.pk in choices
    theirs = history.get(URL, {"section": "reports", "user": secretary.pk}).context["page"]
    assert [c[1:] for e in theirs.object_list for c in e.changes] == [(501, 502), (403, 501)]


def test_filter_by_dates_keeps_the_values_before(history):
    report = UnitReport.objects.get(unit__slug="lai-chau", cluster_year__year=2024)
    records = list(report.history.order_by("history_date", "history_id"))
    tz = timezone.get_current_timezone()
    for record, day in zip(records, [1, 2, 5, 5, 20, 21], strict=True):
        # early morning here, still the day before in UTC: the filter reads local dates
        when = datetime.datetime(2024, 3, day, 6, 30, tzinfo=tz)
        type(record).objects.filter(pk=record.pk).update(history_date=when)
    page = history.get(
        URL, {"section": "reports", "date_from": "02/03/2024", "date_to": "05/03/2024"}
    )
    entries = page.context["page"].object_list
    assert [c[1:] for e in entries for c in e.changes] == [(402, 403), (401, 402), (400, 401)]
    assert page.context["form"]["date_from"].value() == "02/03/2024"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "31/02/2024"}, "ngày/tháng/năm"),
        ({"date_from": "2024-13-45"}, "ngày/tháng/năm"),
        ({"date_to": "hôm qua"}, "ngày/tháng/năm"),
        ({"date_from": "10/03/2024", "date_to": "01/03/2024"}, "Từ ngày phải trước"),
        ({"section": "passwords"}, "Hãy chọn"),
        ({"user": "abc"}, "Hãy chọn"),
        ({"user": "999999"}, "Hãy chọn"),
    ],
)
def test_bad_filters_get_a_vietnamese_message(history, query, message):
    page = history.get(URL, query)
    assert page.status_code == 200
    html = page.content.decode()
    assert message in html, html[:3000]
    assert page.context["form"].errors


def test_a_bad_page_number_is_not_an_error(history):
    for value in ("abc", "0", "-1", "99999", "1.5"):
        assert history.get(URL, {"page": value}).status_code == 200


def test_fifty_a_page_with_a_pager_that_keeps_the_filters(history, officer_laichau):
    edit_report(officer_laichau, 116, start=1000)  # 4 + 116 = 120 of the officer's
    query = {"section": "reports", "user": officer_laichau.pk}
    first = history.get(URL, query)
    html = first.content.decode()
    assert len(rows(html)) == 50
    assert "Trang 1/3" in html
    links = re.findall(r'href="(\?[^"]*page=\d+[^"]*)"', html)
    assert links and all(
        "section=reports" in link and f"user={officer_laichau.pk}" in link for link in links
    )
    last = history.get(URL, {**query, "page": "3"}).content.decode()
    assert len(rows(last)) == 20 and "Trang 3/3" in last
    assert "Trước" in last and "Sau" not in last.split('id="history-pager"', 1)[1]


def _queries(client, query):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, query).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_whatever_the_number_of_changes(
    history, officer_laichau, django_assert_num_queries
):
    query = {"user": officer_laichau.pk, "date_from": "01/01/2000", "page": "1"}
    few = _queries(history, query)
    edit_report(officer_laichau, 80, start=2000)
    assert _queries(history, query) == few
    assert _queries(history, {**query, "page": "2"}) == few
    # session, user, the year, nine kinds of record, the names of units and award kinds
    with django_assert_num_queries(14):
        history.get(URL)
    with django_assert_num_queries(6):  # one kind of record only
        history.get(URL, {"section": "reports"})
