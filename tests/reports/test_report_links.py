"""Links to a unit's report form are shown only to those the form opens for (issue 12 item 4):
an officer sees their own unit's, the cluster's secretariat and the admin every member's,
leadership every member's too (they read the form); nobody gets a link that answers 404."""

import re

import pytest

pytestmark = pytest.mark.django_db

MEMBERS_2024 = {"cao-bang", "dien-bien", "ha-giang", "lai-chau", "lang-son", "lao-cai", "son-la"}
REPORT_LINK = re.compile(r'href="/units/([a-z0-9-]+)/(\d{4})/report/"')


def report_links(response) -> set[tuple[str, int]]:
    html = response.content.decode()
    return {(slug, int(year)) for slug, year in REPORT_LINK.findall(html)}


def get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(
    "who,expected",
    [
        ("admin", MEMBERS_2024),
        ("secretary", MEMBERS_2024),
        ("leader", MEMBERS_2024),
        ("officer_laichau", {"lai-chau"}),
        ("officer_sonla", {"son-la"}),
    ],
)
def test_year_page_links_only_the_forms_that_open(client, seeded, people, who, expected):
    response = get(client, people[who], "/clusters/cum-2/2024/")
    assert response.status_code == 200
    assert report_links(response) == {(slug, 2024) for slug in expected}
    for slug, year in report_links(response):
        assert client.get(f"/units/{slug}/{year}/report/").status_code == 200


def test_the_officer_still_sees_the_others_who_have_not_reported(client, seeded, people):
    html = get(client, people["officer_laichau"], "/clusters/cum-2/2024/").content.decode()
    missing = html[html.index('id="missing-reports"') :]
    missing = missing[: missing.index("</div>")]
    assert "Sơn La" in missing and "Điện Biên" in missing
    assert 'href="/units/lai-chau/2024/report/"' in missing


def test_published_year_links_no_form_for_anonymous(client, seeded):
    response = client.get("/clusters/cum-2/2023/")
    assert response.status_code == 200 and report_links(response) == set()


@pytest.mark.parametrize(
    "who,status,expected",
    [
        ("admin", 200, None),
        ("secretary", 200, None),
        ("officer_laichau", 403, set()),
        ("officer_sonla", 403, set()),
        ("leader", 403, set()),
    ],
)
def test_edit_page_links_only_members_and_officers_never_get_it(
    client, seeded, people, who, status, expected
):
    response = get(client, people[who], "/clusters/cum-2/2024/edit/")
    assert response.status_code == status
    links = report_links(response)
    if expected is not None:
        assert links == expected
    else:
        assert {slug for slug, _year in links} <= MEMBERS_2024
        for slug, year in links:
            assert client.get(f"/units/{slug}/{year}/report/").status_code == 200


LAI_CHAU_YEARS = {("lai-chau", 2023), ("lai-chau", 2024)}  # 2023 reported, 2024 open


@pytest.mark.parametrize(
    "who,page,expected",
    [
        ("admin", "lai-chau", LAI_CHAU_YEARS),
        ("secretary", "lai-chau", LAI_CHAU_YEARS),
        ("leader", "lai-chau", {("lai-chau", 2023)}),  # reads reports, enters none
        ("officer_laichau", "lai-chau", LAI_CHAU_YEARS),
        ("officer_sonla", "lai-chau", set()),
        ("officer_laichau", "son-la", set()),
        (None, "lai-chau", set()),
    ],
)
def test_unit_page_links_the_forms_that_open(client, seeded, people, who, page, expected):
    response = get(client, people.get(who), f"/units/{page}/")
    assert response.status_code == 200
    assert report_links(response) == expected
    for slug, year in report_links(response):
        assert client.get(f"/units/{slug}/{year}/report/").status_code == 200


def test_unit_page_says_which_form_is_for_entering(client, seeded, people):
    html = get(client, people["officer_laichau"], "/units/lai-chau/").content.decode()
    assert re.search(r'href="/units/lai-chau/2024/report/"[^>]*>\s*Nhập báo cáo năm 2024', html)
    assert re.search(r'href="/units/lai-chau/2023/report/"[^>]*>\s*Xem báo cáo', html)


def test_unit_page_stays_within_its_queries(client, seeded, people, django_assert_max_num_queries):
    client.force_login(people["officer_laichau"])
    with django_assert_max_num_queries(12):
        assert client.get("/units/lai-chau/").status_code == 200
