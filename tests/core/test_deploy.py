"""Deployment settings, the Content-Security-Policy, and pages for faults (DESIGN §6)."""

import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_reports_no_issues_with_debug_off():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k7#Qv2!pZ9w@Lx4^Rb8&Tn1*Hc6(Jm3)Fd5_Gs0+Yu-Ea=Wo%Ni~Kl" * 2,
        DJANGO_ALLOWED_HOSTS="thidua.bocongan.vn",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_pages_carry_a_strict_content_security_policy(client, seeded):
    response = client.get("/clusters/cum-2/2023/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "address,user",
    [
        ("/", None),
        ("/clusters/cum-2/2023/", None),
        ("/clusters/cum-2/2024/edit/", "secretary"),
        ("/clusters/cum-2/2024/import/", "secretary"),
        ("/units/lai-chau/2024/report/", "secretary"),
        ("/awards/", "secretary"),
        ("/accounts/login/", None),
    ],
)
def test_no_inline_script_or_style_that_the_policy_would_block(
    client, seeded, people, address, user
):
    if user:
        client.force_login(people[user])
    html = client.get(address).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    assert not re.search(r"\sstyle=", html), "inline style attribute"


def test_a_database_that_does_not_answer_gets_a_vietnamese_503(client, cluster_ii):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection",
        side_effect=OperationalError("connection refused"),
    ):
        client.raise_request_exception = False
        response = client.get("/clusters/cum-2/")
        health = client.get("/healthz")
    assert response.status_code == 503 and response["Retry-After"] == "60"
    text = response.content.decode()
    assert "Cơ sở dữ liệu đang không trả lời" in text and "connection refused" not in text
    assert health.status_code == 503


def test_an_unexpected_error_gets_our_500_page_without_a_traceback(client, cluster_ii):
    client.raise_request_exception = False
    with mock.patch("pages.views.render", side_effect=RuntimeError("secret detail")):
        response = client.get("/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "Hệ thống gặp lỗi" in text
    assert "secret detail" not in text and "Traceback" not in text
