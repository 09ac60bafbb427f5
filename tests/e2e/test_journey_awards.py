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


def test_a_late_decision_is_recorded_on_a_published_year(page, settings, tmp_path):
    from django.utils import timezone

    from awards.demo import seed_awards
    from clusters.demo import publish_the_past

    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    demo = seed_clusters()
    seed_awards(demo)  # 2018: four flags submitted, no decision (the article gives none)
    publish_the_past(demo)
    UserFactory(username="thuky.cum2", role=Role.SECRETARIAT, cluster=demo.cluster)
    nomination = Nomination.objects.get(
        cluster_year=demo.years[2018], unit=demo.units["lang-son"], award_kind__is_flag=True
    )

    log_in(page, "thuky.cum2")
    page.goto("/clusters/cum-2/2018/")
    expect(page.locator("#year-status")).to_contain_text("Đã công bố")
    row = page.locator(f'#year-nominations tr[data-nomination="{nomination.pk}"]')
    expect(row).to_contain_text("Đã trình")
    row.get_by_text("Ghi quyết định đến sau").first.click()
    form = row.locator("form.late-decision-form")
    form.locator("input[name=decision_number]").fill("1234/QĐ-BCA")
    form.locator("input[name=decision_date]").fill("20/03/2019")
    form.locator("input[name=decision_issuer]").fill("Bộ trưởng Bộ Công an")
    form.locator("input[name=document]").set_input_files(
        files=[{"name": "qd-1234.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n"}]
    )
    form.get_by_role("button", name="Ghi quyết định đến sau").click()

    expect(page.locator(".alert-success")).to_contain_text("Đã ghi quyết định đến sau.")
    row = page.locator(f'#year-nominations tr[data-nomination="{nomination.pk}"]')
    expect(row).to_contain_text("Được khen thưởng")
    expect(row).to_contain_text("1234/QĐ-BCA, 20/03/2019 (Bộ trưởng Bộ Công an)")
    today = timezone.localdate().strftime("%d/%m/%Y")
    expect(row.locator(".amendment-mark")).to_have_text(f"Bổ sung sau công bố ngày {today}")
    expect(row.locator("a.decision-document")).to_be_visible()
    expect(page.locator("#year-status")).to_contain_text("Đã công bố")  # the year stays frozen
    expect(row.locator("form.late-decision-form")).to_have_count(0)
