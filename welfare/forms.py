from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from clusters.forms import offer
from clusters.models import Unit
from core.forms import CountInput, DayFirstDateInput
from welfare.models import MAX_MONEY, TOO_MUCH, Beneficiary, Contribution, Fund, Support


def money_field(label, required=True, **kwargs):
    """Đồng typed as people write them here: "140.000.000" or "140000000"."""
    field = forms.IntegerField(
        label=label, min_value=1, required=required, localize=True, widget=CountInput(), **kwargs
    )
    field.validators.append(MaxValueValidator(MAX_MONEY, message=TOO_MUCH))
    return field


class FundForm(forms.ModelForm):
    target = money_field(_("Mục tiêu (₫)"), required=False)

    class Meta:
        model = Fund
        fields = ["title", "purpose", "target", "opened_on"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 2}), "opened_on": DayFirstDateInput()}


class EditingMixin:
    """A form that adds a record or, with its hidden `id`, corrects one (the same form, filled)."""

    @property
    def editing(self) -> bool:
        return bool(self["id"].value())


class ContributionForm(EditingMixin, forms.Form):
    # A correction names the contribution it changes; empty for a new one.
    id = forms.ModelChoiceField(
        queryset=Contribution.objects.none(), required=False, widget=forms.HiddenInput
    )
    fund = forms.ModelChoiceField(label=_("Quỹ"), queryset=Fund.objects.none())
    unit = forms.ModelChoiceField(
        label=_("Đơn vị đóng góp"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Với quà của nhà hảo tâm qua một đơn vị: chọn đơn vị và ghi cả tên."),
    )
    donor_name = forms.CharField(label=_("hoặc nhà hảo tâm khác"), max_length=200, required=False)
    amount = money_field(_("Số tiền (₫)"))
    given_on = forms.DateField(label=_("Ngày đóng góp"), widget=DayFirstDateInput())
    # Offered only once the service has asked about a repeat (see the template).
    confirm_repeat = forms.BooleanField(label=_("Vẫn ghi thêm"), required=False)

    def __init__(self, *args, funds, members, gifts, **kwargs):
        """`funds` and `members`: querysets, or lists already read (clusters.forms.offer)."""
        super().__init__(*args, **kwargs)
        self.fields["id"].queryset = gifts
        offer(self.fields["fund"], funds)
        offer(self.fields["unit"], members)

    @staticmethod
    def initial_for(gift: Contribution) -> dict:
        return {
            "id": gift.pk,
            "fund": gift.fund_id,
            "unit": gift.unit_id,
            "donor_name": gift.donor_name,
            "amount": gift.amount,
            "given_on": gift.given_on,
        }

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("unit") and not (cleaned.get("donor_name") or "").strip():
            self.add_error("unit", _("Cần chọn đơn vị hoặc ghi tên người đóng góp."))
        return cleaned


class SupportForm(EditingMixin, forms.Form):
    """A beneficiary and what the fund gives them, entered together as clerks do; with `id`, the
    correction of a support and of its beneficiary."""

    id = forms.ModelChoiceField(
        queryset=Support.objects.none(), required=False, widget=forms.HiddenInput
    )
    fund = forms.ModelChoiceField(label=_("Quỹ"), queryset=Fund.objects.none())
    full_name = forms.CharField(label=_("Họ tên"), max_length=120)
    rank = forms.CharField(label=_("Cấp bậc"), max_length=50, required=False)
    position = forms.CharField(label=_("Chức vụ"), max_length=200, required=False)
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    place = forms.CharField(label=_("Nơi công tác, cư trú"), max_length=200, required=False)
    circumstance = forms.ChoiceField(label=_("Hoàn cảnh"), choices=Beneficiary.Circumstance.choices)
    story = forms.CharField(
        label=_("Câu chuyện"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(label=_("Hình thức hỗ trợ"), choices=Support.Kind.choices)
    amount = money_field(_("Số tiền từ quỹ (₫)"))
    house_total_cost = money_field(_("Tổng chi phí ngôi nhà (₫)"), required=False)
    other_funding = money_field(_("Nguồn khác (₫)"), required=False)
    non_member_reason = forms.CharField(
        label=_("Lý do hỗ trợ ngoài cụm"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    BENEFICIARY_FIELDS = ("full_name", "rank", "position", "unit", "place", "circumstance", "story")
    SUPPORT_FIELDS = ("fund", "kind", "amount", "house_total_cost", "other_funding")

    def __init__(self, *args, funds, units, supports, **kwargs):
        """`funds` and `units`: querysets, or lists already read (clusters.forms.offer)."""
        super().__init__(*args, **kwargs)
        self.fields["id"].queryset = supports
        offer(self.fields["fund"], funds)
        offer(self.fields["unit"], units)

    @classmethod
    def initial_for(cls, support: Support) -> dict:
        beneficiary = support.beneficiary
        return {
            "id": support.pk,
            **{
                name: getattr(beneficiary, name)
                for name in cls.BENEFICIARY_FIELDS
                if name != "unit"
            },
            "unit": beneficiary.unit_id,
            **{name: getattr(support, name) for name in cls.SUPPORT_FIELDS if name != "fund"},
            "fund": support.fund_id,
            "non_member_reason": support.non_member_reason,
        }


class MilestoneForm(forms.Form):
    support = forms.ModelChoiceField(queryset=Support.objects.none(), widget=forms.HiddenInput)
    milestone = forms.ChoiceField(
        label=_("Mốc"),
        choices=[
            ("approved", _("Phê duyệt")),
            ("building", _("Khởi công")),
            ("handed_over", _("Khánh thành, bàn giao")),
        ],
    )
    on = forms.DateField(label=_("Ngày"), widget=DayFirstDateInput())

    def __init__(self, *args, supports, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support"].queryset = supports
