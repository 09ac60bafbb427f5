"""What an open year holds stays with those who may see it (issue 11, holes 2 and 3): every
public page, walked by an anonymous visitor with an open year full of data, shows none of it;
/awards/ shows a secretariat its own cluster's open years and everyone's published years."""

import datetime
import io

import openpyxl
import pytest
import rules
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Role
from awards import services as award_services
from awards.models import AwardKind, Commendation
from clusters.models import ClusterYear, Unit
from clusters.selectors import visible_years
from reports import services as report_services
from reports.models import COUNT_FIELDS, UnitReport
from tests.factories import UserFactory
from welfare import services as welfare_services
from welfare.models import Beneficiary, Support

pytestmark = pytest.mark.django_db
SECRET = "bí mật"
DAY = datetime.date(2024, 6, 1)


@pytest.fixture
def open_year_full_of_data(seeded, admin_user):
    """2024 (open) with a fund, a contribution, a house, a nomination with an override, a
    commendation and a report, each carrying the word "bí mật"."""
    year = seeded.years[2024]
    lai_chau = seeded.units["lai-chau"]
    fund = welfare_services.fund_open(
        cluster_year=year, title=f"Quỹ {SECRET} 2024", by=admin_user, target=500_000_000
    )
    welfare_services.contribution_add(
        fund=fund, amount=777_777_777, given_on=DAY, by=admin_user, unit=lai_chau
    )
    beneficiary = welfare_services.beneficiary_save(
        beneficiary=Beneficiary(full_name=f"Người {SECRET}", unit=lai_chau),
        by=admin_user,
        cluster_year=year,
    )
    welfare_services.support_save(
        support=Support(fund=fund, beneficiary=beneficiary, amount=100_000_000), by=admin_user
    )
    award_services.nomination_propose(
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
            award_kind=AwardKind.objects.get(code="co-bo-cong-an"),
            year=2024,
            unit=lai_chau,
            person_name=f"Cá nhân {SECRET}",
            decision_number="1/QĐ",
            decision_date=DAY,
        ),
        by=admin_user,
    )
    report_services.unit_report_save(
        report=UnitReport(
            cluster_year=year,
            unit=lai_chau,
            **dict.fromkeys(COUNT_FIELDS, 3),
            notes=f"Ghi chú {SECRET}",
        ),
        by=admin_user,
    )
    return seeded


def public_addresses():
    """Every address of the URLconf without arguments, and each with its slugs and years."""
    slugs = {
        "slug": [
            *Unit.objects.values_list("slug", flat=True),
            *ClusterYear.objects.values_list("cluster__slug", flat=True).distinct(),
        ]
    }
    years = list(ClusterYear.objects.values_list("year", flat=True).distinct())
    found = []

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern, route)
            elif isinstance(pattern, URLPattern):
                found.append(route)

    walk(get_resolver())
    addresses = set()
    for route in found:
        if route.startswith(("admin/", "^admin", "i18n/")) or "<path:" in route or "(?P" in route:
            continue
        candidates = [route]
        if "<slug:slug>" in route:
            candidates = [c.replace("<slug:slug>", s) for c in candidates for s in slugs["slug"]]
        if "<int:year>" in route:
            candidates = [c.replace("<int:year>", str(y)) for c in candidates for y in years]
        addresses.update("/" + c for c in candidates if "<" not in c)
    return sorted(addresses)


def test_an_anonymous_visitor_finds_nothing_of_an_open_year(client, open_year_full_of_data):
    addresses = public_addresses()
    assert len(addresses) > 50  # every unit, cluster and year
    leaks = []
    for address in addresses:
        response = client.get(address, follow=True)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        text = response.content.decode().casefold()
        for mark in (SECRET, "777.777.777", "777777777"):
            if mark in text:
                leaks.append((address, mark))
    assert not leaks


def test_the_unit_page_shows_an_open_years_money_only_to_those_who_may_see_it(
    client, open_year_full_of_data, officer_laichau, officer_sonla
):
    assert SECRET not in client.get("/units/lai-chau/").content.decode()
    client.force_login(officer_laichau)  # a member unit that year reads its year
    assert f"Quỹ {SECRET} 2024" in client.get("/units/lai-chau/").content.decode()


def test_awards_shows_another_clusters_open_year_to_nobody_but_its_own(
    client, open_year_full_of_data, secretary, other_cluster, leader
):
    other_secretary = UserFactory(
        username="thuky.cum1", role=Role.SECRETARIAT, cluster=other_cluster.cluster
    )
    client.force_login(other_secretary)
    page = client.get("/awards/").content.decode()
    assert SECRET not in page
    assert "Cờ thi đua của Chính phủ" in page  # the published years are everyone's
    download = client.get("/awards/?format=xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    cells = [str(c) for ws in workbook for row in ws.iter_rows(values_only=True) for c in row]
    assert not [c for c in cells if SECRET in c]
    for user in (secretary, leader):
        client.force_login(user)
        assert f"Cá nhân {SECRET}" in client.get("/awards/?year=2024").content.decode()


def test_visible_years_say_what_the_rule_says(seeded, people, other_cluster):
    users = [*people.values(), UserFactory(username="khach", role=Role.LEADERSHIP, is_active=False)]
    from django.contrib.auth.models import AnonymousUser

    users.append(AnonymousUser())
    for user in users:
        by_rule = {
            cy.pk
            for cy in ClusterYear.objects.all()
            if rules.has_perm("clusters.view_clusteryear", user, cy)
        }
        assert set(visible_years(user).values_list("pk", flat=True)) == by_rule, user
