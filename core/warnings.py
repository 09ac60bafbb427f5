"""Plausibility warnings: the shape every app's checks return, and the rules they read.

A warning never blocks a save. It names the subject (the unit or the record), the figure, its
value, last year's value where one applies, and why it is flagged. `key` is stable for the same
finding, so that a clerk's acknowledgement in the publish checklist can name it.

The checks live with the figures they read: reports/warnings.py (counts and rates),
welfare/warnings.py (money dates). Each exposes `for_cluster_year(cluster_year) -> list[FigureWarning]`.
"""

from dataclasses import dataclass

from .cache import kept
from .models import WarningRule

Code = WarningRule.Code


@dataclass(frozen=True)
class FigureWarning:
    key: str  # e.g. "reports:unit-12:crimes_recorded:count_change"
    rule: str  # a WarningRule.Code value
    subject: str  # "Công an tỉnh Sơn La"
    figure: str  # the figure's label, "tội phạm về TTXH xảy ra"
    value: object
    previous: object | None  # last year's figure, or None
    reason: str  # one Vietnamese sentence saying why it is flagged


def active_rules() -> dict[str, WarningRule]:
    """The rules in force, by code (one query, or none while they are kept: core.cache)."""
    return kept(
        "warning-rules",
        lambda: {rule.code: rule for rule in WarningRule.objects.filter(active=True)},
    )
