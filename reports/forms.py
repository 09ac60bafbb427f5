from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from clusters.forms import offer
from core.forms import (
    CountFormField,
    CountInput,
    DayFirstDateInput,
    ReadOnlyMixin,
    VersionMixin,
    row,
)
from reports.models import CONFERENCE_FIELDS, COUNT_FIELDS, Conference, UnitReport


class UnitReportForm(VersionMixin, ReadOnlyMixin, forms.ModelForm):
    class Meta:
        model = UnitReport
        fields = [*COUNT_FIELDS, "project06_notes", "other_results", "notes"]
        field_classes = dict.fromkeys(COUNT_FIELDS, CountFormField)
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

    def fields_in_error(self):
        """For the summary above the form: each field in error, in the form's order."""
        return [field for field in self.visible_fields() if field.errors]


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
        if members is not None:  # a queryset, or the roster already read
            offer(self.fields["host"], members)
        if read_only:
            self.make_read_only()
