import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from accounts.access import check_object_access
from accounts.models import Role, User
from clusters.models import ClusterYear

pytestmark = pytest.mark.django_db

PERM = "clusters.clusteryear"


def publish(cluster_year):
    ClusterYear.objects.filter(pk=cluster_year.pk).update(status=ClusterYear.Status.PUBLISHED)
    cluster_year.refresh_from_db()
    return cluster_year


def outcome(user, obj, *, change=False):
    try:
        check_object_access(user, obj, perm_prefix=PERM, change=change)
    except Http404:
        return 404
    except PermissionDenied:
        return 403
    return 200


@pytest.fixture
def users(people, other_cluster):
    from tests.factories import UserFactory

    return {
        "anonymous": AnonymousUser(),
        **people,
        "other_secretary": UserFactory(
            username="thuky.cum1", role=Role.SECRETARIAT, cluster=other_cluster.cluster
        ),
        "other_officer": UserFactory(
            username="canbo.hanoi", role=Role.UNIT_OFFICER, unit=other_cluster.members.first()
        ),
    }


# view, change for an open (unpublished) year of cluster II
OPEN_YEAR = {
    "anonymous": (404, 404),
    "admin": (200, 200),
    "leader": (200, 403),
    "secretary": (200, 200),
    "officer_laichau": (200, 403),
    "officer_sonla": (200, 403),
    "other_secretary": (404, 404),
    "other_officer": (404, 404),
}
PUBLISHED_YEAR = {
    "anonymous": (200, 404),
    "admin": (200, 200),
    "leader": (200, 403),
    "secretary": (200, 403),
    "officer_laichau": (200, 403),
    "officer_sonla": (200, 403),
    "other_secretary": (200, 404),
    "other_officer": (200, 404),
}


@pytest.mark.parametrize("who", sorted(OPEN_YEAR))
def test_open_year_access(users, cluster_ii, who):
    year = cluster_ii.years[2024]
    got = (outcome(users[who], year), outcome(users[who], year, change=True))
    assert got == OPEN_YEAR[who]


@pytest.mark.parametrize("who", sorted(PUBLISHED_YEAR))
def test_published_year_access(users, cluster_ii, who):
    year = publish(cluster_ii.years[2023])
    got = (outcome(users[who], year), outcome(users[who], year, change=True))
    assert got == PUBLISHED_YEAR[who]


def test_officer_of_a_unit_not_on_that_years_roster_is_a_stranger(users, cluster_ii):
    tuyen_quang_officer = User.objects.create(
        username="canbo.tuyenquang", role=Role.UNIT_OFFICER, unit=cluster_ii.units["tuyen-quang"]
    )
    assert outcome(tuyen_quang_officer, cluster_ii.years[2024]) == 404


def test_inactive_admin_has_no_rights(users, cluster_ii):
    users["admin"].is_active = False
    assert outcome(users["admin"], cluster_ii.years[2024]) == 404


def test_role_needs_its_unit_or_cluster(cluster_ii):
    with pytest.raises(ValidationError) as excinfo:
        User(username="x", role=Role.UNIT_OFFICER).full_clean()
    assert excinfo.value.message_dict["unit"] == ["Cán bộ đơn vị phải thuộc một đơn vị."]
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="y", role=Role.SECRETARIAT)


def test_createsuperuser_gets_the_admin_role(db):
    user = User.objects.create_superuser("root", "root@example.org", "mat-khau-rat-dai-123")
    assert user.role == Role.ADMIN and user.is_admin_role
