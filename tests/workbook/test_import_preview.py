"""A year's import page shows what changes before it changes: every row to add with its values,
every cell to change as old → new; a row that overwrites a report the unit filed itself is
marked and needs its own tick; another year's workbook (or one relabelled) is refused."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.models import Commendation
from clusters.models import ClusterYear
from core.spreadsheets import workbook_bytes
from reports import services as report_services
from reports.models import COUNT_FIELDS, Conference, UnitReport
from tests.workbook.test_import_workbook import (
    CLUSTER,
    LAI_CHAU,
    REPORT_HEADERS,
    SON_LA,
    report_rows,
    xlsx,
)
from welfare.models import Fund
from workbook.changes import PAGE_ROWS, self_filed_reports
from workbook.exporter import sections
from workbook.importer import import_file

pytestmark = pytest.mark.django_db

IMPORT = "/clusters/cum-2/2024/import/"
DIEN_BIEN = "Công an tỉnh Điện Biên"


def upload(data, name="bao-cao.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def check(client, data, name="bao-cao.xlsx"):
    return client.post(IMPORT, {"action": "check", "file": upload(data, name)})


def year_2024(cluster_ii):
    return ClusterYear.objects.get(cluster=cluster_ii.cluster, year=2024)


def file_report(by, unit, drug_cases, drug_offenders=1):
    """A 2024 report saved by `by`, recorded in the history under `by`, as the pages do."""
    cluster_year = ClusterYear.objects.get(cluster__slug="cum-2", year=2024)
    report = UnitReport.objects.filter(cluster_year=cluster_year, unit=unit).first()
    if report is None:
        zero = dict.fromkeys(COUNT_FIELDS, 0)
        report = UnitReport(cluster_year=cluster_year, unit=unit, **zero)
    report.drug_cases, report.drug_offenders = drug_cases, drug_offenders
    report._history_user = by
    report_services.unit_report_save(report=report, by=by)
    return report


def sheet_changes(response, title):
    changes = {sheet.title: sheet for sheet in response.context["outcome"].changes}
    return changes[title]


# --- 1. the preview shows the changes ---------------------------------------------------------


def test_the_preview_lists_new_rows_with_their_values_and_changed_cells_old_to_new(
    client, seeded, secretary
):
    units = seeded.units
    file_report(secretary, units["lai-chau"], 31, 40)
    file_report(secretary, units["dien-bien"], 7, 8)
    client.force_login(secretary)
    data = xlsx(
        report_rows(
            [CLUSTER, 2024, LAI_CHAU, 1024, 40],  # one cell changes
            [CLUSTER, 2024, SON_LA, 4213, 5435],  # new
            [CLUSTER, 2024, DIEN_BIEN, 7, 8],  # as it is: counted, not listed
        )
    )
    response = check(client, data)
    assert response.status_code == 200
    sheet = sheet_changes(response, "Báo cáo đơn vị")
    assert [(row.row, row.kind) for row in sheet.rows] == [(2, "update"), (3, "new")]
    changed, new = sheet.rows
    assert [(c.header, c.old, c.new) for c in changed.cells] == [("Ma túy: số vụ", "31", "1.024")]
    assert new.values["Đơn vị"] == SON_LA
    assert new.values["Ma túy: số vụ"] == "4.213"
    assert new.values["Ma túy: số đối tượng"] == "5.435"
    counts = response.context["outcome"].counts
    assert [(c.created, c.changed, c.unchanged) for c in counts] == [(1, 1, 1)]
    text = response.content.decode()
    assert '<del class="text-danger">31</del> → <ins class="text-success">1.024</ins>' in text
    assert 'data-row="4"' not in text  # the unchanged row is not listed
    assert "4.213" in text and 'id="import-warnings"' in text
    assert UnitReport.objects.get(unit=units["lai-chau"], cluster_year__year=2024).drug_cases == 31


def test_the_preview_shows_money_dates_and_choices_as_the_pages_do(client, seeded, secretary):
    client.force_login(secretary)
    headers = ["Cụm thi đua", "Năm", "Tên quỹ", "Mục tiêu (₫)", "Ngày bắt đầu"]
    headers.append("Trạng thái (collecting/closed)")
    rows = [
        headers,
        [CLUSTER, 2024, "Quỹ nhà 2024", 140_000_000, datetime.date(2024, 3, 5), "dang van dong"],
    ]
    response = check(client, xlsx({"Quỹ": rows}))
    assert response.status_code == 200
    (row,) = sheet_changes(response, "Quỹ").rows
    assert row.values["Mục tiêu (₫)"] == "140.000.000 ₫"
    assert row.values["Ngày bắt đầu"] == "05/03/2024"
    assert row.values["Trạng thái (collecting/closed)"] == "Đang vận động"
    assert row.values["Cụm thi đua"] == CLUSTER
    assert not Fund.objects.filter(title="Quỹ nhà 2024").exists()


def commendation_rows(count, rank="Đại úy"):
    headers = ["Năm", "Hình thức", "Đơn vị", "Họ tên", "Cấp bậc", "Số quyết định"]
    headers.append("Ngày quyết định")
    kind = "Chiến sĩ thi đua cơ sở"
    on = datetime.date(2025, 1, 15)
    return {
        "Khen thưởng": [
            headers,
            *([2024, kind, LAI_CHAU, f"Cán bộ {n}", rank, f"{n}/QĐ", on] for n in range(count)),
        ]
    }


def test_a_long_sheet_is_listed_200_rows_a_page_and_the_pager_keeps_the_checked_file(
    client, seeded, secretary
):
    client.force_login(secretary)
    response = check(client, xlsx(commendation_rows(PAGE_ROWS + 5)))
    assert response.status_code == 200, response.context["outcome"].problems
    token = response.context["token"]
    (item,) = response.context["changes"]
    assert len(item["page"].object_list) == PAGE_ROWS
    assert f"?token={token}&amp;sheet={item['index']}&amp;page=2" in response.content.decode()

    second = client.get(IMPORT, {"token": token, "sheet": item["index"], "page": 2})
    assert second.status_code == 200
    assert second.context["token"] == token
    (item,) = second.context["changes"]
    assert [row.values["Họ tên"] for row in item["page"]] == [
        f"Cán bộ {n}" for n in range(PAGE_ROWS, PAGE_ROWS + 5)
    ]
    # Turning pages wrote nothing, and the file can still be confirmed.
    response = client.post(IMPORT, {"action": "confirm", "token": token})
    assert response.status_code == 302
    assert Commendation.objects.filter(year=2024).count() == PAGE_ROWS + 5


def test_the_preview_reads_the_same_for_20_rows_as_for_205(
    client, seeded, secretary, django_assert_max_num_queries
):
    """No read per row (the rows' writes come in batches whose number depends on the database's
    limits, so only the reads are compared)."""
    client.force_login(secretary)
    reads, counts = [], []
    for count in (20, PAGE_ROWS + 5):
        with CaptureQueriesContext(connection) as queries:
            response = check(client, xlsx(commendation_rows(count)))
        assert response.status_code == 200
        reads.append([q["sql"] for q in queries if q["sql"].startswith("SELECT")])
        counts.append(len(queries))
    assert len(reads[0]) == len(reads[1]), "\n".join(reads[1])
    token = response.context["token"]
    with django_assert_max_num_queries(counts[1]):
        page = client.get(IMPORT, {"token": token, "sheet": 0, "page": 2})
    assert len(page.context["changes"][0]["page"].object_list) == 5


def test_the_pager_without_a_kept_file_says_so(client, seeded, secretary):
    client.force_login(secretary)
    response = client.get(IMPORT, {"token": "nope", "sheet": 0, "page": 2})
    assert response.status_code == 422
    assert "không còn" in response.content.decode()


# --- 2. reports the unit filed itself ---------------------------------------------------------


def test_self_filed_is_the_latest_record_saved_by_the_units_own_officer(
    seeded, secretary, officer_sonla, officer_laichau, django_assert_num_queries
):
    units = seeded.units
    file_report(officer_sonla, units["son-la"], 425)
    file_report(officer_laichau, units["lai-chau"], 31)
    file_report(secretary, units["lai-chau"], 32)  # the secretariat saved it last
    file_report(secretary, units["dien-bien"], 7)
    year = year_2024(seeded)
    with django_assert_num_queries(1):
        filed = self_filed_reports(year)
    assert filed == {units["son-la"].pk: (SON_LA, "son-la")}


def test_a_row_over_a_self_filed_report_is_marked_and_left_alone_without_its_tick(
    client, seeded, secretary, officer_sonla
):
    units = seeded.units
    file_report(officer_sonla, units["son-la"], 425)
    file_report(secretary, units["dien-bien"], 7)
    client.force_login(secretary)
    data = xlsx(
        report_rows(
            [CLUSTER, 2024, SON_LA, 410, 1],
            [CLUSTER, 2024, DIEN_BIEN, 8, 1],
            [CLUSTER, 2024, LAI_CHAU, 31, 40],
        )
    )
    response = check(client, data)
    assert response.status_code == 200
    (marked,) = response.context["outcome"].marked
    assert (marked.row, marked.filed_unit, marked.filed_slug) == (2, SON_LA, "son-la")
    assert marked.filed_message == "Công an tỉnh Sơn La đã tự báo cáo (Ma túy: số vụ): 425 → 410"
    text = response.content.decode()
    assert 'name="overwrite" value="son-la"' in text
    assert "Công an tỉnh Sơn La đã tự báo cáo (Ma túy: số vụ): 425 → 410" in text

    response = client.post(IMPORT, {"action": "confirm", "token": response.context["token"]})
    assert response.status_code == 302
    reports = {
        r.unit.slug: r.drug_cases for r in UnitReport.objects.filter(cluster_year__year=2024)
    }
    assert reports == {"son-la": 425, "dien-bien": 8, "lai-chau": 31}
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said[0] == "Đã nhập tệp bao-cao.xlsx: thêm 1 dòng, sửa 1 dòng."
    assert "Để nguyên 1 dòng" in said[1]
    assert "dòng 2 – Công an tỉnh Sơn La đã tự báo cáo (Ma túy: số vụ): 425 → 410" in said[1]


def test_the_ticked_row_is_written(client, seeded, secretary, officer_sonla, officer_laichau):
    units = seeded.units
    file_report(officer_sonla, units["son-la"], 425)
    file_report(officer_laichau, units["lai-chau"], 31)
    client.force_login(secretary)
    data = xlsx(report_rows([CLUSTER, 2024, SON_LA, 410, 1], [CLUSTER, 2024, LAI_CHAU, 30, 1]))
    token = check(client, data).context["token"]
    response = client.post(IMPORT, {"action": "confirm", "token": token, "overwrite": ["son-la"]})
    assert response.status_code == 302
    reports = {
        r.unit.slug: r.drug_cases for r in UnitReport.objects.filter(cluster_year__year=2024)
    }
    assert reports == {"son-la": 410, "lai-chau": 31}


def test_a_left_alone_row_is_still_checked_all_or_nothing(client, seeded, secretary, officer_sonla):
    file_report(officer_sonla, seeded.units["son-la"], 425)
    client.force_login(secretary)
    data = xlsx(report_rows([CLUSTER, 2024, SON_LA, 410, 1], [CLUSTER, 2024, LAI_CHAU, "4,2", 1]))
    response = check(client, data)
    assert response.status_code == 422
    assert [p.row for p in response.context["outcome"].problems] == [3]
    data = xlsx(
        {
            "Báo cáo đơn vị": [
                [*REPORT_HEADERS[:5], "Tội phạm TTXH xảy ra", "Tội phạm TTXH khám phá"],
                [CLUSTER, 2024, SON_LA, 410, 1, 3, 9],  # solved more than recorded
            ]
        }
    )
    response = check(client, data)
    assert response.status_code == 422
    assert [p.row for p in response.context["outcome"].problems] == [2]


def test_the_units_own_officer_is_not_asked_to_tick_their_own_report(client, seeded, officer_sonla):
    file_report(officer_sonla, seeded.units["son-la"], 425)
    client.force_login(officer_sonla)
    response = check(client, xlsx(report_rows([CLUSTER, 2024, SON_LA, 410, 1])))
    assert response.status_code == 200
    assert response.context["outcome"].marked == []


def test_the_command_line_overwrites_as_the_admins_tool_always_did(seeded, officer_sonla):
    file_report(officer_sonla, seeded.units["son-la"], 425)
    data = xlsx(report_rows([CLUSTER, 2024, SON_LA, 410, 1]))
    outcome = import_file(io.BytesIO(data), "bao-cao.xlsx")
    assert outcome.written and outcome.left_alone == []
    assert UnitReport.objects.get(unit__slug="son-la", cluster_year__year=2024).drug_cases == 410


# --- 3. only this year's workbook -------------------------------------------------------------


def test_rows_of_another_year_refuse_the_whole_file_before_the_preview(client, seeded, secretary):
    client.force_login(secretary)
    data = xlsx(
        {
            **report_rows([CLUSTER, 2024, LAI_CHAU, 3, 2], [CLUSTER, 2023, SON_LA, 4, 1]),
            **commendation_rows(3),
        }
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    for row in (2, 4):
        book["Khen thưởng"].cell(row=row, column=1).value = 2023
    buffer = io.BytesIO()
    book.save(buffer)
    response = check(client, buffer.getvalue())
    assert response.status_code == 422
    assert response.context["token"] is None and response.context["changes"] == []
    problems = response.context["outcome"].problems
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        ("Báo cáo đơn vị", 3, "Năm", "2023"),
        ("Khen thưởng", 2, "Năm", "2023"),
    ]
    assert "năm 2023, còn trang nhập này là của năm 2024" in problems[0].message
    assert "còn 1 dòng khác không phải năm 2024" in problems[1].message
    text = response.content.decode()
    assert "Dòng này là của năm 2023, còn trang nhập này là của năm 2024" in text
    assert not UnitReport.objects.filter(cluster_year__year=2024).exists()


def test_a_sheet_titled_with_another_year_is_refused(client, seeded, secretary):
    client.force_login(secretary)
    rows = report_rows([CLUSTER, 2024, LAI_CHAU, 3, 2])["Báo cáo đơn vị"]
    response = check(client, xlsx({"Báo cáo đơn vị 2023": rows}))
    assert response.status_code == 422
    (problem,) = response.context["outcome"].problems
    assert (problem.sheet, problem.row) == ("Báo cáo đơn vị 2023", None)
    assert "Tên trang ghi năm 2023" in problem.message
    assert check(client, xlsx({"Báo cáo đơn vị 2024": rows})).status_code == 200


def relabelled(data: bytes, to: int) -> bytes:
    """Every Năm cell of the workbook set to `to`: the rest stays the other year's."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        headers = [cell.value for cell in sheet[1]]
        if "Năm" in headers:
            column = headers.index("Năm") + 1
            for row in range(2, sheet.max_row + 1):
                sheet.cell(row=row, column=column).value = to
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_2023_workbook_relabelled_2024_is_refused_and_the_2024_chair_stays(
    client, seeded, secretary
):
    year = year_2024(seeded)
    chair, vice_chair = year.chair, year.vice_chair
    exported = workbook_bytes(sections(2023, seeded.cluster))
    client.force_login(secretary)

    response = check(client, exported, "cum-2-2024.xlsx")  # only renamed: its rows say 2023
    assert response.status_code == 422
    assert {p.sheet for p in response.context["outcome"].problems} >= {
        "Năm thi đua, Cụm trưởng",
        "Hội nghị",
    }

    response = check(client, relabelled(exported, 2024), "cum-2-2024.xlsx")
    assert response.status_code == 422
    problems = {p.sheet: p for p in response.context["outcome"].problems}
    assert list(problems) == ["Năm thi đua, Cụm trưởng", "Hội nghị", "Báo cáo đơn vị"]
    assert problems["Năm thi đua, Cụm trưởng"].row == 2
    assert "giống hệt dữ liệu năm 2023 của cụm" in problems["Hội nghị"].message
    assert "còn 6 dòng như vậy" in problems["Báo cáo đơn vị"].message
    year.refresh_from_db()
    assert (year.chair, year.vice_chair) == (chair, vice_chair)
    assert not Conference.objects.filter(cluster_year=year).exists()


def test_this_years_own_workbook_comes_back_in_without_complaint(client, seeded, secretary):
    client.force_login(secretary)
    exported = workbook_bytes(sections(2024, seeded.cluster))
    response = check(client, exported, "cum-2-2024.xlsx")
    assert response.status_code == 200, response.context["outcome"].problems
    assert response.context["changes"] == []
    assert "không thêm, không sửa dòng nào" in response.content.decode()


def test_the_preview_shows_the_plausibility_warnings_of_the_year_as_the_file_leaves_it(
    client, seeded, secretary
):
    """Issue 12: warnings are shown on the import preview too, never blocking. Sơn La reported
    1.105 drug cases in 2023; a sheet saying 4.213 for 2024 is flagged against last year."""
    client.force_login(secretary)
    response = check(client, xlsx(report_rows([CLUSTER, 2024, SON_LA, 4213, 1420])))
    assert response.status_code == 200 and response.context["outcome"].ok
    warnings = response.context["warnings"]
    reasons = [w.reason for w in warnings if w.subject == SON_LA]
    assert any("4.213" in reason and "1.105" in reason for reason in reasons), reasons
    page = response.content.decode()
    assert page.count('class="figure-warning"') == len(warnings)
    assert not UnitReport.objects.filter(cluster_year__year=2024).exists()  # only a preview
