"""Plausibility warnings on the fund's books: money dated later than today (a date typed with the
wrong year, or a plan entered as done). They never block a save (core/warnings.py)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.warnings import Code, FigureWarning, active_rules
from welfare.models import Contribution, Fund, Support

FUND_DATES = ("opened_on", "closed_on")
CONTRIBUTION_DATES = ("given_on",)
SUPPORT_DATES = ("paid_on", "approved_on", "building_started_on", "handed_over_on")


def _later_than(today, names) -> Q:
    condition = Q()
    for name in names:
        condition |= Q(**{f"{name}__gt": today})
    return condition


def _warnings(obj, names, *, kind: str, subject: str, today) -> list[FigureWarning]:
    found = []
    for name in names:
        value = getattr(obj, name)
        if value is None or value <= today:
            continue
        label = str(obj._meta.get_field(name).verbose_name)
        found.append(
            FigureWarning(
                key=f"welfare:{kind}-{obj.pk}:{name}:{Code.FUTURE_MONEY_DATE}",
                rule=Code.FUTURE_MONEY_DATE.value,
                subject=subject,
                figure=label,
                value=value,
                previous=None,
                reason=_(
                    "%(figure)s %(day)s ở tương lai (hôm nay là %(today)s): hãy kiểm tra lại ngày."
                )
                % {
                    "figure": label[:1].upper() + label[1:],
                    "day": value.strftime("%d/%m/%Y"),
                    "today": today.strftime("%d/%m/%Y"),
                },
            )
        )
    return found


def for_cluster_year(cluster_year) -> list[FigureWarning]:
    """The year's money dates later than today, when the rule is active: funds, then
    contributions, then supports (4 queries; 1 when the rule is off)."""
    if Code.FUTURE_MONEY_DATE not in active_rules():
        return []
    today = timezone.localdate()
    found = []
    funds = Fund.objects.filter(cluster_year=cluster_year).filter(_later_than(today, FUND_DATES))
    for fund in funds.order_by("id"):
        found += _warnings(fund, FUND_DATES, kind="fund", subject=fund.title, today=today)
    gifts = (
        Contribution.objects.filter(fund__cluster_year=cluster_year)
        .filter(_later_than(today, CONTRIBUTION_DATES))
        .select_related("fund", "unit")
        .order_by("fund_id", "id")
    )
    for gift in gifts:
        subject = f"{gift.fund.title}: {gift.donor}"
        found += _warnings(
            gift, CONTRIBUTION_DATES, kind="contribution", subject=subject, today=today
        )
    supports = (
        Support.objects.filter(fund__cluster_year=cluster_year)
        .filter(_later_than(today, SUPPORT_DATES))
        .select_related("fund", "beneficiary")
        .order_by("fund_id", "id")
    )
    for support in supports:
        subject = f"{support.fund.title}: {support.beneficiary}"
        found += _warnings(support, SUPPORT_DATES, kind="support", subject=subject, today=today)
    return found
