"""Rates and year-over-year changes. Exact decimals; a zero or missing base gives None ("—")."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

ONE_DECIMAL = Decimal("0.1")


def rate(part: int | None, whole: int | None) -> Decimal | None:
    """part / whole as a percentage with one decimal, or None when it cannot be computed."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Change:
    current: int
    previous: int
    percent: Decimal  # always non-negative; `direction` says which way

    @property
    def direction(self) -> str:
        if self.current < self.previous:
            return "down"
        if self.current > self.previous:
            return "up"
        return "same"

    @property
    def label(self):
        return {"down": _("giảm"), "up": _("tăng"), "same": _("không đổi")}[self.direction]

    @property
    def difference(self) -> int:
        return abs(self.current - self.previous)


def change(current: int | None, previous: int | None) -> Change | None:
    """Change from previous to current, or None without a previous figure or from zero."""
    if current is None or not previous:
        return None
    percent = (Decimal(abs(current - previous)) * 100 / Decimal(previous)).quantize(
        ONE_DECIMAL, rounding=ROUND_HALF_UP
    )
    return Change(current=current, previous=previous, percent=percent)
