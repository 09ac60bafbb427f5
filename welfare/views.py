from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from clusters.models import Unit
from config.forms import add_service_errors
from welfare import selectors, services
from welfare.forms import ContributionForm, FundForm, MilestoneForm, SupportForm
from welfare.models import Beneficiary, Fund, Support


def welfare_section(request, cluster_year):
    """The secretariat's part of the edit page for the funds. Returns (context, response) like
    awards.views.vote_section."""
    funds = Fund.objects.filter(cluster_year=cluster_year)
    open_funds = funds.filter(status=Fund.Status.COLLECTING)
    members = Unit.objects.filter(memberships__cluster_year=cluster_year)
    supports = Support.objects.filter(fund__cluster_year=cluster_year)
    fund_form = FundForm(prefix="fund")
    contribution_form = ContributionForm(prefix="gift", funds=open_funds, members=members)
    support_form = SupportForm(prefix="support", funds=funds, units=Unit.objects.all())
    milestone_form = None
    action = request.POST.get("action") if request.method == "POST" else None
    done = None

    try:
        if action == "fund_open":
            fund_form = FundForm(request.POST, prefix="fund")
            if fund_form.is_valid():
                data = fund_form.cleaned_data
                services.fund_open(cluster_year=cluster_year, by=request.user, **data)
                done = _("Đã mở quỹ “%(title)s”.") % {"title": data["title"]}
        elif action == "fund_close":
            fund = funds.filter(pk=request.POST.get("fund")).first()
            if fund is not None:
                services.fund_close(fund=fund, by=request.user)
                done = _("Đã khóa sổ quỹ “%(title)s”.") % {"title": fund.title}
        elif action == "contribution":
            contribution_form = ContributionForm(
                request.POST, prefix="gift", funds=open_funds, members=members
            )
            if contribution_form.is_valid():
                services.contribution_add(by=request.user, **contribution_form.cleaned_data)
                done = _("Đã ghi khoản đóng góp.")
        elif action == "support":
            support_form = SupportForm(
                request.POST, prefix="support", funds=funds, units=Unit.objects.all()
            )
            if support_form.is_valid():
                _save_support(request, cluster_year, support_form.cleaned_data)
                done = _("Đã ghi khoản hỗ trợ.")
        elif action == "milestone":
            milestone_form = MilestoneForm(request.POST, supports=supports)
            if milestone_form.is_valid():
                data = milestone_form.cleaned_data
                services.support_milestone(
                    support=data["support"],
                    milestone=data["milestone"],
                    on=data["on"],
                    by=request.user,
                )
                done = _("Đã cập nhật mốc của ngôi nhà.")
    except ValidationError as error:
        form = {
            "fund_open": fund_form,
            "contribution": contribution_form,
            "support": support_form,
            "milestone": milestone_form,
        }.get(action)
        if form is None:
            messages.error(request, " ".join(error.messages))
        else:
            add_service_errors(form, error)
    if done:
        messages.success(request, done)
        return {}, redirect(request.path + "#welfare")

    context = {
        "funds": selectors.funds_of(cluster_year),
        "fund_form": fund_form,
        "contribution_form": contribution_form,
        "support_form": support_form,
        "milestone_form": milestone_form,
        "welfare_supports": selectors.supports_of(cluster_year),
    }
    return context, None


@transaction.atomic
def _save_support(request, cluster_year, data):
    beneficiary = Beneficiary(
        full_name=data["full_name"].strip(),
        rank=data["rank"].strip(),
        position=data["position"].strip(),
        unit=data["unit"],
        place=data["place"].strip(),
        circumstance=data["circumstance"],
        story=data["story"].strip(),
    )
    services.beneficiary_save(beneficiary=beneficiary, by=request.user, cluster_year=cluster_year)
    support = Support(
        fund=data["fund"],
        beneficiary=beneficiary,
        kind=data["kind"],
        amount=data["amount"],
        house_total_cost=data["house_total_cost"],
        other_funding=data["other_funding"],
        non_member_reason=data["non_member_reason"].strip(),
    )
    services.support_save(support=support, by=request.user)
