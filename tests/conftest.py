"""The named people of every test (STYLE.md): the admin, a leader, the secretariat of cluster II,
an officer of Lai Châu, an officer of Sơn La; and cluster II as the seed articles tell it."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations

from accounts.access import COMMAND_LINE
from accounts.models import Role
from awards.demo import seed_awards
from clusters import services
from clusters.demo import ClusterDemo, publish_the_past, seed_clusters
from clusters.models import Cluster, ClusterYear, Source, Unit
from reports.demo import seed_reports
from tests.factories import ClusterFactory, UnitFactory, UserFactory
from tests.replay import Replay
from welfare.demo import seed_welfare


def _refs(demo: ClusterDemo) -> dict:
    return {
        "cluster": demo.cluster.pk,
        "units": {slug: unit.pk for slug, unit in demo.units.items()},
        "years": {year: cluster_year.pk for year, cluster_year in demo.years.items()},
        "sources": {year: source.pk for year, source in demo.sources.items()},
    }


def _demo(refs: dict) -> ClusterDemo:
    """Cluster II read back from the database, as fresh as after `refresh_from_db()`."""
    units = Unit.objects.in_bulk(refs["units"].values())
    years = ClusterYear.objects.in_bulk(refs["years"].values())
    sources = Source.objects.in_bulk(refs["sources"].values())
    return ClusterDemo(
        cluster=Cluster.objects.get(pk=refs["cluster"]),
        units={slug: units[pk] for slug, pk in refs["units"].items()},
        years={year: years[pk] for year, pk in refs["years"].items()},
        sources={year: sources[pk] for year, pk in refs["sources"].items()},
    )


def _seed_cluster_ii():
    demo = seed_clusters()
    return demo, _refs(demo)


def _seed_everything(refs):
    demo = _demo(refs)
    seed_reports(demo)
    seed_awards(demo)
    seed_welfare(demo)
    publish_the_past(demo)
    return demo, refs


# Each is built through the services once per test process, then replayed (tests/replay.py).
CLUSTER_II = Replay(_seed_cluster_ii, _demo)


@pytest.fixture
def cluster_ii(db):
    return CLUSTER_II()


@pytest.fixture
def other_cluster(db):
    """Cluster I with two units of its own in 2024, for "another cluster" checks."""
    return OTHER_CLUSTER()


def _seed_other_cluster():
    cluster = ClusterFactory(number=1, name="Cụm thi đua số I", slug="cum-1")
    units = [UnitFactory(short_name="Hà Nội", slug="ha-noi"), UnitFactory(short_name="Hải Phòng")]
    cluster_year = services.cluster_year_create(
        by=COMMAND_LINE, cluster=cluster, year=2024, units=units
    )
    return cluster_year, cluster_year.pk


OTHER_CLUSTER = Replay(
    _seed_other_cluster,
    # as cluster_year_create returns it: with its cluster at hand
    lambda pk: ClusterYear.objects.select_related("cluster").get(pk=pk),
)


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
def empty_cache():
    """Each test starts with an empty cache: a page kept by an earlier test (whose rows were
    rolled back, or replayed without signals) must never be served to the next."""
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests log in many times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


POSTGRESQL = "django.db.backends.postgresql"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The throwaway test databases of PostgreSQL commit without waiting for the disk (a crash
    loses only them). Only the tests' connections: config/settings.py stays as it is."""
    for database in django_settings.DATABASES.values():
        if database["ENGINE"] == POSTGRESQL:
            options = database.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


def _sql_flush_by_delete(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    """A transactional test (live server, races) ends with a flush of every table. PostgreSQL's
    TRUNCATE makes new files for each of ~60 tables: 2 s; DELETE of their few rows takes 0.03 s.
    The flush runs in one transaction and Django's foreign keys are deferred, so the order does
    not matter. Whatever asks for more (sequences reset, cascade) gets TRUNCATE as before."""
    if reset_sequences or allow_cascade or not tables:
        return _sql_flush_by_truncate(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    delete = f"{style.SQL_KEYWORD('DELETE')} {style.SQL_KEYWORD('FROM')}"
    return [f"{delete} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]


_sql_flush_by_truncate = PostgresOperations.sql_flush


@pytest.fixture(scope="session", autouse=True)
def postgresql_flush_by_delete():
    PostgresOperations.sql_flush = _sql_flush_by_delete
    yield
    PostgresOperations.sql_flush = _sql_flush_by_truncate


def pytest_report_header(config):
    database = django_settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}"


@pytest.fixture
def seeded(cluster_ii):
    """Cluster II with everything of the seeds; 2018, 2022, 2023 published, 2024 open."""
    refs = _refs(cluster_ii)
    replay = SEEDED.setdefault(repr(refs), Replay(lambda: _seed_everything(refs), _demo))
    return replay()


SEEDED = {}  # one Replay per cluster II's primary keys (a replayed cluster II has the recorded ones)
