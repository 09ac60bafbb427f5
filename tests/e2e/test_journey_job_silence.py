"""A clerk watches a background import whose worker stops answering: without reloading, the page
stops looking busy and says what happened and what to do."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.factories import UserFactory
from workbook.models import ImportJob

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_page_says_when_the_worker_has_gone_quiet(page):
    clerk = UserFactory(username="quantri.e2e", role=Role.ADMIN, is_staff=True)
    now = timezone.now()
    job = ImportJob.objects.create(
        user=clerk,
        filename="khen-thuong.xlsx",
        status="writing",
        started_at=now,
        heard_at=now,
        rows_total=20_000,
        rows_checked=20_000,
        rows_written=4_000,
    )
    log_in(page, "quantri.e2e")
    page.goto(f"/workbook/jobs/{job.pk}/")
    silence = page.locator("#job-silence")
    expect(page.locator("#job-percent")).to_have_text("20")
    expect(silence).to_be_hidden()

    # The worker dies: nothing is heard of it from now on (here, eleven minutes pass at once).
    quiet = now - datetime.timedelta(minutes=11)
    ImportJob.objects.filter(pk=job.pk).update(created_at=quiet, started_at=quiet, heard_at=quiet)
    expect(silence).to_be_visible(timeout=5_000)
    expect(silence).to_contain_text("Máy chạy nền không báo tiến độ từ")
    expect(silence).to_contain_text("Hãy báo quản trị viên, hoặc tải tệp lên lại.")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "job-silence.png", full_page=True)

    # It comes back and reports: the message goes away.
    ImportJob.objects.filter(pk=job.pk).update(heard_at=timezone.now(), rows_written=8_000)
    expect(silence).to_be_hidden(timeout=5_000)
    expect(page.locator("#job-percent")).to_have_text("40")
