"""Issue 11, the races of one write path, with threads that each hold their own connection.

On PostgreSQL the threads really overlap: the second writer waits on the first's row lock (or on
the one-time token's unique index) and is checked only after the first committed. SQLite's test
database cannot hold two writers at once, so there the same threads run one after the other:
the second still comes after the first committed, with what it loaded before (nothing skipped;
the single-connection versions are in test_one_write_path.py)."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test import Client

from clusters import services as cluster_services
from clusters.models import ClusterYear
from reports import services as report_services
from reports.models import UnitReport
from tests.factories import checklist_keys
from tests.sections import post_section
from welfare import services as welfare_services
from welfare.models import Fund

pytestmark = pytest.mark.django_db(transaction=True)

EDIT_2024 = "/clusters/cum-2/2024/edit/"
ALREADY_DONE = "Biểu mẫu này đã được ghi ở lần gửi trước; không ghi thêm lần nữa."
WAIT = 20  # seconds a thread may take at most


def concurrent() -> bool:
    return connection.vendor == "postgresql"


class Worker(threading.Thread):
    """Runs target() on its own connection and keeps its result or its exception."""

    def __init__(self, target, name):
        super().__init__(name=name, daemon=True)
        self.target, self.result, self.error = target, None, None

    def run(self):
        try:
            self.result = self.target()
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread
            self.error = error
        finally:
            connections.close_all()


def run_all(workers, *, together: bool):
    """Start the workers at once (together) or one after the other; wait for all of them."""
    for worker in workers:
        worker.start()
        if not together:
            worker.join(WAIT)
    for worker in workers:
        worker.join(2 * WAIT)
        assert not worker.is_alive(), f"{worker.name} did not finish"


def others_waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        # Inside a transaction pg_stat_activity is a snapshot taken at its first read.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def wait_for_a_waiter() -> bool:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if others_waiting_on_a_lock():
            return True
        time.sleep(0.02)
    return False


# --- 4. an officer's save racing the publish ----------------------------------------------------


def test_a_report_save_that_runs_after_the_publish_committed_is_refused(
    seeded, officer_laichau, admin_user
):
    """The officer's page loaded 2024 as open. The admin publishes; the officer's save starts while
    the publish holds the year's lock, waits for it, and is refused once the publish committed."""
    year_pk = seeded.years[2024].pk
    stale = ClusterYear.objects.select_related("cluster").get(pk=year_pk)
    assert not stale.is_published
    report = UnitReport(cluster_year=stale, unit=seeded.units["lai-chau"], drug_cases=3)
    publishing = threading.Event()
    seen = {}

    def publish():
        with transaction.atomic():
            cluster_services.cluster_year_publish(
                cluster_year=ClusterYear.objects.get(pk=year_pk),
                by=admin_user,
                accepted=checklist_keys(stale),
            )
            publishing.set()
            if concurrent():
                # Commit only once the officer's save is waiting on the year's row lock.
                seen["officer_waited"] = wait_for_a_waiter()

    def save():
        assert publishing.wait(WAIT)
        return report_services.unit_report_save(report=report, by=officer_laichau)

    publisher, officer = Worker(publish, "publish"), Worker(save, "officer")
    run_all([publisher, officer], together=concurrent())

    assert publisher.error is None, publisher.error
    if concurrent():
        assert seen["officer_waited"], "the officer's save never waited for the publish"
    assert isinstance(officer.error, ValidationError), officer.error or officer.result
    assert officer.error.messages == [
        "Năm thi đua 2024 của Cụm thi đua số II đã công bố nên không thể sửa; "
        "chỉ quản trị viên mới mở lại được."
    ]
    assert ClusterYear.objects.get(pk=year_pk).is_published
    assert not UnitReport.objects.filter(cluster_year_id=year_pk).exists()


# --- 8. double submits at once ------------------------------------------------------------------


def secretary_clients(secretary, count):
    clients = []
    for _ in range(count):
        client = Client()
        client.force_login(secretary)
        clients.append(client)
    return clients


def test_four_posts_of_one_token_at_once_are_recorded_once(seeded, secretary):
    fund = welfare_services.fund_open(
        cluster_year=seeded.years[2024], title="Xây nhà 2024", by=secretary
    )
    clients = secretary_clients(secretary, 4)
    page = clients[0].get(EDIT_2024).content.decode()
    start = page.index('id="contribution-form"')
    marker = 'name="form_token" value="'
    token_at = page.index(marker, start) + len(marker)
    token = page[token_at : page.index('"', token_at)]
    data = {
        "action": "contribution",
        "gift-fund": fund.pk,
        "gift-unit": seeded.units["son-la"].pk,
        "gift-donor_name": "",
        "gift-amount": "15.000.000",
        "gift-given_on": "15/04/2024",
        "form_token": token,
    }
    barrier = threading.Barrier(4, timeout=WAIT) if concurrent() else None

    def post(client):
        def run():
            if barrier:
                barrier.wait()
            return post_section(client, EDIT_2024, data).content.decode()

        return run

    workers = [Worker(post(client), f"post {n}") for n, client in enumerate(clients)]
    run_all(workers, together=concurrent())

    assert [worker.error for worker in workers] == [None] * 4
    answers = [worker.result for worker in workers]
    assert sum("Đã ghi khoản đóng góp." in answer for answer in answers) == 1
    assert sum(ALREADY_DONE in answer for answer in answers) == 3
    assert list(fund.contributions.values_list("amount", flat=True)) == [15_000_000]


def test_two_funds_of_one_title_opened_at_once_are_one_fund(seeded, secretary):
    clients = secretary_clients(secretary, 2)
    barrier = threading.Barrier(2, timeout=WAIT) if concurrent() else None

    def open_fund(client, title, token):
        def run():
            if barrier:
                barrier.wait()
            data = {
                "action": "fund_open",
                "fund-title": title,
                "fund-purpose": "",
                "fund-target": "",
                "fund-opened_on": "",
                "form_token": token,
            }
            return post_section(client, EDIT_2024, data).content.decode()

        return run

    workers = [
        Worker(open_fund(clients[0], "Quỹ xây nhà", "quy-1"), "first"),
        Worker(open_fund(clients[1], "quỹ xây nhà", "quy-2"), "second"),
    ]
    run_all(workers, together=concurrent())

    assert [worker.error for worker in workers] == [None, None]
    answers = [worker.result for worker in workers]
    opened = [answer for answer in answers if "Đã mở quỹ" in answer]
    refused = [answer for answer in answers if "đã có quỹ" in answer]
    assert (len(opened), len(refused)) == (1, 1), answers
    assert "hãy đặt tên khác." in refused[0]
    funds = Fund.objects.filter(cluster_year=seeded.years[2024], title__iexact="quỹ xây nhà")
    assert funds.count() == 1
