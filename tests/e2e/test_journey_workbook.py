import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from clusters.demo import publish_the_past, seed_clusters
from reports import services as report_services
from reports.demo import seed_reports
from reports.models import COUNT_FIELDS, UnitReport
from tests.e2e.conftest import log_in
from tests.factories import UserFactory
from tests.workbook.test_import_workbook import CLUSTER, LAI_CHAU, SON_LA, report_rows, xlsx

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_secretariat_uploads_a_bad_row_fixes_it_and_sees_the_data(page, tmp_path):
    demo = seed_clusters()
    seed_reports(demo)
    publish_the_past(demo)
    UserFactory(username="thuky.cum2", role=Role.SECRETARIAT, cluster=demo.cluster)

    log_in(page, "thuky.cum2")
    page.goto("/clusters/cum-2/2024/edit/")
    page.locator("#workbook-section").get_by_role("link", name="Nhập từ Excel").click()
    expect(page).to_have_url(re.compile(r"/clusters/cum-2/2024/import/$"))
    expect(page.locator("#sheets-help")).to_contain_text("Báo cáo đơn vị")

    # The clerk's sheet: Sơn La's drug cases typed with a comma.
    bad = tmp_path / "bao-cao-2024.xlsx"
    bad.write_bytes(
        xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 31, 40], [CLUSTER, 2024, SON_LA, "1,024", 1]))
    )
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    problems = page.locator("#problems")
    expect(problems).to_contain_text("1 lỗi")
    row = problems.locator("tr.problem")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Báo cáo đơn vị")
    expect(row).to_contain_text("3")
    expect(row).to_contain_text("Ma túy: số vụ")
    expect(row).to_contain_text("1,024")
    expect(row).to_contain_text("dấu phẩy ở Việt Nam là dấu thập phân")
    expect(page.locator("#confirm-import")).to_have_count(0)

    # Fixed as the message says, uploaded again: a preview with counts, then the write.
    good = tmp_path / "bao-cao-2024-sua.xlsx"
    good.write_bytes(
        xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 31, 40], [CLUSTER, 2024, SON_LA, "1.024", 1]))
    )
    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("hợp lệ")
    expect(preview.locator("#counts tbody tr")).to_contain_text("Báo cáo đơn vị")
    expect(preview.locator("#counts tbody td").nth(2)).to_have_text("2")
    page.get_by_role("button", name="Ghi vào cơ sở dữ liệu").click()

    expect(page).to_have_url(re.compile(r"/clusters/cum-2/2024/$"))
    expect(page.locator(".alert-success")).to_contain_text("thêm 2 dòng")
    expect(page.locator("#results")).to_contain_text("1.024")


def _filed_by_its_officer(officer, cluster_year, drug_cases):
    """The unit's own report for 2024, saved by its officer (recorded so in the history)."""
    report = UnitReport(
        cluster_year=cluster_year, unit=officer.unit, **dict.fromkeys(COUNT_FIELDS, 0)
    )
    report.drug_cases = drug_cases
    report._history_user = officer
    report_services.unit_report_save(report=report, by=officer)


def test_the_clerk_sees_two_filed_reports_marked_ticks_one_and_only_that_one_changes(
    page, tmp_path
):
    demo = seed_clusters()
    seed_reports(demo)
    publish_the_past(demo)
    UserFactory(username="thuky.cum2", role=Role.SECRETARIAT, cluster=demo.cluster)
    year = demo.years[2024]
    for slug, cases in (("son-la", 425), ("lai-chau", 31)):
        officer = UserFactory(
            username=f"canbo.{slug}", role=Role.UNIT_OFFICER, unit=demo.units[slug]
        )
        _filed_by_its_officer(officer, year, cases)

    log_in(page, "thuky.cum2")
    page.goto("/clusters/cum-2/2024/import/")
    sheet = tmp_path / "bao-cao-2024.xlsx"
    sheet.write_bytes(
        xlsx(report_rows([CLUSTER, 2024, SON_LA, 410, 0], [CLUSTER, 2024, LAI_CHAU, 30, 0]))
    )
    page.set_input_files("input[type=file]", str(sheet))
    page.get_by_role("button", name="Kiểm tra tệp").click()

    preview = page.locator("#preview")
    expect(preview).to_contain_text("hợp lệ")
    expect(preview.locator("tr.filed")).to_have_count(2)
    expect(preview.locator("tr.filed").first).to_contain_text(
        "Công an tỉnh Sơn La đã tự báo cáo (Ma túy: số vụ): 425 → 410"
    )
    expect(preview.locator("tr.filed").nth(1)).to_contain_text(
        "Công an tỉnh Lai Châu đã tự báo cáo (Ma túy: số vụ): 31 → 30"
    )
    ticks = page.locator("#filed-reports input[type=checkbox]")
    expect(ticks).to_have_count(2)
    expect(ticks.nth(0)).not_to_be_checked()
    expect(ticks.nth(1)).not_to_be_checked()
    page.locator("#overwrite-son-la").check()
    page.get_by_role("button", name="Ghi vào cơ sở dữ liệu").click()

    expect(page).to_have_url(re.compile(r"/clusters/cum-2/2024/$"))
    expect(page.locator(".alert-success")).to_contain_text("sửa 1 dòng")
    left = page.locator(".alert-warning", has_text="Để nguyên 1 dòng")
    expect(left).to_contain_text("Công an tỉnh Lai Châu đã tự báo cáo (Ma túy: số vụ): 31 → 30")
    reports = {r.unit.slug: r.drug_cases for r in UnitReport.objects.filter(cluster_year=year)}
    assert reports == {"son-la": 410, "lai-chau": 31}
