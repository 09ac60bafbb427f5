import pytest

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese_and_has_the_design_fields(client):
    html = client.get("/accounts/login/").content.decode()
    assert 'name="username"' in html and 'name="password"' in html
    assert "Đăng nhập" in html and 'lang="vi"' in html


def test_login_with_the_right_password_and_logout_by_post(client, officer_laichau):
    response = client.post(
        "/accounts/login/", {"username": "canbo.laichau", "password": "mat-khau-thu"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert "canbo.laichau" in client.get("/").content.decode()
    assert client.get("/accounts/logout/").status_code == 405  # logout only by POST
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "Đăng nhập" in client.get("/").content.decode()


def test_wrong_password_says_so_in_vietnamese(client, officer_laichau):
    response = client.post("/accounts/login/", {"username": "canbo.laichau", "password": "sai"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "who,expected",
    [
        ("admin", 200),
        ("leader", 302),
        ("secretary", 302),
        ("officer_laichau", 302),
        ("officer_sonla", 302),
    ],
)
def test_only_the_admin_role_reaches_django_admin(client, people, who, expected):
    client.force_login(people[who])
    response = client.get("/admin/")
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith("/admin/login/")
