import pytest
import tablib
from django.urls import reverse

from accounts.access import COMMAND_LINE
from reports.models import COUNT_FIELDS, UnitReport
from reports.workbook import REPORT_HEADERS, UnitReportResource

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name,rows",
    [("admin:reports_unitreport_changelist", 7), ("admin:reports_conference_changelist", 2)],
)
def test_changelists(admin_client, seeded, name, rows, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse(name))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == rows


def test_published_reports_are_read_only_in_the_admin(admin_client, seeded):
    report = UnitReport.objects.get(unit__slug="son-la", cluster_year__year=2023)
    url = reverse("admin:reports_unitreport_change", args=[report.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    admin_client.post(url, {"crimes_recorded": "1"})
    report.refresh_from_db()
    assert report.crimes_recorded == 410


def test_admin_add_refuses_a_unit_outside_the_roster(admin_client, seeded):
    from clusters.models import ClusterYear

    data = {
        "cluster_year": ClusterYear.objects.get(year=2024).pk,
        "unit": seeded.units["tuyen-quang"].pk,
        **dict.fromkeys(COUNT_FIELDS, "1"),
        "project06_notes": "",
        "other_results": "",
        "notes": "",
        "data_status": "reported",
    }
    response = admin_client.post(reverse("admin:reports_unitreport_add"), data)
    assert response.status_code == 200
    assert "Công an tỉnh Tuyên Quang không có trong danh sách thành viên" in (
        response.content.decode()
    )
    assert not UnitReport.objects.filter(cluster_year__year=2024).exists()


def test_report_export_is_by_name_with_numbers_as_numbers(seeded):
    dataset = UnitReportResource().export()
    assert dataset.headers[:3] == ["Cụm thi đua", "Năm", "Đơn vị"]
    assert dataset.headers[3:] == [*REPORT_HEADERS.values(), "Tình trạng số liệu", "Nguồn"]
    row = next(r for r in dataset.dict if r["Đơn vị"] == "Công an tỉnh Sơn La" and r["Năm"] == 2023)
    assert row["Ma túy: số vụ"] == 1105 and row["Cụm thi đua"] == "Cụm thi đua số II"


def test_report_import_into_an_open_year_and_refused_for_a_published_one(seeded):
    headers = ["Cụm thi đua", "Năm", "Đơn vị", *REPORT_HEADERS.values()]
    counts = [10, 9, 1, 1, 2, 3, 4, 5, 6]
    dataset = tablib.Dataset(headers=headers)
    dataset.append(["Cụm thi đua số II", 2024, "Công an tỉnh Sơn La", *counts, "", "", ""])
    result = UnitReportResource().import_data(dataset, dry_run=False, user=COMMAND_LINE)
    assert not result.has_errors() and not result.has_validation_errors()
    assert UnitReport.objects.get(cluster_year__year=2024).crimes_recorded == 10

    frozen = tablib.Dataset(headers=headers)
    frozen.append(["Cụm thi đua số II", 2023, "Công an tỉnh Sơn La", *counts, "", "", ""])
    result = UnitReportResource().import_data(frozen, dry_run=False, user=COMMAND_LINE)
    assert result.has_errors() or result.has_validation_errors()
    assert (
        UnitReport.objects.get(cluster_year__year=2023, unit__slug="son-la").crimes_recorded == 410
    )
