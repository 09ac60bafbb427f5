from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import CONFERENCE_FIELDS, COUNT_FIELDS, Conference, UnitReport


class CountInput(forms.TextInput):
    """Counts are typed as people write them here ("4.213" or "4213"): a text input with a
    numeric keypad on phones, read with the active language's thousand separator."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})


class ReadOnlyMixin:
    """read_only=True shows the values in disabled fields, and ignores anything posted."""

    def make_read_only(self):
        for field in self.fields.values():
            field.disabled = True


def row(*fields):
    return Div(*[Div(f, css_class="col-sm-6 col-lg-3") for f in fields], css_class="row")


class VersionMixin(forms.Form):
    """The record's version when the form was opened, sent back with the save."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def init_version(self):
        if not self.is_bound:
            self.initial["version"] = self.instance.version if self.instance.pk else 0


class UnitReportForm(VersionMixin, ReadOnlyMixin, forms.ModelForm):
    class Meta:
        model = UnitReport
        fields = [*COUNT_FIELDS, "project06_notes", "other_results", "notes"]
        widgets = {
            **{field: CountInput() for field in COUNT_FIELDS},
            "project06_notes": forms.Textarea(attrs={"rows": 3}),
            "other_results": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_version()
        for name in COUNT_FIELDS:
            self.fields[name].localize = True
            self.fields[name].widget.is_localized = True
        if read_only:
            self.make_read_only()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Tội phạm về trật tự xã hội"),
                row("crimes_recorded", "crimes_solved", "serious_recorded", "serious_solved"),
            ),
            Fieldset(_("Ma túy"), row("drug_cases", "drug_offenders")),
            Fieldset(
                _("Khen thưởng và Diễn đàn"),
                row("commended_collectives", "commended_individuals", "citizen_tips"),
            ),
            Fieldset(_("Đề án 06 và kết quả khác"), "project06_notes", "other_results", "notes"),
            "version",
        )


class DayFirstDateInput(forms.DateInput):
    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off", **(attrs or {})},
            format="%d/%m/%Y",
        )


class ConferenceForm(VersionMixin, ReadOnlyMixin, forms.ModelForm):
    class Meta:
        model = Conference
        fields = CONFERENCE_FIELDS
        widgets = {
            "date": DayFirstDateInput(),
            "guests": forms.Textarea(attrs={"rows": 2}),
            "slogan": forms.Textarea(attrs={"rows": 2}),
            "highlights": forms.Textarea(attrs={"rows": 4}),
            "directions": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, members=None, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_version()
        if members is not None:
            self.fields["host"].queryset = members
        if read_only:
            self.make_read_only()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Div(
                Div("date", css_class="col-md-4"),
                Div("host", css_class="col-md-4"),
                Div("place", css_class="col-md-4"),
                css_class="row",
            ),
            Fieldset(
                _("Người chủ trì"),
                Div(
                    Div("presiding_rank", css_class="col-md-3"),
                    Div("presiding_name", css_class="col-md-4"),
                    Div("presiding_title", css_class="col-md-5"),
                    css_class="row",
                ),
            ),
            "guests",
            "movement",
            "slogan",
            "highlights",
            "directions",
            "notes",
            "version",
        )


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Tôi đã kiểm tra: công bố năm này và khóa toàn bộ số liệu của năm."),
        error_messages={"required": _("Hãy đánh dấu xác nhận trước khi công bố.")},
    )
