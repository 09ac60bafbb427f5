"""The spreadsheet pages: check, preview, confirm; export; template; the admin's page."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.models import UnitReport
from tests.workbook.test_import_workbook import CLUSTER, LAI_CHAU, SON_LA, report_rows, xlsx

pytestmark = pytest.mark.django_db

IMPORT = "/clusters/cum-2/2024/import/"


def upload(data, name="bao-cao.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_the_secretariat_checks_reads_the_errors_fixes_and_confirms(client, seeded, secretary):
    client.force_login(secretary)
    page = client.get(IMPORT)
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        "Báo cáo đơn vị" in text and "Ma túy: số vụ" in text and "/workbook/template.xlsx" in text
    )

    bad = xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 3, 2], [CLUSTER, 2024, SON_LA, "4,213", 1]))
    response = client.post(IMPORT, {"action": "check", "file": upload(bad)})
    assert response.status_code == 422
    problems = response.context["outcome"].problems
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        ("Báo cáo đơn vị", 3, "Ma túy: số vụ", "4,213")
    ]
    assert "dấu phẩy ở Việt Nam là dấu thập phân" in response.content.decode()
    assert response.context["token"] is None
    assert not UnitReport.objects.filter(cluster_year__year=2024).exists()

    good = xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 3, 2], [CLUSTER, 2024, SON_LA, "4.213", 1]))
    response = client.post(IMPORT, {"action": "check", "file": upload(good)})
    assert response.status_code == 200
    token = response.context["token"]
    counts = response.context["outcome"].counts
    assert [(c.title, c.created, c.changed, c.unchanged) for c in counts] == [
        ("Báo cáo đơn vị", 2, 0, 0)
    ]
    assert not UnitReport.objects.filter(cluster_year__year=2024).exists()  # a check writes nothing

    response = client.post(IMPORT, {"action": "confirm", "token": token})
    assert response.status_code == 302 and response["Location"] == "/clusters/cum-2/2024/"
    assert UnitReport.objects.get(unit__name=SON_LA, cluster_year__year=2024).drug_cases == 4213
    # The kept file is gone: confirming twice cannot import twice.
    response = client.post(IMPORT, {"action": "confirm", "token": token})
    assert "không còn" in response.content.decode()


def test_a_token_of_another_session_is_not_accepted(client, seeded, secretary, admin_user):
    client.force_login(admin_user)
    good = xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 3, 2]))
    token = client.post(IMPORT, {"file": upload(good)}).context["token"]
    client.logout()
    client.force_login(secretary)
    response = client.post(IMPORT, {"action": "confirm", "token": token})
    assert "không còn" in response.content.decode()
    assert not UnitReport.objects.filter(cluster_year__year=2024).exists()


def test_an_officer_sees_another_units_row_refused(client, seeded, officer_laichau):
    client.force_login(officer_laichau)
    data = xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 3, 2], [CLUSTER, 2024, SON_LA, 1, 1]))
    response = client.post(IMPORT, {"file": upload(data)})
    assert response.status_code == 422
    assert [p.row for p in response.context["outcome"].problems] == [3]


def test_wrong_files_get_a_message_not_a_500(client, seeded, secretary):
    client.force_login(secretary)
    response = client.post(IMPORT, {"file": upload(b"hello", "bao-cao.pdf")})
    assert (
        response.status_code == 200 and "Chỉ nhận tệp .xlsx hoặc .csv." in response.content.decode()
    )
    response = client.post(IMPORT, {"file": upload(b"PK broken", "bao-cao.xlsx")})
    assert response.status_code == 422 and "hỏng" in response.content.decode()


def test_export_and_template_are_real_workbooks(client, seeded, leader):
    client.force_login(leader)
    response = client.get("/clusters/cum-2/2023/export.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="cum-2-2023.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    reports = list(book["Báo cáo đơn vị"].iter_rows(values_only=True))
    assert sum(row[reports[0].index("Ma túy: số vụ")] for row in reports[1:]) == 4213
    template = openpyxl.load_workbook(
        io.BytesIO(b"".join(client.get("/workbook/template.xlsx").streaming_content))
    )
    assert len(template.sheetnames) == 14
    assert all(sheet.max_row == 1 for sheet in template)


def test_the_admin_exports_any_year_and_imports_from_the_admin(client, seeded, admin_user):
    client.force_login(admin_user)
    assert "/admin/workbook/" in client.get("/admin/").content.decode()
    page = client.get("/admin/workbook/")
    assert page.status_code == 200 and "Xuất một năm thi đua" in page.content.decode()
    response = client.get("/admin/workbook/?year=2018")
    assert response["Content-Disposition"] == 'attachment; filename="cac-cum-2018.xlsx"'
    data = xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 3, 2]))
    token = client.post("/admin/workbook/", {"file": upload(data)}).context["token"]
    response = client.post("/admin/workbook/", {"action": "confirm", "token": token})
    assert response.status_code == 302
    assert UnitReport.objects.filter(cluster_year__year=2024).count() == 1


def test_the_year_page_offers_import_and_export_to_those_who_may(client, seeded, people):
    def links(user):
        client.force_login(user)
        text = client.get("/clusters/cum-2/2024/").content.decode()
        return ('id="import-link"' in text, 'id="export-link"' in text)

    assert links(people["secretary"]) == (True, True)
    assert links(people["leader"]) == (False, True)
    assert links(people["officer_laichau"]) == (True, False)


def test_the_upload_page_queries_a_fixed_number_of_times(
    client, seeded, secretary, django_assert_max_num_queries
):
    client.force_login(secretary)
    with django_assert_max_num_queries(8):
        assert client.get(IMPORT).status_code == 200
