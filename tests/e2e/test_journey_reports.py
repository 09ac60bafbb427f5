import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from clusters.demo import publish_the_past, seed_clusters
from reports.demo import seed_reports
from tests.e2e.conftest import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

FIGURES = {
    "crimes_recorded": "215",
    "crimes_solved": "200",
    "serious_recorded": "27",
    "serious_solved": "27",
    "drug_cases": "1.024",
    "drug_offenders": "1.300",
    "commended_collectives": "360",
    "commended_individuals": "1.175",
    "citizen_tips": "640",
}


def test_officer_reports_and_the_secretariat_publishes(page, browser, live_server):
    demo = seed_clusters()
    seed_reports(demo)
    publish_the_past(demo)
    UserFactory(username="canbo.laichau", role=Role.UNIT_OFFICER, unit=demo.units["lai-chau"])
    UserFactory(username="thuky.cum2", role=Role.SECRETARIAT, cluster=demo.cluster)

    # The officer finds the 2024 year, sees Lai Châu has not reported, and opens the form.
    log_in(page, "canbo.laichau")
    page.goto("/clusters/cum-2/2024/")
    expect(page.locator("#missing-reports")).to_contain_text("Lai Châu")
    page.get_by_role("link", name="Nhập báo cáo của Lai Châu").click()
    expect(page).to_have_url(re.compile(r"/units/lai-chau/2024/report/$"))

    # A mistake first: more cases solved than recorded. The message sits next to the field.
    for name, value in {**FIGURES, "crimes_solved": "300"}.items():
        page.fill(f"input[name={name}]", value)
    page.get_by_role("button", name="Lưu báo cáo").click()
    expect(page.locator("#error_1_id_crimes_solved, .invalid-feedback").first).to_contain_text(
        "Không thể lớn hơn số vụ tội phạm về TTXH xảy ra (215)."
    )
    expect(page.locator("input[name=drug_cases]")).to_have_value("1.024")  # nothing typed is lost

    page.fill("input[name=crimes_solved]", "200")
    page.get_by_role("button", name="Lưu báo cáo").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu báo cáo năm 2024")

    page.goto("/clusters/cum-2/2024/")
    row = page.locator("tr[data-unit=lai-chau]")
    expect(row).to_contain_text("215")
    expect(row).to_contain_text("93,0%")
    expect(row).to_contain_text("1.024")
    expect(row).to_contain_text("tăng 2,4%")  # 215 against 210 in 2023
    page.context.clear_cookies()

    # The secretariat publishes 2024 after confirming.
    log_in(page, "thuky.cum2")
    page.goto("/clusters/cum-2/2024/edit/")
    page.get_by_role("button", name="Công bố và khóa số liệu").click()
    expect(page.locator("#publish-form")).to_contain_text(
        "Hãy đánh dấu xác nhận trước khi công bố."
    )
    page.get_by_label("Tôi đã kiểm tra").check()
    # six units have not reported: the checklist asks to accept each one
    checklist = page.locator("#publish-checklist")
    expect(checklist).to_contain_text("Công an tỉnh Sơn La chưa báo cáo.")
    expect(checklist).not_to_contain_text("Công an tỉnh Lai Châu chưa báo cáo.")
    page.get_by_label("Chọn tất cả").check()
    page.get_by_role("button", name="Công bố và khóa số liệu").click()
    expect(page).to_have_url(re.compile(r"/clusters/cum-2/2024/$"))
    expect(page.locator("#year-status")).to_have_text("Đã công bố")
    page.context.clear_cookies()

    # The officer's form is now read-only.
    log_in(page, "canbo.laichau")
    page.goto("/units/lai-chau/2024/report/")
    expect(page.locator("#read-only-notice")).to_contain_text("đã công bố")
    expect(page.locator("input[name=crimes_recorded]")).to_be_disabled()
    expect(page.get_by_role("button", name="Lưu báo cáo")).to_have_count(0)


def test_officer_meets_the_importers_rule_the_summary_and_a_warning(page, live_server):
    """A comma is refused with the importer's words, the summary links to the field, typed values
    stay; the saved report says which figure looks wrong, without blocking it."""
    from decimal import Decimal

    from core.models import WarningRule

    # live_server empties the database between tests: the default rules come back by hand
    for code, threshold in (("count_change", 2), ("clearance_rate", 50)):
        WarningRule.objects.get_or_create(code=code, defaults={"threshold": Decimal(threshold)})
    demo = seed_clusters()
    seed_reports(demo)
    publish_the_past(demo)
    UserFactory(username="canbo.laichau", role=Role.UNIT_OFFICER, unit=demo.units["lai-chau"])

    log_in(page, "canbo.laichau")
    page.goto("/units/lai-chau/2024/report/")
    for name, value in {**FIGURES, "drug_cases": "4,213", "citizen_tips": "6 40"}.items():
        page.fill(f"input[name={name}]", value)
    page.get_by_role("button", name="Lưu báo cáo").click()

    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("dấu phẩy ở Việt Nam là dấu thập phân")
    expect(summary.locator("li")).to_have_count(1)
    summary.get_by_role("link", name="ma túy: số vụ bắt giữ").click()
    expect(page).to_have_url(re.compile(r"#id_drug_cases$"))
    expect(page.locator("input[name=drug_cases]")).to_have_value("4,213")
    expect(page.locator("input[name=citizen_tips]")).to_have_value("6 40")

    page.fill("input[name=drug_cases]", "4 213")
    page.get_by_role("button", name="Lưu báo cáo").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu báo cáo năm 2024")
    expect(page.locator("#error-summary")).to_have_count(0)
    warnings = page.locator("#figure-warnings")
    expect(warnings).to_contain_text(
        "Công an tỉnh Lai Châu: ma túy: số vụ bắt giữ năm nay là 4.213, năm trước 402"
    )
    expect(warnings).to_contain_text("ma túy: số đối tượng năm nay là 1.300, năm trước 520")
    expect(warnings.locator("li")).to_have_count(2)
    expect(page.locator("input[name=drug_cases]")).to_have_value("4.213")
