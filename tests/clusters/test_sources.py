"""Sources: the documents behind figures. Who adds them, what files they take, who sees the files."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.access import COMMAND_LINE
from clusters import services
from clusters.models import ClusterYear, DataStatus, Source
from tests.factories import checklist_keys

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="quyet-dinh.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def year_2024(cluster_ii):
    return ClusterYear.objects.get(cluster__slug="cum-2", year=2024)


def test_the_secretariat_adds_a_decision_with_its_scan(secretary, year_2024):
    source = services.source_save(
        source=Source(cluster_year=year_2024, title="Quyết định khen thưởng", number="123/QĐ-BCA"),
        by=secretary,
        upload=pdf(),
    )
    assert source.file.name.startswith("sources/") and source.file.name.endswith(".pdf")
    assert source.file_name == "quyet-dinh.pdf"
    assert source.file.read() == PDF
    assert str(source) == "Quyết định khen thưởng, 123/QĐ-BCA"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ghi-chu.exe", b"MZ", "Chỉ nhận tệp"),
        ("quyet-dinh.pdf", b"<html>not a pdf</html>", "Nội dung tệp không phải PDF"),
        ("anh.png", b"\xff\xd8\xff\xe0jpeg really", "Nội dung tệp không phải PNG"),
    ],
)
def test_a_file_is_checked_by_type_and_content(secretary, year_2024, name, content, message):
    with pytest.raises(ValidationError) as refused:
        services.source_save(
            source=Source(cluster_year=year_2024, title="Biên bản"),
            by=secretary,
            upload=SimpleUploadedFile(name, content),
        )
    assert message in str(refused.value)
    assert not Source.objects.filter(title="Biên bản").exists()


def test_a_file_too_large_is_refused(secretary, year_2024, settings, monkeypatch):
    monkeypatch.setattr("clusters.services.SOURCE_FILE_MAX_BYTES", 10)
    with pytest.raises(ValidationError, match="Tệp lớn quá"):
        services.source_save(
            source=Source(cluster_year=year_2024, title="Biên bản"), by=secretary, upload=pdf()
        )


def test_an_officer_or_another_clusters_secretariat_adds_no_source(
    officer_laichau, other_cluster, year_2024
):
    from tests.factories import UserFactory

    other = UserFactory(role="secretariat", cluster=other_cluster.cluster)
    for user in (officer_laichau, other):
        with pytest.raises(PermissionDenied):
            services.source_save(source=Source(cluster_year=year_2024, title="X"), by=user)
    assert not Source.objects.filter(title="X").exists()


def test_a_published_years_source_is_added_but_changed_only_by_the_admin(
    secretary, admin_user, year_2024
):
    source = services.source_save(source=Source(cluster_year=year_2024, title="A"), by=secretary)
    services.cluster_year_publish(
        cluster_year=year_2024, by=admin_user, accepted=checklist_keys(year_2024)
    )
    late = services.source_save(
        source=Source(cluster_year=year_2024, title="Quyết định đến sau"), by=secretary
    )
    assert late.pk
    source.title = "B"
    with pytest.raises(ValidationError, match="đã công bố"):
        services.source_save(source=source, by=secretary)
    services.source_save(source=source, by=admin_user)
    assert Source.objects.get(pk=source.pk).title == "B"


def test_the_file_is_served_only_to_who_may_see_the_year(
    client, secretary, officer_laichau, other_cluster, admin_user, year_2024
):
    from tests.factories import UserFactory

    source = services.source_save(
        source=Source(cluster_year=year_2024, title="Biên bản"), by=secretary, upload=pdf()
    )
    url = reverse("clusters:source_file", args=[source.pk])
    assert client.get(url).status_code == 404  # the public, the year still open
    outsider = UserFactory(role="secretariat", cluster=other_cluster.cluster)
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(officer_laichau)  # a member unit's officer sees its year
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "private" in response["Cache-Control"]
    services.cluster_year_publish(
        cluster_year=year_2024, by=admin_user, accepted=checklist_keys(year_2024)
    )
    client.logout()
    assert client.get(url).status_code == 200  # published: the public sees what the year shows


def test_records_carry_a_status_and_default_to_the_units_report(cluster_ii):
    year = services.cluster_year_create(by=COMMAND_LINE, cluster=cluster_ii.cluster, year=2030)
    assert year.data_status == DataStatus.REPORTED
    assert year.get_data_status_display() == "báo cáo của đơn vị"


def test_the_command_line_removes_a_source_and_its_file(
    secretary, year_2024, django_capture_on_commit_callbacks
):
    source = services.source_save(
        source=Source(cluster_year=year_2024, title="Biên bản"), by=secretary, upload=pdf()
    )
    storage, name = source.file.storage, source.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.source_delete(source=source, by=COMMAND_LINE)
    assert not Source.objects.filter(pk=source.pk).exists()
    assert not storage.exists(name)
