"""Writes of conferences and unit reports, with the rules that guard them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.access import require
from clusters.services import lock_year, lock_year_for
from reports.models import Conference, PublishedFigure, UnitReport


def _stays_where_it_is(model, obj, fields: tuple[str, ...]) -> None:
    """A stored report or conference keeps its year (and unit): it is never moved out of a year,
    published or not; a new one is written in its own."""
    if obj.pk is None:
        return
    stored = model.objects.filter(pk=obj.pk).values(*fields).first()
    if stored is not None and any(stored[f] != getattr(obj, f) for f in fields):
        raise ValidationError(
            _("Không chuyển được bản ghi sang năm thi đua hay đơn vị khác; hãy sửa ở đúng năm.")
        )


def unit_report_check(report: UnitReport, by) -> None:
    """Under the year's lock: the year is open, `by` may write this unit's report, and the unit
    is on the year's roster."""
    _stays_where_it_is(UnitReport, report, ("cluster_year_id", "unit_id"))
    lock_year(report.cluster_year)
    require(
        by,
        "reports.change_unitreport",
        report,
        _("Chỉ cán bộ của đơn vị, thư ký cụm hoặc quản trị viên được sửa báo cáo này."),
    )
    if not report.cluster_year.memberships.filter(unit_id=report.unit_id).exists():
        raise ValidationError(
            _("%(unit)s không có trong danh sách thành viên của %(year)s nên không thể báo cáo.")
            % {"unit": report.unit, "year": report.cluster_year}
        )


class EditConflict(ValidationError):
    """Someone saved the same record after this form was opened. current is what they saved."""

    def __init__(self, current):
        self.current = current
        record = current.history.order_by("-history_date").select_related("history_user").first()
        user = record.history_user if record else None
        who = (user.get_full_name() or user.username) if user else _("người khác")
        when = formats.date_format(
            timezone.localtime(record.history_date) if record else timezone.localtime(),
            "SHORT_DATETIME_FORMAT",
        )
        super().__init__(
            _(
                "Trong lúc anh/chị sửa, %(who)s đã lưu bản này lúc %(when)s. Giá trị họ vừa lưu ở "
                "bảng dưới; những gì anh/chị gõ vẫn còn trong form. Hãy xem lại rồi bấm Lưu lần nữa."
            )
            % {"who": who, "when": when}
        )


def check_version(queryset, expected: int | None):
    """Lock the record the form was opened on and refuse the save if it moved on meanwhile.
    expected=None skips the check (writes that do not come from a form). A record created by
    someone else after the form was opened empty (expected 0) is a conflict too; a record gone
    meanwhile is simply written again."""
    if expected is None:
        return
    current = queryset.select_for_update().first()
    if current is not None and current.version != expected:
        raise EditConflict(current)


@transaction.atomic
def unit_report_save(*, report: UnitReport, by, expected_version: int | None = None) -> UnitReport:
    unit_report_check(report, by)
    check_version(
        UnitReport.objects.filter(cluster_year=report.cluster_year, unit=report.unit),
        expected_version,
    )
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def unit_report_delete(*, report: UnitReport, by) -> None:
    unit_report_check(report, by)
    report.delete()


@transaction.atomic
def conference_delete(*, conference: Conference, by) -> None:
    lock_year_for(by, conference.cluster_year)
    conference.delete()


@transaction.atomic
def conference_save(
    *, conference: Conference, by, expected_version: int | None = None
) -> Conference:
    _stays_where_it_is(Conference, conference, ("cluster_year_id", "kind"))
    lock_year_for(by, conference.cluster_year)
    check_version(
        Conference.objects.filter(cluster_year=conference.cluster_year, kind=conference.kind),
        expected_version,
    )
    conference.full_clean()
    conference.save()
    return conference


@transaction.atomic
def published_figure_save(*, figure, by):
    """A cluster total as published; the secretariat of an open year or the admin."""
    _stays_where_it_is(PublishedFigure, figure, ("cluster_year_id",))
    lock_year_for(by, figure.cluster_year)
    figure.full_clean()
    figure.save()
    return figure


@transaction.atomic
def published_figure_delete(*, figure, by) -> None:
    lock_year_for(by, figure.cluster_year)
    figure.delete()
