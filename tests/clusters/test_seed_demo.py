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
    assert "Đã nạp Cụm thi đua số II: 9 đơn vị, các năm 2018, 2023, 2024." in output.getvalue()
    assert "thuky.cum2" in output.getvalue()
    first = counts()
    call_command("seed_demo", "--users", stdout=io.StringIO())
    assert counts() == first == [9, 1, 3, 21, 6]

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
        "canbo.bo": (Role.MINISTRY, None, None),
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


def test_every_seeded_record_names_its_article_and_no_invented_year_is_published(settings):
    """Issue 12: the demo says only what the two articles say. What an article states is
    "số liệu cụm công bố"; per-unit splits and 2024's roster are "minh họa"; 2022, which no
    article tells, does not exist; only 2018 and 2023 are published."""
    from awards.models import Nomination
    from clusters.models import DataStatus, Source
    from reports.models import Conference, PublishedFigure, UnitReport
    from welfare.models import Beneficiary, Contribution, Fund, Support

    call_command("seed_demo", stdout=io.StringIO())
    sources = {s.cluster_year.year: s for s in Source.objects.select_related("cluster_year")}
    assert sorted(sources) == [2018, 2023]
    assert all("chưa rõ" in source.notes for source in sources.values())  # no headline, paper, date
    assert not ClusterYear.objects.filter(year=2022).exists()
    assert sorted(ClusterYear.objects.published().values_list("year", flat=True)) == [2018, 2023]

    for model in (ClusterYear, Conference, UnitReport, Nomination, Fund, Contribution):
        for obj in model.objects.all():
            assert obj.source_id, obj
    for model in (Beneficiary, Support, PublishedFigure):
        assert not model.objects.filter(source__isnull=True).exists(), model
    assert set(UnitReport.objects.values_list("data_status", flat=True)) == {
        DataStatus.ILLUSTRATIVE
    }
    assert set(Contribution.objects.values_list("data_status", flat=True)) == {
        DataStatus.ILLUSTRATIVE
    }
    assert ClusterYear.objects.get(year=2024).data_status == DataStatus.ILLUSTRATIVE
    assert set(Conference.objects.values_list("data_status", flat=True)) == {
        DataStatus.CLUSTER_PUBLISHED
    }
    published = dict(
        PublishedFigure.objects.filter(cluster_year__year=2023).values_list("figure", "value")
    )
    assert published == {
        "drug_cases": 4213,
        "drug_offenders": 5435,
        "commended_collectives": 2847,
        "commended_individuals": 9341,
    }
    # The illustrative split adds up to what the article published.
    for figure, value in published.items():
        total = sum(
            UnitReport.objects.filter(cluster_year__year=2023).values_list(figure, flat=True)
        )
        assert total == value, figure
    # Historical records came through the services: every nomination has its event, and the
    # 2018 fund's books balance (140 million in, 140 million to two houses).
    assert all(n.events.exists() for n in Nomination.objects.all())
    fund = Fund.objects.get(cluster_year__year=2018)
    assert sum(fund.contributions.values_list("amount", flat=True)) == 140_000_000
    assert sum(fund.supports.values_list("amount", flat=True)) == 140_000_000
