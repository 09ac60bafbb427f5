"""With REDIS_URL the background jobs' queue is RQ's, in Redis (django-tasks-rq): the same job,
queued by the same page, is checked and written by an RQ worker as by the database's. The
worker here is RQ's SimpleWorker in the test's process (no fork), so it sees the test's
database; `manage.py rqworker --job-class django_tasks_rq.Job default` runs the same code.

Redis must answer at TEST_REDIS_URL (default redis://127.0.0.1:6379/15, a database of its own,
emptied by each test): a missing Redis fails the test, as a missing browser fails the journeys."""

import os
import subprocess
import sys

import django_rq
import pytest
import redis
from django_tasks_rq import Job
from rq import SimpleWorker

from awards.models import Commendation
from tests.workbook.test_import_jobs import IMPORT, commendation_xlsx, upload
from workbook.models import ImportJob

pytestmark = pytest.mark.django_db

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def rq_queue(settings):
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.ConnectionError:
        pytest.fail(
            f"Redis does not answer at {REDIS}: start it (redis-server --daemonize yes; .ci/run "
            "does) or point TEST_REDIS_URL at one"
        )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS, "DEFAULT_TIMEOUT": 3600}}
    settings.WORKBOOK_BACKGROUND_ROWS = 5
    queue = django_rq.get_queue("default", job_class=Job)
    queue.connection.flushdb()
    yield queue
    queue.connection.flushdb()


def work(queue) -> None:
    """What `manage.py rqworker --burst --job-class django_tasks_rq.Job default` does, in this
    process."""
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    assert worker.work(burst=True)


def test_a_big_import_is_checked_and_written_by_an_rq_worker(client, seeded, secretary, rq_queue):
    client.force_login(secretary)
    response = client.post(IMPORT, {"action": "check", "file": upload(commendation_xlsx(6))})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workbook/jobs/{job.pk}/"
    assert rq_queue.job_ids == [job.task_id]  # queued in Redis, not in the database

    work(rq_queue)
    job.refresh_from_db()
    assert (job.status, job.rows_total, job.rows_checked) == ("checked", 6, 6)
    assert not Commendation.objects.exists()

    response = client.post(f"/workbook/jobs/{job.pk}/", {"action": "confirm"})
    assert response.status_code == 302
    work(rq_queue)
    job.refresh_from_db()
    assert (job.status, job.rows_written) == ("written", 6)
    assert Commendation.objects.filter(year=2024).count() == 6
    assert Commendation.history.filter(person_name="Cán bộ 1").get().history_user == secretary
    figures = client.get(f"/workbook/jobs/{job.pk}/progress.json").json()
    assert (figures["status"], figures["percent"]) == ("written", 100)
    assert rq_queue.count == 0 and rq_queue.failed_job_registry.count == 0


def test_redis_url_chooses_rq_and_its_worker_command():
    """The settings as a server loads them: REDIS_URL set, RQ's backend and queue; unset, the
    database's."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.TASKS['default']['BACKEND'], s.RQ_QUEUES['default']['URL'] "
        "if hasattr(s, 'RQ_QUEUES') else '-', 'django_rq' in s.INSTALLED_APPS)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("REDIS_URL", None)
    without = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert without.stdout.split() == ["django_tasks_db.DatabaseBackend", "-", "False"]
    env["REDIS_URL"] = "redis://cache.example:6379/2"
    with_redis = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert with_redis.stdout.split() == [
        "django_tasks_rq.RQBackend",
        "redis://cache.example:6379/2",
        "True",
    ]
    help_text = subprocess.run(
        [sys.executable, "manage.py", "help", "rqworker"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--job-class" in help_text
