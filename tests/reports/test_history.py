"""Every change is kept: who, when, before and after; the secretariat reads a year's history and
the admin restores an earlier version."""

import pytest
from django.forms.models import model_to_dict

from awards.models import AwardKind, Commendation
from pages.history import year_history
from reports.models import UnitReport
from tests.reports.test_unit_report_form import GOOD, post
from tests.workbook.test_import_workbook import CLUSTER, LAI_CHAU, xlsx

pytestmark = pytest.mark.django_db


def test_a_report_saved_twice_leaves_two_records_with_who_and_what(
    client, seeded, officer_laichau, secretary
):
    post(client, officer_laichau, GOOD)
    post(client, officer_laichau, {**GOOD, "drug_cases": "415"})
    report = UnitReport.objects.get(unit__slug="lai-chau", cluster_year__year=2024)
    records = list(report.history.order_by("history_date"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert {r.history_user for r in records} == {officer_laichau}
    assert (records[0].drug_cases, records[1].drug_cases) == (400, 415)

    entries = year_history(report.cluster_year)
    change = next(e for e in entries if e.action == "Sửa")
    assert change.label == LAI_CHAU and change.who == officer_laichau.username
    assert [c[1:] for c in change.changes] == [(400, 415)]

    client.force_login(secretary)
    page = client.get("/clusters/cum-2/2024/history/")
    html = page.content.decode()
    assert page.status_code == 200 and "<del>400</del>" in html and "<ins>415</ins>" in html


def test_imports_are_in_the_history_with_their_user(client, seeded, secretary):
    from tests.workbook.test_import_workbook import report_rows
    from workbook.importer import import_file

    import_file(xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 3, 2])), "bc.xlsx", user=secretary)
    record = UnitReport.history.get(unit__name=LAI_CHAU, cluster_year__year=2024)
    assert (record.history_user, record.history_change_reason) == (secretary, "Nhập từ tệp Excel")


def test_bulk_commendation_imports_write_history_too(seeded, admin_user):
    from workbook.importer import import_file

    kind = AwardKind.objects.get(code="chien-si-thi-dua-co-so").name
    rows = [["Năm", "Hình thức", "Đơn vị", "Họ tên", "Số quyết định", "Ngày quyết định"]]
    rows += [[2024, kind, LAI_CHAU, f"Cán bộ {n}", "5/QĐ", "05/03/2025"] for n in range(250)]
    assert import_file(xlsx({"Khen thưởng": rows}), "kt.xlsx", user=admin_user).ok
    history = Commendation.history.filter(year=2024)
    assert history.count() == 250
    assert set(history.values_list("history_user", "history_change_reason").distinct()) == {
        (admin_user.pk, "Nhập từ tệp Excel")
    }


def test_the_admin_sees_a_reports_history_and_restores_an_earlier_version(
    client, seeded, officer_laichau, admin_user
):
    post(client, officer_laichau, GOOD)
    post(client, officer_laichau, {**GOOD, "drug_cases": "999"})
    report = UnitReport.objects.get(unit__slug="lai-chau", cluster_year__year=2024)
    first = report.history.earliest("history_date")
    client.force_login(admin_user)
    base = f"/admin/reports/unitreport/{report.pk}/history/"
    assert client.get(base).status_code == 200
    form_url = f"{base}{first.history_id}/"
    assert client.get(form_url).status_code == 200
    data = {
        key: value
        for key, value in model_to_dict(first.instance).items()
        if value is not None and key != "id"
    }
    response = client.post(form_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert report.drug_cases == 400
    assert report.history.latest("history_date").history_user == admin_user


def test_role_changes_of_users_are_kept(seeded, secretary):
    secretary.role = "leadership"
    secretary.save()
    roles = [r.role for r in secretary.history.order_by("history_date")]
    assert roles[-2:] == ["secretariat", "leadership"]
    assert not hasattr(secretary.history.first(), "password")


def test_the_history_page_costs_the_same_whatever_the_changes(
    client, seeded, officer_laichau, secretary, django_assert_num_queries
):
    for value in range(10):
        post(client, officer_laichau, {**GOOD, "drug_cases": str(400 + value)})
    client.force_login(secretary)
    client.get("/clusters/cum-2/2024/history/")  # the first visit also writes the session
    with django_assert_num_queries(14):
        assert client.get("/clusters/cum-2/2024/history/").status_code == 200
