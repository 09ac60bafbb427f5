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
