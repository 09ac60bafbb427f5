"""A published year's page is rendered once for everyone who only reads it, kept in the cache,
and seen fresh after any write."""

import pytest

from clusters import services as cluster_services
from clusters.models import Unit

pytestmark = pytest.mark.django_db


def test_readers_share_one_rendering_in_few_queries(
    client, seeded, leader, django_assert_max_num_queries
):
    client.get("/clusters/cum-2/2023/")  # renders and keeps it
    with django_assert_max_num_queries(3):  # the year, its cluster's rules… not the content
        response = client.get("/clusters/cum-2/2023/")
    html = response.content.decode()
    assert "4.213" in html and "Vừ A Di" in html
    client.force_login(leader)
    response = client.get("/clusters/cum-2/2023/")
    assert response.content.decode().count("4.213") == html.count("4.213")


def test_a_write_is_seen_at_once(client, seeded, admin_user):
    assert "Lai Châu" in client.get("/clusters/cum-2/2023/").content.decode()
    unit = Unit.objects.get(slug="lai-chau")
    unit.short_name = "Lai Châu (đổi tên)"
    unit.name = "Công an tỉnh Lai Châu (đổi tên)"
    cluster_services.unit_save(unit=unit, by=admin_user)
    assert "Công an tỉnh Lai Châu (đổi tên)" in client.get("/clusters/cum-2/2023/").content.decode()


def test_a_reopened_year_is_not_served_from_the_cache(client, seeded, admin_user):
    client.get("/clusters/cum-2/2023/")
    cluster_services.cluster_year_reopen(
        cluster_year=seeded.years[2023], by=admin_user, note="Sửa số liệu"
    )
    response = client.get("/clusters/cum-2/2023/")
    assert response.status_code == 302  # an open year is not public


def test_the_secretariat_gets_its_own_page_with_its_forms(client, seeded, secretary):
    client.get("/clusters/cum-2/2018/")  # an anonymous rendering is kept
    client.force_login(secretary)
    response = client.get("/clusters/cum-2/2018/")
    assert "cached_body" not in response.context or not response.context["cached_body"]


def test_a_write_outside_a_request_committed_later_still_moves_the_generation(
    django_capture_on_commit_callbacks,
):
    from core.cache import bump_generation, generation

    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        bump_generation()
    assert generation() == before + 2  # once at once, once at the commit


def test_an_anonymous_visitor_gets_the_kept_page_with_a_token_of_their_own(
    seeded, django_assert_num_queries
):
    from django.test import Client

    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/clusters/cum-2/2023/")  # rendered and kept whole
    with django_assert_num_queries(0):
        response = second.get("/clusters/cum-2/2023/")
    html = response.content.decode()
    assert "4.213" in html and "csrf0token0kept0page0placeholder" not in html
    token = response.cookies["csrftoken"].value
    switched = second.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": _token(html)}
    )
    assert token and switched.status_code == 302  # the kept page's form works for this visitor
    # the page reads no parameter: a query string is the same kept page, not a new rendering
    # (a visitor varying it would otherwise fill the cache)
    with django_assert_num_queries(0):
        again = Client().get("/clusters/cum-2/2023/?x=1").content.decode()
    assert "4.213" in again


def _token(html: str) -> str:
    import re

    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_a_kept_anonymous_page_is_gone_after_a_write(client, seeded, admin_user):
    client.get("/clusters/cum-2/2023/")
    unit = Unit.objects.get(slug="son-la")
    unit.name = "Công an tỉnh Sơn La (đổi tên)"
    unit.short_name = "Sơn La (đổi tên)"
    cluster_services.unit_save(unit=unit, by=admin_user)
    assert "Sơn La (đổi tên)" in client.get("/clusters/cum-2/2023/").content.decode()
