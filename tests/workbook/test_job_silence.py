"""A job whose worker has gone (stopped, killed, its machine off), or that no worker has taken,
does not look busy for ever: after jobs.SILENT_AFTER without a word from a worker its page says
so, in words, and what to do; a worker's progress report is a word."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from workbook import jobs
from workbook.models import ExportJob, ImportJob

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.timedelta(minutes=11)


def progress(client, job, kind="jobs"):
    return client.get(f"/workbook/{kind}/{job.pk}/progress.json").json()


def aged(model, **fields):
    """A job created (and, with started=True, started and last heard of) 11 minutes ago."""
    job = model.objects.create(filename="kt.xlsx", **fields)
    model.objects.filter(pk=job.pk).update(created_at=timezone.now() - LONG_AGO)
    job.refresh_from_db()
    return job


def test_a_fresh_job_is_not_said_to_be_stuck(client, secretary):
    job = ImportJob.objects.create(user=secretary, filename="kt.xlsx", status="checking")
    client.force_login(secretary)
    assert progress(client, job)["silence"] == ""
    page = client.get(f"/workbook/jobs/{job.pk}/").content.decode()
    assert 'id="job-silence" role="status" hidden' in page


def test_a_job_no_worker_took_says_so(client, secretary):
    job = aged(ImportJob, user=secretary, status="checking")
    client.force_login(secretary)
    said = progress(client, job)["silence"]
    assert said.startswith("Chưa có máy chạy nền nào nhận việc này từ ")
    assert "Hãy báo quản trị viên." in said
    page = client.get(f"/workbook/jobs/{job.pk}/").content.decode()
    assert 'id="job-silence" role="status">Chưa có máy chạy nền nào nhận việc' in page


def test_a_worker_silent_for_long_is_said_to_have_stopped(client, secretary):
    then = timezone.now() - LONG_AGO
    job = aged(ImportJob, user=secretary, status="writing", started_at=then, heard_at=then)
    client.force_login(secretary)
    said = progress(client, job)["silence"]
    when = timezone.localtime(then).strftime("%H:%M %d/%m/%Y")
    assert said == (
        f"Máy chạy nền không báo tiến độ từ {when}: có thể nó đã dừng giữa chừng. Chưa có gì "
        "được ghi. Hãy báo quản trị viên, hoặc tải tệp lên lại."
    )
    # finished jobs are never stuck, however old
    ImportJob.objects.filter(pk=job.pk).update(status="written")
    assert progress(client, job)["silence"] == ""


def test_an_export_whose_worker_went_silent_says_to_export_again(client, seeded, leader):
    then = timezone.now() - LONG_AGO
    job = aged(
        ExportJob,
        user=leader,
        cluster_year=seeded.years[2023],
        status="running",
        started_at=then,
        heard_at=then,
    )
    client.force_login(leader)
    assert progress(client, job, "exports")["silence"].endswith("hoặc xuất tệp lại.")


def test_a_confirmed_job_counts_its_silence_from_the_confirmation(secretary):
    then = timezone.now() - LONG_AGO
    job = aged(
        ImportJob,
        user=secretary,
        status="checked",
        started_at=then,
        heard_at=then,
        content=b"x",
        finished_at=timezone.now(),
    )
    assert jobs.confirm(job=job, overwrite=[]) is None
    job.refresh_from_db()
    assert (job.status, job.started_at) == ("writing", None)
    assert jobs.silence(job) == ""  # queued again just now


@pytest.mark.django_db(transaction=True)
def test_a_progress_report_is_a_word_from_the_worker(secretary):
    """Reported as the import goes, through its own connection (PostgreSQL) or its file
    (SQLite), while the import's transaction is still open."""
    then = timezone.now() - LONG_AGO
    job = aged(ImportJob, user=secretary, status="checking", rows_total=100)
    ImportJob.objects.filter(pk=job.pk).update(started_at=then, heard_at=then)
    job.refresh_from_db()
    assert jobs.silence(job)
    report = jobs.Progress(job, "rows_checked")
    try:
        with transaction.atomic():
            report(10, 100)
            assert jobs.silence(ImportJob.objects.get(pk=job.pk)) == ""
    finally:
        report.close()
