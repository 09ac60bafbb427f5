import datetime

import pytest

from clusters.models import ClusterYear
from reports.models import Conference
from tests.factories import checklist_keys
from tests.sections import post_section

pytestmark = pytest.mark.django_db

URL = "/clusters/cum-2/2024/edit/"
CONFERENCE = {
    "action": "conference",
    "kind": "year_end",
    "date": "05/03/2025",
    "host": "",
    "place": "Lạng Sơn",
    "presiding_rank": "Thiếu tướng",
    "presiding_name": "Nguyễn Văn A",
    "presiding_title": "",
    "guests": "",
    "movement": "Vì an ninh Tổ quốc",
    "slogan": "",
    "highlights": "",
    "directions": "",
    "notes": "",
}


def test_secretariat_saves_the_conference_with_a_day_first_date(client, seeded, secretary):
    client.force_login(secretary)
    data = {**CONFERENCE, "host": seeded.units["lang-son"].pk}
    response = post_section(client, URL, data)
    assert response.redirect_chain[0][1] == 302
    conference = Conference.objects.get(cluster_year__year=2024, kind="year_end")
    assert conference.date == datetime.date(2025, 3, 5)
    assert conference.host.slug == "lang-son"
    html = client.get("/clusters/cum-2/2024/").content.decode()
    assert "05/03/2025" in html and "Thiếu tướng Nguyễn Văn A" in html


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("date", "31/02/2025", "Nhập một ngày hợp lệ."),
        ("date", "2025/13/45", "Nhập một ngày hợp lệ."),
        ("movement", "", "Trường này là bắt buộc."),
        ("presiding_name", "x" * 101, "Giá trị này chỉ có tối đa 100 kí tự (hiện có 101)"),
    ],
)
def test_bad_conference_input_changes_nothing(client, seeded, secretary, field, value, message):
    client.force_login(secretary)
    response = post_section(client, URL, {**CONFERENCE, field: value})
    assert response.status_code == 200
    assert response.context["conference_form"].errors[field] == [message]
    assert not Conference.objects.filter(cluster_year__year=2024).exists()


def test_host_must_be_a_member_of_the_year(client, seeded, secretary):
    client.force_login(secretary)
    response = post_section(client, URL, {**CONFERENCE, "host": seeded.units["tuyen-quang"].pk})
    assert "host" in response.context["conference_form"].errors
    assert not Conference.objects.filter(cluster_year__year=2024).exists()


def test_publish_needs_the_confirmation(client, seeded, secretary):
    client.force_login(secretary)
    response = post_section(client, URL, {"action": "publish"})
    assert response.status_code == 200
    assert "Hãy đánh dấu xác nhận trước khi công bố." in response.content.decode()
    assert ClusterYear.objects.get(year=2024).status == "open"


def test_publish_freezes_the_year_and_only_the_admin_reopens(
    client, seeded, secretary, officer_laichau, admin_user
):
    client.force_login(secretary)
    ticks = dict.fromkeys((f"accept:{key}" for key in checklist_keys(seeded.years[2024])), "on")
    response = post_section(
        client, URL, {"action": "publish", "confirm": "on", **ticks}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/clusters/cum-2/2024/"
    assert "Đã công bố năm 2024. Số liệu của năm đã được khóa." in response.content.decode()
    assert ClusterYear.objects.get(year=2024).is_published
    assert client.get(URL).status_code == 403  # the secretariat can no longer edit
    assert post_section(client, URL, {**CONFERENCE}).status_code == 403
    assert not Conference.objects.filter(cluster_year__year=2024).exists()

    client.force_login(officer_laichau)
    assert (
        client.get("/units/lai-chau/2024/report/")
        .context["form"]
        .fields["crimes_recorded"]
        .disabled
    )

    client.force_login(admin_user)
    page = client.get(URL)
    assert page.status_code == 200 and "Mở lại năm này" in page.content.decode()
    post_section(client, URL, {"action": "reopen"})
    assert ClusterYear.objects.get(year=2024).status == "open"


@pytest.mark.parametrize(
    "who,expected", [("leader", 403), ("officer_laichau", 403), ("officer_sonla", 403)]
)
def test_read_only_roles_get_403_and_change_nothing(client, seeded, people, who, expected):
    client.force_login(people[who])
    assert client.get(URL).status_code == expected
    assert post_section(client, URL, {"action": "publish", "confirm": "on"}).status_code == expected
    assert ClusterYear.objects.get(year=2024).status == "open"


def test_another_clusters_secretariat_gets_404(client, seeded, other_cluster):
    from accounts.models import Role
    from tests.factories import UserFactory

    stranger = UserFactory(
        username="thuky.cum1", role=Role.SECRETARIAT, cluster=other_cluster.cluster
    )
    client.force_login(stranger)
    assert client.get(URL).status_code == 404
    assert post_section(client, URL, {"action": "publish", "confirm": "on"}).status_code == 404
    assert ClusterYear.objects.get(cluster=seeded.cluster, year=2024).status == "open"


def test_edit_page_query_count_does_not_grow(client, seeded, admin_user, django_assert_num_queries):
    from awards import services as award_services
    from awards.models import AwardKind

    client.force_login(admin_user)
    with django_assert_num_queries(18):
        assert client.get(URL).status_code == 200
    year = seeded.years[2024]
    for i, unit in enumerate(year.members.all()):
        award_services.nomination_propose(
            cluster_year=year,
            award_kind=AwardKind.objects.get(code="bang-khen-bo-truong"),
            unit=unit,
            person_name=f"Cán bộ {i}",
            by=admin_user,
        )
    with django_assert_num_queries(18):
        response = client.get(URL)
    assert len(response.context["nominations"]) == 7


def test_edit_page_has_no_nested_forms(client, seeded, secretary):
    client.force_login(secretary)
    html = client.get(URL).content.decode()
    depth = deepest = 0
    import re

    for tag in re.findall(r"<(/?)form\b", html):
        depth += -1 if tag else 1
        deepest = max(deepest, depth)
    assert deepest == 1
