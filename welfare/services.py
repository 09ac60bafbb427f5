"""Writes of funds, contributions and supports, with their rules. Money is an integer of đồng."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can
from clusters.models import ClusterYear, Membership
from clusters.services import lock_year, lock_year_for
from welfare.models import Beneficiary, Contribution, Fund, Support


def vnd(amount: int) -> str:
    """140000000 -> "140.000.000 ₫" (whatever the active language, for messages)."""
    return f"{amount:,}".replace(",", ".") + " ₫"


def _allowed(by, cluster_year) -> None:
    lock_year_for(by, cluster_year, _("Chỉ thư ký cụm hoặc quản trị viên quản lý quỹ của cụm."))


def _lock_fund(fund_id) -> Fund:
    return Fund.objects.select_for_update().select_related("cluster_year__cluster").get(pk=fund_id)


def _funds_involved(obj) -> list[Fund]:
    """The fund a contribution or support is in now and, when it moves, the one it leaves: both
    are checked (open year, the user's, not closed) and locked in the order of their ids."""
    ids = {obj.fund_id}
    if obj.pk is not None:
        before = type(obj).objects.filter(pk=obj.pk).values_list("fund_id", flat=True).first()
        if before is not None:
            ids.add(before)
    return [_lock_fund(fund_id) for fund_id in sorted(ids)]


def _check_fund(fund: Fund, by, *, books: bool = True, moving: bool = False) -> None:
    """The fund's year is open and the user's; with books=True its books are open too."""
    _allowed(by, fund.cluster_year)
    if books and fund.status == Fund.Status.CLOSED:
        if moving:
            message = _("Quỹ “%(fund)s” đã khóa sổ: không chuyển khoản hỗ trợ vào hay ra quỹ này.")
        else:
            message = _("Quỹ “%(fund)s” đã khóa sổ, không nhận thêm đóng góp.")
        raise ValidationError(message % {"fund": fund.title})


def _shortfall_message(fund: Fund, paid: int, short: int) -> str:
    return _(
        "Quỹ “%(fund)s” đã chi %(paid)s: số đã thu không thể ít hơn (còn thiếu %(short)s)."
    ) % {"fund": fund.title, "paid": vnd(paid), "short": vnd(short)}


def _check_balance(fund: Fund) -> None:
    """A fund never pays out more than it collected, whatever was changed or deleted."""
    paid = paid_out(fund)
    balance = collected(fund) - paid
    if balance < 0:
        raise ValidationError(_shortfall_message(fund, paid, -balance))


# The same gift typed twice (a double click, two clerks, the page and the admin) is asked about
# when the first was recorded within this long; older ones are taken as a new gift.
REPEAT_WINDOW = datetime.timedelta(hours=24)


def recent_repeat(contribution: Contribution) -> Contribution | None:
    """The latest contribution recorded in the last REPEAT_WINDOW with the same fund, the same
    donor (unit and donor's name) and the same amount, with its `recorded_at`; else None. When
    it was recorded is its history's creation record (simple_history writes one on every path:
    page, admin, workbook)."""
    created = (
        Contribution.history.filter(id=OuterRef("pk"), history_type="+")
        .order_by("history_date")
        .values("history_date")[:1]
    )
    return (
        Contribution.objects.filter(
            fund_id=contribution.fund_id,
            unit_id=contribution.unit_id,
            donor_name__iexact=contribution.donor_name.strip(),
            amount=contribution.amount,
        )
        .exclude(pk=contribution.pk)
        .annotate(recorded_at=Subquery(created))
        .filter(recorded_at__gte=timezone.now() - REPEAT_WINDOW)
        .select_related("unit")
        .order_by("-recorded_at")
        .first()
    )


def _ask_about_repeat(contribution: Contribution) -> None:
    earlier = recent_repeat(contribution)
    if earlier is None:
        return
    entry = f"{earlier.donor}, {vnd(earlier.amount)}"
    if earlier.given_on:
        entry += _(", ngày đóng góp %(day)s") % {"day": earlier.given_on.strftime("%d/%m/%Y")}
    raise ValidationError(
        {
            "confirm_repeat": _(
                "Đã ghi khoản này lúc %(when)s — ghi thêm? (%(entry)s). "
                "Đánh dấu “Vẫn ghi thêm” nếu đây là một khoản khác."
            )
            % {
                "when": timezone.localtime(earlier.recorded_at).strftime("%H:%M %d/%m/%Y"),
                "entry": entry,
            }
        },
        code="repeat",
    )


def fund_title_taken(cluster_year, title: str, exclude_pk=None) -> bool:
    return (
        Fund.objects.filter(cluster_year=cluster_year, title__iexact=title.strip())
        .exclude(pk=exclude_pk)
        .exists()
    )


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
    notes: str = "",
) -> Fund:
    _allowed(by, cluster_year)
    if fund_title_taken(cluster_year, title):
        raise ValidationError(
            {
                "title": _("Năm %(year)s đã có quỹ “%(title)s”; hãy đặt tên khác.")
                % {"year": cluster_year.year, "title": title.strip()}
            }
        )
    fund = Fund(
        cluster_year=cluster_year,
        title=title.strip(),
        purpose=purpose.strip(),
        target=target,
        opened_on=opened_on,
        notes=notes.strip(),
    )
    fund.full_clean()
    fund.save()
    return fund


@transaction.atomic
def fund_close(*, fund: Fund, by, closed_on: datetime.date | None = None) -> Fund:
    _allowed(by, fund.cluster_year)
    if _lock_fund(fund.pk).status == Fund.Status.CLOSED:
        raise ValidationError(_("Quỹ “%(fund)s” đã khóa sổ rồi.") % {"fund": fund.title})
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
    confirm_repeat: bool = False,
) -> Contribution:
    """A new contribution. One that repeats a recent one (recent_repeat) is refused with the
    question unless confirm_repeat says the clerk means a second gift."""
    fund = _lock_fund(fund.pk)
    _check_fund(fund, by)
    contribution = Contribution(
        fund=fund,
        unit=unit,
        donor_name=donor_name.strip(),
        amount=amount,
        given_on=given_on,
        notes=notes.strip(),
    )
    contribution.full_clean()
    if not confirm_repeat:
        _ask_about_repeat(contribution)
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
def support_save(*, support: Support, by, require_amount: bool = True) -> Support:
    """Create or change a support. The fund rows are locked so two clerks cannot spend the same
    money at once; a support moved from one fund to another is checked against both."""
    funds = _funds_involved(support)
    moved = len(funds) > 1
    for fund in funds:
        # A house is still built, and paid, after its fund stops collecting; moving a support
        # into or out of a closed fund would rewrite closed books.
        _check_fund(fund, by, books=moved, moving=moved)
    support.fund = _lock_fund(support.fund_id)
    support.full_clean()
    errors = support_errors(support, require_amount=require_amount)
    if errors:
        raise ValidationError(errors)
    support.save()
    return support


@transaction.atomic
def contribution_save(
    *, contribution: Contribution, by, confirm_repeat: bool = False
) -> Contribution:
    """Create or change a contribution (the page's correction, the admin's form, a workbook
    row): both funds it touches must be open, and the fund it leaves or lowers must still cover
    what it paid out. A new one that repeats a recent one asks first, as contribution_add does."""
    funds = _funds_involved(contribution)
    for fund in funds:
        _check_fund(fund, by)
    contribution.full_clean()
    if contribution.pk is None and not confirm_repeat:
        _ask_about_repeat(contribution)
    contribution.save()
    for fund in funds:
        _check_balance(fund)
    return contribution


@transaction.atomic
def contribution_delete(*, contribution: Contribution, by) -> None:
    """Delete a contribution of an open fund, unless the supports already spent it: the refusal
    says what the fund has left."""
    fund = _lock_fund(contribution.fund_id)
    _allowed(by, fund.cluster_year)
    if fund.status == Fund.Status.CLOSED:
        raise ValidationError(
            _("Quỹ “%(fund)s” đã khóa sổ: không xóa khoản đóng góp của quỹ này.")
            % {"fund": fund.title}
        )
    amount = Contribution.objects.filter(pk=contribution.pk).values_list("amount", flat=True)
    amount = amount.first() or 0
    paid = paid_out(fund)
    balance = collected(fund) - paid
    if amount > balance:
        raise ValidationError(
            _(
                "Không xóa được khoản đóng góp %(amount)s của %(donor)s: quỹ “%(fund)s” chỉ còn "
                "%(balance)s chưa chi."
            )
            % {
                "amount": vnd(amount),
                "donor": contribution.donor,
                "fund": fund.title,
                "balance": vnd(balance),
            }
            + " "
            + _shortfall_message(fund, paid, amount - balance)
        )
    contribution.delete()


@transaction.atomic
def support_delete(*, support: Support, by) -> None:
    """Delete a support of an open fund (its money goes back to the balance); a closed fund's
    books stay as they were closed."""
    fund = _lock_fund(support.fund_id)
    _allowed(by, fund.cluster_year)
    if fund.status == Fund.Status.CLOSED:
        raise ValidationError(
            _("Quỹ “%(fund)s” đã khóa sổ: không xóa khoản hỗ trợ của quỹ này.")
            % {"fund": fund.title}
        )
    support.delete()


@transaction.atomic
def fund_save(*, fund: Fund, by) -> Fund:
    """A fund's own fields (the admin's form, a workbook row). Its status moves only forward,
    collecting → closed, through fund_close: a closed fund is never reopened by a form or a sheet."""
    if fund.pk is None:
        # A sheet of past years may bring a fund already closed, with its dates.
        _allowed(by, fund.cluster_year)
        if fund_title_taken(fund.cluster_year, fund.title):
            raise ValidationError(
                {"title": _("Năm này đã có quỹ “%(title)s”.") % {"title": fund.title.strip()}}
            )
        fund.full_clean()
        fund.save()
        return fund
    before = _lock_fund(fund.pk)
    _allowed(by, before.cluster_year)
    if before.cluster_year_id != fund.cluster_year_id:
        raise ValidationError(_("Không chuyển được quỹ sang năm thi đua khác."))
    if fund_title_taken(fund.cluster_year, fund.title, exclude_pk=fund.pk):
        raise ValidationError(
            {"title": _("Năm này đã có quỹ “%(title)s”.") % {"title": fund.title.strip()}}
        )
    if before.status == Fund.Status.CLOSED and fund.status != Fund.Status.CLOSED:
        raise ValidationError(
            {
                "status": _(
                    "Quỹ “%(fund)s” đã khóa sổ: không mở lại được bằng cách sửa trạng thái."
                )
                % {"fund": before.title}
            }
        )
    fund.full_clean()
    fund.save()
    return fund


@transaction.atomic
def fund_delete(*, fund: Fund, by) -> None:
    _allowed(by, fund.cluster_year)
    fund.delete()


def _beneficiary_years(beneficiary: Beneficiary):
    """The years a beneficiary belongs to: those of the funds that supported them."""
    return ClusterYear.objects.filter(funds__supports__beneficiary=beneficiary).distinct()


@transaction.atomic
def beneficiary_save(*, beneficiary: Beneficiary, by, cluster_year=None) -> Beneficiary:
    """A beneficiary is written for an open year (the one whose fund will support them); one who
    was supported in a published year is frozen with it. Without a year (a workbook row), the
    secretariat may keep beneficiaries of units in its cluster's open years."""
    if cluster_year is not None:
        _allowed(by, cluster_year)
    if beneficiary.pk is not None:
        for year in _beneficiary_years(beneficiary):
            lock_year(year)
    in_own_open_year = Membership.objects.filter(
        unit_id=beneficiary.unit_id,
        cluster_year__cluster_id=getattr(by, "cluster_id", None),
        cluster_year__status=ClusterYear.Status.OPEN,
    )
    if (
        cluster_year is None
        and not can(by, "clusters.keep_units")
        and not (can(by, "welfare.keep_beneficiaries") and in_own_open_year.exists())
    ):
        raise ValidationError(
            _(
                "Thư ký cụm chỉ được nhập người được hỗ trợ của đơn vị trong cụm mình, năm chưa công bố."
            )
        )
    beneficiary.full_clean()
    beneficiary.save()
    return beneficiary


@transaction.atomic
def beneficiary_delete(*, beneficiary: Beneficiary, by) -> None:
    for year in _beneficiary_years(beneficiary):
        lock_year_for(by, year)
    if not can(by, "clusters.keep_units") and not _beneficiary_years(beneficiary).exists():
        raise ValidationError(_("Chỉ quản trị viên được xóa người được hỗ trợ này."))
    beneficiary.delete()


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
