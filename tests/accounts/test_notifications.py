"""The notifications' copies by email: sent where a mail server is set, after the write commits,
to accounts with an address, with the whole link where SITE_URL is set; none on a closed network."""

import pytest
from django.core import mail

from accounts.models import Notification, Role
from accounts.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return [
        UserFactory(username="thuky", role=Role.LEADERSHIP, email="thuky@cand.vn"),
        UserFactory(username="khong.thu", role=Role.LEADERSHIP, email=""),
    ]


def test_a_copy_by_email_after_the_write_commits(
    settings, people, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = "mail.cand.vn"
    settings.SITE_URL = "https://thidua.cand.vn"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(users=people, kind="x", text="Bộ trả lại hồ sơ", url="/clusters/cum-2/2024/dossier/")
    assert Notification.objects.count() == 2  # in the application for both
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1  # by email only where there is an address
    message = mail.outbox[0]
    assert message.to == ["thuky@cand.vn"] and message.subject == "Bộ trả lại hồ sơ"
    assert "https://thidua.cand.vn/clusters/cum-2/2024/dossier/" in message.body


def test_no_email_on_a_closed_network(settings, people, django_capture_on_commit_callbacks):
    settings.EMAIL_HOST = ""
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=people, kind="x", text="Bộ trả lại hồ sơ")
    assert Notification.objects.count() == 2 and mail.outbox == []
