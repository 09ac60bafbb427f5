"""core.templatetags.fields draws the plain fields as crispy-forms' bootstrap5 pack does (the
same HTML, compared as HTML: attributes in any order, whitespace folded), faster; anything else
is crispy's own drawing."""

import datetime

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms
from django.test.html import parse_html

from core.templatetags.fields import bs_field, bs_form


class Sample(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(label="Tên quỹ", help_text="Như trong quyết định")
    amount = forms.IntegerField(label="Số tiền (₫)", required=False, min_value=1)
    given_on = forms.DateField(label="Ngày", widget=forms.DateInput(attrs={"type": "date"}))
    unit = forms.ChoiceField(label="Đơn vị", choices=[("", "---"), ("1", "Lai Châu")])
    story = forms.CharField(label="Hoàn cảnh", widget=forms.Textarea, required=False)
    approved = forms.BooleanField(label="Đã duyệt", required=False)

    def clean(self):
        raise forms.ValidationError("Năm đã công bố.")


class WithFile(forms.Form):
    file = forms.FileField(label="Tệp")
    kind = forms.ChoiceField(
        label="Loại", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )


BAD = {"token": "x", "title": "", "amount": "-5", "given_on": "hôm qua", "unit": "9"}
GOOD = {"token": "x", "title": "Xây nhà", "amount": "5", "given_on": "2024-04-15", "unit": "1"}


def same_html(a, b):
    return parse_html(str(a)) == parse_html(str(b))


@pytest.mark.parametrize("data", [None, BAD, GOOD], ids=["unbound", "refused", "accepted"])
@pytest.mark.parametrize("name", list(Sample.base_fields))
def test_each_plain_field_is_drawn_as_crispy_draws_it(data, name):
    form = Sample(data, initial={"given_on": datetime.date(2024, 4, 15)})
    if data is not None:
        form.is_valid()
    assert same_html(bs_field(form[name]), as_crispy_field(form[name])), (
        str(bs_field(form[name])),
        str(as_crispy_field(form[name])),
    )


def test_a_refused_field_says_why_beside_it():
    form = Sample(BAD)
    form.is_valid()
    drawn = str(bs_field(form["amount"]))
    assert "is-invalid" in drawn and 'class="invalid-feedback"' in drawn


def test_a_file_or_radio_buttons_are_crispys_own():
    form = WithFile()
    assert str(bs_field(form["file"])) == str(as_crispy_field(form["file"]))
    assert str(bs_field(form["kind"])) == str(as_crispy_field(form["kind"]))
    assert str(bs_form(form)) == str(as_crispy_form(form))


def test_a_whole_form_shows_its_own_errors_above_its_fields():
    form = Sample(BAD)
    form.is_valid()
    drawn = str(bs_form(form))
    assert same_html(drawn, as_crispy_form(form))
    assert drawn.index("Năm đã công bố.") < drawn.index('id="div_id_title"')
    assert 'type="hidden" name="token"' in drawn
    for name in ("title", "amount", "given_on", "unit", "story", "approved"):
        assert f'id="div_id_{name}"' in drawn


class Awkward(forms.Form):
    """What a template would escape, and choices in groups: drawn in Python the same."""

    title = forms.CharField(label='Tên <"quỹ"> & cộng')
    unit = forms.ChoiceField(
        label="Đơn vị",
        choices=[("", "---"), ("Cụm II", [("1", "Lai <Châu>"), ("2", 'Sơn "La"')]), ("3", "Khác")],
    )
    story = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    approved = forms.BooleanField(required=False)
    kinds = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"title": '"><script>x</script>', "unit": "2", "story": "a <b>\nc", "approved": "on"},
        {"title": "", "unit": "9", "kinds": ["a", "b"]},
    ],
    ids=["unbound", "accepted", "refused"],
)
@pytest.mark.parametrize("name", list(Awkward.base_fields))
def test_escapes_groups_and_selections_are_drawn_as_django_draws_them(data, name):
    form = Awkward(data)
    if data is not None:
        form.is_valid()
    drawn, theirs = str(bs_field(form[name])), str(as_crispy_field(form[name]))
    assert same_html(drawn, theirs), (drawn, theirs)
    assert "<script>" not in drawn
