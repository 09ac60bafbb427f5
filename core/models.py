from django.db import models
from django.utils.translation import gettext_lazy as _


class OneTimeToken(models.Model):
    """A form that creates money or a decision carries a token; its first post claims it, and
    a second post of the same form (a double click, a resent request) finds it claimed."""

    key = models.CharField(max_length=64, unique=True)
    claimed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.key


class WarningRule(models.Model):
    """A plausibility check on the figures, as data: the admin sets its threshold or turns it off.
    The checks themselves live with the figures they read (reports/warnings.py,
    welfare/warnings.py); a warning never blocks a save, it is shown and acknowledged."""

    class Code(models.TextChoices):
        COUNT_CHANGE = "count_change", _("Số liệu thay đổi bất thường so với năm trước")
        CLEARANCE_RATE = "clearance_rate", _("Tỷ lệ điều tra, khám phá thấp")
        SERIOUS_CLEARANCE_RATE = "serious_clearance_rate", _("Tỷ lệ khám phá án nghiêm trọng thấp")
        ZERO_SOLVED = "zero_solved", _("Có vụ xảy ra nhưng không khám phá vụ nào")
        FUTURE_MONEY_DATE = "future_money_date", _("Ngày thu, chi tiền ở tương lai")

    code = models.CharField(_("mã quy tắc"), max_length=40, choices=Code.choices, unique=True)
    threshold = models.DecimalField(
        _("ngưỡng"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Hệ số thay đổi (ví dụ 2 = tăng gấp đôi hoặc giảm một nửa) hoặc tỷ lệ tối thiểu (%); "
            "để trống với quy tắc không cần ngưỡng."
        ),
    )
    active = models.BooleanField(_("đang áp dụng"), default=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("quy tắc cảnh báo số liệu")
        verbose_name_plural = _("quy tắc cảnh báo số liệu")
        ordering = ["code"]

    def __str__(self):
        return self.get_code_display()
