"""Writes of what core keeps: the plausibility rules (core.WarningRule), the admin's alone.

core sits below accounts and cannot ask its rules module; the admin role is read from the user
itself (`is_admin_role`, the same flag accounts.rules.is_admin reads). The rules belong to no
emulation year, so there is no year to lock: a change applies to every open year's warnings
from the next reading on.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import WarningRule

Code = WarningRule.Code
FACTORS = {Code.COUNT_CHANGE}
PERCENTAGES = {Code.CLEARANCE_RATE, Code.SERIOUS_CLEARANCE_RATE}


def _threshold_errors(rule: WarningRule) -> list[str]:
    needs_one = rule.code in FACTORS | PERCENTAGES
    if rule.threshold is None:
        return [_("Quy tắc này cần một ngưỡng.")] if needs_one and rule.active else []
    if not needs_one:
        return [_("Quy tắc này không dùng ngưỡng; hãy để trống.")]
    if rule.code in FACTORS and rule.threshold <= 1:
        return [_("Hệ số thay đổi phải lớn hơn 1 (ví dụ 2: tăng gấp đôi hoặc giảm một nửa).")]
    if rule.code in PERCENTAGES and not Decimal(0) <= rule.threshold <= Decimal(100):
        return [_("Tỷ lệ tối thiểu phải từ 0 đến 100 (%).")]
    return []


@transaction.atomic
def warning_rule_save(*, rule: WarningRule, by) -> WarningRule:
    if not getattr(by, "is_admin_role", False):
        raise PermissionDenied(_("Chỉ quản trị viên được sửa quy tắc cảnh báo số liệu."))
    rule.full_clean()
    errors = _threshold_errors(rule)
    if errors:
        raise ValidationError({"threshold": errors})
    rule.save()
    return rule
