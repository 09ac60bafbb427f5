"""Hostile and random input at every form and every import column (hypothesis).

The forms are found by reading the pages themselves (every <form method="post"> with its fields),
so a new form is covered without a new test. Each value must get a clear answer: a redirect after
saving or the page again with its messages; never a 500, never a raw <script> in the page, and a
refused POST changes nothing.
"""

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.spreadsheets import ILLEGAL
from tests.workbook.test_import_workbook import xlsx
from workbook.exporter import SECTIONS
from workbook.importer import WorkbookError, import_file

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
HOSTILE = st.one_of(
    st.sampled_from(
        [
            SCRIPT,
            '"><img src=x onerror=alert(1)>',
            "'; DROP TABLE reports_unitreport; --",
            "1 OR 1=1",
            '=HYPERLINK("http://x","y")',
            "@SUM(1+1)*cmd|' /C calc'!A0",
            "\x00\x01\x02\x1b[31m",
            "‮gnp.exe",
            "👮‍♀️🚨" * 50,
            "Ｃôｎｇ ａｎ",
            "中文 العربية हिन्दी",
            "-1",
            "-99999999999999999999",
            "99999999999999999999999999",
            "1e309",
            "NaN",
            "4,213",
            "31/02/2024",
            "0000-00-00",
            "",
            " ",
            "x" * 10_000,
        ]
    ),
    st.text(max_size=300),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
FAST = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TRIED = {"forms": 0, "imports": 0}


class Forms(HTMLParser):
    """The POST forms of a page: their hidden values and the names of their other fields."""

    def __init__(self):
        super().__init__()
        self.forms, self.current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self.current = {"hidden": {}, "fields": [], "action": attrs.get("action") or ""}
            self.forms.append(self.current)
        elif self.current is not None and tag in ("input", "textarea", "select"):
            name = attrs.get("name")
            if not name or name == "csrfmiddlewaretoken" or attrs.get("type") == "file":
                return
            if attrs.get("type") == "hidden":
                self.current["hidden"][name] = attrs.get("value", "")
            elif attrs.get("type") != "submit":
                self.current["fields"].append(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def snapshot():
    from awards.models import Nomination
    from clusters.models import ClusterYear, Membership
    from reports.models import Conference, UnitReport
    from welfare.models import Beneficiary, Contribution, Fund, Support

    return tuple(
        tuple(model.objects.order_by("pk").values_list())
        for model in (
            ClusterYear,
            Membership,
            Conference,
            UnitReport,
            Nomination,
            Fund,
            Contribution,
            Beneficiary,
            Support,
        )
    )


PAGES = [
    ("secretary", "/clusters/cum-2/2024/edit/"),
    ("officer_laichau", "/units/lai-chau/2024/report/"),
    (None, "/accounts/login/"),
    # the admin's forms (an open year's objects; a published year's are frozen)
    ("admin", "/admin/clusters/unit/add/"),
    ("admin", "/admin/clusters/cluster/add/"),
    ("admin", "/admin/reports/unitreport/add/"),
    ("admin", "/admin/awards/commendation/add/"),
    ("admin", "/admin/welfare/fund/add/"),
    ("admin", "/admin/welfare/beneficiary/add/"),
    ("admin", "/admin/accounts/user/add/"),
    ("admin", "/admin/clusters/unit/{unit}/change/"),
    ("admin", "/admin/clusters/clusteryear/{year_open}/change/"),
    ("admin", "/admin/awards/awardkind/{award_kind}/change/"),
    ("admin", "/admin/accounts/user/{user}/change/"),
]


def object_ids(people):
    from awards.models import AwardKind
    from clusters.models import ClusterYear
    from welfare.models import Beneficiary

    return {
        "unit": people["officer_laichau"].unit_id,
        "year_open": ClusterYear.objects.get(cluster__slug="cum-2", year=2024).pk,
        "award_kind": AwardKind.objects.get(code="co-bo-cong-an").pk,
        "beneficiary": Beneficiary.objects.first().pk,
        "user": people["officer_sonla"].pk,
    }


@pytest.mark.parametrize("who,address", PAGES)
def test_every_form_answers_hostile_values_clearly(client, seeded, people, who, address):
    address = address.format(**object_ids(people))
    if who:
        client.force_login(people[who])
    parser = Forms()
    parser.feed(client.get(address).content.decode())
    # Publishing and reopening are legitimate with any truthy value; they are tested on their own.
    forms = [
        f
        for f in parser.forms
        if f["fields"] and not f["action"].endswith(("/publish/", "/reopen/"))
    ]
    assert forms, f"no form found on {address}"

    @FAST
    @given(data=st.data())
    def attack(data):
        for form in forms:
            values = {name: data.draw(HOSTILE, label=name) for name in form["fields"]}
            before = snapshot()
            response = client.post(form["action"] or address, {**form["hidden"], **values})
            TRIED["forms"] += 1
            # 429: the login form locks a user after 5 failures from one address (django-axes)
            assert response.status_code in (200, 302, 422, 429), response.status_code
            html = response.content.decode()
            assert SCRIPT not in html and "<img src=x onerror" not in html
            if response.status_code != 302:
                assert snapshot() == before, f"a refused POST changed data: {values}"
            if who:
                client.force_login(people[who])  # a login form would have logged out

    attack()


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.title)
def test_every_import_column_answers_hostile_values_clearly(seeded, secretary, section):
    @FAST
    @given(data=st.data())
    def attack(data):
        row = [data.draw(HOSTILE, label=header) for header in section.headers]
        # XLSX cannot hold control characters (Excel cannot type them); CSV carries them raw.
        as_xlsx = xlsx({section.title: [section.headers, [ILLEGAL.sub("", v) for v in row]]})
        text = io.StringIO()
        csv.writer(text).writerows([section.headers, row])
        for content, name in ((as_xlsx, "x.xlsx"), (text.getvalue().encode(), "x.csv")):
            before = snapshot()
            try:
                outcome = import_file(content, name, user=secretary)
            except WorkbookError:
                outcome = None
            TRIED["imports"] += 1
            if outcome is None or not outcome.ok:
                assert snapshot() == before
            for problem in outcome.problems if outcome else []:
                assert problem.sheet and problem.message

    attack()


def test_the_number_of_hostile_inputs_tried(request):
    """Printed for the record (make test -s shows it); runs last in this module."""
    print(f"\n[hostile] form posts: {TRIED['forms']}, import rows: {TRIED['imports']}")


def test_text_stored_from_hostile_input_is_shown_escaped(client, seeded, officer_laichau):
    from tests.reports.test_unit_report_form import GOOD, URL

    client.force_login(officer_laichau)
    assert client.post(URL, {**GOOD, "notes": SCRIPT, "version": 0}).status_code == 302
    html = client.get(URL).content.decode()
    assert SCRIPT not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert re.search(r"<textarea[^>]*notes", html)
