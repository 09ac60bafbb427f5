"""The vote's sections of the year's edit page: each posts here, saves through the services and
goes back to the page at the vote (#vote), with the refusal at the top of the section."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import can
from awards import services
from awards.forms import DecisionForm, LeaderForm, NominationForm
from awards.models import AwardKind, Nomination
from clusters.models import Unit
from clusters.views import edit_url, section_post
from core.forms import int_or_none
from core.sections import back_to, refuse
from core.tokens import already_done, claim

ANCHOR = "vote"


def members_of(cluster_year):
    return Unit.objects.filter(memberships__cluster_year=cluster_year)


def ministry_flag():
    return AwardKind.objects.filter(code="co-bo-cong-an").first()


def _refused(request, cluster_year, section, *, form=None, error=None):
    return refuse(
        request,
        section=section,
        anchor=ANCHOR,
        edit_url=edit_url(cluster_year),
        data=request.POST,
        form=form,
        error=error,
    )


def _done(request, cluster_year, text):
    messages.success(request, text, extra_tags=f"section-{ANCHOR}")
    return back_to(edit_url(cluster_year), ANCHOR)


@section_post
def leader(request, cluster_year):
    form = LeaderForm(request.POST, members=members_of(cluster_year))
    if not form.is_valid():
        return _refused(request, cluster_year, "leader", form=form)
    try:
        services.leader_and_quota_set(
            cluster_year=cluster_year,
            unit=form.cleaned_data["leading_unit"],
            by=request.user,
            award_kind=ministry_flag(),
            quota=form.cleaned_data["ministry_quota"],
        )
    except ValidationError as error:
        return _refused(request, cluster_year, "leader", error=error)
    return _done(request, cluster_year, _("Đã lưu đơn vị dẫn đầu và chỉ tiêu."))


@section_post
def nominate(request, cluster_year):
    can_override = can(request.user, "awards.override_nomination", cluster_year)
    form = NominationForm(request.POST, members=members_of(cluster_year), can_override=can_override)
    if not form.is_valid():
        return _refused(request, cluster_year, "nominate", form=form)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            if not claim(request):
                return already_done(request, edit_url(cluster_year), ANCHOR)
            services.nomination_propose(
                cluster_year=cluster_year,
                award_kind=data["award_kind"],
                unit=data["unit"],
                by=request.user,
                votes_for=data["votes_for"],
                council_size=data["council_size"],
                person_name=data["person_name"],
                person_rank=data["person_rank"],
                person_position=data["person_position"],
                rank_order=data["rank_order"],
                achievements=data["achievements"],
                override_reason=data.get("override_reason", ""),
            )
    except ValidationError as error:
        return _refused(request, cluster_year, "nominate", error=error)
    return _done(request, cluster_year, _("Đã ghi kết quả bình xét."))


@section_post
def submit(request, cluster_year):
    nomination = Nomination.objects.filter(
        cluster_year=cluster_year, pk=int_or_none(request.POST.get("nomination"))
    ).first()
    if nomination is None:
        return _refused(
            request, cluster_year, "submit", error=ValidationError(_("Không có đề nghị này."))
        )
    try:
        services.nomination_submit(nomination=nomination, by=request.user)
    except ValidationError as error:
        return _refused(request, cluster_year, "submit", error=error)
    return _done(request, cluster_year, _("Đã trình đề nghị."))


@section_post
def decide(request, cluster_year):
    form = DecisionForm(
        request.POST, nominations=Nomination.objects.filter(cluster_year=cluster_year)
    )
    if not form.is_valid():
        return _refused(request, cluster_year, "decide", form=form)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            if not claim(request):
                return already_done(request, edit_url(cluster_year), ANCHOR)
            services.nomination_decide(
                nomination=data["nomination"],
                approved=data["approved"],
                by=request.user,
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                decision_issuer=data["decision_issuer"],
            )
    except ValidationError as error:
        return _refused(request, cluster_year, "decide", error=error)
    return _done(request, cluster_year, _("Đã ghi quyết định."))
