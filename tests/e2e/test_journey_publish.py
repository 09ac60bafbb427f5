"""The clerk publishes the year through the checklist: the items are listed by section, "Chọn
tất cả" ticks them (static/js/app.js, no inline script), the year is published, and the edit
page then says it is locked."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from clusters.demo import seed_clusters
from clusters.models import ClusterYear, PublishEvent
from tests.e2e.conftest import log_in
from tests.factories import UnitReportFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_clerk_publishes_through_the_checklist(page):
    demo = seed_clusters()
    year = demo.years[2024]
    UnitReportFactory(cluster_year=year, unit=demo.units["lai-chau"])
    UserFactory(username="thuky.cum2", role=Role.SECRETARIAT, cluster=demo.cluster)
    log_in(page, "thuky.cum2")
    page.goto("/clusters/cum-2/2024/edit/")

    checklist = page.locator("#publish-checklist")
    expect(checklist).to_contain_text("Công an tỉnh Sơn La chưa báo cáo.")
    expect(checklist).not_to_contain_text("Công an tỉnh Lai Châu chưa báo cáo.")
    expect(checklist.get_by_role("link", name="Báo cáo của đơn vị")).to_have_attribute(
        "href", "#reports"
    )
    items = checklist.locator("input.checklist-item")
    count = items.count()
    assert count >= 6  # six units have not reported

    # One left unticked: refused, named, nothing published.
    checklist.get_by_label("Chọn tất cả").check()
    for i in range(count):
        expect(items.nth(i)).to_be_checked()
    checklist.get_by_label("Công an tỉnh Sơn La chưa báo cáo.", exact=True).uncheck()
    expect(checklist.get_by_label("Chọn tất cả")).not_to_be_checked()
    form = page.locator("#publish-form")
    form.get_by_label("Tôi đã kiểm tra").check()
    form.get_by_role("button", name="Công bố và khóa số liệu").click()
    expect(page.locator("#publish-form .section-message")).to_contain_text(
        "Chưa công bố: còn 1 mục chưa được đánh dấu chấp nhận"
    )
    expect(page.locator("#publish-form .section-message")).to_contain_text(
        "Công an tỉnh Sơn La chưa báo cáo."
    )
    assert not ClusterYear.objects.get(pk=year.pk).is_published

    # Every item ticked: published.
    page.locator("#publish-checklist").get_by_label("Chọn tất cả").check()
    form = page.locator("#publish-form")
    form.get_by_label("Tôi đã kiểm tra").check()
    form.get_by_role("button", name="Công bố và khóa số liệu").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã công bố năm 2024.")
    assert ClusterYear.objects.get(pk=year.pk).is_published
    assert len(PublishEvent.objects.get(cluster_year=year).checklist) == count

    page.goto("/clusters/cum-2/2024/edit/")
    expect(page.locator("#year-locked")).to_have_text(
        "Năm 2024 đã công bố và khóa; chỉ quản trị viên mở lại được."
    )
    expect(page.locator("main")).not_to_contain_text("Bạn không có quyền")
