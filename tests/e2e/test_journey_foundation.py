import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from clusters.demo import seed_clusters
from tests.e2e.conftest import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_visits_cluster_and_unit_and_switches_language(page):
    demo = seed_clusters()
    UserFactory(username="canbo.laichau", role=Role.UNIT_OFFICER, unit=demo.units["lai-chau"])

    log_in(page, "canbo.laichau")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("#current-user")).to_contain_text("canbo.laichau")

    page.get_by_role("link", name="Cụm thi đua số II").click()
    expect(page).to_have_url(re.compile(r"/clusters/cum-2/$"))
    expect(page.locator("h1")).to_have_text("Cụm thi đua số II")
    expect(page.locator("#rotation")).to_contain_text("Công an tỉnh Cao Bằng")
    expect(page.locator("#chair-history")).to_contain_text("2023")
    expect(page.locator("#chair-history")).not_to_contain_text("2.023")

    page.locator("#roster-2023").get_by_role("link", name=re.compile("Lai Châu")).click()
    expect(page).to_have_url(re.compile(r"/units/lai-chau/$"))
    expect(page.locator("h1")).to_have_text("Công an tỉnh Lai Châu")
    expect(page.locator("#unit-history")).to_contain_text("Cụm trưởng")

    page.get_by_role("button", name="EN").click()
    expect(page).to_have_url(re.compile(r"/units/lai-chau/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#unit-history")).to_contain_text("Chair that year")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.get_by_role("button", name="VI").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("#unit-history")).to_contain_text("Cụm trưởng năm đó")


def test_phone_width_has_a_working_menu(page):
    seed_clusters()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/clusters/cum-2/")
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    expect(page.get_by_role("link", name="Đăng nhập")).to_be_hidden()
    toggler.click()
    expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()
    # nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
