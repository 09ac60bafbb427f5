"""The named people of every test (STYLE.md): the admin, a leader, the secretariat of cluster II,
an officer of Lai Châu, an officer of Sơn La; and cluster II as the seed articles tell it."""

import pytest
from django.conf import settings as django_settings

from accounts.access import COMMAND_LINE
from accounts.models import Role
from clusters.demo import seed_clusters
from tests.factories import ClusterFactory, UnitFactory, UserFactory


@pytest.fixture
def cluster_ii(db):
    return seed_clusters()


@pytest.fixture
def other_cluster(db):
    """Cluster I with two units of its own in 2024, for "another cluster" checks."""
    from clusters import services

    cluster = ClusterFactory(number=1, name="Cụm thi đua số I", slug="cum-1")
    units = [UnitFactory(short_name="Hà Nội", slug="ha-noi"), UnitFactory(short_name="Hải Phòng")]
    cluster_year = services.cluster_year_create(
        by=COMMAND_LINE, cluster=cluster, year=2024, units=units
    )
    return cluster_year


@pytest.fixture
def admin_user(db):
    return UserFactory(username="quantri", role=Role.ADMIN)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def leader(db):
    return UserFactory(username="lanhdao", role=Role.LEADERSHIP)


@pytest.fixture
def secretary(cluster_ii):
    return UserFactory(username="thuky.cum2", role=Role.SECRETARIAT, cluster=cluster_ii.cluster)


@pytest.fixture
def officer_laichau(cluster_ii):
    return UserFactory(
        username="canbo.laichau", role=Role.UNIT_OFFICER, unit=cluster_ii.units["lai-chau"]
    )


@pytest.fixture
def officer_sonla(cluster_ii):
    return UserFactory(
        username="canbo.sonla", role=Role.UNIT_OFFICER, unit=cluster_ii.units["son-la"]
    )


@pytest.fixture
def people(admin_user, leader, secretary, officer_laichau, officer_sonla):
    return {
        "admin": admin_user,
        "leader": leader,
        "secretary": secretary,
        "officer_laichau": officer_laichau,
        "officer_sonla": officer_sonla,
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests log in many times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_report_header(config):
    database = django_settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}"


@pytest.fixture
def seeded(cluster_ii):
    """Cluster II with everything of the seeds; 2018, 2022, 2023 published, 2024 open."""
    from awards.demo import seed_awards
    from clusters.demo import publish_the_past
    from reports.demo import seed_reports
    from welfare.demo import seed_welfare

    seed_reports(cluster_ii)
    seed_awards(cluster_ii)
    seed_welfare(cluster_ii)
    publish_the_past(cluster_ii)
    for year in cluster_ii.years.values():
        year.refresh_from_db()
    return cluster_ii
