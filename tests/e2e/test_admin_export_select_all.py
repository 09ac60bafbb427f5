"""The admin's export page in a real browser under the project's Content-Security-Policy: "select
all" clears and ticks every column, and the console reports no refused script or style."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.e2e.conftest import log_in
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_select_all_works_and_nothing_is_refused(page):
    UserFactory(username="quantri", role=Role.ADMIN)
    UnitFactory(short_name="Lai Châu", slug="lai-chau")
    messages = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))

    log_in(page, "quantri")
    page.goto("/admin/clusters/unit/export/")
    columns = page.locator(
        '.selectable-field-export-row input[type="checkbox"]:not(.select-toggle)'
    )
    expect(columns.first).to_be_visible()
    count = columns.count()
    assert count >= 5
    toggle = page.locator("#select-all-toggle")
    expect(toggle).to_be_checked()

    page.get_by_label("Chọn tất cả").uncheck()  # the label is tied to the box
    for index in range(count):
        expect(columns.nth(index)).not_to_be_checked()
    toggle.check()
    for index in range(count):
        expect(columns.nth(index)).to_be_checked()
    expect(page.get_by_text("Tên đơn vị", exact=True)).to_be_visible()

    refused = [m for m in messages if "Content Security Policy" in m or "pageerror" in m]
    assert not refused, refused
    assert not [m for m in messages if m.startswith("error")], messages
