"""Plausibility warnings on the units' yearly figures: they never block a save, they say what
looks wrong and why, so that a typo (4.213 typed as 42.130) is caught before the year is
published. The thresholds are the admin's (core.WarningRule); the checks are here.

- count_change: a count of this year's report more than `threshold` times last year's, or less
  than last year's divided by it (the unit's own report of the year before, in whichever
  cluster it was). Small counts swing by chance (3 serious cases one year, 7 the next), so a
  pair of figures whose larger one is under SMALL_COUNT is left alone.
- clearance_rate, serious_clearance_rate: solved / recorded under `threshold` percent.
- zero_solved: cases recorded and none solved; said once, not also as a low rate.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusters.bundle import YearBundle, bundle_for
from clusters.models import ClusterYear
from core import rates
from core.warnings import Code, FigureWarning, active_rules
from reports.models import COUNT_FIELDS, UnitReport
from reports.selectors import previous_reports, year_reports

SMALL_COUNT = 20

CHECK_AGAIN = gettext_lazy("Hãy kiểm tra lại số liệu.")


def _number(value) -> str:
    """4213 -> "4.213", Decimal("3.51") -> "3,5", Decimal("2.00") -> "2"."""
    if isinstance(value, Decimal):
        value = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if value == value.to_integral_value():
            value = int(value)
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _percent(value) -> str:
    return f"{formats.number_format(value, decimal_pos=1, use_l10n=True)}%"


def _label(field: str) -> str:
    return str(UnitReport._meta.get_field(field).verbose_name)


def _key(report, figure: str, rule: str) -> str:
    # The figure's value is part of the key: a tick given to "410" does not accept "2.000"
    # written after the checklist was shown.
    return f"reports:unit-{report.unit_id}:{figure}:{rule}:{getattr(report, figure, '')}"


def _count_changes(report, previous, factor) -> list[FigureWarning]:
    found = []
    for field in COUNT_FIELDS:
        value, before = getattr(report, field), getattr(previous, field)
        if value is None or before is None or max(value, before) < SMALL_COUNT:
            continue
        if before == 0:
            how = _("tăng từ 0")
        elif value > before * factor:
            how = _("tăng gấp %(ratio)s lần, quá ngưỡng %(factor)s lần") % {
                "ratio": _number(Decimal(value) / before),
                "factor": _number(factor),
            }
        elif value * factor < before:
            how = _("giảm còn chưa bằng 1/%(factor)s") % {"factor": _number(factor)}
        else:
            continue
        reason = _(
            "%(unit)s: %(figure)s năm nay là %(value)s, năm trước %(previous)s – %(how)s. %(check)s"
        ) % {
            "unit": report.unit.name,
            "figure": _label(field),
            "value": _number(value),
            "previous": _number(before),
            "how": how,
            "check": CHECK_AGAIN,
        }
        found.append(
            FigureWarning(
                key=_key(report, field, Code.COUNT_CHANGE),
                rule=Code.COUNT_CHANGE,
                subject=report.unit.name,
                figure=_label(field),
                value=value,
                previous=before,
                reason=reason,
            )
        )
    return found


def _last_year_solved(previous, solved: str, recorded: str) -> str:
    if previous is None or getattr(previous, recorded) is None:
        return ""
    return _(" (năm trước khám phá %(solved)s/%(recorded)s vụ)") % {
        "solved": _number(getattr(previous, solved)),
        "recorded": _number(getattr(previous, recorded)),
    }


# (solved, recorded, the rate's name, its rule, its label, what the sentence calls the cases)
RATES = [
    (
        "crimes_solved",
        "crimes_recorded",
        "clearance_rate",
        Code.CLEARANCE_RATE,
        gettext_lazy("tỷ lệ điều tra, khám phá tội phạm về TTXH"),
        gettext_lazy("vụ phạm tội về TTXH"),
    ),
    (
        "serious_solved",
        "serious_recorded",
        "serious_rate",
        Code.SERIOUS_CLEARANCE_RATE,
        gettext_lazy("tỷ lệ khám phá án nghiêm trọng và đặc biệt nghiêm trọng"),
        gettext_lazy("vụ án nghiêm trọng và đặc biệt nghiêm trọng"),
    ),
]


def _rates(report, previous, rules) -> list[FigureWarning]:
    found = []
    zero_rule = Code.ZERO_SOLVED in rules
    for solved, recorded, name, code, rate_label, cases in RATES:
        solved_value, recorded_value = getattr(report, solved), getattr(report, recorded)
        if not recorded_value or solved_value is None:
            continue
        if solved_value == 0 and zero_rule:
            found.append(
                FigureWarning(
                    key=_key(report, solved, Code.ZERO_SOLVED),
                    rule=Code.ZERO_SOLVED,
                    subject=report.unit.name,
                    figure=_label(solved),
                    value=solved_value,
                    previous=getattr(previous, solved) if previous else None,
                    reason=_(
                        "%(unit)s: có %(recorded)s %(cases)s xảy ra nhưng không khám phá vụ "
                        "nào%(last_year)s. %(check)s"
                    )
                    % {
                        "unit": report.unit.name,
                        "recorded": _number(recorded_value),
                        "cases": cases,
                        "last_year": _last_year_solved(previous, solved, recorded),
                        "check": CHECK_AGAIN,
                    },
                )
            )
            continue
        rule = rules.get(code)
        if rule is None or rule.threshold is None:
            continue
        rate = rates.rate(solved_value, recorded_value)
        if rate >= rule.threshold:
            continue
        before = (
            rates.rate(getattr(previous, solved), getattr(previous, recorded)) if previous else None
        )
        last_year = "" if before is None else _(", năm trước %(rate)s") % {"rate": _percent(before)}
        found.append(
            FigureWarning(
                key=_key(report, name, code),
                rule=code,
                subject=report.unit.name,
                figure=str(rate_label),
                value=rate,
                previous=before,
                reason=_(
                    "%(unit)s: %(figure)s là %(rate)s (%(solved)s/%(recorded)s vụ)%(last_year)s, "
                    "dưới mức %(threshold)s%%. %(check)s"
                )
                % {
                    "unit": report.unit.name,
                    "figure": rate_label,
                    "rate": _percent(rate),
                    "solved": _number(solved_value),
                    "recorded": _number(recorded_value),
                    "last_year": last_year,
                    "threshold": _number(rule.threshold),
                    "check": CHECK_AGAIN,
                },
            )
        )
    return found


def for_report(report: UnitReport, previous: UnitReport | None = None, *, rules=None):
    """The warnings on one report, against the unit's report of the year before if given.
    `rules` (core.warnings.active_rules()) is read when not given: one query."""
    if rules is None:
        rules = active_rules()
    found = []
    change = rules.get(Code.COUNT_CHANGE)
    if previous is not None and change is not None and change.threshold is not None:
        found.extend(_count_changes(report, previous, change.threshold))
    found.extend(_rates(report, previous, rules))
    return found


def for_cluster_year(
    cluster_year: ClusterYear, bundle: YearBundle | None = None
) -> list[FigureWarning]:
    """Every warning of a year's reports, in the order of the units: two queries whatever the
    number of units (the rules; this year's reports with the same units' of the year before),
    none when the request's bundle has read them already."""
    bundle = bundle_for(cluster_year, bundle)
    rules = bundle.warning_rules
    if not rules:
        return []
    previous = previous_reports(bundle)
    found = []
    for report in year_reports(bundle):
        found.extend(for_report(report, previous.get(report.unit_id), rules=rules))
    return found
