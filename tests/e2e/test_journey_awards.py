import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from awards.catalogue import ensure_award_catalogue
from awards.models import Nomination
from clusters.demo import seed_clusters
from tests.e2e.conftest import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_secretariat_records_the_2024_vote(page):
    demo = seed_clusters()
    ensure_award_catalogue()  # the live server's database is flushed: data migrations are gone
    UserFactory(username="thuky.cum2", role=Role.SECRETARIAT, cluster=demo.cluster)

    log_in(page, "thuky.cum2")
    page.goto("/clusters/cum-2/2024/edit/")

    # The cluster's vote chose Lạng Sơn to lead 2024.
    page.locator("#leader-form select[name=leading_unit]").select_option(
        label="Công an tỉnh Lạng Sơn"
    )
    page.locator("#leader-form").get_by_role("button", name="Lưu").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu đơn vị dẫn đầu và chỉ tiêu.")

    # A Ministry flag for Sơn La with 5 of 7 votes: below 80%, refused on the page.
    form = page.locator("#nomination-form")
    form.locator("select[name=award_kind]").select_option(label="Cờ thi đua của Bộ Công an")
    form.locator("select[name=unit]").select_option(label="Công an tỉnh Sơn La")
    form.locator("input[name=votes_for]").fill("5")
    form.locator("input[name=council_size]").fill("7")
    form.get_by_role("button", name="Ghi kết quả bình xét").click()
    expect(page.locator("#nomination-errors")).to_contain_text(
        "Cờ thi đua của Bộ Công an cần từ 80% phiếu đồng ý trên tổng số thành viên hội đồng "
        "(Nghị định 98/2023/NĐ-CP, Điều 30); mới đạt 5/7 phiếu (71,4%)."
    )
    expect(form.locator("input[name=votes_for]")).to_have_value("5")  # what was typed stays
    assert not Nomination.objects.exists()

    # Six of seven pass (85,7%).
    form = page.locator("#nomination-form")
    form.locator("input[name=votes_for]").fill("6")
    form.get_by_role("button", name="Ghi kết quả bình xét").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã ghi kết quả bình xét.")
    row = page.locator("#nominations tbody tr").first
    expect(row).to_contain_text("Công an tỉnh Sơn La")
    expect(row).to_contain_text("6/7 (85,7%)")

    # The Government flag for a unit that does not lead the cluster is refused too.
    form = page.locator("#nomination-form")
    form.locator("select[name=award_kind]").select_option(label="Cờ thi đua của Chính phủ")
    form.locator("select[name=unit]").select_option(label="Công an tỉnh Sơn La")
    form.locator("input[name=votes_for]").fill("7")
    form.locator("input[name=council_size]").fill("7")
    form.get_by_role("button", name="Ghi kết quả bình xét").click()
    expect(page.locator("#nomination-errors")).to_contain_text(
        "chỉ đề nghị cho đơn vị dẫn đầu cụm năm 2024 là Công an tỉnh Lạng Sơn"
    )

    # Submitted to the Ministry, and shown on the year page.
    page.locator("#nominations").get_by_role("button", name="Trình").click()
    expect(page.locator("#nominations")).to_contain_text("Đã trình")
    page.goto("/clusters/cum-2/2024/")
    expect(page.locator("#year-nominations")).to_contain_text("Cờ thi đua của Bộ Công an")
    expect(page.locator("#awards")).to_contain_text("Đơn vị dẫn đầu cụm: Công an tỉnh Lạng Sơn")
    page.get_by_role("link", name="Khen thưởng").click()
    expect(page).to_have_url(re.compile(r"/awards/$"))
    expect(page.locator("#flag-matrix")).to_contain_text("Sơn La")
