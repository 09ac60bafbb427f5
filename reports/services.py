"""Writes of conferences and unit reports, with the rules that guard them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusters.services import ensure_year_open
from reports.models import Conference, UnitReport


def unit_report_check(report: UnitReport) -> None:
    """The rules beyond the model's own: the year is open and the unit is on its roster."""
    ensure_year_open(report.cluster_year)
    if not report.cluster_year.memberships.filter(unit_id=report.unit_id).exists():
        raise ValidationError(
            _("%(unit)s không có trong danh sách thành viên của %(year)s nên không thể báo cáo.")
            % {"unit": report.unit, "year": report.cluster_year}
        )


@transaction.atomic
def unit_report_save(*, report: UnitReport) -> UnitReport:
    unit_report_check(report)
    report.full_clean()
    report.save()
    return report


def conference_check(conference: Conference) -> None:
    ensure_year_open(conference.cluster_year)


@transaction.atomic
def conference_save(*, conference: Conference) -> Conference:
    conference_check(conference)
    conference.full_clean()
    conference.save()
    return conference
