"""The admin's less-trodden paths write through the services too (found by an attack review):
restoring an earlier version, a commendation's year, a changelist delete of several objects,
the award rules inline, and the command line overriding a vote rule."""

import datetime

import pytest
from django.urls import reverse

from accounts.access import COMMAND_LINE
from awards import services as award_services
from awards.models import AwardKind, AwardRule, Commendation
from reports.models import UnitReport
from tests.formdata import forms_of

pytestmark = pytest.mark.django_db


def form_on(client, address):
    page = client.get(address)
    assert page.status_code == 200, address
    forms = [f for f in forms_of(page.content.decode(), address) if f.method == "post"]
    return max(forms, key=lambda f: len(f.fields))  # the admin's main form


def commendation(unit, year, **kwargs):
    return Commendation.objects.create(
        award_kind=AwardKind.objects.get(code="co-bo-cong-an"),
        year=year,
        unit=unit,
        decision_number=f"{year}/QĐ",
        decision_date=datetime.date(year, 12, 1),
        **kwargs,
    )


def test_restoring_a_version_does_not_move_a_published_report_into_an_open_year(
    admin_client, seeded
):
    report = UnitReport.objects.filter(cluster_year=seeded.years[2023]).first()
    version = report.history.order_by("history_id").first()
    address = reverse("admin:reports_unitreport_simple_history", args=[report.pk, version.pk])
    form = form_on(admin_client, address)
    data = {**form.as_dict(), "cluster_year": str(seeded.years[2024].pk), "crimes_recorded": "999"}
    response = admin_client.post(address, data)
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.cluster_year_id == seeded.years[2023].pk and report.crimes_recorded != 999


def test_an_open_report_is_not_moved_to_another_year_either(seeded, admin_user):
    from reports import services
    from reports.models import COUNT_FIELDS

    report = services.unit_report_save(
        report=UnitReport(
            cluster_year=seeded.years[2024],
            unit=seeded.units["lai-chau"],
            **dict.fromkeys(COUNT_FIELDS, 1),
        ),
        by=admin_user,
    )
    report.cluster_year = seeded.years[2023]
    with pytest.raises(Exception, match="Không chuyển được"):
        services.unit_report_save(report=report, by=admin_user)


def test_a_published_years_commendation_is_read_only_and_keeps_its_year(admin_client, seeded):
    old = commendation(seeded.units["lai-chau"], 2023)
    address = reverse("admin:awards_commendation_change", args=[old.pk])
    page = admin_client.get(address).content.decode()
    assert 'name="year"' not in page  # frozen with its year
    response = admin_client.post(address, {"year": "2024", "award_kind": old.award_kind_id})
    assert response.status_code == 403
    old.refresh_from_db()
    assert old.year == 2023
    old.year = 2024
    with pytest.raises(Exception, match="đã công bố"):
        award_services.commendation_save(commendation=old, by=COMMAND_LINE)


def test_a_changelist_delete_is_all_or_nothing(admin_client, seeded):
    frozen = commendation(seeded.units["lai-chau"], 2023)
    open_one = commendation(seeded.units["lai-chau"], 2024)
    response = admin_client.post(
        reverse("admin:awards_commendation_changelist"),
        {"action": "delete_selected", "post": "yes", "_selected_action": [frozen.pk, open_one.pk]},
    )
    assert response.status_code in (302, 403)
    assert Commendation.objects.filter(pk__in=[frozen.pk, open_one.pk]).count() == 2


def test_a_rule_that_would_change_a_published_vote_is_refused(seeded, admin_user):
    kind = AwardKind.objects.get(code="co-bo-cong-an")
    backdated = AwardRule(award_kind=kind, valid_from=datetime.date(2000, 1, 1), legal_basis="x")
    with pytest.raises(Exception, match="đã công bố"):
        award_services.award_rule_save(rule=backdated, by=admin_user)
    assert not AwardRule.objects.filter(valid_from=datetime.date(2000, 1, 1)).exists()
    later = AwardRule(award_kind=kind, valid_from=datetime.date(2030, 1, 1), legal_basis="Luật mới")
    assert award_services.award_rule_save(rule=later, by=admin_user).pk


def test_the_rules_inline_writes_through_the_service(admin_client, seeded):
    kind = AwardKind.objects.get(code="co-bo-cong-an")
    address = reverse("admin:awards_awardkind_change", args=[kind.pk])
    data = form_on(admin_client, address).as_dict()
    total = int(data["rules-TOTAL_FORMS"])
    data.update(
        {
            "rules-TOTAL_FORMS": str(total + 1),
            f"rules-{total}-valid_from": "01/01/2000",
            f"rules-{total}-legal_basis": "Lùi ngày",
            f"rules-{total}-award_kind": str(kind.pk),
        }
    )
    response = admin_client.post(address, data, follow=True)
    assert "đã công bố" in response.content.decode()
    assert not AwardRule.objects.filter(valid_from=datetime.date(2000, 1, 1)).exists()


def test_the_command_line_may_override_a_rule_with_a_reason(seeded):
    nomination = award_services.nomination_propose(
        cluster_year=seeded.years[2024],
        award_kind=AwardKind.objects.get(code="co-bo-cong-an"),
        unit=seeded.units["lai-chau"],
        by=COMMAND_LINE,
        votes_for=1,
        council_size=10,
        override_reason="Nhập lại hồ sơ cũ",
    )
    assert nomination.override_reason and nomination.overridden_by is None
