"""Accounts are deactivated, never deleted: the history names who made every change, and a deleted
account would leave those entries without a name."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from accounts.models import User
from accounts.services import user_deactivate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/user/"


@pytest.fixture
def former_admin(admin_user, cluster_ii):
    """An admin who renamed a unit, and then left."""
    former = UserFactory(username="quantri.cu", role=User.Role.ADMIN)
    unit = cluster_ii.units["lai-chau"]
    unit.notes = "Ghi chú của quản trị viên cũ"
    unit._history_user = former  # what HistoryRequestMiddleware records for a web request
    unit.save()
    return former


def test_the_admin_cannot_delete_an_account(admin_client, former_admin):
    url = f"{CHANGELIST}{former_admin.pk}/delete/"
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    changelist = admin_client.get(CHANGELIST).content.decode()
    assert 'value="delete_selected"' not in changelist
    assert (
        'value="deactivate"' in changelist and "Ngừng hoạt động các tài khoản đã chọn" in changelist
    )
    # The bulk delete posted anyway is refused too.
    admin_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [former_admin.pk]}
    )
    assert User.objects.filter(pk=former_admin.pk).exists()


def test_the_action_deactivates_and_the_history_still_names_the_user(
    admin_client, admin_user, former_admin, cluster_ii
):
    still_open = Client()
    still_open.force_login(former_admin)
    assert still_open.get("/admin/").status_code == 200
    response = admin_client.post(
        CHANGELIST, {"action": "deactivate", "_selected_action": [former_admin.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "Đã ngừng hoạt động 1 tài khoản" in response.content.decode()
    former_admin.refresh_from_db()
    assert former_admin.is_active is False
    unit = cluster_ii.units["lai-chau"]
    assert unit.history.filter(history_user=former_admin).exists()
    last = former_admin.history.first()
    assert (last.is_active, last.history_user) == (False, admin_user)
    # The account no longer logs in, and its open sessions no longer count.
    login = Client().post(
        "/accounts/login/", {"username": "quantri.cu", "password": "mat-khau-thu"}
    )
    assert login.status_code == 200  # the form again, not the redirect of a login
    assert still_open.get("/admin/").status_code == 302


def test_an_admin_does_not_deactivate_themselves(admin_client, admin_user):
    response = admin_client.post(
        CHANGELIST, {"action": "deactivate", "_selected_action": [admin_user.pk]}, follow=True
    )
    assert "Không thể tự ngừng hoạt động tài khoản của mình" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_the_service_refuses_self_and_non_admins(admin_user, leader, former_admin):
    with pytest.raises(ValidationError):
        user_deactivate(user=admin_user, by=admin_user)
    with pytest.raises(PermissionDenied):
        user_deactivate(user=former_admin, by=leader)
    former_admin.refresh_from_db()
    assert former_admin.is_active
    user_deactivate(user=former_admin, by=admin_user)
    former_admin.refresh_from_db()
    assert not former_admin.is_active
    # An inactive admin no longer deactivates anybody.
    with pytest.raises(PermissionDenied):
        user_deactivate(user=leader, by=former_admin)


def test_the_admins_form_saves_through_the_service(admin_user):
    from accounts.services import user_save

    myself = User.objects.get(pk=admin_user.pk)
    myself.is_active = False
    with pytest.raises(ValidationError, match="tự ngừng"):
        user_save(user=myself, by=admin_user)
    other = UserFactory(username="canbo.moi", role=User.Role.ADMIN)
    with pytest.raises(PermissionDenied):
        user_save(user=other, by=UserFactory(username="lanhdao2", role=User.Role.LEADERSHIP))
    other.role = User.Role.LEADERSHIP
    user_save(user=other, by=User.objects.get(username="quantri"))
    other.refresh_from_db()
    assert not other.is_staff and not other.is_superuser
