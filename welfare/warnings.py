"""Plausibility warnings on the fund's books: money dated later than today (a date typed with the
wrong year, or a plan entered as done). They never block a save (core/warnings.py)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.bundle import YearBundle, bundle_for
from core.warnings import Code, FigureWarning
from welfare.selectors import year_contributions, year_funds, year_supports

FUND_DATES = ("opened_on", "closed_on")
CONTRIBUTION_DATES = ("given_on",)
SUPPORT_DATES = ("paid_on", "approved_on", "building_started_on", "handed_over_on")


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


def for_cluster_year(cluster_year, bundle: YearBundle | None = None) -> list[FigureWarning]:
    """The year's money dates later than today, when the rule is active: funds, then
    contributions, then supports, each by fund and record (4 queries, none when the request's
    bundle has read the books; 1 when the rule is off)."""
    bundle = bundle_for(cluster_year, bundle)
    if Code.FUTURE_MONEY_DATE not in bundle.warning_rules:
        return []
    today = timezone.localdate()
    found = []
    for fund in year_funds(bundle):
        found += _warnings(fund, FUND_DATES, kind="fund", subject=fund.title, today=today)
    gifts = sorted(year_contributions(bundle), key=lambda gift: (gift.fund_id, gift.pk))
    for gift in gifts:
        subject = f"{gift.fund.title}: {gift.donor}"
        found += _warnings(
            gift, CONTRIBUTION_DATES, kind="contribution", subject=subject, today=today
        )
    for support in year_supports(bundle):
        subject = f"{support.fund.title}: {support.beneficiary}"
        found += _warnings(support, SUPPORT_DATES, kind="support", subject=subject, today=today)
    return found
