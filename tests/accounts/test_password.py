"""Passwords: everyone changes their own; the admin can require a change at the next login;
"Quên mật khẩu?" says whom to ask, and the reset by email exists only where mail is configured;
the login link never sends back to a login page."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client

from accounts.models import User
from accounts.services import user_require_password_change, user_set_own_password

pytestmark = pytest.mark.django_db

CHANGE = "/accounts/password_change/"
DONE = "/accounts/password_change/done/"
LOGIN = "/accounts/login/"
NEW = "Mat-khau-moi-2026!"


def change(client, old="mat-khau-thu", new=NEW, again=None):
    return client.post(
        CHANGE, {"old_password": old, "new_password1": new, "new_password2": again or new}
    )


# --- 1. every user changes their own password ---------------------------------------------


@pytest.mark.parametrize(
    "who", ["admin", "leader", "secretary", "officer_laichau", "officer_sonla"]
)
def test_every_signed_in_user_has_the_link_and_the_vietnamese_page(client, people, who):
    client.force_login(people[who])
    home = client.get("/").content.decode()
    assert f'href="{CHANGE}"' in home and "Đổi mật khẩu" in home
    page = client.get(CHANGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'lang="vi"' in html and "<h1" in html and "Đổi mật khẩu" in html
    for name in ("old_password", "new_password1", "new_password2"):
        assert f'name="{name}"' in html


def test_anonymous_is_sent_to_login_and_has_no_link(client, cluster_ii):
    assert f'href="{CHANGE}"' not in client.get("/").content.decode()
    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={CHANGE}"


def test_the_change_keeps_the_session_and_is_in_the_history(client, officer_laichau):
    client.force_login(officer_laichau)
    response = change(client)
    assert (response.status_code, response["Location"]) == (302, DONE)
    done = client.get(DONE)
    assert done.status_code == 200 and "Đã đổi mật khẩu" in done.content.decode()
    # still signed in, on this browser, after the session hash changed
    assert client.get("/").content.decode().count("canbo.laichau") >= 1
    assert "_auth_user_id" in client.session
    officer_laichau.refresh_from_db()
    assert officer_laichau.check_password(NEW)
    last = officer_laichau.history.first()
    assert last.history_user == officer_laichau
    # the old password no longer logs in, the new one does
    assert (
        Client().post(LOGIN, {"username": "canbo.laichau", "password": "mat-khau-thu"}).status_code
        == 200
    )
    assert Client().post(LOGIN, {"username": "canbo.laichau", "password": NEW}).status_code == 302


def test_a_wrong_old_password_or_a_weak_new_one_changes_nothing(client, officer_laichau):
    client.force_login(officer_laichau)
    wrong = change(client, old="khong-dung-mat-khau")
    assert wrong.status_code == 200
    weak = change(client, new="12345678")
    assert weak.status_code == 200
    mismatch = change(client, again="Mat-khau-khac-2026!")
    assert mismatch.status_code == 200
    officer_laichau.refresh_from_db()
    assert officer_laichau.check_password("mat-khau-thu")


def test_the_page_issues_a_fixed_number_of_queries(
    client, officer_laichau, django_assert_max_num_queries
):
    client.force_login(officer_laichau)
    with django_assert_max_num_queries(4):  # session, user, (idle stamp write)
        assert client.get(CHANGE).status_code == 200


def test_only_the_user_changes_their_own_password_through_the_service(officer_laichau, admin_user):
    with pytest.raises(PermissionDenied):
        user_set_own_password(user=officer_laichau, password=NEW, by=admin_user)
    officer_laichau.refresh_from_db()
    assert officer_laichau.check_password("mat-khau-thu")


# --- 2. the admin requires a change at the next login ---------------------------------------


@pytest.fixture
def flagged(officer_laichau):
    officer_laichau.must_change_password = True
    officer_laichau.save()
    return officer_laichau


@pytest.mark.parametrize(
    "address",
    ["/", "/clusters/cum-2/", "/units/lai-chau/2024/report/", "/admin/", "/awards/", DONE],
)
def test_while_flagged_every_page_goes_to_the_change_page_with_a_message(client, flagged, address):
    client.force_login(flagged)
    response = client.get(address)
    assert (response.status_code, response["Location"]) == (302, CHANGE)
    page = client.get(CHANGE).content.decode()
    assert "Quản trị viên yêu cầu bạn đổi mật khẩu" in page


def test_while_flagged_a_post_elsewhere_writes_nothing(client, flagged):
    client.force_login(flagged)
    response = client.post("/units/lai-chau/2024/report/", {"crimes_recorded": "1"})
    assert (response.status_code, response["Location"]) == (302, CHANGE)


def test_while_flagged_the_change_page_logout_static_and_healthz_answer(client, flagged):
    client.force_login(flagged)
    assert client.get(CHANGE).status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/static/css/app.css").status_code != 302
    assert client.get("/favicon.ico").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "vi", "next": CHANGE})["Location"] == CHANGE
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_changing_the_password_clears_the_flag(client, flagged):
    client.force_login(flagged)
    assert change(client)["Location"] == DONE
    flagged.refresh_from_db()
    assert flagged.must_change_password is False
    assert client.get("/").status_code == 200
    last = flagged.history.first()
    assert (last.must_change_password, last.history_user) == (False, flagged)


def test_the_flag_stops_a_fresh_login_too(client, flagged):
    response = client.post(
        LOGIN, {"username": "canbo.laichau", "password": "mat-khau-thu"}, follow=True
    )
    assert response.redirect_chain[-1][0] == CHANGE
    assert "Quản trị viên yêu cầu bạn đổi mật khẩu" in response.content.decode()


def test_the_admin_ticks_the_flag_in_the_user_form(admin_client, admin_user, officer_sonla):
    url = f"/admin/accounts/user/{officer_sonla.pk}/change/"
    html = admin_client.get(url).content.decode()
    assert 'name="must_change_password"' in html
    data = {
        "username": officer_sonla.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "role": officer_sonla.role,
        "unit": officer_sonla.unit_id,
        "cluster": "",
        "is_active": "on",
        "must_change_password": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "01/01/2026",
        "date_joined_1": "08:00:00",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    officer_sonla.refresh_from_db()
    assert officer_sonla.must_change_password is True
    assert officer_sonla.history.first().history_user == admin_user


def test_the_admin_action_requires_a_change(admin_client, admin_user, officer_sonla, leader):
    changelist = admin_client.get("/admin/accounts/user/").content.decode()
    assert 'value="require_password_change"' in changelist
    response = admin_client.post(
        "/admin/accounts/user/",
        {"action": "require_password_change", "_selected_action": [officer_sonla.pk, leader.pk]},
        follow=True,
    )
    assert "2 tài khoản phải đổi mật khẩu" in response.content.decode()
    officer_sonla.refresh_from_db()
    leader.refresh_from_db()
    assert officer_sonla.must_change_password and leader.must_change_password
    assert officer_sonla.history.first().history_user == admin_user


def test_only_an_admin_requires_a_change(officer_sonla, leader):
    with pytest.raises(PermissionDenied):
        user_require_password_change(user=officer_sonla, by=leader)
    officer_sonla.refresh_from_db()
    assert officer_sonla.must_change_password is False


def test_an_account_the_admin_creates_with_a_password_must_change_it(admin_client, cluster_ii):
    add = admin_client.get("/admin/accounts/user/add/").content.decode()
    assert re.search(r'name="must_change_password"[^>]*checked', add)
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "canbo.moi",
            "usable_password": "true",
            "password1": "Tam-thoi-2026!",
            "password2": "Tam-thoi-2026!",
            "role": User.Role.LEADERSHIP,
            "must_change_password": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = User.objects.get(username="canbo.moi")
    assert created.must_change_password is True
    first = Client()
    login = first.post(LOGIN, {"username": "canbo.moi", "password": "Tam-thoi-2026!"})
    assert login.status_code == 302
    assert first.get("/")["Location"] == CHANGE


def test_the_admin_resetting_someones_password_requires_a_change(admin_client, officer_sonla):
    url = f"/admin/accounts/user/{officer_sonla.pk}/password/"
    strong = "Cum-thi-dua-2026!"
    response = admin_client.post(
        url, {"password1": strong, "password2": strong, "usable_password": "true"}
    )
    assert response.status_code == 302
    officer_sonla.refresh_from_db()
    assert officer_sonla.check_password(strong) and officer_sonla.must_change_password


# --- 3. "Quên mật khẩu?" -------------------------------------------------------------------

RESET = "/accounts/password_reset/"


def test_the_login_page_says_whom_to_ask_without_mail(client, settings):
    settings.EMAIL_HOST = ""
    html = client.get(LOGIN).content.decode()
    assert "Quên mật khẩu?" in html
    assert "thư ký cụm" in html and "quản trị viên" in html
    assert RESET not in html


@pytest.mark.parametrize(
    "address",
    [RESET, f"{RESET}done/", "/accounts/reset/MQ/set-password/", "/accounts/reset/done/"],
)
def test_without_mail_the_reset_addresses_answer_404(client, settings, address):
    settings.EMAIL_HOST = ""
    assert client.get(address).status_code == 404
    assert client.post(address, {"email": "a@b.vn"}).status_code == 404


def test_with_mail_the_reset_works_end_to_end(client, settings, officer_laichau):
    settings.EMAIL_HOST = "mail.bocongan.vn"
    officer_laichau.email = "canbo.laichau@laichau.vn"
    officer_laichau.save()
    login = client.get(LOGIN).content.decode()
    assert f'href="{RESET}"' in login
    form = client.get(RESET)
    assert form.status_code == 200 and "Đặt lại mật khẩu" in form.content.decode()
    response = client.post(RESET, {"email": "canbo.laichau@laichau.vn"})
    assert (response.status_code, response["Location"]) == (302, f"{RESET}done/")
    assert client.get(f"{RESET}done/").status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["canbo.laichau@laichau.vn"]
    assert "Đặt lại mật khẩu" in message.subject
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    confirm = client.get(link, follow=True)
    assert confirm.status_code == 200 and 'name="new_password1"' in confirm.content.decode()
    set_url = confirm.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert (done.status_code, done["Location"]) == (302, "/accounts/reset/done/")
    assert client.get("/accounts/reset/done/").status_code == 200
    officer_laichau.refresh_from_db()
    assert officer_laichau.check_password(NEW)
    assert officer_laichau.history.first().history_user == officer_laichau


def test_the_email_settings_come_from_the_environment(monkeypatch):
    import importlib

    import config.settings

    for name, value in {
        "EMAIL_HOST": "mail.bocongan.vn",
        "EMAIL_PORT": "587",
        "EMAIL_HOST_USER": "thidua",
        "EMAIL_HOST_PASSWORD": "bi-mat",
        "EMAIL_USE_TLS": "1",
        "DEFAULT_FROM_EMAIL": "thidua@bocongan.vn",
    }.items():
        monkeypatch.setenv(name, value)
    try:
        loaded = importlib.reload(config.settings)
        assert (loaded.EMAIL_HOST, loaded.EMAIL_PORT, loaded.EMAIL_HOST_USER) == (
            "mail.bocongan.vn",
            587,
            "thidua",
        )
        assert loaded.EMAIL_HOST_PASSWORD == "bi-mat" and loaded.EMAIL_USE_TLS is True
        assert loaded.DEFAULT_FROM_EMAIL == "thidua@bocongan.vn"
        monkeypatch.delenv("EMAIL_HOST")
        assert importlib.reload(config.settings).EMAIL_HOST == ""
    finally:
        monkeypatch.undo()
        importlib.reload(config.settings)


# --- 5. the login link never nests next= inside next= --------------------------------------


def login_links(html):
    return re.findall(r'href="(/accounts/login/[^"]*)"', html)


def test_the_login_page_links_to_itself_without_nesting(client, cluster_ii):
    html = client.get(f"{LOGIN}?next=/clusters/cum-2/").content.decode()
    assert login_links(html) == [f"{LOGIN}?next=/clusters/cum-2/"]
    assert 'name="next" value="/clusters/cum-2/"' in html
    plain = client.get(LOGIN).content.decode()
    assert login_links(plain) == [LOGIN]


def test_a_nested_next_is_unwrapped_on_the_page_and_after_login(client, officer_laichau):
    nested = f"{LOGIN}?next=%2Faccounts%2Flogin%2F%3Fnext%3D%252Fclusters%252Fcum-2%252F"
    html = client.get(nested).content.decode()
    assert 'name="next" value="/clusters/cum-2/"' in html
    assert all(
        "login%2F" not in link and "next=%2Faccounts" not in link for link in login_links(html)
    )
    response = client.post(
        nested,
        {
            "username": "canbo.laichau",
            "password": "mat-khau-thu",
            "next": f"{LOGIN}?next=/units/lai-chau/",
        },
    )
    assert (response.status_code, response["Location"]) == (302, "/units/lai-chau/")


def test_a_next_that_is_only_a_login_page_goes_home(client, officer_laichau):
    response = client.post(
        LOGIN, {"username": "canbo.laichau", "password": "mat-khau-thu", "next": LOGIN}
    )
    assert response["Location"] == "/"


def test_other_pages_link_to_login_with_themselves(client, cluster_ii):
    html = client.get("/clusters/cum-2/?tab=1").content.decode()
    assert login_links(html) == [f"{LOGIN}?next=/clusters/cum-2/%3Ftab%3D1"]


def test_a_signed_in_user_sent_to_login_sees_no_nested_link(client, officer_laichau):
    client.force_login(officer_laichau)
    html = client.get(f"{LOGIN}?next=/awards/").content.decode()
    assert "không có quyền xem trang này" in html
    assert 'name="next" value="/awards/"' in html
