from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

DASH = "—"


@register.filter
def percent(value):
    """93.3 -> "93,3%" in Vietnamese; None (nothing to divide by) -> "—"."""
    if value is None:
        return DASH
    return f"{formats.number_format(value, decimal_pos=1, use_l10n=True)}%"


@register.filter
def count(value):
    """4213 -> "4.213"; None -> "—"."""
    if value is None:
        return DASH
    return formats.number_format(value, use_l10n=True, force_grouping=True)


@register.filter
def change(value, judged=True):
    """A core.rates.Change -> "giảm 7,9%" (green when crimes go down), None -> "—".
    `change:False` leaves it uncoloured: a change between different sets of units is neither
    good nor bad."""
    if value is None:
        return DASH
    css = {"down": "text-success", "up": "text-danger", "same": "text-muted"}[value.direction]
    if not judged:
        css = "change-unjudged"
    if value.direction == "same":
        return format_html('<span class="{}">{}</span>', css, value.label)
    return format_html(
        '<span class="{}">{} {}</span>',
        css,
        value.label,
        percent(value.percent),
    )


@register.filter
def points(value):
    """A rate's change in percentage points: Decimal("1.2") -> "+1,2 điểm %", None -> "—"."""
    if value is None:
        return DASH
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    number = formats.number_format(abs(value), decimal_pos=1, use_l10n=True)
    return _("%(sign)s%(number)s điểm %%") % {"sign": sign, "number": number}
