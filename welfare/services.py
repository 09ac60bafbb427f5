"""Writes of funds, contributions and supports, with their rules. Money is an integer of đồng."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.access import can
from clusters.services import ensure_year_open
from welfare.models import Beneficiary, Contribution, Fund, Support


def vnd(amount: int) -> str:
    """140000000 -> "140.000.000 ₫" (whatever the active language, for messages)."""
    return f"{amount:,}".replace(",", ".") + " ₫"


def _allowed(by, cluster_year) -> None:
    ensure_year_open(cluster_year)
    if not can(by, "clusters.change_clusteryear", cluster_year):
        raise PermissionDenied(_("Chỉ thư ký cụm hoặc quản trị viên quản lý quỹ của cụm."))


def collected(fund: Fund) -> int:
    return fund.contributions.aggregate(total=Sum("amount"))["total"] or 0


def paid_out(fund: Fund, *, exclude_pk=None) -> int:
    return fund.supports.exclude(pk=exclude_pk).aggregate(total=Sum("amount"))["total"] or 0


@transaction.atomic
def fund_open(
    *,
    cluster_year,
    title: str,
    by,
    purpose: str = "",
    target: int | None = None,
    opened_on: datetime.date | None = None,
) -> Fund:
    _allowed(by, cluster_year)
    fund = Fund(
        cluster_year=cluster_year,
        title=title.strip(),
        purpose=purpose.strip(),
        target=target,
        opened_on=opened_on,
    )
    fund.full_clean()
    fund.save()
    return fund


@transaction.atomic
def fund_close(*, fund: Fund, by, closed_on: datetime.date | None = None) -> Fund:
    _allowed(by, fund.cluster_year)
    fund.status = Fund.Status.CLOSED
    fund.closed_on = closed_on or datetime.date.today()
    fund.full_clean()
    fund.save()
    return fund


@transaction.atomic
def contribution_add(
    *,
    fund: Fund,
    amount: int,
    given_on: datetime.date,
    by,
    unit=None,
    donor_name: str = "",
    notes: str = "",
) -> Contribution:
    _allowed(by, fund.cluster_year)
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    if fund.status == Fund.Status.CLOSED:
        raise ValidationError(
            _("Quỹ “%(fund)s” đã khóa sổ, không nhận thêm đóng góp.") % {"fund": fund.title}
        )
    contribution = Contribution(
        fund=fund,
        unit=unit,
        donor_name=donor_name.strip(),
        amount=amount,
        given_on=given_on,
        notes=notes.strip(),
    )
    contribution.full_clean()
    contribution.save()
    return contribution


def support_errors(support: Support, *, require_amount: bool = True) -> dict[str, list[str]]:
    """The fund's balance and the beneficiary's cluster; the dates' order is the model's.
    A sheet of old records may leave the amount unknown (require_amount=False), as the seeds do."""
    errors: dict[str, list[str]] = {}
    fund = support.fund
    if support.amount is None and support._state.adding and require_amount:
        errors["amount"] = [_("Cần nhập số tiền hỗ trợ.")]
    if support.amount:
        available = collected(fund) - paid_out(fund, exclude_pk=support.pk)
        if support.amount > available:
            errors["amount"] = [
                _("Quỹ “%(fund)s” chỉ còn %(available)s, không thể chi %(amount)s.")
                % {"fund": fund.title, "available": vnd(available), "amount": vnd(support.amount)}
            ]
    unit_id = support.beneficiary.unit_id
    if (
        not fund.cluster_year.memberships.filter(unit_id=unit_id).exists()
        and not support.non_member_reason.strip()
    ):
        errors["non_member_reason"] = [
            _("%(unit)s không thuộc cụm năm %(year)s: hãy ghi lý do hỗ trợ ngoài cụm.")
            % {"unit": support.beneficiary.unit, "year": fund.cluster_year.year}
        ]
    if support.house_total_cost and support.amount and support.amount > support.house_total_cost:
        errors.setdefault("amount", []).append(
            _("Số tiền từ quỹ không thể lớn hơn tổng chi phí ngôi nhà.")
        )
    return errors


@transaction.atomic
def support_save(*, support: Support, by) -> Support:
    """Create or change a support. The fund row is locked so two clerks cannot spend the same
    money at once."""
    _allowed(by, support.fund.cluster_year)
    support.fund = Fund.objects.select_for_update().get(pk=support.fund_id)
    support.full_clean()
    errors = support_errors(support)
    if errors:
        raise ValidationError(errors)
    support.save()
    return support


@transaction.atomic
def beneficiary_save(*, beneficiary: Beneficiary, by, cluster_year) -> Beneficiary:
    _allowed(by, cluster_year)
    beneficiary.full_clean()
    beneficiary.save()
    return beneficiary


MILESTONES = {
    "approved": "approved_on",
    "building": "building_started_on",
    "handed_over": "handed_over_on",
}


@transaction.atomic
def support_milestone(*, support: Support, milestone: str, on: datetime.date, by) -> Support:
    """Move a house forward: approved → building → inaugurated and handed over, dates in order."""
    if support.kind != Support.Kind.HOUSE:
        raise ValidationError(_("Chỉ nhà Nghĩa tình đồng đội mới có các mốc xây dựng."))
    if milestone not in MILESTONES:
        raise ValidationError(_("Mốc không hợp lệ."))
    setattr(support, MILESTONES[milestone], on)
    return support_save(support=support, by=by)
