from django import forms
from django.utils.translation import gettext_lazy as _

from clusters.forms import offer
from clusters.models import Unit
from core.forms import DayFirstDateInput
from emulation import selectors
from emulation.models import Criterion, Cycle, TieBreak
from emulation.services import Entry

POINT_ATTRS = {"inputmode": "decimal", "autocomplete": "off"}


def points_field(label, *, max_value=None, required=True):
    """Points as people write them here ("9,5"), never below zero."""
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=max_value,
        max_digits=7,
        decimal_places=2,
        localize=True,
        required=required,
        widget=forms.TextInput(attrs=POINT_ATTRS),
    )


class SettingsForm(forms.ModelForm):
    divergence_threshold = points_field(Cycle._meta.get_field("divergence_threshold").verbose_name)
    tie_break = forms.ChoiceField(label=_("Cách phân định khi bằng điểm"), choices=TieBreak.choices)

    class Meta:
        model = Cycle
        fields = [
            "divergence_threshold",
            "tie_break",
            "self_score_due",
            "inspection_due",
            "report_due",
            "dossier_due",
        ]
        widgets = {
            name: DayFirstDateInput()
            for name in ("self_score_due", "inspection_due", "report_due", "dossier_due")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["divergence_threshold"].help_text = Cycle._meta.get_field(
            "divergence_threshold"
        ).help_text


class CriterionForm(forms.ModelForm):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    max_points = points_field(_("Điểm tối đa"), required=False)

    class Meta:
        model = Criterion
        fields = ["parent", "kind", "number", "title", "max_points", "guidance", "order"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].empty_label = _("(không thuộc nhóm nào)")
        offer(self.fields["parent"], groups)
        self.fields["max_points"].help_text = Criterion._meta.get_field("max_points").help_text


class PledgeForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    signed_by = forms.CharField(
        label=_("Người ký"),
        max_length=200,
        help_text=_("Họ tên, cấp bậc, chức vụ người ký."),
    )
    signed_on = forms.DateField(label=_("Ngày ký"), widget=DayFirstDateInput())
    document = forms.FileField(
        label=_("Bản giao ước đã ký (PDF, ảnh)"),
        required=False,
        help_text=_("Tùy chọn; tối đa 20 MB."),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        offer(self.fields["unit"], units)


class AssignForm(forms.Form):
    inspector = forms.ModelChoiceField(label=_("Đơn vị kiểm tra"), queryset=Unit.objects.none())
    unit = forms.ModelChoiceField(label=_("Đơn vị được kiểm tra"), queryset=Unit.objects.none())

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        members = list(members)
        offer(self.fields["inspector"], members)
        offer(self.fields["unit"], members)


class SheetForm(forms.Form):
    """One line per criterion of the scale: points, explanation, a new evidence file."""

    def __init__(self, *args, rows, scores, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = []
        for row in rows:
            criterion = row.criterion
            if criterion.is_group:
                self.lines.append({"row": row})
                continue
            score = scores.get(criterion.pk)
            points = f"points_{criterion.pk}"
            explanation = f"explanation_{criterion.pk}"
            evidence = f"evidence_{criterion.pk}"
            self.fields[points] = points_field(
                _("Điểm %(number)s") % {"number": criterion.number},
                max_value=criterion.max_points,
                required=False,
            )
            self.fields[explanation] = forms.CharField(
                label=_("Giải trình %(number)s") % {"number": criterion.number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
            self.fields[evidence] = forms.FileField(
                label=_("Tài liệu %(number)s") % {"number": criterion.number}, required=False
            )
            if score is not None:
                self.initial[points] = score.points
                self.initial[explanation] = score.explanation
            if read_only:
                for name in (points, explanation, evidence):
                    self.fields[name].disabled = True
            self.lines.append(
                {
                    "row": row,
                    "score": score,
                    "points": self[points],
                    "explanation": self[explanation],
                    "evidence": self[evidence],
                    "max": selectors.points(criterion.max_points),
                }
            )

    def entries(self, rows):
        return [
            Entry(
                criterion=row.criterion,
                points=self.cleaned_data.get(f"points_{row.criterion.pk}"),
                explanation=self.cleaned_data.get(f"explanation_{row.criterion.pk}") or "",
                uploads=[f for f in [self.cleaned_data.get(f"evidence_{row.criterion.pk}")] if f],
            )
            for row in rows
            if not row.criterion.is_group
        ]
