"""A clerk imports 20,000 commendations: too many for the browser to wait on, so a worker checks
them while the page's bar moves, the clerk confirms the preview, and a worker writes them.

The worker runs in a thread of the test process (`db_worker --batch`'s loop), against the live
server's database: on SQLite the in-memory test database is shared by every connection of the
process; on PostgreSQL the thread opens its own connection to the test database."""

import contextlib
import re
import threading
import time

import pytest
from django.db import connections
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from accounts.models import Role
from awards.catalogue import ensure_award_catalogue
from awards.models import Commendation
from clusters.demo import seed_clusters
from tests.e2e.conftest import log_in
from tests.factories import UserFactory
from tests.workbook.test_import_jobs import commendation_xlsx, worker
from workbook.models import ImportJob

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 20_000


def readers_take_no_table_locks():
    """On SQLite the test database lives in memory with a shared cache, whose table locks fail
    at once ("database table is locked") instead of waiting as a file database's locks do: the
    page's reads of the job would make the worker's writes fail, or the reverse, as they did in
    CI on a slow machine. Reading uncommitted rows takes no table lock (this connection's)."""
    connection = connections["default"]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")


def work(page) -> tuple[float, list[int]]:
    """Run the queued job in a worker thread; meanwhile read the page's bar, as the clerk
    watches it. The seconds the worker took, and the percentages the bar showed."""
    failures = []
    readers_take_no_table_locks()  # the test's connection, which the live server shares

    def run():
        try:
            readers_take_no_table_locks()  # the worker thread's own connection
            worker().run()
        except BaseException as error:  # noqa: BLE001 - reported by the test's thread
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    started = time.perf_counter()
    thread.start()
    seen = []
    while thread.is_alive():
        with contextlib.suppress(PlaywrightError):  # the page reloads when the job is done
            seen.append(
                int(page.locator("#job-progress").get_attribute("aria-valuenow", timeout=500))
            )
        time.sleep(0.2)
    thread.join()
    assert not failures, failures
    return time.perf_counter() - started, seen


def test_the_clerk_imports_20000_commendations_and_watches_the_bar_reach_the_end(page, tmp_path):
    demo = seed_clusters()
    ensure_award_catalogue()
    UserFactory(username="thuky.cum2", role=Role.SECRETARIAT, cluster=demo.cluster)
    sheet = tmp_path / "khen-thuong-2024.xlsx"
    sheet.write_bytes(commendation_xlsx(ROWS))

    log_in(page, "thuky.cum2")
    page.goto("/clusters/cum-2/2024/import/")
    page.set_input_files("input[type=file]", str(sheet))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page).to_have_url(re.compile(r"/workbook/jobs/\d+/$"))
    job = ImportJob.objects.get()
    expect(page.locator("#job-status")).to_have_text("Đang kiểm tra")
    expect(page.locator("#job-progress")).to_have_attribute("aria-valuenow", "0")

    checking, seen_checking = work(page)
    expect(page.locator("#preview")).to_contain_text("hợp lệ", timeout=15_000)
    expect(page.locator("#job-status")).to_have_text("Đã kiểm tra, chờ ghi")
    expect(page.locator("#job-progress")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("#rows-checked")).to_have_text("20.000")
    expect(page.locator("#counts tbody td").nth(2)).to_have_text("20.000")  # to add
    assert not Commendation.objects.exists()

    page.get_by_role("button", name="Ghi vào cơ sở dữ liệu").click()
    expect(page.locator("#job-status")).to_have_text("Đang ghi")
    writing, seen_writing = work(page)
    expect(page.locator("#written")).to_have_text(
        "Đã nhập tệp khen-thuong-2024.xlsx: thêm 20000 dòng, sửa 0 dòng.", timeout=15_000
    )
    expect(page.locator("#job-progress")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("#rows-written")).to_have_text("20.000")
    expect(page.locator(".rows-total").first).to_have_text("20.000")

    assert Commendation.objects.filter(year=2024).count() == ROWS
    job.refresh_from_db()
    assert (job.status, job.rows_total, job.rows_checked, job.rows_written) == (
        "written",
        ROWS,
        ROWS,
        ROWS,
    )
    # The bar moved while the worker was at it, not only at the end.
    assert any(0 < percent < 100 for percent in seen_checking + seen_writing), (
        seen_checking,
        seen_writing,
    )
    print(
        f"\n[e2e] {ROWS} commendations, {connections['default'].vendor}: "
        f"check {checking:.1f} s, write {writing:.1f} s; bar seen at "
        f"{sorted(set(seen_checking))} then {sorted(set(seen_writing))}"
    )
