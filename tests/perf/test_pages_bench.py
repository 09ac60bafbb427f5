"""Benchmarks (make bench): print figures, never fail on a slow machine."""

import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.access import COMMAND_LINE
from clusters import services
from tests.factories import ClusterFactory, UnitFactory, UnitReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def large_world():
    """63 provincial units in 9 clusters of 7, ten years each with every unit's report:
    the size of the whole country."""
    for number in range(1, 10):
        cluster = ClusterFactory(number=number, slug=f"cum-{number}")
        units = [UnitFactory() for _ in range(7)]
        for year in range(2015, 2025):
            cluster_year = services.cluster_year_create(
                by=COMMAND_LINE,
                cluster=cluster,
                year=year,
                units=units,
                chair=units[year % 7],
                vice_chair=units[(year + 1) % 7],
            )
            for unit in units:
                UnitReportFactory(cluster_year=cluster_year, unit=unit)
    return units


def measure(client, url, runs=30):
    client.get(url)  # warm up
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return statistics.median(timings), max(timings), len(queries)


PAGE_MEDIAN_MS = 500


def test_page_timings(client, large_world, admin_user):
    client.force_login(admin_user)  # the open years are not public
    rows, medians = [], []
    for url in (
        "/",
        "/clusters/cum-5/",
        "/clusters/cum-5/2024/",
        f"/units/{large_world[0].slug}/",
    ):
        median, worst, queries = measure(client, url)
        medians.append(median)
        rows.append(f"{url:<28} median {median:6.1f} ms  max {worst:6.1f} ms  {queries} queries")
    print(f"\n[bench] pages, {connection.vendor}, 9 clusters × 10 years × 7 units, 30 runs each")
    for row in rows:
        print("[bench]", row)
    # Budget: every page's median under half a second at this scale.
    assert all(median < PAGE_MEDIAN_MS for median in medians), rows
