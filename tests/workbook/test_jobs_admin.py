"""The administrator sees every background job in the admin, read-only, each with a link to its
own page; the files themselves are not shown there."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.workbook.test_import_jobs import IMPORT, commendation_xlsx, upload
from workbook.models import ExportJob, ImportJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(seeded, secretary, settings):
    settings.WORKBOOK_BACKGROUND_ROWS = 5
    client = Client()  # the secretary's own browser; admin_client is the admin's
    client.force_login(secretary)
    client.post(IMPORT, {"action": "check", "file": upload(commendation_xlsx(6))})
    return ImportJob.objects.get()


def test_the_admin_lists_the_jobs_with_a_link_to_each(
    admin_client, job, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = admin_client.get(reverse("admin:workbook_importjob_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "khen-thuong.xlsx" in html and "thuky.cum2" in html and "Đang kiểm tra" in html
    assert f'href="/workbook/jobs/{job.pk}/"' in html
    assert admin_client.get(reverse("admin:workbook_exportjob_changelist")).status_code == 200


def test_jobs_are_read_only_in_the_admin(admin_client, job):
    change = reverse("admin:workbook_importjob_change", args=[job.pk])
    response = admin_client.get(change)
    assert response.status_code == 200  # viewed, without the file's bytes
    assert "nội dung tệp" not in response.content.decode()
    before = (job.status, job.filename)
    admin_client.post(change, {"status": "written", "filename": "x.xlsx"})
    job.refresh_from_db()
    assert (job.status, job.filename) == before
    assert admin_client.get(reverse("admin:workbook_importjob_add")).status_code == 403
    delete = reverse("admin:workbook_importjob_delete", args=[job.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ImportJob.objects.filter(pk=job.pk).exists() and not ExportJob.objects.exists()
