from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import Discipline
from clusters.forms import offer
from clusters.models import Unit
from core.forms import DayFirstDateInput
from emulation import selectors
from emulation.models import Candidate, CouncilMember, Criterion, Cycle, TieBreak
from emulation.services import Entry, Tally

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


class CouncilMemberForm(forms.ModelForm):
    class Meta:
        model = CouncilMember
        fields = ["name", "title", "attendance", "order"]


class DisciplineForm(forms.ModelForm):
    class Meta:
        model = Discipline
        fields = [
            "unit",
            "person_name",
            "person_rank",
            "form",
            "decision_number",
            "decision_date",
            "decision_issuer",
            "reason",
        ]
        widgets = {
            "decision_date": DayFirstDateInput(),
            "reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        offer(self.fields["unit"], members)
        self.fields["person_name"].help_text = _("Bỏ trống khi tập thể đơn vị bị kỷ luật.")


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = ["award_kind", "unit", "person_name", "person_rank", "person_position", "order"]

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        offer(self.fields["unit"], members)
        self.fields["person_name"].help_text = _("Bỏ trống khi bầu cho tập thể đơn vị.")


def count_field(label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=1000,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class CountForm(forms.Form):
    """The count of one award kind's ballots, and each name's votes."""

    award_kind = forms.IntegerField(widget=forms.HiddenInput)
    ballots_cast = forms.IntegerField(label=_("Số phiếu thu về"), min_value=0, max_value=1000)
    blank = forms.IntegerField(label=_("Phiếu trắng"), min_value=0, max_value=1000, initial=0)
    spoiled = forms.IntegerField(
        label=_("Phiếu không hợp lệ"), min_value=0, max_value=1000, initial=0
    )
    written = forms.IntegerField(
        label=_("Phiếu bằng văn bản của thành viên vắng"), min_value=0, max_value=1000, initial=0
    )

    def __init__(self, *args, candidates=(), count=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        self.lines = []
        if count is not None and not self.is_bound:
            for name in ("ballots_cast", "blank", "spoiled", "written"):
                self.initial[name] = getattr(count, name)
        for candidate in self.candidates:
            at_meeting, in_writing = f"votes_{candidate.pk}", f"written_{candidate.pk}"
            self.fields[at_meeting] = count_field(
                _("%(who)s: phiếu đồng ý tại hội nghị") % {"who": candidate.label}
            )
            self.fields[in_writing] = count_field(
                _("%(who)s: phiếu đồng ý bằng văn bản") % {"who": candidate.label}
            )
            if not self.is_bound:
                self.initial[at_meeting] = candidate.votes_for
                self.initial[in_writing] = candidate.written_for
            self.lines.append(
                {"candidate": candidate, "votes": self[at_meeting], "written": self[in_writing]}
            )

    def tally(self) -> Tally:
        data = self.cleaned_data
        return Tally(
            ballots_cast=data["ballots_cast"],
            blank=data.get("blank") or 0,
            spoiled=data.get("spoiled") or 0,
            written=data.get("written") or 0,
            votes={
                c.pk: (data.get(f"votes_{c.pk}"), data.get(f"written_{c.pk}"))
                for c in self.candidates
            },
        )
