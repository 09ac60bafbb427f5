import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from accounts.models import Role, User
from clusters.models import Cluster, ClusterYear, Membership, Unit


def login_request():
    """django-axes checks every login against the request it comes with."""
    return RequestFactory().post("/accounts/login/")


pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Unit, Cluster, ClusterYear, Membership, User)]


def test_seed_is_idempotent_and_matches_the_articles(settings):
    settings.DEBUG = True
    output = io.StringIO()
    call_command("seed_demo", "--users", stdout=output)
    assert (
        "Đã nạp Cụm thi đua số II: 9 đơn vị, các năm 2018, 2022, 2023, 2024." in output.getvalue()
    )
    assert "thuky.cum2" in output.getvalue()
    first = counts()
    call_command("seed_demo", "--users", stdout=io.StringIO())
    assert counts() == first == [9, 1, 4, 28, 5]

    cluster = Cluster.objects.get(number=2)
    assert cluster.name == "Cụm thi đua số II"
    members_2018 = ClusterYear.objects.get(cluster=cluster, year=2018).members
    assert sorted(members_2018.values_list("short_name", flat=True)) == sorted(
        ["Cao Bằng", "Sơn La", "Lạng Sơn", "Lai Châu", "Điện Biên", "Hà Giang", "Lào Cai"]
    )
    y2023 = ClusterYear.objects.get(cluster=cluster, year=2023)
    y2024 = ClusterYear.objects.get(cluster=cluster, year=2024)
    assert y2023.chair.short_name == "Lai Châu"
    assert (y2024.chair.short_name, y2024.vice_chair.short_name) == ("Lạng Sơn", "Cao Bằng")
    assert ClusterYear.objects.get(cluster=cluster, year=2018).chair is None  # not in the article
    assert Unit.objects.get(slug="ha-giang").successor.slug == "tuyen-quang"
    assert Unit.objects.get(slug="yen-bai").successor.slug == "lao-cai"


def test_demo_accounts_one_per_role(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--users", stdout=io.StringIO())
    expected = {
        "quantri": (Role.ADMIN, None, None),
        "lanhdao": (Role.LEADERSHIP, None, None),
        "thuky.cum2": (Role.SECRETARIAT, None, "cum-2"),
        "canbo.laichau": (Role.UNIT_OFFICER, "lai-chau", None),
        "canbo.sonla": (Role.UNIT_OFFICER, "son-la", None),
    }
    for username, (role, unit, cluster) in expected.items():
        user = authenticate(login_request(), username=username, password="demo-matkhau")
        assert user is not None, username
        assert (
            user.role,
            getattr(user.unit, "slug", None),
            getattr(user.cluster, "slug", None),
        ) == (
            role,
            unit,
            cluster,
        )
    assert User.objects.get(username="quantri").is_superuser


def test_demo_password_comes_from_the_environment(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("DEMO_PASSWORD", "mat-khau-khac-2026")
    call_command("seed_demo", "--users", stdout=io.StringIO())
    assert authenticate(login_request(), username="lanhdao", password="mat-khau-khac-2026")
    assert not authenticate(login_request(), username="lanhdao", password="demo-matkhau")


def test_users_are_refused_unless_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Từ chối tạo tài khoản mẫu khi DEBUG tắt"):
        call_command("seed_demo", "--users")
    assert User.objects.count() == 0
    call_command("seed_demo", stdout=io.StringIO())  # data without accounts is fine
    assert Unit.objects.count() == 9 and User.objects.count() == 0


def test_seed_leaves_a_published_year_alone(settings):
    call_command("seed_demo", stdout=io.StringIO())
    ClusterYear.objects.filter(year=2023).update(status="published")
    call_command("seed_demo", stdout=io.StringIO())
    assert ClusterYear.objects.get(year=2023).status == "published"
