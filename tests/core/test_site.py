from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_healthz_503_when_the_database_does_not_answer(client):
    with mock.patch("core.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_vietnamese_even_when_the_browser_asks_for_english(client, cluster_ii):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in html and "Các cụm thi đua" in html


def test_language_switch_to_english_and_back(client, cluster_ii):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/clusters/cum-2/"})
    assert response.status_code == 302 and response["Location"] == "/clusters/cum-2/"
    html = client.get("/clusters/cum-2/").content.decode()
    assert 'lang="en"' in html
    assert "Chair and vice-chair by year" in html
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert (
        "Cụm trưởng và Phó Cụm trưởng qua các năm"
        in client.get("/clusters/cum-2/").content.decode()
    )


def test_bootstrap_is_served_locally_and_no_page_loads_from_elsewhere(client, cluster_ii):
    html = client.get("/").content.decode()
    assert "/static/bootstrap/css/bootstrap.min.css" in html
    assert "/static/bootstrap/js/bootstrap.bundle.min.js" in html
    assert "http://" not in html and "https://" not in html


# --- the favicon, and a quiet console for expected refusals ---------------------------------


def test_favicon_answers_with_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00"  # the ICO header
    assert "max-age" in response.get("Cache-Control", "")


def request_records(caplog):
    return [r for r in caplog.records if r.name == "django.request"]


def test_a_404_is_one_line_without_a_traceback(client, cluster_ii, caplog):
    caplog.set_level("WARNING", logger="django.request")
    assert client.get("/clusters/khong-co/").status_code == 404
    (record,) = request_records(caplog)
    assert record.getMessage() == "GET /clusters/khong-co/ 404"
    assert record.exc_info is None and record.exc_text is None
    assert "Traceback" not in caplog.text


def test_a_403_is_one_line_without_a_traceback(client, seeded, leader, caplog):
    client.force_login(leader)
    caplog.set_level("WARNING", logger="django.request")
    response = client.post("/units/lai-chau/2024/report/", {})
    assert response.status_code == 403
    (record,) = request_records(caplog)
    assert record.getMessage() == "POST /units/lai-chau/2024/report/ 403"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text and "PermissionDenied" not in caplog.text


def test_a_real_500_still_logs_its_traceback(client, cluster_ii, caplog):
    from unittest import mock

    client.raise_request_exception = False
    caplog.set_level("WARNING", logger="django.request")
    with mock.patch("pages.views.render", side_effect=RuntimeError("hỏng thật")):
        assert client.get("/").status_code == 500
    (record,) = request_records(caplog)
    assert record.levelname == "ERROR" and record.exc_info is not None
    assert "Traceback" in caplog.text and "RuntimeError: hỏng thật" in caplog.text


def test_the_console_shows_a_refusal_as_one_line(client, cluster_ii):
    """What the settings' own console handler writes (runserver's, gunicorn's stderr)."""
    import io
    import logging

    (console,) = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    written = io.StringIO()
    previous = console.setStream(written)
    try:
        client.get("/clusters/khong-co/")
    finally:
        console.setStream(previous)
    assert written.getvalue() == "GET /clusters/khong-co/ 404\n"
