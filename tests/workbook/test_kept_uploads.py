"""A checked file is kept until the user confirms: in the "workbook_uploads" storage, never a bare
temporary folder; gone at logout, after UPLOAD_LIFETIME, and when a fourth is kept (MAX_KEPT)."""

import datetime
import os
import time

import pytest
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reports.models import UnitReport
from tests.workbook.test_import_workbook import CLUSTER, LAI_CHAU, SON_LA, report_rows, xlsx
from workbook.views import MAX_KEPT, UPLOAD_KEY, UPLOAD_LIFETIME, UPLOAD_STORAGE

pytestmark = pytest.mark.django_db

IMPORT = "/clusters/cum-2/2024/import/"


@pytest.fixture(autouse=True)
def upload_storage(settings, tmp_path):
    """The configured storage, in a folder of the test's own."""
    configured = settings.STORAGES[UPLOAD_STORAGE]
    options = {**configured.get("OPTIONS", {}), "location": tmp_path / "kept"}
    settings.STORAGES = {**settings.STORAGES, UPLOAD_STORAGE: {**configured, "OPTIONS": options}}
    return storages[UPLOAD_STORAGE]


def kept_files(storage) -> list[str]:
    names = []
    folders, files = storage.listdir("") if storage.exists("") else ([], [])
    names += files
    for folder in folders:
        names += [f"{folder}/{name}" for name in storage.listdir(folder)[1]]
    return sorted(names)


def check(client, *rows):
    data = xlsx(report_rows(*(rows or ([CLUSTER, 2024, LAI_CHAU, 3, 2],))))
    response = client.post(
        IMPORT, {"action": "check", "file": SimpleUploadedFile("bao-cao.xlsx", data)}
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.context["token"]


def confirm(client, token):
    return client.post(IMPORT, {"action": "confirm", "token": token})


def age(storage, name, seconds):
    """Make a kept file (and its entry in the session) look seconds old."""
    then = time.time() - seconds
    os.utime(storage.path(name), (then, then))


def test_the_settings_name_a_storage_for_kept_uploads():
    from django.conf import settings

    assert UPLOAD_STORAGE in settings.STORAGES
    assert UPLOAD_LIFETIME <= 3600 and MAX_KEPT == 3


def test_a_checked_file_is_kept_in_the_storage_until_confirmed(
    client, seeded, secretary, upload_storage
):
    client.force_login(secretary)
    token = check(client)
    stored = kept_files(upload_storage)
    assert len(stored) == 1 and token in stored[0]
    entry = client.session[UPLOAD_KEY][token]
    assert entry["stored"] == stored[0]
    assert isinstance(upload_storage, FileSystemStorage)
    assert oct(os.stat(upload_storage.path(stored[0])).st_mode & 0o777) == "0o600"
    response = confirm(client, token)
    assert response.status_code == 302
    assert UnitReport.objects.filter(cluster_year__year=2024).count() == 1
    assert kept_files(upload_storage) == []
    assert token not in client.session[UPLOAD_KEY]


def test_logging_out_deletes_the_kept_files(client, seeded, secretary, upload_storage):
    client.force_login(secretary)
    check(client)
    check(client)
    assert len(kept_files(upload_storage)) == 2
    response = client.post("/accounts/logout/")
    assert response.status_code in (200, 302)
    assert kept_files(upload_storage) == []


def test_a_file_older_than_the_lifetime_is_gone(client, seeded, secretary, upload_storage):
    client.force_login(secretary)
    old = check(client)
    age(upload_storage, client.session[UPLOAD_KEY][old]["stored"], UPLOAD_LIFETIME + 60)
    session = client.session
    session[UPLOAD_KEY][old]["kept"] -= UPLOAD_LIFETIME + 60
    session.save()
    response = confirm(client, old)
    assert "không còn" in response.content.decode()
    assert not UnitReport.objects.filter(cluster_year__year=2024).exists()
    assert kept_files(upload_storage) == []


def test_old_files_are_purged_whenever_a_file_is_kept(
    client, seeded, secretary, admin_user, upload_storage
):
    """Also the files of sessions that never logged out (the browser was closed)."""
    client.force_login(admin_user)
    abandoned = check(client)
    abandoned_name = client.session[UPLOAD_KEY][abandoned]["stored"]
    age(upload_storage, abandoned_name, UPLOAD_LIFETIME + 1)
    assert upload_storage.get_modified_time(abandoned_name) < timezone.now() - datetime.timedelta(
        seconds=UPLOAD_LIFETIME
    )
    client.force_login(secretary)
    fresh = check(client)
    assert kept_files(upload_storage) == [client.session[UPLOAD_KEY][fresh]["stored"]]


def test_at_most_three_files_are_kept_per_user(client, seeded, secretary, upload_storage):
    client.force_login(secretary)
    tokens = []
    for _ in range(MAX_KEPT + 1):
        tokens.append(check(client))
        time.sleep(0.01)  # distinct modification times
    assert len(kept_files(upload_storage)) == MAX_KEPT
    assert sorted(client.session[UPLOAD_KEY]) == sorted(tokens[1:])
    assert "không còn" in confirm(client, tokens[0]).content.decode()
    assert confirm(client, tokens[-1]).status_code == 302


def test_the_limit_holds_across_the_users_sessions(seeded, secretary, upload_storage):
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(secretary)
    second.force_login(secretary)
    oldest = check(first)
    for _ in range(MAX_KEPT):
        time.sleep(0.01)
        check(second)
    assert len(kept_files(upload_storage)) == MAX_KEPT
    assert "không còn" in confirm(first, oldest).content.decode()


def test_another_users_files_are_not_counted(client, seeded, secretary, admin_user, upload_storage):
    from django.test import Client

    admin = Client()
    admin.force_login(admin_user)
    admin_token = check(admin)
    client.force_login(secretary)
    for _ in range(MAX_KEPT):
        check(client)
    assert len(kept_files(upload_storage)) == MAX_KEPT + 1
    response = confirm(admin, admin_token)
    assert response.status_code == 302


def test_a_session_entry_from_before_the_storage_is_refused_cleanly(client, seeded, secretary):
    client.force_login(secretary)
    session = client.session
    session[UPLOAD_KEY] = {"abc": {"name": "x.xlsx", "path": "/etc/passwd"}}
    session.save()
    response = confirm(client, "abc")
    assert response.status_code == 422 and "không còn" in response.content.decode()


def test_a_confirmed_file_reads_the_same_rows(client, seeded, secretary, upload_storage):
    client.force_login(secretary)
    token = check(client, [CLUSTER, 2024, LAI_CHAU, 3, 2], [CLUSTER, 2024, SON_LA, "4.213", 1])
    assert confirm(client, token).status_code == 302
    assert UnitReport.objects.get(unit__name=SON_LA, cluster_year__year=2024).drug_cases == 4213


def test_a_file_uploaded_to_a_temporary_file_is_kept_the_same_way(
    client, seeded, secretary, upload_storage, settings
):
    """Over FILE_UPLOAD_MAX_MEMORY_SIZE the upload arrives as a temporary file, which the storage
    moves into place: it must still be readable by this process only, and confirmable."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    client.force_login(secretary)
    token = check(client)
    stored = client.session[UPLOAD_KEY][token]["stored"]
    assert oct(os.stat(upload_storage.path(stored)).st_mode & 0o777) == "0o600"
    assert confirm(client, token).status_code == 302
    assert kept_files(upload_storage) == []


def test_a_file_purged_by_another_session_between_check_and_confirm(
    client, seeded, secretary, upload_storage
):
    client.force_login(secretary)
    token = check(client)
    upload_storage.delete(client.session[UPLOAD_KEY][token]["stored"])
    response = confirm(client, token)
    assert response.status_code == 422 and "không còn" in response.content.decode()


def test_files_left_by_the_former_layout_are_purged_too(client, seeded, secretary, upload_storage):
    """Before the storage, kept files lay side by side as <token>.upload, for 6 hours."""
    from django.core.files.base import ContentFile

    old = upload_storage.save("abc.upload", ContentFile(b"old"))
    age(upload_storage, old, UPLOAD_LIFETIME + 1)
    client.force_login(secretary)
    token = check(client)
    assert kept_files(upload_storage) == [client.session[UPLOAD_KEY][token]["stored"]]
