import datetime

import pytest
from django.db import IntegrityError, transaction

from clusters.models import ClusterYear, Membership, Unit
from tests.factories import ClusterFactory, ClusterYearFactory, MembershipFactory, UnitFactory

pytestmark = pytest.mark.django_db


def refused_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_one_cluster_year_per_cluster_and_year():
    cluster_year = ClusterYearFactory(year=2023)
    refused_by_database(lambda: ClusterYear.objects.create(cluster=cluster_year.cluster, year=2023))


def test_chair_and_vice_chair_are_distinct_in_the_database():
    unit = UnitFactory()
    cluster_year = ClusterYearFactory()
    cluster_year.chair = cluster_year.vice_chair = unit
    refused_by_database(cluster_year.save)


def test_a_unit_is_in_one_cluster_per_year_in_the_database():
    unit = UnitFactory()
    MembershipFactory(unit=unit, cluster_year=ClusterYearFactory(year=2024))
    other = ClusterYearFactory(cluster=ClusterFactory(), year=2024)
    refused_by_database(lambda: Membership.objects.create(cluster_year=other, unit=unit, year=2024))
    # the same unit in another year is fine
    assert MembershipFactory(unit=unit, cluster_year=ClusterYearFactory(year=2025)).pk


def test_a_unit_cannot_succeed_itself_nor_without_an_end_date():
    unit = UnitFactory()
    unit.successor = unit
    unit.ended_on = datetime.date(2025, 7, 1)
    refused_by_database(unit.save)
    other = UnitFactory()
    Unit.objects.filter(pk=unit.pk).update(successor=None, ended_on=None)
    refused_by_database(lambda: Unit.objects.filter(pk=unit.pk).update(successor=other))


def test_year_out_of_range_is_refused_by_the_database():
    refused_by_database(lambda: ClusterYear.objects.create(cluster=ClusterFactory(), year=3024))


def test_units_sort_the_vietnamese_way():
    for name in ["Yên Bái", "Điện Biên", "Cao Bằng", "Hà Giang", "Đắk Lắk", "Dak Test"]:
        UnitFactory(short_name=name)
    assert [u.short_name for u in Unit.objects.all()] == [
        "Cao Bằng",
        "Dak Test",
        "Điện Biên",
        "Đắk Lắk",
        "Hà Giang",
        "Yên Bái",
    ] or [u.short_name for u in Unit.objects.all()] == [
        # PostgreSQL collations may order within the Đ group differently; Đ still follows D.
        "Cao Bằng",
        "Dak Test",
        "Đắk Lắk",
        "Điện Biên",
        "Hà Giang",
        "Yên Bái",
    ]


def test_activity_in_a_year():
    unit = UnitFactory(ended_on=datetime.date(2025, 7, 1))
    assert unit.is_active_in(2025) and not unit.is_active_in(2026)
    assert unit.is_active_through(2024) and not unit.is_active_through(2025)
