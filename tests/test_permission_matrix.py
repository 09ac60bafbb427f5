"""Every address × every role, GET and POST: the exact answer (DESIGN.md §4).

A new address must get its rows here: test_every_url_pattern_is_in_the_matrix fails otherwise.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "admin",
    "leader",
    "secretary",
    "officer_laichau",
    "officer_sonla",
    "other_secretary",
    "other_officer",
]
LOGIN = "login"
SECTIONS = [
    ("reports:conference_save", "conference/"),
    ("clusters:year_publish", "publish/"),
    ("awards:leader", "leader/"),
    ("awards:nominate", "nominate/"),
    ("awards:submit", "submit/"),
    ("awards:decide", "decide/"),
    ("welfare:fund_open", "fund-open/"),
    ("welfare:fund_close", "fund-close/"),
    ("welfare:contribution", "contribution/"),
    ("welfare:support", "support/"),
    ("welfare:milestone", "milestone/"),
]
ADMIN_LOGIN = "admin-login"


def everyone(status):
    return dict.fromkeys(ROLES, status)


def admin_only():
    return {**dict.fromkeys(ROLES, ADMIN_LOGIN), "admin": 200}


def answers(anonymous, admin, leader, secretary, laichau, sonla, other_secretary, other_officer):
    return dict(
        zip(
            ROLES,
            (anonymous, admin, leader, secretary, laichau, sonla, other_secretary, other_officer),
            strict=True,
        )
    )


# (url pattern name, address, {role: GET answer}, {role: POST answer})
MATRIX = [
    ("home", "/", everyone(200), everyone(405)),
    ("clusters:cluster_detail", "/clusters/cum-2/", everyone(200), everyone(405)),
    ("pages:unit_detail", "/units/lai-chau/", everyone(200), everyone(405)),
    ("pages:unit_detail", "/units/ha-giang/", everyone(200), everyone(405)),
    ("healthz", "/healthz", everyone(200), everyone(405)),
    # the year page: public once published; members and staff before
    ("pages:year_detail", "/clusters/cum-2/2023/", everyone(200), everyone(405)),
    (
        "pages:year_detail",
        "/clusters/cum-2/2024/",
        answers(LOGIN, 200, 200, 200, 200, 200, 404, 404),
        everyone(405),
    ),
    # the secretariat's page: its own cluster's open year; admin always
    (
        "pages:year_edit",
        "/clusters/cum-2/2024/edit/",
        answers(LOGIN, 200, 403, 200, 403, 403, 404, 404),
        everyone(405),  # every form on it posts to its own section's address
    ),
    (
        "pages:year_edit",
        "/clusters/cum-2/2023/edit/",
        answers(LOGIN, 200, 403, 403, 403, 403, 404, 404),
        everyone(405),
    ),
    # the sections of the edit page: POST only; a refused form goes back to the page (302)
    *[
        (
            name,
            f"/clusters/cum-2/{year}/edit/{path}",
            everyone(405),
            answers(LOGIN, 302, 403, 302 if year == 2024 else 403, 403, 403, 404, 404),
        )
        for year in (2024, 2023)
        for name, path in SECTIONS
    ],
    (
        "clusters:year_reopen",
        "/clusters/cum-2/2024/edit/reopen/",
        everyone(405),
        answers(LOGIN, 302, 403, 403, 403, 403, 404, 404),  # open already: nothing changes
    ),
    # a unit's report: its officers, its cluster's secretariat, admin; leadership reads
    (
        "reports:unit_report",
        "/units/lai-chau/2024/report/",
        answers(LOGIN, 200, 200, 200, 200, 404, 404, 404),
        answers(LOGIN, 200, 403, 200, 200, 404, 404, 404),  # an empty POST shows its errors
    ),
    (
        "reports:unit_report",
        "/units/lai-chau/2023/report/",
        answers(LOGIN, 200, 200, 200, 200, 404, 404, 404),
        answers(LOGIN, 403, 403, 403, 403, 404, 404, 404),  # published: nobody writes
    ),
    (
        "login",
        "/accounts/login/",
        everyone(200),
        everyone(200),  # an empty POST shows the form again with its errors
    ),
    ("logout", "/accounts/logout/", everyone(405), everyone(302)),
    ("set_language", "/i18n/setlang/", everyone(302), everyone(302)),
    # the awards summary: leadership, every secretariat, admin; officers may not
    (
        "pages:awards_summary",
        "/awards/",
        answers(LOGIN, 200, 200, 200, 403, 403, 200, 403),
        everyone(405),
    ),
    (
        "pages:awards_summary",
        "/awards/?year=2018&cluster=cum-2&format=xlsx",
        answers(LOGIN, 200, 200, 200, 403, 403, 200, 403),
        everyone(405),
    ),
    # spreadsheets: the upload for an open year (officers for their own report rows, checked per
    # row); the export for leadership, the admin and the cluster's secretariat; the template
    (
        "workbook_import",
        "/clusters/cum-2/2024/import/",
        answers(LOGIN, 200, 403, 200, 200, 200, 404, 404),
        answers(LOGIN, 200, 403, 200, 200, 200, 404, 404),  # an empty POST shows its errors
    ),
    (
        "workbook_import",
        "/clusters/cum-2/2023/import/",
        answers(LOGIN, 403, 403, 403, 403, 403, 404, 404),  # published: reopen first
        answers(LOGIN, 403, 403, 403, 403, 403, 404, 404),
    ),
    (
        "workbook_export",
        "/clusters/cum-2/2024/export.xlsx",
        answers(LOGIN, 200, 200, 200, 403, 403, 404, 404),
        everyone(405),
    ),
    (
        "workbook_export",
        "/clusters/cum-2/2023/export.xlsx",
        answers(LOGIN, 200, 200, 200, 403, 403, 404, 404),
        everyone(405),
    ),
    (
        "workbook_template",
        "/workbook/template.xlsx",
        answers(LOGIN, 200, 200, 200, 200, 200, 200, 200),
        everyone(405),
    ),
    ("admin_workbook", "/admin/workbook/", admin_only(), admin_only()),
    # a year's history of changes: those who oversee it
    (
        "pages:year_history",
        "/clusters/cum-2/2024/history/",
        answers(LOGIN, 200, 200, 200, 403, 403, 404, 404),
        everyone(405),
    ),
    (
        "pages:year_history",
        "/clusters/cum-2/2023/history/",
        answers(LOGIN, 200, 200, 200, 403, 403, 404, 404),
        everyone(405),
    ),
    ("admin_workbook", "/admin/workbook/?year=2023", admin_only(), admin_only()),
    ("admin:index", "/admin/", admin_only(), admin_only()),
    ("admin:clusters_unit_changelist", "/admin/clusters/unit/", admin_only(), admin_only()),
    ("admin:clusters_cluster_changelist", "/admin/clusters/cluster/", admin_only(), admin_only()),
    (
        "admin:clusters_clusteryear_changelist",
        "/admin/clusters/clusteryear/",
        admin_only(),
        admin_only(),
    ),
    (
        "admin:clusters_membership_changelist",
        "/admin/clusters/membership/",
        admin_only(),
        admin_only(),
    ),
    ("admin:accounts_user_changelist", "/admin/accounts/user/", admin_only(), admin_only()),
    (
        "admin:reports_unitreport_changelist",
        "/admin/reports/unitreport/",
        admin_only(),
        admin_only(),
    ),
    (
        "admin:reports_conference_changelist",
        "/admin/reports/conference/",
        admin_only(),
        admin_only(),
    ),
    ("admin:awards_awardkind_changelist", "/admin/awards/awardkind/", admin_only(), admin_only()),
    ("admin:awards_nomination_changelist", "/admin/awards/nomination/", admin_only(), admin_only()),
    (
        "admin:awards_commendation_changelist",
        "/admin/awards/commendation/",
        admin_only(),
        admin_only(),
    ),
    ("admin:welfare_fund_changelist", "/admin/welfare/fund/", admin_only(), admin_only()),
    ("admin:welfare_support_changelist", "/admin/welfare/support/", admin_only(), admin_only()),
    *[
        (f"admin:{app}_{model}_changelist", f"/admin/{app}/{model}/", admin_only(), admin_only())
        for app, model in [
            ("auth", "group"),
            ("awards", "awardquota"),
            ("welfare", "contribution"),
            ("welfare", "beneficiary"),
            ("axes", "accessattempt"),
            ("axes", "accessfailurelog"),
            ("axes", "accesslog"),
        ]
    ],
    # change forms and histories with real ids ({...} is filled in by the ids fixture); an empty
    # POST to a change form shows its errors and changes nothing
    *[
        (f"admin:{name}", address, admin_only(), admin_only())
        for name, address in [
            ("clusters_unit_change", "/admin/clusters/unit/{unit}/change/"),
            ("clusters_cluster_change", "/admin/clusters/cluster/{cluster}/change/"),
            ("clusters_clusteryear_change", "/admin/clusters/clusteryear/{year_open}/change/"),
            ("clusters_clusteryear_change", "/admin/clusters/clusteryear/{year_published}/change/"),
            ("reports_unitreport_history", "/admin/reports/unitreport/{report}/history/"),
            ("accounts_user_change", "/admin/accounts/user/{user}/change/"),
            ("accounts_user_password_change", "/admin/accounts/user/{user}/password/"),
            ("awards_awardkind_change", "/admin/awards/awardkind/{award_kind}/change/"),
        ]
    ],
    # objects of a published year: frozen for the admin too until the year is reopened
    *[
        (f"admin:{name}", address, admin_only(), {**admin_only(), "admin": 403})
        for name, address in [
            ("reports_unitreport_change", "/admin/reports/unitreport/{report}/change/"),
            ("awards_nomination_change", "/admin/awards/nomination/{nomination}/change/"),
            ("welfare_beneficiary_change", "/admin/welfare/beneficiary/{beneficiary}/change/"),
            ("reports_conference_change", "/admin/reports/conference/{conference}/change/"),
            ("welfare_fund_change", "/admin/welfare/fund/{fund}/change/"),
            ("welfare_support_change", "/admin/welfare/support/{support}/change/"),
            ("welfare_contribution_change", "/admin/welfare/contribution/{contribution}/change/"),
            # a roster is changed on its year's form, where its rules are checked together
            ("clusters_membership_change", "/admin/clusters/membership/{membership}/change/"),
        ]
    ],
]

# URL patterns that are not pages of ours to put in the matrix: Django admin's own sub-views are
# covered through the changelists above and the admin tests.
NOT_PAGES = {"admin", "javascript-catalog"}


@pytest.fixture
def users(seeded, people, other_cluster):
    return {
        "anonymous": None,
        **people,
        "other_secretary": UserFactory(
            username="thuky.cum1", role=Role.SECRETARIAT, cluster=other_cluster.cluster
        ),
        "other_officer": UserFactory(
            username="canbo.hanoi", role=Role.UNIT_OFFICER, unit=other_cluster.members.first()
        ),
    }


def answer(response):
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
        if location.startswith("/accounts/login/"):
            return LOGIN
    return response.status_code


# One test per address and method, every role inside it: the data are built once per test, not
# once per role (the matrix is the largest part of the suite).
CASES = [
    pytest.param(address, method, expected, id=f"{method} {address}")
    for _, address, get_answers, post_answers in MATRIX
    for method, expected in (("GET", get_answers), ("POST", post_answers))
]
CASE_COUNT = len(CASES) * len(ROLES)


def snapshot():
    """Everything a refused POST must leave as it was."""
    from clusters.models import ClusterYear
    from reports.models import Conference, UnitReport

    return (
        list(ClusterYear.objects.values_list("pk", "status", "chair_id", "vice_chair_id")),
        list(UnitReport.objects.values_list("pk", "crimes_recorded", "updated_at")),
        list(Conference.objects.values_list("pk", "date", "presiding_name")),
    )


@pytest.fixture
def ids(users):
    from awards.models import AwardKind, Nomination
    from clusters.models import ClusterYear, Membership
    from reports.models import Conference, UnitReport
    from welfare.models import Beneficiary, Contribution, Fund, Support

    return {
        "unit": users["officer_laichau"].unit_id,
        "cluster": users["secretary"].cluster_id,
        "year_open": ClusterYear.objects.get(cluster__slug="cum-2", year=2024).pk,
        "year_published": ClusterYear.objects.get(cluster__slug="cum-2", year=2023).pk,
        "report": UnitReport.objects.filter(cluster_year__year=2023).first().pk,
        "conference": Conference.objects.filter(cluster_year__status="published").first().pk,
        "nomination": Nomination.objects.first().pk,
        "fund": Fund.objects.filter(cluster_year__status="published").first().pk,
        "support": Support.objects.filter(fund__cluster_year__status="published").first().pk,
        "user": users["officer_sonla"].pk,
        "membership": Membership.objects.filter(year=2024).first().pk,
        "award_kind": AwardKind.objects.first().pk,
        "beneficiary": Beneficiary.objects.first().pk,
        "contribution": Contribution.objects.filter(fund__cluster_year__status="published")
        .first()
        .pk,
    }


@pytest.mark.parametrize("address,method,expected", CASES)
def test_matrix(users, ids, address, method, expected):
    from django.test import Client

    address = address.format(**ids)
    wrong = []
    for role in ROLES:
        client = Client()
        if users[role]:
            client.force_login(users[role])
        before = snapshot()
        response = client.get(address) if method == "GET" else client.post(address, {})
        if answer(response) != expected[role]:
            wrong.append(f"{role}: {answer(response)} instead of {expected[role]}")
        if method == "POST" and expected[role] != 302 and snapshot() != before:
            wrong.append(f"{role}: a refused POST changed data")
    assert not wrong, f"{method} {address}: " + "; ".join(wrong)


def named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace == "admin":
                continue
            yield from named_patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_url_pattern_is_in_the_matrix():
    # Our own addresses; the admin's are covered by the changelist and change form rows above.
    covered = {name for name, *_ in MATRIX}
    missing = set(named_patterns()) - covered - NOT_PAGES
    assert not missing, f"addresses without a row in the permission matrix: {sorted(missing)}"
