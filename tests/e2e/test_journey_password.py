import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from clusters.demo import seed_clusters
from tests.e2e.conftest import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW = "Mat-khau-moi-2026!"


def test_a_temporary_password_is_replaced_at_the_first_login(page):
    demo = seed_clusters()
    UserFactory(
        username="canbo.laichau",
        role=Role.UNIT_OFFICER,
        unit=demo.units["lai-chau"],
        must_change_password=True,
    )

    # Forgot it? The login page says whom to ask, and offers no email on a closed network.
    page.goto("/accounts/login/")
    page.get_by_text("Quên mật khẩu?").click()
    expect(page.locator("#forgot-password")).to_contain_text("thư ký cụm")
    expect(page.locator("#forgot-password a")).to_have_count(0)

    log_in(page, "canbo.laichau")
    expect(page).to_have_url(re.compile(r"/accounts/password_change/$"))
    expect(page.locator("main")).to_contain_text("Quản trị viên yêu cầu bạn đổi mật khẩu")
    # every other page leads back here until it is done
    page.goto("/clusters/cum-2/")
    expect(page).to_have_url(re.compile(r"/accounts/password_change/$"))

    page.fill("input[name=old_password]", "mat-khau-thu")
    page.fill("input[name=new_password1]", NEW)
    page.fill("input[name=new_password2]", NEW)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/password_change/done/$"))
    expect(page.locator("h1")).to_have_text("Đã đổi mật khẩu")

    # still signed in, and free to go anywhere
    page.goto("/clusters/cum-2/")
    expect(page.locator("h1")).to_have_text("Cụm thi đua số II")
    expect(page.locator("#current-user")).to_contain_text("canbo.laichau")

    page.get_by_role("button", name="Đăng xuất").click()
    log_in(page, "canbo.laichau", NEW)
    expect(page.locator("#current-user")).to_contain_text("canbo.laichau")
    page.get_by_role("link", name="Đổi mật khẩu").click()
    expect(page).to_have_url(re.compile(r"/accounts/password_change/$"))
