from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIteratorValue
from django.utils.translation import gettext_lazy as _

from clusters.models import MembershipChange, Source, Unit
from core.forms import DayFirstDateInput


def offer(field: forms.ModelChoiceField, objects) -> None:
    """`objects` as the choices of a model choice field: a queryset as Django takes it, or a list
    already read for the page, which then costs no query to show (validating a posted value
    still asks the database, for that value among these objects)."""
    if isinstance(objects, QuerySet):
        field.queryset = objects
        return
    objects = list(objects)
    field.queryset = field.queryset.model.objects.filter(pk__in=[obj.pk for obj in objects])
    choices = [] if field.empty_label is None else [("", field.empty_label)]
    field.choices = choices + [
        (ModelChoiceIteratorValue(field.prepare_value(obj), obj), field.label_from_instance(obj))
        for obj in objects
    ]


# The publish form's checkbox of one checklist item is named by the item's key.
ACCEPT_PREFIX = "accept:"


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Tôi đã kiểm tra: công bố năm này và khóa toàn bộ số liệu của năm."),
        error_messages={"required": _("Hãy đánh dấu xác nhận trước khi công bố.")},
    )


def accepted_keys(data) -> set[str]:
    """The checklist items the clerk ticked on the publish form (one checkbox per item key)."""
    return {name[len(ACCEPT_PREFIX) :] for name in data if name.startswith(ACCEPT_PREFIX)}


class OpenNextYearForm(forms.Form):
    """Nothing to type: the button opens year+1 with this year's roster."""


class MembershipChangeForm(forms.Form):
    action = forms.ChoiceField(label=_("Thay đổi"), choices=MembershipChange.Action.choices)
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    decision_number = forms.CharField(
        label=_("Số quyết định của Bộ"),
        max_length=80,
        required=False,
        help_text=_("Bắt buộc khi năm đã có đơn vị nộp báo cáo."),
    )
    decision_date = forms.DateField(
        label=_("Ngày quyết định"), required=False, widget=DayFirstDateInput()
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, units, **kwargs):
        kwargs.setdefault("prefix", "member")
        super().__init__(*args, **kwargs)
        offer(self.fields["unit"], units)


class HandoverForm(forms.Form):
    chair = forms.ModelChoiceField(
        label=_("Cụm trưởng năm sau"), queryset=Unit.objects.none(), required=False
    )
    vice_chair = forms.ModelChoiceField(
        label=_("Phó Cụm trưởng năm sau"), queryset=Unit.objects.none(), required=False
    )
    handover_date = forms.DateField(
        label=_("Ngày bàn giao"), required=False, widget=DayFirstDateInput()
    )
    note = forms.CharField(label=_("Ghi chú bàn giao"), max_length=300, required=False)
    decision_number = forms.CharField(
        label=_("Số quyết định chỉ định Cụm trưởng"),
        max_length=80,
        required=False,
        help_text=_("Chỉ khi Bộ chỉ định Cụm trưởng bằng quyết định thay vì luân phiên."),
    )
    decision_date = forms.DateField(
        label=_("Ngày quyết định"), required=False, widget=DayFirstDateInput()
    )

    def __init__(self, *args, members: list[Unit], **kwargs):
        """`members`: next year's roster, already loaded; the choices are built from it (no
        query to show the form; one to check a posted unit)."""
        kwargs.setdefault("prefix", "handover")
        super().__init__(*args, **kwargs)
        for name in ("chair", "vice_chair"):
            offer(self.fields[name], members)


class SourceForm(forms.ModelForm):
    """A document behind the year's figures: minutes, a decision, photos of a house."""

    url = forms.URLField(
        label=_("Đường dẫn"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Source
        fields = ["title", "number", "issued_on", "issuer", "url", "file", "notes"]
        widgets = {"issued_on": DayFirstDateInput(), "notes": forms.Textarea(attrs={"rows": 2})}
