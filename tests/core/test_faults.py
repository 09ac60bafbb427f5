"""Faults outside the views: a database that stops answering while someone is logged in.

The session cookie makes the middleware below DatabaseUnavailableMiddleware (sessions, the idle
check, authentication) read the database before any view runs; the answer must still be our
Vietnamese 503, never a 500.
"""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError

pytestmark = pytest.mark.django_db

DOWN_TEXT = "Cơ sở dữ liệu đang không trả lời"


def assert_vietnamese_503(response, secret="connection refused"):
    assert response.status_code == 503, response.status_code
    assert response["Retry-After"] == "60"
    text = response.content.decode()
    assert DOWN_TEXT in text and secret not in text and "Traceback" not in text


@pytest.fixture
def logged_in(client, secretary):
    client.force_login(secretary)
    assert client.get("/").status_code == 200  # the session works while the database does
    # The middleware turns the exception into a 500 before our layer sees it, and Django's test
    # client re-raises any exception it was told about; the answer is what a browser would get.
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
@pytest.mark.parametrize("address", ["/", "/healthz", "/clusters/cum-2/2024/edit/"])
def test_database_down_with_a_session_cookie_answers_503(logged_in, error, address):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection",
        side_effect=error("connection refused"),
    ):
        response = logged_in.get(address)
    assert_vietnamese_503(response)


def test_session_store_down_answers_503(logged_in):
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=OperationalError("could not connect to server"),
    ):
        response = logged_in.get("/")
    assert_vietnamese_503(response, secret="could not connect")


def test_database_lost_when_the_session_is_saved_answers_503(logged_in):
    """The view ran, then the session (written by the idle check) cannot be saved."""
    session = logged_in.session
    session.pop("last_seen", None)  # the idle check will write it on this request
    session.save()
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.save",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        response = logged_in.get("/")
    assert_vietnamese_503(response, secret="server closed")


def test_other_errors_below_still_get_the_500_page(logged_in):
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=RuntimeError("secret detail"),
    ):
        response = logged_in.get("/")
    assert response.status_code == 500
    assert "Hệ thống gặp lỗi" in response.content.decode()


def test_the_database_back_the_next_request_is_served(logged_in):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection",
        side_effect=OperationalError("connection refused"),
    ):
        assert logged_in.get("/").status_code == 503
    assert logged_in.get("/").status_code == 200
    assert logged_in.get("/healthz").content == b"ok"
