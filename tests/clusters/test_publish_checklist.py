"""Publishing through the checklist (clusters.checklist): the service recomputes the items under
the year's lock and refuses while one is not accepted; the list is kept with the publish event."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.access import COMMAND_LINE
from clusters import checklist, services
from clusters.checklist import Item
from clusters.models import ClusterYear, PublishEvent

pytestmark = pytest.mark.django_db

MISSING = Item(
    key="fake:missing:unit-1", section="reports", text="Công an tỉnh Lai Châu chưa báo cáo."
)
HOUSE = Item(key="fake:house:1", section="welfare", text="Nhà của Đại úy Vừ A Di chưa bàn giao.")


@pytest.fixture
def fake_items(monkeypatch):
    """The checklist's providers replaced by one whose items the test sets."""
    found = [MISSING, HOUSE]
    monkeypatch.setattr(
        checklist, "providers", lambda: [lambda cluster_year, bundle=None: list(found)]
    )
    return found


def test_the_secretariat_publishes_once_every_item_is_accepted(cluster_ii, secretary, fake_items):
    year = cluster_ii.years[2024]
    services.cluster_year_publish(
        cluster_year=year, by=secretary, accepted={MISSING.key, HOUSE.key}
    )
    assert ClusterYear.objects.get(pk=year.pk).is_published
    event = PublishEvent.objects.get(cluster_year=year)
    assert event.action == PublishEvent.Action.PUBLISH
    assert event.by == secretary
    assert event.checklist == [MISSING.as_dict(), HOUSE.as_dict()]


def test_an_item_not_ticked_refuses_and_names_it(cluster_ii, secretary, fake_items):
    year = cluster_ii.years[2024]
    with pytest.raises(ValidationError) as refused:
        services.cluster_year_publish(cluster_year=year, by=secretary, accepted={MISSING.key})
    assert refused.value.messages == [
        "Chưa công bố: còn 1 mục chưa được đánh dấu chấp nhận "
        "(danh sách có thể đã thay đổi từ lúc mở trang): "
        "Nhà của Đại úy Vừ A Di chưa bàn giao."
    ]
    assert not ClusterYear.objects.get(pk=year.pk).is_published
    assert not PublishEvent.objects.exists()


def test_an_item_that_appeared_since_the_page_was_shown_refuses(cluster_ii, secretary, fake_items):
    year = cluster_ii.years[2024]
    shown = {item.key for item in checklist.items_for(year)}
    fake_items.append(Item(key="fake:new", section="awards", text="Đề nghị mới chưa quyết định."))
    with pytest.raises(ValidationError) as refused:
        services.cluster_year_publish(cluster_year=year, by=secretary, accepted=shown)
    assert "Đề nghị mới chưa quyết định." in refused.value.messages[0]
    assert not ClusterYear.objects.get(pk=year.pk).is_published


def test_an_item_gone_since_the_page_was_shown_is_not_kept(cluster_ii, secretary, fake_items):
    year = cluster_ii.years[2024]
    fake_items.remove(HOUSE)
    services.cluster_year_publish(
        cluster_year=year, by=secretary, accepted={MISSING.key, HOUSE.key}
    )
    assert PublishEvent.objects.get().checklist == [MISSING.as_dict()]


def test_nothing_to_accept_publishes_with_an_empty_list(cluster_ii, secretary, fake_items):
    fake_items.clear()
    year = cluster_ii.years[2024]
    services.cluster_year_publish(cluster_year=year, by=secretary, accepted=set())
    assert PublishEvent.objects.get().checklist == []


def test_accept_all_is_for_the_command_line_only(cluster_ii, admin_user, fake_items):
    year = cluster_ii.years[2024]
    with pytest.raises(PermissionDenied):
        services.cluster_year_publish(cluster_year=year, by=admin_user, accepted=services.ALL)
    assert not ClusterYear.objects.get(pk=year.pk).is_published
    services.cluster_year_publish(cluster_year=year, by=COMMAND_LINE, accepted=services.ALL)
    event = PublishEvent.objects.get()
    assert event.by is None and len(event.checklist) == 2


def test_a_person_who_names_nothing_accepts_nothing(cluster_ii, admin_user, fake_items):
    with pytest.raises(ValidationError):
        services.cluster_year_publish(cluster_year=cluster_ii.years[2024], by=admin_user)


@pytest.mark.parametrize("who", ["officer_laichau", "leader"])
def test_read_only_roles_are_refused(cluster_ii, people, who, fake_items):
    with pytest.raises(PermissionDenied):
        services.cluster_year_publish(
            cluster_year=cluster_ii.years[2024], by=people[who], accepted={MISSING.key, HOUSE.key}
        )
    assert not PublishEvent.objects.exists()


def test_another_clusters_secretariat_is_refused(cluster_ii, other_cluster, fake_items):
    from accounts.models import Role
    from tests.factories import UserFactory

    stranger = UserFactory(role=Role.SECRETARIAT, cluster=other_cluster.cluster)
    with pytest.raises(PermissionDenied):
        services.cluster_year_publish(
            cluster_year=cluster_ii.years[2024], by=stranger, accepted={MISSING.key, HOUSE.key}
        )


def test_a_published_year_is_not_published_twice(cluster_ii, admin_user, fake_items):
    year = cluster_ii.years[2024]
    services.cluster_year_publish(
        cluster_year=year, by=admin_user, accepted={MISSING.key, HOUSE.key}
    )
    with pytest.raises(ValidationError):
        services.cluster_year_publish(
            cluster_year=year, by=admin_user, accepted={MISSING.key, HOUSE.key}
        )
    assert PublishEvent.objects.count() == 1


def test_reopen_is_kept_too(cluster_ii, admin_user, secretary, fake_items):
    year = cluster_ii.years[2024]
    services.cluster_year_publish(
        cluster_year=year, by=secretary, accepted={MISSING.key, HOUSE.key}
    )
    with pytest.raises(PermissionDenied):
        services.cluster_year_reopen(cluster_year=year, by=secretary)
    services.cluster_year_reopen(cluster_year=year, by=admin_user, note="Sửa số liệu Sơn La")
    reopen, publish = PublishEvent.objects.all()
    assert (reopen.action, reopen.by, reopen.note) == ("reopen", admin_user, "Sửa số liệu Sơn La")
    assert publish.action == "publish"
    assert not ClusterYear.objects.get(pk=year.pk).is_published


def test_the_real_providers_are_found(cluster_ii):
    """Without the fake: 2024 of the seeds has no report, so the reports' items name every unit."""
    keys = {item.key for item in checklist.items_for(cluster_ii.years[2024])}
    lai_chau = cluster_ii.units["lai-chau"]
    assert f"reports:missing:unit-{lai_chau.pk}" in keys


def test_every_apps_checklist_section_has_a_heading_not_a_code():
    """Each provider's section is shown under its Vietnamese heading with its anchor."""
    from clusters.checklist import Item
    from clusters.views import checklist_groups

    items = [
        Item(f"k{n}", section, "x") for n, section in enumerate(("reports", "vote", "welfare"))
    ]
    groups = checklist_groups(items)
    assert [(g["label"], g["anchor"]) for g in groups] == [
        ("Báo cáo của đơn vị", "reports"),
        ("Bình xét, khen thưởng", "vote"),
        ("Quỹ Nghĩa tình đồng đội", "welfare"),
    ]
