"""The lifecycle on the edit page: open next year, change members with the reason, record the
handover; each a section posting to its own address."""

import pytest

from accounts.models import Role
from clusters.models import ClusterYear, MembershipChange
from tests.factories import UnitFactory, UnitReportFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/clusters/cum-2/2024/edit/"


def html(response):
    return response.content.decode()


def post(client, path, data=None, **kwargs):
    return client.post(URL + path, data or {}, **kwargs)


def test_the_edit_page_offers_next_year_handover_and_members(client, cluster_ii, secretary):
    client.force_login(secretary)
    page = html(client.get(URL))
    assert 'action="/clusters/cum-2/2024/edit/open-next/"' in page
    assert "Mở năm 2025" in page and "2.025" not in page
    assert 'id="chair-suggestion"' in page
    assert "Gợi ý theo luân phiên: Công an tỉnh Cao Bằng." in page
    assert 'action="/clusters/cum-2/2024/edit/handover/"' in page
    assert 'action="/clusters/cum-2/2024/edit/membership/"' in page
    assert "Chưa có báo cáo nào của năm" in page


def test_the_secretariat_opens_next_year(client, cluster_ii, secretary):
    client.force_login(secretary)
    response = post(client, "open-next/", follow=True)
    assert response.redirect_chain[-1][0].endswith(f"{URL}#open-next-form")
    assert "Đã mở năm 2025 với 7 đơn vị thành viên của năm 2024." in html(response)
    assert "Năm 2025 đã mở với 7 đơn vị thành viên." in html(response)
    assert ClusterYear.objects.get(cluster=cluster_ii.cluster, year=2025).memberships.count() == 7
    response = post(client, "open-next/", follow=True)
    assert "Năm 2025 của Cụm thi đua số II đã được mở." in html(response)


@pytest.mark.parametrize(
    "who,expected", [("leader", 403), ("officer_laichau", 403), ("officer_sonla", 403)]
)
def test_read_only_roles_do_not_open_it(client, cluster_ii, people, who, expected):
    client.force_login(people[who])
    assert post(client, "open-next/").status_code == expected
    assert (
        post(client, "handover/", {"handover-chair": cluster_ii.units["son-la"].pk}).status_code
        == expected
    )
    assert post(client, "membership/", {"member-action": "add"}).status_code == expected
    assert not ClusterYear.objects.filter(year=2025).exists()


def test_another_clusters_secretariat_gets_404(client, cluster_ii, other_cluster):
    client.force_login(UserFactory(role=Role.SECRETARIAT, cluster=other_cluster.cluster))
    assert post(client, "open-next/").status_code == 404
    assert post(client, "handover/").status_code == 404
    assert post(client, "membership/").status_code == 404
    assert not ClusterYear.objects.filter(year=2025).exists()


def test_the_admin_opens_next_year_of_a_published_year(client, cluster_ii, admin_user):
    from accounts.access import COMMAND_LINE
    from clusters import services

    services.cluster_year_publish(cluster_year=cluster_ii.years[2024], by=COMMAND_LINE)
    client.force_login(admin_user)
    assert "Mở năm 2025" in html(client.get(URL))
    post(client, "open-next/")
    assert ClusterYear.objects.filter(cluster=cluster_ii.cluster, year=2025).exists()


def test_the_handover_with_a_decision(client, cluster_ii, secretary):
    client.force_login(secretary)
    response = post(
        client,
        "handover/",
        {
            "handover-chair": cluster_ii.units["son-la"].pk,
            "handover-vice_chair": cluster_ii.units["lai-chau"].pk,
            "handover-handover_date": "05/12/2024",
            "handover-note": "Bàn giao tại hội nghị",
            "handover-decision_number": "5678/QĐ-BCA",
            "handover-decision_date": "01/12/2024",
        },
        follow=True,
    )
    assert "Đã ghi bàn giao cho năm 2025." in html(response)
    next_year = ClusterYear.objects.get(cluster=cluster_ii.cluster, year=2025)
    assert (next_year.chair.slug, next_year.vice_chair.slug) == ("son-la", "lai-chau")
    assert next_year.handover_date.isoformat() == "2024-12-05"  # day first, not 12 May
    assert (next_year.chair_decision_number, str(next_year.chair_decision_date)) == (
        "5678/QĐ-BCA",
        "2024-12-01",
    )
    page = html(client.get(URL))  # the form shows what was recorded
    assert 'value="5678/QĐ-BCA"' in page and 'value="05/12/2024"' in page

    page = html(client.get("/clusters/cum-2/"))
    assert "Quyết định số 5678/QĐ-BCA ngày 01/12/2024" in page


def test_a_refused_handover_keeps_what_was_typed(client, cluster_ii, secretary):
    client.force_login(secretary)
    response = post(
        client,
        "handover/",
        {"handover-chair": cluster_ii.units["son-la"].pk, "handover-decision_number": "12/QĐ"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith("#handover-form")
    page = html(response)
    assert "Quyết định chỉ định Cụm trưởng cần ghi cả số và ngày." in page
    assert 'value="12/QĐ"' in page
    assert not ClusterYear.objects.filter(cluster=cluster_ii.cluster, year=2025).exists()


def test_members_change_with_the_reason_once_reports_are_filed(client, cluster_ii, secretary):
    year = cluster_ii.years[2024]
    UnitReportFactory(cluster_year=year, unit=cluster_ii.units["lai-chau"])
    newcomer = UnitFactory(short_name="Tuyên Quang", slug="tuyen-quang")
    client.force_login(secretary)
    assert "mỗi thay đổi phải ghi số và ngày quyết định của Bộ" in html(client.get(URL))

    response = post(
        client, "membership/", {"member-action": "add", "member-unit": newcomer.pk}, follow=True
    )
    assert "Năm đã có đơn vị nộp báo cáo: hãy ghi số quyết định của Bộ." in html(response)
    assert not year.memberships.filter(unit=newcomer).exists()

    response = post(
        client,
        "membership/",
        {
            "member-action": "add",
            "member-unit": newcomer.pk,
            "member-decision_number": "999/QĐ-BCA",
            "member-decision_date": "02/03/2024",
            "member-note": "Điều chỉnh cụm",
        },
        follow=True,
    )
    assert "Đã ghi: Bổ sung vào cụm – Công an tỉnh Tuyên Quang." in html(response)
    assert year.memberships.filter(unit=newcomer).exists()
    change = MembershipChange.objects.get()
    assert (change.by, change.decision_number, str(change.decision_date)) == (
        secretary,
        "999/QĐ-BCA",
        "2024-03-02",
    )
    shown = "Bổ sung vào cụm: "
    assert shown in html(client.get(URL))
    cluster_page = html(client.get("/clusters/cum-2/"))
    assert "Quyết định số 999/QĐ-BCA ngày 02/03/2024" in cluster_page
    assert "(Điều chỉnh cụm)" in cluster_page


def test_lifecycle_sections_keep_the_edit_page_query_count(
    client, cluster_ii, secretary, django_assert_max_num_queries
):
    client.force_login(secretary)
    from clusters import services

    with django_assert_max_num_queries(18) as before:
        client.get(URL)
    count = len(before.captured_queries)  # the next request resets the connection's log
    year = cluster_ii.years[2024]
    for _ in range(6):
        services.membership_change(
            cluster_year=year, unit=UnitFactory(), action="add", by=secretary
        )
    post(client, "open-next/")
    with django_assert_max_num_queries(count):
        page = html(client.get(URL))
    assert page.count("Bổ sung vào cụm: ") == 6
    assert "Năm 2025 đã mở với 13 đơn vị thành viên." in page


def test_cluster_page_query_count_with_changes(
    client, cluster_ii, secretary, django_assert_num_queries
):
    from clusters import services

    for _ in range(5):
        services.membership_change(
            cluster_year=cluster_ii.years[2024], unit=UnitFactory(), action="add", by=secretary
        )
    # the cluster, its years, rosters and changes; the figures by year (one aggregate)
    with django_assert_num_queries(5):
        page = html(client.get("/clusters/cum-2/"))
    assert page.count("Bổ sung vào cụm: ") == 5
