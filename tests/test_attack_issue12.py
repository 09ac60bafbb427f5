"""Holes an attack review of issue 12 found, each shown failing first and now closed."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.access import COMMAND_LINE
from clusters import services
from clusters.models import ClusterYear, MembershipChange, Source
from reports import services as report_services
from reports.models import COUNT_FIELDS, UnitReport
from tests.factories import checklist_keys

pytestmark = pytest.mark.django_db


def report(year, unit, by, **counts):
    values = {**dict.fromkeys(COUNT_FIELDS, 100), **counts}
    return report_services.unit_report_save(
        report=UnitReport(cluster_year=year, unit=unit, **values), by=by
    )


def test_a_record_never_cites_another_clusters_source(seeded, secretary, other_cluster):
    theirs = services.source_save(
        source=Source(cluster_year=other_cluster, title="Biên bản của cụm I"), by=COMMAND_LINE
    )
    with pytest.raises(ValidationError, match="thuộc cụm thi đua khác"):
        filed = UnitReport(
            cluster_year=seeded.years[2024],
            unit=seeded.units["lai-chau"],
            source=theirs,
            **dict.fromkeys(COUNT_FIELDS, 1),
        )
        report_services.unit_report_save(report=filed, by=secretary)
    # its own cluster's article of another year is fine (2024's chairs come from 2023's)
    assert seeded.years[2024].source == seeded.sources[2023]


def test_a_unit_with_figures_or_the_leading_unit_is_not_removed_from_the_roster(seeded, secretary):
    year = seeded.years[2024]
    report(year, seeded.units["lai-chau"], secretary)
    with pytest.raises(ValidationError, match="đã có báo cáo"):
        services.membership_change(
            cluster_year=year,
            unit=seeded.units["lai-chau"],
            action=MembershipChange.Action.REMOVE,
            by=secretary,
            decision_number="1/QĐ-BCA",
            decision_date=datetime.date(2024, 1, 2),
        )
    ClusterYear.objects.filter(pk=year.pk).update(leading_unit=seeded.units["son-la"])
    with pytest.raises(ValidationError, match="đơn vị dẫn đầu"):
        services.membership_change(
            cluster_year=ClusterYear.objects.get(pk=year.pk),
            unit=seeded.units["son-la"],
            action=MembershipChange.Action.REMOVE,
            by=secretary,
            decision_number="1/QĐ-BCA",
            decision_date=datetime.date(2024, 1, 2),
        )
    assert year.memberships.count() == 7


def test_a_tick_given_to_one_figure_does_not_publish_another_written_after(seeded, secretary):
    year = seeded.years[2024]
    filed = report(year, seeded.units["son-la"], secretary, drug_cases=3000)  # 1.105 in 2023
    shown = checklist_keys(year)
    filed.drug_cases = 6000
    report_services.unit_report_save(report=filed, by=secretary)
    with pytest.raises(ValidationError, match="chưa được đánh dấu"):
        services.cluster_year_publish(cluster_year=year, by=secretary, accepted=shown)
    assert not ClusterYear.objects.get(pk=year.pk).is_published


def test_the_next_year_opens_only_from_the_latest(seeded, secretary):
    with pytest.raises(ValidationError, match="năm mới nhất"):
        services.cluster_year_open_next(cluster_year=seeded.years[2018], by=secretary)
    assert not ClusterYear.objects.filter(year=2019).exists()


def test_a_years_import_page_refuses_rows_of_another_cluster(
    client, seeded, admin_user, other_cluster
):
    from core.spreadsheets import workbook_bytes
    from tests.workbook.test_import_workbook import REPORT_HEADERS

    rows = [["Cụm thi đua số I", 2024, "Công an Hà Nội", 1, 1, *([0] * 7)]]
    data = workbook_bytes([("Báo cáo đơn vị", REPORT_HEADERS, rows)])
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin_user)
    response = client.post(
        "/clusters/cum-2/2024/import/",
        {"action": "check", "file": SimpleUploadedFile("x.xlsx", data)},
    )
    assert response.status_code == 422
    assert any("Cụm thi đua số I" in str(p) for p in response.context["outcome"].problems)
    assert not UnitReport.objects.filter(cluster_year=other_cluster).exists()
