"""Behind the reverse proxy every request comes from the proxy's address: with
DJANGO_TRUSTED_PROXIES=1 the lockout is keyed on the client's address the proxy forwards
(X-Forwarded-For), not on the proxy's, so one client's wrong passwords lock no one else."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import UserFactory

LOGIN = "/accounts/login/"
PROXY = "127.0.0.9"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def one_proxy(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]


def through_proxy(client, username, password, forwarded_for):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
def test_the_lockout_follows_the_forwarded_address(one_proxy):
    UserFactory(username="canbo.a")
    client = Client()
    for _ in range(4):
        assert through_proxy(client, "canbo.a", "sai-mat-khau", "10.0.0.1").status_code == 200
    assert through_proxy(client, "canbo.a", "sai-mat-khau", "10.0.0.1").status_code == 429
    assert through_proxy(Client(), "canbo.a", "mat-khau-thu", "10.0.0.1").status_code == 429
    # The same user, through the same proxy, from another machine.
    assert through_proxy(Client(), "canbo.a", "mat-khau-thu", "10.0.0.2").status_code == 302


@pytest.mark.django_db
def test_a_forged_header_does_not_escape_the_lockout(one_proxy):
    """The proxy appends the address it saw; what the client wrote before it is not trusted."""
    UserFactory(username="canbo.b")
    for forged in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"]:
        through_proxy(Client(), "canbo.b", "sai", f"{forged}, 10.0.0.3")
    assert (
        through_proxy(Client(), "canbo.b", "mat-khau-thu", "6.6.6.6, 10.0.0.3").status_code == 429
    )


@pytest.mark.django_db
def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    """The default (no proxy): a client cannot pick its address by sending X-Forwarded-For."""
    assert settings.AXES_IPWARE_PROXY_COUNT is None
    UserFactory(username="canbo.c")
    for number in range(5):
        through_proxy(Client(), "canbo.c", "sai", f"10.0.1.{number}")
    assert through_proxy(Client(), "canbo.c", "mat-khau-thu", "10.0.1.99").status_code == 429


def settings_value(name, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(DJANGO_SECRET_KEY="x", **env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import config.settings as s; print(repr(getattr(s, {name!r}, None)))",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_trusted_proxies_from_the_environment():
    one = settings_value("AXES_IPWARE_PROXY_COUNT", DJANGO_TRUSTED_PROXIES="1")
    assert one.stdout.strip() == "1", one.stderr
    order = settings_value("AXES_IPWARE_META_PRECEDENCE_ORDER", DJANGO_TRUSTED_PROXIES="2")
    assert order.stdout.strip() == "['HTTP_X_FORWARDED_FOR', 'REMOTE_ADDR']", order.stderr
    none = settings_value("AXES_IPWARE_PROXY_COUNT")
    assert none.stdout.strip() == "None", none.stderr


@pytest.mark.parametrize("bad", ["one", "-1", "1.5"])
def test_a_bad_trusted_proxies_value_is_refused_with_a_clear_message(bad):
    result = settings_value("AXES_IPWARE_PROXY_COUNT", DJANGO_TRUSTED_PROXIES=bad)
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES must be" in result.stderr
