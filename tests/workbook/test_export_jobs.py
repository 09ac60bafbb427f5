"""A year's workbook of more than WORKBOOK_BACKGROUND_ROWS rows is written by a worker: the
export address offers to start it, the job's page shows the progress, then the file, which is
the same workbook the synchronous export writes; only its starter and the admin see it."""

import io

import openpyxl
import pytest
from django_tasks_db.models import DBTaskResult

from tests.factories import UserFactory
from tests.workbook.test_import_jobs import run_worker
from workbook.exporter import row_count
from workbook.models import ExportJob

pytestmark = pytest.mark.django_db

EXPORT = "/clusters/cum-2/2023/export.xlsx"
START = "/clusters/cum-2/2023/export/"


def cells(data: bytes) -> dict:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return {s.title: [tuple(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


def test_a_large_year_is_written_by_a_worker_and_is_the_same_workbook(
    client, seeded, leader, settings
):
    client.force_login(leader)
    synchronous = b"".join(client.get(EXPORT).streaming_content)
    rows = row_count(2023, seeded.cluster)
    assert rows > 20  # the seeds' 2023

    settings.WORKBOOK_BACKGROUND_ROWS = rows - 1
    page = client.get(EXPORT)
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert f'action="{START}"' in page.content.decode()
    assert page.context["rows"] == rows
    assert not ExportJob.objects.exists()  # a GET starts nothing

    response = client.post(START)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workbook/exports/{job.pk}/"
    assert (job.user, job.status, job.filename) == (leader, "queued", "cum-2-2023.xlsx")
    assert DBTaskResult.objects.get().task_path == "workbook.jobs.run_export_job"
    assert client.get(f"/workbook/exports/{job.pk}/file.xlsx").status_code == 404  # not yet
    page = client.get(f"/workbook/exports/{job.pk}/")
    assert f'data-progress-url="/workbook/exports/{job.pk}/progress.json"' in page.content.decode()

    run_worker()
    job.refresh_from_db()
    assert (job.status, job.rows_total, job.rows_written) == ("done", rows, rows)
    figures = client.get(f"/workbook/exports/{job.pk}/progress.json").json()
    assert (figures["status"], figures["running"], figures["percent"]) == ("done", False, 100)
    page = client.get(f"/workbook/exports/{job.pk}/")
    assert f'href="/workbook/exports/{job.pk}/file.xlsx"' in page.content.decode()
    download = client.get(f"/workbook/exports/{job.pk}/file.xlsx")
    assert download.status_code == 200
    assert 'filename="cum-2-2023.xlsx"' in download["Content-Disposition"]
    assert cells(b"".join(download.streaming_content)) == cells(synchronous)

    listed = client.get(EXPORT)
    assert f'href="/workbook/exports/{job.pk}/"' in listed.content.decode()


def test_up_to_the_threshold_the_file_comes_at_once(client, seeded, leader, settings):
    settings.WORKBOOK_BACKGROUND_ROWS = row_count(2023, seeded.cluster)
    client.force_login(leader)
    response = client.get(EXPORT)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("who, status", [("starter", 200), ("admin", 200), ("other", 404)])
def test_only_the_starter_and_an_admin_see_the_export(
    client, seeded, leader, admin_user, who, status
):
    job = ExportJob.objects.create(
        user=leader,
        cluster_year=seeded.years[2023],
        filename="cum-2-2023.xlsx",
        status="done",
        content=b"PK-not-really",
    )
    viewer = {
        "starter": leader,
        "admin": admin_user,
        "other": UserFactory(username="lanhdao.khac", role=leader.role),
    }[who]
    client.force_login(viewer)
    for suffix in ("", "progress.json", "file.xlsx"):
        assert client.get(f"/workbook/exports/{job.pk}/{suffix}").status_code == status


def test_anonymous_visitors_log_in_and_officers_may_not_start_one(
    client, seeded, leader, officer_laichau
):
    job = ExportJob.objects.create(
        user=leader, cluster_year=seeded.years[2023], filename="cum-2-2023.xlsx"
    )
    for url in (
        f"/workbook/exports/{job.pk}/",
        f"/workbook/exports/{job.pk}/progress.json",
        f"/workbook/exports/{job.pk}/file.xlsx",
        START,
    ):
        response = client.post(url) if url == START else client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(officer_laichau)
    assert client.post(START).status_code == 403
    assert client.get(START).status_code == 405
    assert ExportJob.objects.count() == 1


def test_the_export_page_and_its_figures_take_a_fixed_number_of_queries(
    client, seeded, leader, django_assert_num_queries
):
    job = ExportJob.objects.create(
        user=leader, cluster_year=seeded.years[2023], filename="cum-2-2023.xlsx", status="running"
    )
    client.force_login(leader)
    client.get(f"/workbook/exports/{job.pk}/")  # the session's first writes are not the page's
    with django_assert_num_queries(3):  # session, user, job
        assert client.get(f"/workbook/exports/{job.pk}/progress.json").status_code == 200
    with django_assert_num_queries(3):
        assert client.get(f"/workbook/exports/{job.pk}/").status_code == 200
