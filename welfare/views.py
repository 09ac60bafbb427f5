"""The welfare sections of the year's edit page: each posts here, saves through the services and
goes back to the page at the funds (#welfare), with the refusal at the top of the section."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusters.bundle import YearBundle, bundle_for
from clusters.models import Unit
from clusters.views import edit_url, section_post
from core.forms import int_or_none
from core.sections import back_to, rebind, refuse, retried
from core.tokens import already_done, claim
from welfare import selectors, services, warnings
from welfare.forms import ContributionForm, FundForm, MilestoneForm, SupportForm
from welfare.models import Beneficiary, Contribution, Fund, Support

ANCHOR = "welfare"


def form_options(cluster_year) -> dict[str, dict]:
    """The querysets each welfare form chooses from and checks a posted value against (the
    page shows the same choices from what it has read: page_form_options). Only an open fund's
    contributions and supports are corrected here (a closed fund's books stay)."""
    # A fund's label names its year: selected with it, not one query per option.
    funds = Fund.objects.filter(cluster_year=cluster_year).select_related("cluster_year")
    collecting = {"fund__cluster_year": cluster_year, "fund__status": Fund.Status.COLLECTING}
    return {
        "fund_open": {"prefix": "fund"},
        "contribution": {
            "prefix": "gift",
            "funds": funds.filter(status=Fund.Status.COLLECTING),
            "members": Unit.objects.filter(memberships__cluster_year=cluster_year),
            "gifts": Contribution.objects.filter(**collecting),
        },
        "support": {
            "prefix": "support",
            "funds": funds,
            "units": Unit.objects.all(),
            "supports": Support.objects.filter(**collecting),
        },
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


NAMES = {
    "fund_open": "fund_form",
    "contribution": "contribution_form",
    "support": "support_form",
    "milestone": "milestone_form",
}


def page_form_options(bundle: YearBundle) -> dict[str, dict]:
    """form_options() for the edit page: the choices it shows are the funds and units the page
    has read already (no query to show the forms); what a form checks a posted value against
    stays the same."""
    options = form_options(bundle.cluster_year)
    funds = selectors.year_funds(bundle)
    options["contribution"].update(
        funds=[fund for fund in funds if fund.status == Fund.Status.COLLECTING],
        members=bundle.members,
    )
    options["support"].update(funds=funds, units=bundle.units)
    return options


def _being_corrected(request, bundle, section):
    """The record `?contribution=<id>` or `?support=<id>` asks to correct, when it is one of
    this year's open funds; else None (the form then adds a new one)."""
    pk = int_or_none(request.GET.get(section))
    if pk is None:
        return None
    if section == "contribution":
        records = selectors.year_contributions(bundle)
    else:
        records = selectors.year_supports(bundle)
    return next(
        (r for r in records if r.pk == pk and r.fund.status == Fund.Status.COLLECTING), None
    )


def edit_context(request, cluster_year, bundle: YearBundle | None = None) -> dict:
    """The welfare section of the year's edit page: the funds, every contribution and support
    (with their edit links and delete forms in the template), the money-date warnings, and the
    forms: a refused one bound again to what was typed, a correction filled from its record.
    Four queries (the books and the rules), none for what the request's bundle has read."""
    bundle = bundle_for(cluster_year, bundle)
    options = page_form_options(bundle)
    context = {
        "funds": selectors.year_funds(bundle),
        "welfare_contributions": selectors.year_contributions(bundle),
        "welfare_supports": selectors.year_supports(bundle),
        "welfare_warnings": warnings.for_cluster_year(cluster_year, bundle),
        "milestone_form": None,
    }
    for section, name in NAMES.items():
        form_class = FORMS[section]
        retry = retried(request, section)
        if retry is not None:
            context[name] = rebind(form_class, retry, **options[section])
        elif section != "milestone":
            record = (
                _being_corrected(request, bundle, section)
                if section in ("contribution", "support")
                else None
            )
            initial = form_class.initial_for(record) if record is not None else None
            context[name] = form_class(initial=initial, **options[section])
    return context


@section_post
def contribution(request, cluster_year):
    """A new contribution, or with `id` the correction of one."""

    def write(data):
        data = dict(data)
        gift, confirm_repeat = data.pop("id"), data.pop("confirm_repeat")
        if gift is None:
            services.contribution_add(by=request.user, confirm_repeat=confirm_repeat, **data)
            return _("Đã ghi khoản đóng góp.")
        for name, value in data.items():
            setattr(gift, name, value.strip() if isinstance(value, str) else value)
        services.contribution_save(contribution=gift, by=request.user)
        return _("Đã sửa khoản đóng góp.")

    return _post(request, cluster_year, "contribution", write, once=True)


@section_post
def support(request, cluster_year):
    """A new support with its beneficiary, or with `id` the correction of both."""

    def write(data):
        existing = data["id"]
        beneficiary = existing.beneficiary if existing else Beneficiary()
        for name in SupportForm.BENEFICIARY_FIELDS:
            value = data[name]
            setattr(beneficiary, name, value.strip() if isinstance(value, str) else value)
        services.beneficiary_save(
            beneficiary=beneficiary, by=request.user, cluster_year=cluster_year
        )
        given = existing or Support(beneficiary=beneficiary)
        for name in SupportForm.SUPPORT_FIELDS:
            setattr(given, name, data[name])
        given.non_member_reason = data["non_member_reason"].strip()
        services.support_save(support=given, by=request.user)
        return _("Đã sửa khoản hỗ trợ.") if existing else _("Đã ghi khoản hỗ trợ.")

    return _post(request, cluster_year, "support", write, once=True)


def _delete(request, cluster_year, *, section, find, remove):
    """A delete form of the list: POST only, once (its one-time token), through the service;
    the refusal (a fund that would go below what it paid, a closed fund) back at the section."""
    url = edit_url(cluster_year)
    try:
        with transaction.atomic():
            if not claim(request):
                return already_done(request, url, ANCHOR)
            text = remove(find())
    except ValidationError as error:
        return refuse(request, section=section, anchor=ANCHOR, edit_url=url, error=error)
    messages.success(request, text, extra_tags=f"section-{ANCHOR}")
    return back_to(url, ANCHOR)


@section_post
def contribution_delete(request, cluster_year):
    def find():
        gift = (
            Contribution.objects.filter(
                fund__cluster_year=cluster_year, pk=int_or_none(request.POST.get("contribution"))
            )
            .select_related("unit", "fund")
            .first()
        )
        if gift is None:
            raise ValidationError(
                _("Không có khoản đóng góp này trong năm %(year)s.") % {"year": cluster_year.year}
            )
        return gift

    def remove(gift):
        services.contribution_delete(contribution=gift, by=request.user)
        return _("Đã xóa khoản đóng góp %(amount)s của %(donor)s.") % {
            "amount": services.vnd(gift.amount),
            "donor": gift.donor,
        }

    return _delete(request, cluster_year, section="contribution_delete", find=find, remove=remove)


@section_post
def support_delete(request, cluster_year):
    def find():
        given = (
            Support.objects.filter(
                fund__cluster_year=cluster_year, pk=int_or_none(request.POST.get("support"))
            )
            .select_related("beneficiary", "fund")
            .first()
        )
        if given is None:
            raise ValidationError(
                _("Không có khoản hỗ trợ này trong năm %(year)s.") % {"year": cluster_year.year}
            )
        return given

    def remove(given):
        services.support_delete(support=given, by=request.user)
        return _("Đã xóa khoản hỗ trợ cho %(beneficiary)s.") % {"beneficiary": given.beneficiary}

    return _delete(request, cluster_year, section="support_delete", find=find, remove=remove)


@section_post
def milestone(request, cluster_year):
    def write(data):
        services.support_milestone(
            support=data["support"], milestone=data["milestone"], on=data["on"], by=request.user
        )
        return _("Đã cập nhật mốc của ngôi nhà.")

    return _post(request, cluster_year, "milestone", write)
