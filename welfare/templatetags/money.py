from django import template
from django.utils import formats
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def vnd(amount):
    """140000000 -> "140.000.000 ₫" (grouped the active language's way); None -> "—"."""
    if amount is None:
        return "—"
    return f"{formats.number_format(amount, use_l10n=True, force_grouping=True)} ₫"


@register.filter
def vnd_words(amount):
    """The way the articles say it: 140000000 -> "140 triệu đồng", 1500000000 -> "1,5 tỷ đồng".
    Amounts that do not round to a tenth of a million are written out in full."""
    if amount is None:
        return "—"
    for unit, word in ((1_000_000_000, _("tỷ đồng")), (1_000_000, _("triệu đồng"))):
        if amount >= unit and (amount * 10) % unit == 0:
            whole, tenth = divmod(amount * 10 // unit, 10)
            number = formats.number_format(whole, use_l10n=True, force_grouping=True)
            if tenth:
                number += formats.get_format("DECIMAL_SEPARATOR") + str(tenth)
            return f"{number} {word}"
    return vnd(amount)
