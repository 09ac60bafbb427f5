from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import AwardKind, Nomination
from clusters.forms import offer
from clusters.models import Unit
from core.forms import DayFirstDateInput


class LeaderForm(forms.Form):
    leading_unit = forms.ModelChoiceField(
        label=_("Đơn vị dẫn đầu cụm"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Theo kết quả bình xét; chỉ đơn vị này được đề nghị Cờ thi đua của Chính phủ."),
    )
    leader_reason = forms.CharField(
        label=_("Lý do chọn khác bảng xếp hạng"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 1}),
        help_text=_("Bắt buộc khi đơn vị dẫn đầu không phải đơn vị đứng đầu bảng xếp hạng."),
    )
    ministry_quota = forms.IntegerField(
        label=_("Chỉ tiêu Cờ thi đua của Bộ Công an"),
        min_value=0,
        max_value=50,
        required=False,
        help_text=_("Để trống: theo mặc định của quy định."),
    )

    def __init__(self, *args, members, **kwargs):
        """`members`: a queryset, or the roster already read (clusters.forms.offer)."""
        super().__init__(*args, **kwargs)
        offer(self.fields["leading_unit"], members)


class NominationForm(forms.Form):
    award_kind = forms.ModelChoiceField(label=_("Hình thức"), queryset=AwardKind.objects.all())
    unit = forms.ModelChoiceField(
        label=_("Đơn vị"),
        queryset=Unit.objects.none(),
        help_text=_("Tập thể được đề nghị, hoặc đơn vị của cá nhân."),
    )
    person_name = forms.CharField(label=_("Họ tên cá nhân"), max_length=120, required=False)
    person_rank = forms.CharField(label=_("Cấp bậc"), max_length=50, required=False)
    person_position = forms.CharField(label=_("Chức vụ"), max_length=200, required=False)
    votes_for = forms.IntegerField(
        label=_("Số phiếu đồng ý"), min_value=0, max_value=1000, required=False
    )
    council_size = forms.IntegerField(
        label=_("Tổng số thành viên hội đồng"),
        min_value=1,
        max_value=1000,
        required=False,
        help_text=_("Kể cả thành viên vắng mặt (lấy ý kiến bằng văn bản)."),
    )
    rank_order = forms.IntegerField(
        label=_("Thứ hạng"), min_value=1, max_value=1000, required=False
    )
    achievements = forms.CharField(
        label=_("Tóm tắt thành tích"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    override_reason = forms.CharField(
        label=_("Lý do vượt quy định (chỉ quản trị viên)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, members, can_override=False, kinds=None, **kwargs):
        """`members` (and `kinds`, else every kind): querysets, or lists already read
        (clusters.forms.offer)."""
        super().__init__(*args, **kwargs)
        offer(self.fields["unit"], members)
        if kinds is not None:
            offer(self.fields["award_kind"], kinds)
        if not can_override:
            del self.fields["override_reason"]

    def clean(self):
        cleaned = super().clean()
        votes, council = cleaned.get("votes_for"), cleaned.get("council_size")
        if votes is not None and council is not None and votes > council:
            self.add_error(
                "votes_for", _("Số phiếu đồng ý không thể lớn hơn số thành viên hội đồng.")
            )
        return cleaned


class DecisionForm(forms.Form):
    nomination = forms.ModelChoiceField(
        queryset=Nomination.objects.none(), widget=forms.HiddenInput
    )
    approved = forms.TypedChoiceField(
        label=_("Kết quả"),
        choices=[("1", _("Được khen thưởng")), ("0", _("Không được khen thưởng"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60, required=False)
    decision_date = forms.DateField(
        label=_("Ngày quyết định"), required=False, widget=DayFirstDateInput()
    )
    decision_issuer = forms.CharField(label=_("Người/cơ quan ký"), max_length=200, required=False)

    def __init__(self, *args, nominations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = nominations


class WithdrawForm(forms.Form):
    nomination = forms.ModelChoiceField(
        queryset=Nomination.objects.none(), widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Lý do rút"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bắt buộc với đề nghị đã trình."),
    )

    def __init__(self, *args, nominations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = nominations


class LateDecisionForm(DecisionForm):
    """The Ministry's decision that arrives after the year is published, with its document."""

    document = forms.FileField(
        label=_("Văn bản quyết định (PDF, ảnh)"),
        required=False,
        help_text=_("Tệp quyết định nếu có; lưu vào nguồn tài liệu của năm."),
    )
