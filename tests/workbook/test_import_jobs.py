"""Workbook imports of more than WORKBOOK_BACKGROUND_ROWS rows run as background jobs: checked by
a worker, previewed, confirmed, written by a worker as the user who started them; the job's
page and its progress figures are the starter's and the admin's only."""

import datetime
import io
import json
from datetime import timedelta
from unittest import mock

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from accounts.access import COMMAND_LINE
from accounts.models import Role
from awards.models import Commendation
from awards.workbook import COMMENDATION_HEADERS
from clusters import services as cluster_services
from reports import services as report_services
from reports.models import COUNT_FIELDS, UnitReport
from tests.factories import UserFactory
from tests.workbook.test_import_workbook import CLUSTER, LAI_CHAU, SON_LA, report_rows, xlsx
from workbook import jobs
from workbook.importer import count_rows, import_file, read
from workbook.models import ImportJob

pytestmark = pytest.mark.django_db

IMPORT = "/clusters/cum-2/2024/import/"
UNITS = [
    "Công an tỉnh Sơn La",
    "Công an tỉnh Lai Châu",
    "Công an tỉnh Điện Biên",
    "Công an tỉnh Lào Cai",
]


def commendation_xlsx(rows: int, *, year=2024, bad_rows=()) -> bytes:
    """A commendation sheet of `rows` people, one of four units each; the rows numbered in
    bad_rows (1 is the first person) name a unit that does not exist."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Khen thưởng")
    sheet.append(COMMENDATION_HEADERS)
    for i in range(1, rows + 1):
        unit = "Công an tỉnh Không Có" if i in bad_rows else UNITS[i % 4]
        sheet.append(
            [
                year,
                "Chiến sĩ thi đua cơ sở",
                unit,
                f"Cán bộ {i}",
                "Đại úy",
                "Đội trưởng",
                f"{i}/QĐ-CAT",
                "15/01/2025",
                "Giám đốc",
                "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data, name="khen-thuong.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def worker() -> Worker:
    """What `manage.py db_worker --batch` runs: every queued task, then stop."""
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def run_worker():
    # The worker closes a connection that is inside a transaction, as a test's is: not here.
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker().run()


@pytest.fixture
def small_threshold(settings):
    settings.WORKBOOK_BACKGROUND_ROWS = 5


def test_rows_are_counted_without_reading_the_cells():
    assert count_rows(io.BytesIO(commendation_xlsx(7)), "kt.xlsx") == 8  # and the header
    assert count_rows(io.BytesIO(b"a;b\n1;2\n3;4"), "kt.csv") == 3


def test_up_to_the_threshold_the_file_is_checked_while_the_browser_waits(
    client, seeded, secretary, small_threshold
):
    client.force_login(secretary)
    response = client.post(IMPORT, {"action": "check", "file": upload(commendation_xlsx(4))})
    assert response.status_code == 200
    assert response.context["token"]  # the synchronous preview, as before
    assert [(c.title, c.created) for c in response.context["outcome"].counts] == [
        ("Khen thưởng", 4)
    ]
    assert not ImportJob.objects.exists() and not DBTaskResult.objects.exists()


def test_beyond_the_threshold_it_is_checked_then_written_by_a_worker(
    client, seeded, secretary, small_threshold
):
    client.force_login(secretary)
    response = client.post(IMPORT, {"action": "check", "file": upload(commendation_xlsx(6))})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workbook/jobs/{job.pk}/"
    assert (job.user, job.cluster_year.year, job.status) == (secretary, 2024, "checking")
    queued = DBTaskResult.objects.get()
    assert (str(queued.id), queued.task_path) == (job.task_id, "workbook.jobs.run_import_job")

    page = client.get(f"/workbook/jobs/{job.pk}/")
    assert page.status_code == 200
    assert f'data-progress-url="/workbook/jobs/{job.pk}/progress.json"' in page.content.decode()
    assert client.get(f"/workbook/jobs/{job.pk}/progress.json").json()["percent"] == 0

    run_worker()
    job.refresh_from_db()
    assert (job.status, job.rows_total, job.rows_checked, job.rows_written) == ("checked", 6, 6, 0)
    assert not Commendation.objects.exists()  # a check writes nothing
    figures = client.get(f"/workbook/jobs/{job.pk}/progress.json").json()
    assert (figures["status"], figures["running"], figures["percent"]) == ("checked", False, 100)
    page = client.get(f"/workbook/jobs/{job.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "hợp lệ" in text and 'id="confirm-import"' in text
    assert page.context["result"]["counts"][0]["created"] == 6
    assert "data-progress-url" not in text  # nothing left to ask

    response = client.post(f"/workbook/jobs/{job.pk}/", {"action": "confirm"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "writing"
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.rows_written, job.content) == ("written", 6, b"")
    assert Commendation.objects.filter(year=2024).count() == 6
    history = Commendation.history.filter(person_name="Cán bộ 1").get()
    assert history.history_user == secretary  # written as the user who started it
    page = client.get(f"/workbook/jobs/{job.pk}/")
    assert page.context["written"] == "Đã nhập tệp khen-thuong.xlsx: thêm 6 dòng, sửa 0 dòng."
    assert "Đã nhập tệp khen-thuong.xlsx: thêm 6 dòng, sửa 0 dòng." in page.content.decode()
    assert all(task.status == "SUCCESSFUL" for task in DBTaskResult.objects.all())
    # Confirming again writes nothing more.
    response = client.post(f"/workbook/jobs/{job.pk}/", {"action": "confirm"})
    assert response.status_code == 422 and "không còn chờ ghi" in response.content.decode()
    assert DBTaskResult.objects.count() == 2

    listed = client.get(IMPORT)
    assert f'href="/workbook/jobs/{job.pk}/"' in listed.content.decode()


def test_a_job_with_problems_shows_the_same_messages_as_the_page_does(
    client, seeded, secretary, small_threshold
):
    data = commendation_xlsx(8, bad_rows=(3,))
    synchronous = import_file(
        io.BytesIO(data), "kt.xlsx", user=secretary, dry_run=True, cluster_year=seeded.years[2024]
    )
    client.force_login(secretary)
    client.post(IMPORT, {"action": "check", "file": upload(data)})
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == "refused" and job.content == b""
    page = client.get(f"/workbook/jobs/{job.pk}/")
    assert [(p["sheet"], p["row"], p["column"], p["message"]) for p in job.result["problems"]] == [
        (p.sheet, p.row, p.column, p.message) for p in synchronous.problems
    ]
    assert [(p["sheet"], p["row"], p["column"]) for p in job.result["problems"]] == [
        ("Khen thưởng", 4, "Đơn vị")
    ]
    text = page.content.decode()
    assert "có 1 lỗi" in text and synchronous.problems[0].message in text
    assert 'id="confirm-import"' not in text
    assert client.post(f"/workbook/jobs/{job.pk}/", {"action": "confirm"}).status_code == 422
    assert not Commendation.objects.exists()


def test_a_year_closed_between_the_check_and_the_write_writes_nothing(
    client, seeded, secretary, small_threshold
):
    client.force_login(secretary)
    client.post(IMPORT, {"action": "check", "file": upload(commendation_xlsx(6))})
    run_worker()
    job = ImportJob.objects.get()
    client.post(f"/workbook/jobs/{job.pk}/", {"action": "confirm"})
    year = seeded.years[2024]
    cluster_services.cluster_year_publish(cluster_year=year, by=COMMAND_LINE)
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.result) == ("failed", {"error": "Bạn không còn quyền nhập tệp này."})
    assert not Commendation.objects.exists()
    page = client.get(f"/workbook/jobs/{job.pk}/")
    assert "Bạn không còn quyền nhập tệp này." in page.content.decode()


@pytest.mark.parametrize(
    "who, status", [("starter", 200), ("admin", 200), ("other", 404), ("officer", 404)]
)
def test_only_the_starter_and_an_admin_see_the_job(
    client, seeded, secretary, admin_user, officer_laichau, who, status
):
    job = ImportJob.objects.create(
        user=secretary, cluster_year=seeded.years[2024], filename="kt.xlsx"
    )
    other = UserFactory(username="thuky.khac", role=Role.SECRETARIAT, cluster=seeded.cluster)
    viewer = {
        "starter": secretary,
        "admin": admin_user,
        "other": other,
        "officer": officer_laichau,
    }[who]
    client.force_login(viewer)
    assert client.get(f"/workbook/jobs/{job.pk}/").status_code == status
    assert client.get(f"/workbook/jobs/{job.pk}/progress.json").status_code == status
    if status == 404:
        assert client.post(f"/workbook/jobs/{job.pk}/", {"action": "confirm"}).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, seeded, secretary):
    job = ImportJob.objects.create(user=secretary, filename="kt.xlsx")
    for url in (f"/workbook/jobs/{job.pk}/", f"/workbook/jobs/{job.pk}/progress.json"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            "/accounts/login/?next="
        )
    assert client.get("/workbook/jobs/999999/").status_code == 302


def test_a_missing_job_is_a_404_and_progress_takes_no_post(client, secretary):
    client.force_login(secretary)
    assert client.get("/workbook/jobs/999999/").status_code == 404
    job = ImportJob.objects.create(user=secretary, filename="kt.xlsx")
    assert client.post(f"/workbook/jobs/{job.pk}/progress.json").status_code == 405


def test_the_progress_json_says_how_far_the_job_is(client, secretary):
    job = ImportJob.objects.create(
        user=secretary,
        filename="kt.xlsx",
        status="writing",
        started_at=timezone.now(),
        rows_total=20_000,
        rows_checked=20_000,
        rows_written=5_000,
    )
    client.force_login(secretary)
    response = client.get(f"/workbook/jobs/{job.pk}/progress.json")
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "id": job.pk,
        "status": "writing",
        "status_label": "Đang ghi",
        "running": True,
        "started": True,
        "phase": "write",
        "rows_total": 20_000,
        "rows_checked": 20_000,
        "rows_written": 5_000,
        "done": 5_000,
        "percent": 25,
        "silence": "",
    }


@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_while_the_imports_transaction_is_still_open(secretary):
    job = ImportJob.objects.create(
        user=secretary, filename="kt.xlsx", status="checking", rows_total=1000
    )
    progress = jobs.Progress(job, "rows_checked")
    try:
        with transaction.atomic():  # as the importer's, which holds every row it writes
            progress(1, 4)
            seen = jobs.progress_of(ImportJob.objects.get(pk=job.pk))
            assert (seen["rows_checked"], seen["percent"]) == (250, 25)
            progress(2, 4)  # too soon after the first: not reported
            progress(4, 4)  # the last always is
            seen = jobs.progress_of(ImportJob.objects.get(pk=job.pk))
            assert (seen["rows_checked"], seen["percent"]) == (1000, 100)
    finally:
        progress.close()


def test_a_checked_file_waits_an_hour_for_its_confirmation(client, seeded, secretary):
    job = ImportJob.objects.create(
        user=secretary,
        cluster_year=seeded.years[2024],
        filename="kt.xlsx",
        content=commendation_xlsx(2),
        status="checked",
        finished_at=timezone.now() - timedelta(hours=2),
    )
    client.force_login(secretary)
    response = client.post(f"/workbook/jobs/{job.pk}/", {"action": "confirm"})
    assert response.status_code == 422
    assert "Tệp đã kiểm tra không còn; hãy tải lên lại." in response.content.decode()
    job.refresh_from_db()
    assert (job.status, job.content) == ("checked", b"")
    assert not DBTaskResult.objects.exists()


def test_the_admins_page_runs_big_files_as_jobs_too(admin_client, seeded, small_threshold):
    response = admin_client.post(
        "/admin/workbook/", {"action": "check", "file": upload(commendation_xlsx(6))}
    )
    job = ImportJob.objects.get()
    assert response["Location"] == f"/workbook/jobs/{job.pk}/" and job.cluster_year is None
    run_worker()
    job.refresh_from_db()
    assert job.status == "checked"
    admin_client.post(f"/workbook/jobs/{job.pk}/", {"action": "confirm"})
    run_worker()
    job.refresh_from_db()
    assert job.status == "written"
    assert Commendation.objects.count() == 6
    page = admin_client.get(f"/workbook/jobs/{job.pk}/")
    assert 'href="/admin/workbook/"' in page.content.decode()


def test_a_worker_reports_progress_rows_as_the_importer_goes(seeded, secretary, monkeypatch):
    said = []
    monkeypatch.setattr(jobs, "REPORT_INTERVAL", 0)
    monkeypatch.setattr(jobs.Progress, "report", lambda self, values: said.append(dict(values)))
    job = ImportJob.objects.create(
        user=secretary,
        cluster_year=seeded.years[2024],
        filename="kt.xlsx",
        content=commendation_xlsx(10),
    )
    assert json.loads(json.dumps(jobs.run_import_job.call(job.pk))) == "checked"
    assert [values["rows_checked"] for values in said] == list(range(1, 11))
    assert {values["rows_total"] for values in said} == {10}


def test_a_job_marks_reports_their_units_filed_and_writes_only_the_ticked_one(
    client, cluster_ii, secretary, settings
):
    """As on the synchronous page: each overwritten self-filed report needs its own tick."""
    settings.WORKBOOK_BACKGROUND_ROWS = 1
    year = cluster_ii.years[2024]
    for slug, cases in (("son-la", 425), ("lai-chau", 31)):
        officer = UserFactory(role=Role.UNIT_OFFICER, unit=cluster_ii.units[slug])
        report = UnitReport(cluster_year=year, unit=officer.unit, **dict.fromkeys(COUNT_FIELDS, 0))
        report.drug_cases = cases
        report._history_user = officer
        report_services.unit_report_save(report=report, by=officer)
    data = xlsx(report_rows([CLUSTER, 2024, SON_LA, 410, 0], [CLUSTER, 2024, LAI_CHAU, 30, 0]))
    client.force_login(secretary)
    client.post(IMPORT, {"action": "check", "file": upload(data, "bao-cao.xlsx")})
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == "checked"
    page = client.get(f"/workbook/jobs/{job.pk}/")
    text = page.content.decode()
    assert 'id="overwrite-son-la"' in text and 'id="overwrite-lai-chau"' in text
    assert "Công an tỉnh Sơn La đã tự báo cáo (Ma túy: số vụ): 425 → 410" in text

    client.post(f"/workbook/jobs/{job.pk}/", {"action": "confirm", "overwrite": ["son-la"]})
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.overwrite) == ("written", ["son-la"])
    reports = {r.unit.slug: r.drug_cases for r in UnitReport.objects.filter(cluster_year=year)}
    assert reports == {"son-la": 410, "lai-chau": 31}
    page = client.get(f"/workbook/jobs/{job.pk}/")
    assert page.context["written"] == "Đã nhập tệp bao-cao.xlsx: thêm 0 dòng, sửa 1 dòng."
    assert page.context["left"] == (
        "Để nguyên 1 dòng ghi đè báo cáo đơn vị đã tự báo cáo (không được đánh dấu cho ghi): "
        "trang “Báo cáo đơn vị” dòng 3 – Công an tỉnh Lai Châu đã tự báo cáo (Ma túy: số vụ): "
        "31 → 30."
    )


def test_the_job_page_and_its_figures_take_a_fixed_number_of_queries(
    client, seeded, secretary, django_assert_num_queries
):
    job = ImportJob.objects.create(
        user=secretary,
        cluster_year=seeded.years[2024],
        filename="kt.xlsx",
        content=commendation_xlsx(3),
        status="checked",
        finished_at=timezone.now(),
        result={
            "counts": [{"title": "Khen thưởng", "rows": 3, "created": 3}],
            "problems": [],
            "problem_count": 0,
            "warnings": [],
            "marked": [],
        },
    )
    client.force_login(secretary)
    client.get(f"/workbook/jobs/{job.pk}/")  # the session's first writes are not the page's
    with django_assert_num_queries(3):  # session, user, job
        assert client.get(f"/workbook/jobs/{job.pk}/progress.json").status_code == 200
    with django_assert_num_queries(3):
        assert client.get(f"/workbook/jobs/{job.pk}/").status_code == 200


def test_the_write_takes_the_rows_as_the_check_read_them(client, seeded, secretary, settings):
    """Reading a large .xlsx takes seconds: the check keeps what it read, dates included."""
    settings.WORKBOOK_BACKGROUND_ROWS = 1
    client.force_login(secretary)
    client.post(IMPORT, {"action": "check", "file": upload(commendation_xlsx(3))})
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == "checked"
    sheets, _problems = read(io.BytesIO(bytes(job.content)), "kt.xlsx")
    assert jobs.sheets_from_json(json.loads(json.dumps(job.sheets))) == sheets
    assert sheets[0].rows[0][1]["Ngày quyết định"] == datetime.date(2025, 1, 15)
    job.content = b"not read again"
    job.save(update_fields=["content"])
    client.post(f"/workbook/jobs/{job.pk}/", {"action": "confirm"})
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.sheets, job.content) == ("written", [], b"")
    assert Commendation.objects.get(person_name="Cán bộ 2").decision_date == datetime.date(
        2025, 1, 15
    )
