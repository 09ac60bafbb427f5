"""manage.py generate_data: synthetic national-scale data in clusters of its own."""

import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from awards.models import Commendation, Nomination
from awards.tallies import tallies_match
from clusters.models import Cluster, ClusterYear, DataStatus
from emulation import selectors
from emulation.models import Cycle, Dossier, Pledge
from pages.generate import AlreadyGenerated, generate
from reports.models import UnitReport

pytestmark = pytest.mark.django_db

SMALL = {"clusters": 2, "units_per_cluster": 4, "years": 3, "commendations": 120}


def digest() -> str:
    rows = Commendation.objects.order_by("year", "unit__slug", "id").values_list(
        "unit__slug", "year", "award_kind__code", "person_name", "person_rank", "decision_number"
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def test_the_numbers_asked_for_all_marked_illustrative_in_their_own_clusters(cluster_ii):
    made = generate(**SMALL, seed=3, last_year=2025)
    synthetic = Cluster.objects.filter(slug__startswith="mo-phong-")
    assert synthetic.count() == 2 and made.cluster_years == 6
    assert all(c.number > 100 for c in synthetic)
    years = ClusterYear.objects.filter(cluster__in=synthetic)
    assert sorted({y.year for y in years}) == [2023, 2024, 2025]
    assert {y.status for y in years if y.year < 2025} == {ClusterYear.Status.PUBLISHED}
    assert {y.status for y in years if y.year == 2025} == {ClusterYear.Status.OPEN}
    individual = Commendation.objects.exclude(person_name="")
    assert individual.count() == 2 * 3 * 120
    assert UnitReport.objects.filter(cluster_year__in=years).count() == 2 * 3 * 4
    # one Government flag a cluster-year, for its leading unit; two or three Ministry flags
    government = Nomination.objects.filter(award_kind__code="co-chinh-phu", cluster_year__in=years)
    assert government.count() == 6
    assert all(n.unit_id == n.cluster_year.leading_unit_id for n in government)
    illustrative = {DataStatus.ILLUSTRATIVE}
    assert set(years.values_list("data_status", flat=True)) == illustrative
    for model in (UnitReport, Nomination):
        marks = model.objects.filter(cluster_year__in=years).values_list("data_status", flat=True)
        assert set(marks) == illustrative
    assert not Commendation.objects.exclude(data_status=DataStatus.ILLUSTRATIVE).exists()
    assert ClusterYear.objects.get(cluster=cluster_ii.cluster, year=2024)  # real data untouched
    assert tallies_match()


def test_the_same_seed_gives_the_same_rows_and_another_seed_others(db):
    with transaction.atomic():
        generate(**SMALL, seed=5, last_year=2025)
        first = digest()
        transaction.set_rollback(True)
    with transaction.atomic():
        generate(**SMALL, seed=5, last_year=2025)
        again = digest()
        transaction.set_rollback(True)
    generate(**SMALL, seed=6, last_year=2025)
    assert first == again != digest()


def test_refused_twice_and_without_debug_or_force(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("generate_data", clusters=1, years=1, commendations=1)
    assert not Cluster.objects.exists()
    call_command("generate_data", "--force", clusters=1, years=1, commendations=5, verbosity=0)
    with pytest.raises(CommandError, match="đã có dữ liệu mô phỏng"):
        call_command("generate_data", "--force", clusters=1, years=1, commendations=5)
    with pytest.raises(AlreadyGenerated):
        generate(**SMALL)


def test_its_pages_answer(client, db, admin_user):
    generate(**SMALL, seed=1, last_year=2025)
    client.force_login(admin_user)
    for url in ("/", "/clusters/mo-phong-101/", "/clusters/mo-phong-101/2024/",
                "/clusters/mo-phong-101/2025/", "/units/mo-phong-101-1/", "/awards/"):  # fmt: skip
        assert client.get(url).status_code == 200, url


def test_every_year_has_its_cycle_and_the_ranking_names_the_leading_unit(db):
    generate(**SMALL, seed=4, last_year=2025)
    cycles = Cycle.objects.select_related("cluster_year").order_by("pk")
    assert cycles.count() == 6
    for cycle in cycles:
        year = cycle.cluster_year
        members = selectors.members_of(year)
        places = selectors.ranking(cycle, selectors.sheets_of(cycle), members)
        assert places[0].unit.pk == year.leading_unit_id == year.ranked_leader_id
        assert not places[0].tied_with_next
        assert selectors.scale(list(cycle.criteria.all()))["scored"] == 100
        assert Pledge.objects.filter(cycle=cycle).count() == len(members) == 4
        assert {n.pk for n in year.nominations.all()} == set(
            cycle.candidates.values_list("nomination", flat=True)
        )
        decided = Dossier.objects.get(cycle=cycle).status == Dossier.Status.DECIDED
        assert decided == (year.status == ClusterYear.Status.PUBLISHED)
