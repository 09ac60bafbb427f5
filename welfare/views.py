"""The welfare sections of the year's edit page: each posts here, saves through the services and
goes back to the page at the funds (#welfare), with the refusal at the top of the section."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusters.models import Unit
from clusters.views import edit_url, section_post
from core.forms import int_or_none
from core.sections import back_to, refuse
from core.tokens import already_done, claim
from welfare import services
from welfare.forms import ContributionForm, FundForm, MilestoneForm, SupportForm
from welfare.models import Beneficiary, Fund, Support

ANCHOR = "welfare"


def form_options(cluster_year) -> dict[str, dict]:
    """The querysets each welfare form chooses from, for this view and for the page."""
    funds = Fund.objects.filter(cluster_year=cluster_year)
    return {
        "fund_open": {"prefix": "fund"},
        "contribution": {
            "prefix": "gift",
            "funds": funds.filter(status=Fund.Status.COLLECTING),
            "members": Unit.objects.filter(memberships__cluster_year=cluster_year),
        },
        "support": {"prefix": "support", "funds": funds, "units": Unit.objects.all()},
        "milestone": {"supports": Support.objects.filter(fund__cluster_year=cluster_year)},
    }


FORMS = {
    "fund_open": FundForm,
    "contribution": ContributionForm,
    "support": SupportForm,
    "milestone": MilestoneForm,
}


def _post(request, cluster_year, section, write, *, once=False):
    """Validate the section's form, then write(data) in one transaction (claiming the form's
    one-time token first when once=True); any refusal goes back to the section."""
    form = FORMS[section](request.POST, **form_options(cluster_year)[section])
    url = edit_url(cluster_year)
    if not form.is_valid():
        return refuse(
            request, section=section, anchor=ANCHOR, edit_url=url, data=request.POST, form=form
        )
    try:
        with transaction.atomic():
            if once and not claim(request):
                return already_done(request, url, ANCHOR)
            text = write(form.cleaned_data)
    except ValidationError as error:
        return refuse(
            request, section=section, anchor=ANCHOR, edit_url=url, data=request.POST, error=error
        )
    messages.success(request, text, extra_tags=f"section-{ANCHOR}")
    return back_to(url, ANCHOR)


@section_post
def fund_open(request, cluster_year):
    def write(data):
        services.fund_open(cluster_year=cluster_year, by=request.user, **data)
        return _("Đã mở quỹ “%(title)s”.") % {"title": data["title"]}

    return _post(request, cluster_year, "fund_open", write, once=True)


@section_post
def fund_close(request, cluster_year):
    fund = Fund.objects.filter(
        cluster_year=cluster_year, pk=int_or_none(request.POST.get("fund"))
    ).first()
    url = edit_url(cluster_year)
    try:
        if fund is None:
            raise ValidationError(_("Không có quỹ này trong năm."))
        services.fund_close(fund=fund, by=request.user)
    except ValidationError as error:
        return refuse(request, section="fund_close", anchor=ANCHOR, edit_url=url, error=error)
    messages.success(
        request,
        _("Đã khóa sổ quỹ “%(title)s”.") % {"title": fund.title},
        extra_tags="section-welfare",
    )
    return back_to(url, ANCHOR)


@section_post
def contribution(request, cluster_year):
    def write(data):
        services.contribution_add(by=request.user, **data)
        return _("Đã ghi khoản đóng góp.")

    return _post(request, cluster_year, "contribution", write, once=True)


@section_post
def support(request, cluster_year):
    def write(data):
        beneficiary = Beneficiary(
            full_name=data["full_name"].strip(),
            rank=data["rank"].strip(),
            position=data["position"].strip(),
            unit=data["unit"],
            place=data["place"].strip(),
            circumstance=data["circumstance"],
            story=data["story"].strip(),
        )
        services.beneficiary_save(
            beneficiary=beneficiary, by=request.user, cluster_year=cluster_year
        )
        services.support_save(
            support=Support(
                fund=data["fund"],
                beneficiary=beneficiary,
                kind=data["kind"],
                amount=data["amount"],
                house_total_cost=data["house_total_cost"],
                other_funding=data["other_funding"],
                non_member_reason=data["non_member_reason"].strip(),
            ),
            by=request.user,
        )
        return _("Đã ghi khoản hỗ trợ.")

    return _post(request, cluster_year, "support", write, once=True)


@section_post
def milestone(request, cluster_year):
    def write(data):
        services.support_milestone(
            support=data["support"], milestone=data["milestone"], on=data["on"], by=request.user
        )
        return _("Đã cập nhật mốc của ngôi nhà.")

    return _post(request, cluster_year, "milestone", write)
