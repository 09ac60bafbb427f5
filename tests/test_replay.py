"""The fixtures' replay (tests/replay.py) writes exactly what their build through the services wrote."""

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import DateField

from awards.models import Nomination
from clusters.demo import seed_clusters
from clusters.models import Unit
from tests.conftest import _demo, _refs, _seed_everything
from tests.factories import UnitFactory
from tests.replay import Replay

pytestmark = pytest.mark.django_db


def every_row():
    """Every row of every table, but for the times that auto_now sets when a row is written."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if not (isinstance(f, DateField) and (f.auto_now or f.auto_now_add))
        ]
        rows[model._meta.label] = list(model._base_manager.order_by("pk").values_list(*fields))
    return rows


def build():
    return _seed_everything(_refs(seed_clusters()))


def test_a_replay_writes_the_rows_of_the_build_and_the_same_objects():
    replay = Replay(build, _demo)
    written, demos = [], []
    for _ in range(2):
        with transaction.atomic():
            demos.append(replay())
            written.append(every_row())
            transaction.set_rollback(True)
    assert (replay.built, replay.replayed) == (1, 1)
    assert written[0] == written[1]
    assert Nomination.objects.count() == 0  # both rolled back
    assert sum(len(rows) for rows in written[0].values()) > 100
    assert written[0]["awards.Nomination"] and written[0]["clusters.HistoricalClusterYear"]
    first, second = demos
    assert first.units.keys() == second.units.keys() and first.years.keys() == second.years.keys()
    assert [y.status for y in first.years.values()] == [y.status for y in second.years.values()]


def test_a_different_start_is_built_through_the_services():
    replay = Replay(build, _demo)
    with transaction.atomic():
        replay()
        transaction.set_rollback(True)
    UnitFactory()
    replay()
    assert (replay.built, replay.replayed) == (2, 0)


def test_a_clash_falls_back_to_the_services():
    replay = Replay(build, _demo)
    with transaction.atomic():
        UnitFactory(short_name="Hà Nội", slug="ha-noi")
        replay()
        transaction.set_rollback(True)
    # As many rows as at the recording, but one holds a slug the replay would write again.
    UnitFactory(short_name="Lai Châu", slug="lai-chau", name="Lai Châu (cũ)")
    demo = replay()
    assert (replay.built, replay.replayed) == (2, 0)
    assert demo.units["lai-chau"].name == "Công an tỉnh Lai Châu"
    assert Unit.objects.count() == 9
