"""Two people on the same form: the second to save is told, sees the other's values, loses
nothing, and saves again only on purpose."""

import re

import pytest
from django.test import Client

from reports.models import Conference, UnitReport
from tests.reports.test_unit_report_form import GOOD, URL
from tests.sections import post_section

pytestmark = pytest.mark.django_db


def opened(client, user, url):
    client.force_login(user)
    html = client.get(url).content.decode()
    return int(re.search(r'name="version" value="(\d+)"', html).group(1))


def test_the_second_save_of_a_report_is_told_and_loses_nothing(seeded, officer_laichau, secretary):
    officer, clerk = Client(), Client()
    version = opened(officer, officer_laichau, URL)
    assert opened(clerk, secretary, URL) == version == 0  # both open the empty form

    first = officer.post(URL, {**GOOD, "version": version, "drug_cases": "401"})
    assert first.status_code == 302
    second = clerk.post(URL, {**GOOD, "version": version, "drug_cases": "555"})
    assert second.status_code == 200
    html = second.content.decode()
    assert "Trong lúc anh/chị sửa, canbo.laichau đã lưu bản này" in html
    assert re.search(r'class="theirs">401<', html) and re.search(r'class="yours">555<', html)
    assert 'value="555"' in html  # what the clerk typed is still in the form
    report = UnitReport.objects.get(unit__slug="lai-chau", cluster_year__year=2024)
    assert report.drug_cases == 401  # no silent overwrite

    # Saving again, after seeing the other's values, is deliberate and goes through.
    newer = int(re.search(r'name="version" value="(\d+)"', html).group(1))
    assert newer == report.version
    assert clerk.post(URL, {**GOOD, "version": newer, "drug_cases": "555"}).status_code == 302
    report.refresh_from_db()
    assert report.drug_cases == 555


def test_an_import_in_between_is_a_change_too(seeded, officer_laichau, secretary):
    from tests.workbook.test_import_workbook import CLUSTER, LAI_CHAU, report_rows, xlsx
    from workbook.importer import import_file

    officer = Client()
    officer.force_login(officer_laichau)
    officer.post(URL, {**GOOD, "version": 0})
    version = opened(officer, officer_laichau, URL)
    import_file(xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 7, 7])), "x.xlsx", user=secretary)
    response = officer.post(URL, {**GOOD, "version": version})
    assert response.status_code == 200 and "thuky.cum2" in response.content.decode()
    assert UnitReport.objects.get(unit__name=LAI_CHAU, cluster_year__year=2024).drug_cases == 7


def test_the_conference_form_is_guarded_the_same_way(seeded, secretary, admin_user):
    url = "/clusters/cum-2/2024/edit/"
    one, two = Client(), Client()
    version = opened(one, secretary, url)
    opened(two, admin_user, url)
    data = {"action": "conference", "kind": "year_end", "version": version, "movement": "Vì ANTQ"}
    assert post_section(one, url, {**data, "place": "Sơn La"}).redirect_chain[0][1] == 302
    response = post_section(two, url, {**data, "place": "Lai Châu"})
    assert response.status_code == 200
    assert "thuky.cum2" in response.content.decode()
    assert Conference.objects.get(cluster_year__year=2024).place == "Sơn La"
