"""Form helpers every app uses: inputs for Vietnamese numbers and dates, read-only and version
mixins, and showing a service's refusal on a form."""

from crispy_forms.layout import Div
from django import forms
from django.core.exceptions import ValidationError

from core.cells import CellError, read_integer


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to the field it names when the form has
    that field, at the top otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class CountInput(forms.TextInput):
    """Counts are typed as people write them here ("4.213" or "4213"): a text input with a
    numeric keypad on phones, read with the active language's thousand separator."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})


class CountFormField(forms.IntegerField):
    """A whole number read exactly as the importer reads a cell (core.cells.read_integer):
    "4 213", "4.213" and "4213" are 4213; "4,213" is refused with the importer's own
    explanation, so a clerk learns one rule whether they type or upload."""

    widget = CountInput

    def to_python(self, value):
        try:
            return read_integer(value)
        except CellError as error:
            raise ValidationError(str(error), code="invalid") from None


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


class DayFirstDateInput(forms.DateInput):
    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off", **(attrs or {})},
            format="%d/%m/%Y",
        )


def form_after_conflict(form_class, data, error, extra):
    """Someone saved in between: keep what this user typed, bound to the record as it is now
    (so that saving again is a deliberate choice), and list where the two differ."""
    current = error.current
    theirs_by_name = {name: getattr(current, name) for name in form_class._meta.fields}
    data = data.copy()
    data["version"] = current.version
    form = form_class(data, instance=current, **extra)  # validating writes into current
    form.is_valid()
    form.add_error(None, error)
    differences = []
    for name in form._meta.fields:
        theirs = theirs_by_name[name]
        yours = form.cleaned_data.get(name, form.data.get(name))
        if theirs != yours and not (theirs in (None, "") and yours in (None, "")):
            differences.append((form.fields[name].label, theirs, yours))
    return form, differences


def int_or_none(value):
    """A posted id, or None when it is not a whole number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
