"""The edit page's publish section: the checklist by section, a checkbox per item, the publish
refused while one is not ticked; then every page that would edit the year says it is locked."""

import re

import pytest

from clusters import checklist
from clusters.checklist import Item
from clusters.models import ClusterYear, PublishEvent
from reports.models import UnitReport
from tests.sections import post_section

pytestmark = pytest.mark.django_db

URL = "/clusters/cum-2/2024/edit/"
LOCKED = "Năm 2024 đã công bố và khóa; chỉ quản trị viên mở lại được."
REPORT = "/units/lai-chau/2024/report/"
MISSING = Item(key="fake:missing:1", section="reports", text="Công an tỉnh Lai Châu chưa báo cáo.")
VOTE = Item(
    key="fake:nomination:2", section="awards", text="Đề nghị Cờ thi đua chưa có quyết định."
)
HOUSE = Item(key="fake:house:3", section="welfare", text="Nhà của Đại úy Vừ A Di chưa bàn giao.")


@pytest.fixture
def fake_items(monkeypatch):
    found = [MISSING, VOTE, HOUSE]
    monkeypatch.setattr(
        checklist, "providers", lambda: [lambda cluster_year, bundle=None: list(found)]
    )
    return found


def ticked(*items):
    return {f"accept:{item.key}": "on" for item in items}


def html(response):
    return response.content.decode()


def test_the_page_shows_every_item_by_section_with_a_checkbox(
    client, seeded, secretary, fake_items
):
    client.force_login(secretary)
    page = html(client.get(URL))
    section = page[page.index('id="publish-checklist"') :]
    assert "Còn 3 mục chưa xong" in section
    for item, anchor in ((MISSING, "#reports"), (VOTE, "#vote"), (HOUSE, "#welfare")):
        assert f'name="accept:{item.key}"' in section
        assert item.text in section
        assert f'href="{anchor}"' in section
    assert 'data-check-all="#publish-checklist .checklist-item"' in section
    assert "Chọn tất cả" in section
    # the anchors it links to are on the page
    for anchor in ('id="reports"', 'id="vote"', 'id="welfare"'):
        assert anchor in page
    assert "<script>" not in page  # the select-all is static/js/app.js, not inline


def test_publishing_with_everything_ticked(client, seeded, secretary, fake_items):
    client.force_login(secretary)
    response = post_section(
        client, URL, {"action": "publish", "confirm": "on", **ticked(MISSING, VOTE, HOUSE)}
    )
    assert response.redirect_chain[-1][0] == "/clusters/cum-2/2024/"
    assert "Đã công bố năm 2024. Số liệu của năm đã được khóa." in html(response)
    event = PublishEvent.objects.get(cluster_year__year=2024)
    assert event.by == secretary and len(event.checklist) == 3


def test_an_unticked_item_is_refused_and_named_and_the_ticks_are_kept(
    client, seeded, secretary, fake_items
):
    client.force_login(secretary)
    response = post_section(
        client, URL, {"action": "publish", "confirm": "on", **ticked(MISSING, HOUSE)}
    )
    assert response.redirect_chain[-1][0].endswith("#publish-form")
    page = html(response)
    assert (
        "Chưa công bố: còn 1 mục chưa được đánh dấu chấp nhận "
        "(danh sách có thể đã thay đổi từ lúc mở trang): Đề nghị Cờ thi đua chưa có quyết định."
    ) in page
    assert re.search(rf'name="accept:{MISSING.key}"[^>]*checked', page)
    assert not re.search(rf'name="accept:{VOTE.key}"[^>]*checked', page)
    assert not ClusterYear.objects.get(cluster__slug="cum-2", year=2024).is_published
    assert not PublishEvent.objects.filter(cluster_year__year=2024).exists()


def test_the_published_message_on_every_page_that_would_edit(
    client, seeded, secretary, officer_laichau, fake_items
):
    client.force_login(secretary)
    post_section(client, URL, {"action": "publish", "confirm": "on", **ticked(*fake_items)})

    for response in (
        client.get(URL),
        post_section(client, URL, {"action": "conference", "kind": "year_end"}, follow=False),
        post_section(client, URL, {"action": "publish", "confirm": "on"}, follow=False),
        client.get("/clusters/cum-2/2024/import/"),
        client.post(REPORT, {"crimes_recorded": 5}),
    ):
        assert response.status_code == 403
        assert LOCKED in html(response)
        assert "Bạn không có quyền" not in html(response)

    client.force_login(officer_laichau)
    response = client.post(REPORT, {"crimes_recorded": 5})
    assert response.status_code == 403 and LOCKED in html(response)
    assert not UnitReport.objects.filter(cluster_year__year=2024).exists()
    response = client.get("/clusters/cum-2/2024/import/")
    assert response.status_code == 403 and LOCKED in html(response)


def test_who_could_not_edit_it_open_gets_the_usual_answers(
    client, seeded, leader, officer_sonla, other_cluster
):
    from accounts.access import COMMAND_LINE
    from accounts.models import Role
    from clusters import services
    from tests.factories import UserFactory

    services.cluster_year_publish(cluster_year=seeded.years[2024], by=COMMAND_LINE)
    client.force_login(leader)
    response = client.get(URL)
    assert response.status_code == 403 and LOCKED not in html(response)
    client.force_login(officer_sonla)  # another unit's report: not theirs at all
    assert client.post(REPORT, {"crimes_recorded": 5}).status_code == 404
    client.force_login(UserFactory(role=Role.SECRETARIAT, cluster=other_cluster.cluster))
    assert client.get(URL).status_code == 404


def test_the_admin_sees_who_published_what_and_reopens(
    client, seeded, secretary, admin_user, fake_items
):
    client.force_login(secretary)
    post_section(client, URL, {"action": "publish", "confirm": "on", **ticked(*fake_items)})
    client.force_login(admin_user)
    page = html(client.get(URL))
    assert LOCKED in page
    assert re.search(
        r"Công bố ngày \d\d/\d\d/\d{4} \d\d:\d\d bởi thuky\.cum2, chấp nhận 3 mục còn dở", page
    )
    assert HOUSE.text in page
    post_section(client, URL, {"action": "reopen"})
    assert not ClusterYear.objects.get(cluster__slug="cum-2", year=2024).is_published
    page = html(client.get(URL))
    assert re.search(r"Mở lại ngày \d\d/\d\d/\d{4} \d\d:\d\d bởi quantri", page)


def test_the_admin_action_goes_through_the_checklist(client, seeded, admin_user, fake_items):
    """The admin's changelist action publishes nothing while items are unfinished: the refusal
    names them (the checklist is ticked on the edit page)."""
    client.force_login(admin_user)
    year = seeded.years[2024]
    response = client.post(
        "/admin/clusters/clusteryear/",
        {"action": "publish", "_selected_action": [year.pk]},
        follow=True,
    )
    assert "Chưa công bố: còn 3 mục chưa được đánh dấu chấp nhận" in html(response)
    assert not ClusterYear.objects.get(pk=year.pk).is_published
    fake_items.clear()
    client.post(
        "/admin/clusters/clusteryear/", {"action": "publish", "_selected_action": [year.pk]}
    )
    assert ClusterYear.objects.get(pk=year.pk).is_published


def test_edit_page_query_count_does_not_grow_with_the_checklist(
    client, seeded, secretary, fake_items, django_assert_max_num_queries
):
    client.force_login(secretary)
    with django_assert_max_num_queries(18) as few:
        client.get(URL)
    count = len(few.captured_queries)
    fake_items.extend(
        Item(key=f"fake:more:{i}", section="reports", text=f"Mục {i}.") for i in range(30)
    )
    with django_assert_max_num_queries(count):
        page = html(client.get(URL))
    assert "Còn 33 mục chưa xong" in page
