from django import forms
from django.utils.translation import gettext_lazy as _


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Tôi đã kiểm tra: công bố năm này và khóa toàn bộ số liệu của năm."),
        error_messages={"required": _("Hãy đánh dấu xác nhận trước khi công bố.")},
    )
