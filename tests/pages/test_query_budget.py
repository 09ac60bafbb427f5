"""Every page of a year costs a fixed number of queries, the same with a few records as with many
(issue 13): the edit page, the history and the workbook, measured as the secretariat of the year's
cluster on an open year with eight member units that all reported, nominations, a fund with a
contribution from each unit and a house; then again with four times as much."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards import services as award_services
from awards.models import AwardKind
from clusters import services as cluster_services
from clusters.bundle import YearBundle
from clusters.checklist import items_for
from tests.factories import UnitFactory, UnitReportFactory
from welfare import services as welfare_services
from welfare.models import Beneficiary, Support
from workbook.exporter import SECTIONS, row_count

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 4, 15)
EDIT = "/clusters/cum-2/2024/edit/"
HISTORY = "/clusters/cum-2/2024/history/"
EXPORT = "/clusters/cum-2/2024/export.xlsx"

# session and user; the year and its neighbours, with this year's and the next one's rosters
# (2); conferences; the flag's quota, nominations (2); reports of this year and last; funds,
# contributions, supports (3); publish events, roster changes, sources (3). The award kinds and
# their rules, the warning rules and every unit are kept between requests (core.cache.kept):
# read once after any write, not by a page visited again
EDIT_QUERIES = 14
# session and user; the year; nine kinds of history record; the names of units and award kinds
HISTORY_QUERIES = 14
# session and user; the year; one query a sheet (14, less the clusters and the people helped,
# written from the years' and the supports' rows) and the sources' names. The count of every
# sheet's rows, one query, is kept until the next write (core.cache.kept)
EXPORT_QUERIES = 16
# session and user; the year; the year's recent exports (the count is kept until a write)
EXPORT_IN_BACKGROUND_QUERIES = 4


def grow(seeded, secretary, admin_user, times: int):
    """`times` more member units, a report from every member, four nominations and a fund with
    a contribution from each of eight members and a house."""
    year = seeded.years[2024]
    for _ in range(times):
        cluster_services.membership_change(
            cluster_year=year,
            unit=UnitFactory(),
            action="add",
            by=secretary,
            decision_number="12/QĐ-BCA",
            decision_date=DAY,
        )
    units = [m.unit for m in year.memberships.select_related("unit")]
    reported = set(year.unit_reports.values_list("unit_id", flat=True))
    for unit in units:
        if unit.pk not in reported:
            UnitReportFactory(cluster_year=year, unit=unit)
    kind = AwardKind.objects.get(code="bang-khen-bo-truong")
    for i, unit in enumerate(units[:4]):
        award_services.nomination_propose(
            cluster_year=year,
            award_kind=kind,
            unit=unit,
            person_name=f"Cán bộ {len(units)}-{i}",
            by=admin_user,
        )
    fund = welfare_services.fund_open(cluster_year=year, title=f"Quỹ {len(units)}", by=secretary)
    for unit in units[:8]:
        welfare_services.contribution_add(
            fund=fund, unit=unit, amount=1_000_000, given_on=DAY, by=secretary
        )
    officer = Beneficiary.objects.create(full_name=f"Cán bộ nhà {len(units)}", unit=units[0])
    welfare_services.support_save(
        support=Support(fund=fund, beneficiary=officer, kind=Support.Kind.HOUSE, amount=5_000_000),
        by=secretary,
    )
    return year


def queries(client, url, *, again=True) -> int:
    """The queries of one visit, the page's body included; `again`: of a visit after a first
    one, which read again what the last write made stale in the cache (core.cache.kept)."""
    if again:
        visit(client, url)
    return visit(client, url)


def visit(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(captured)


@pytest.fixture
def busy_year(client, seeded, secretary, admin_user):
    year = grow(seeded, secretary, admin_user, 1)
    assert len(year.memberships.all()) == 8
    client.force_login(secretary)
    for url in (EDIT, HISTORY, EXPORT):
        client.get(url)  # the first visit also writes the session
    return year


def test_the_edit_page_reads_each_kind_of_record_once(
    client, busy_year, seeded, secretary, admin_user
):
    assert queries(client, EDIT) == EDIT_QUERIES
    grow(seeded, secretary, admin_user, 4)
    # the first visit after a write reads the kept reference rows again: kinds, their rules,
    # the warning rules, every unit
    assert queries(client, EDIT, again=False) == EDIT_QUERIES + 4
    assert queries(client, EDIT) == EDIT_QUERIES
    response = client.get(EDIT)
    context = response.context
    assert len(context["report_rows"]) == 12
    assert len(context["nominations"]) == 8
    assert len(context["welfare_contributions"]) == 16
    assert len(context["welfare_supports"]) == 2
    assert context["checklist_count"] == len(items_for(busy_year)) >= 8 + 2 + 2


def test_the_edit_page_with_a_correction_open_costs_the_same(client, busy_year):
    nomination = busy_year.nominations.first()
    gift = busy_year.funds.get().contributions.first()
    house = Support.objects.get(fund__cluster_year=busy_year)
    for query in (f"?edit={nomination.pk}", f"?contribution={gift.pk}", f"?support={house.pk}"):
        assert queries(client, EDIT + query) == EDIT_QUERIES, query
    html = client.get(EDIT, {"contribution": gift.pk}).content.decode()
    assert f'name="gift-id" value="{gift.pk}"' in html


def test_the_checklist_through_the_pages_bundle_is_the_one_the_service_reads(busy_year):
    bundle = YearBundle(busy_year)
    assert items_for(busy_year, bundle) == items_for(busy_year)
    with CaptureQueriesContext(connection) as again:
        items_for(busy_year, bundle)
    assert len(again) == 0


def test_the_history_costs_the_same_whatever_the_changes(
    client, busy_year, seeded, secretary, admin_user
):
    assert queries(client, HISTORY) == HISTORY_QUERIES
    grow(seeded, secretary, admin_user, 4)
    assert queries(client, HISTORY) == HISTORY_QUERIES
    html = client.get(HISTORY, {"section": "supports"}).content.decode()
    assert "Quỹ 8" in html and "Cán bộ nhà 8" in html  # names come with the records


def test_the_workbook_costs_the_same_whatever_the_rows(
    client, busy_year, seeded, secretary, admin_user, settings
):
    assert queries(client, EXPORT) == EXPORT_QUERIES
    grow(seeded, secretary, admin_user, 4)
    assert queries(client, EXPORT) == EXPORT_QUERIES
    settings.WORKBOOK_BACKGROUND_ROWS = 10
    assert queries(client, EXPORT) == EXPORT_IN_BACKGROUND_QUERIES


def test_the_rows_are_counted_in_one_query_as_each_sheet_would_count_them(busy_year):
    years = type(busy_year).objects.filter(year=2024, cluster=busy_year.cluster)
    units = type(busy_year.memberships.first().unit).objects.filter(
        memberships__cluster_year__in=years
    )
    one_by_one = sum(section.rows(years, units, 2024).count() for section in SECTIONS)
    with CaptureQueriesContext(connection) as counted:
        assert row_count(2024, busy_year.cluster) == one_by_one > 40
    assert len(counted) == 1
    assert row_count(1990) == 0
