"""The secretariat records the year's documents (minutes, decisions, photos) on the edit page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clusters.models import Source
from tests.sections import post_section

pytestmark = pytest.mark.django_db

EDIT = "/clusters/cum-2/2024/edit/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def data(content=PDF, name="bien-ban.pdf"):
    return {
        "title": "Biên bản họp bình xét năm 2024",
        "number": "12/BB-CTĐ",
        "issued_on": "05/12/2024",
        "issuer": "Cụm thi đua số II",
        "url": "",
        "notes": "",
        "file": SimpleUploadedFile(name, content),
    }


def test_the_secretariat_records_a_document_with_its_file(client, seeded, secretary):
    client.force_login(secretary)
    response = post_section(client, EDIT, {"action": "source", **data()})
    page = response.content.decode()
    assert "Đã ghi nguồn tài liệu “Biên bản họp bình xét năm 2024”." in page
    source = Source.objects.get(title="Biên bản họp bình xét năm 2024")
    assert source.cluster_year == seeded.years[2024] and source.file_name == "bien-ban.pdf"
    assert source.file.read() == PDF
    assert source.get_file_url() in page  # listed on the edit page with its file


def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_kept(
    client, seeded, secretary
):
    client.force_login(secretary)
    response = post_section(client, EDIT, {"action": "source", **data(b"<html>", "bien-ban.pdf")})
    assert "Nội dung tệp không phải PDF" in response.content.decode()
    assert not Source.objects.filter(title="Biên bản họp bình xét năm 2024").exists()


def test_an_officer_or_another_cluster_records_no_document(
    client, seeded, officer_laichau, other_cluster
):
    from tests.factories import UserFactory

    client.force_login(officer_laichau)
    assert client.post(EDIT + "source/", data()).status_code == 403
    client.force_login(UserFactory(role="secretariat", cluster=other_cluster.cluster))
    assert client.post(EDIT + "source/", data()).status_code == 404
    assert not Source.objects.filter(title="Biên bản họp bình xét năm 2024").exists()
