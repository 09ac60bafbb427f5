"""The vote's sections of the year's edit page: each posts here, saves through the services and
goes back to the page at the vote (#vote), with the refusal at the top of the section."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can
from awards import services
from awards.forms import (
    DecisionForm,
    LateDecisionForm,
    LeaderForm,
    NominationForm,
    WithdrawForm,
)
from awards.models import AwardKind, Nomination
from clusters.models import Unit
from clusters.views import edit_url, section_post, year_or_404
from core.forms import int_or_none
from core.sections import back_to, rebind, refuse, retried
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
            reason=form.cleaned_data["leader_reason"],
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
    editing = None
    if request.POST.get("nomination"):
        editing = Nomination.objects.filter(
            cluster_year=cluster_year, pk=int_or_none(request.POST.get("nomination"))
        ).first()
        if editing is None:
            return _refused(
                request, cluster_year, "nominate", error=ValidationError(_("Không có đề nghị này."))
            )
    vote = {
        "award_kind": data["award_kind"],
        "unit": data["unit"],
        "by": request.user,
        "votes_for": data["votes_for"],
        "council_size": data["council_size"],
        "person_name": data["person_name"],
        "person_rank": data["person_rank"],
        "person_position": data["person_position"],
        "rank_order": data["rank_order"],
        "achievements": data["achievements"],
    }
    try:
        with transaction.atomic():
            if not claim(request):
                return already_done(request, edit_url(cluster_year), ANCHOR)
            if editing is None:
                services.nomination_propose(
                    cluster_year=cluster_year,
                    override_reason=data.get("override_reason", ""),
                    **vote,
                )
            else:
                services.nomination_update(
                    nomination=editing, override_reason=data.get("override_reason"), **vote
                )
    except ValidationError as error:
        return _refused(request, cluster_year, "nominate", error=error)
    if editing is not None:
        return _done(request, cluster_year, _("Đã sửa kết quả bình xét."))
    return _done(request, cluster_year, _("Đã ghi kết quả bình xét."))


def nomination_form_for(
    request, cluster_year, form, *, members, can_override, nominations=None, kinds=None
):
    """The vote's form on the edit page, and the nomination it corrects (or None): "Sửa" opens
    it filled (?edit=<id>, a proposal not yet submitted); a refused correction comes back bound
    to what was typed, still correcting the same nomination. Found among `nominations` when the
    page has read them (awards.bundle.year_nominations), else one query."""
    if form.is_bound:
        pk = int_or_none(form.data.get("nomination"))
    else:
        pk = int_or_none(request.GET.get("edit"))
    if pk is None:
        return form, None
    if nominations is None:
        nominations = Nomination.objects.filter(cluster_year=cluster_year, pk=pk).select_related(
            "award_kind", "unit"
        )
    editing = next(
        (n for n in nominations if n.pk == pk and n.status == Nomination.Status.PROPOSED), None
    )
    if editing is None or form.is_bound:
        return form, editing
    initial = {
        name: getattr(editing, name)
        for name in (
            "person_name",
            "person_rank",
            "person_position",
            "votes_for",
            "council_size",
            "rank_order",
            "achievements",
            "override_reason",
        )
    }
    initial.update(award_kind=editing.award_kind_id, unit=editing.unit_id)
    form = NominationForm(initial=initial, members=members, can_override=can_override, kinds=kinds)
    return form, editing


@section_post
def withdraw(request, cluster_year):
    form = WithdrawForm(
        request.POST, nominations=Nomination.objects.filter(cluster_year=cluster_year)
    )
    if not form.is_valid():
        return _refused(request, cluster_year, "withdraw", form=form)
    try:
        with transaction.atomic():
            if not claim(request):
                return already_done(request, edit_url(cluster_year), ANCHOR)
            services.nomination_withdraw(
                nomination=form.cleaned_data["nomination"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
    except ValidationError as error:
        return _refused(request, cluster_year, "withdraw", error=error)
    return _done(request, cluster_year, _("Đã rút đề nghị."))


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


LATE_ANCHOR = "awards"
LATE_SECTION = "late_decision"


def year_url(cluster_year) -> str:
    return reverse("pages:year_detail", args=[cluster_year.cluster.slug, cluster_year.year])


def amendment_post(view):
    """The late decision: POST only, signed in; another cluster's year is a 404, a role that
    reaches the year but does not decide its nominations (leadership, a member's officer) 403.
    Not a section of the edit page: a published year's edit page is closed to the secretariat."""

    @require_POST
    @wraps(view)
    def wrapped(request, slug, year):
        if not request.user.is_authenticated:
            return redirect_to_login(reverse("pages:year_detail", args=[slug, year]))
        cluster_year = year_or_404(slug, year)
        if not can(request.user, "clusters.access_clusteryear", cluster_year):
            raise Http404
        if not can(request.user, "awards.move_nomination", Nomination(cluster_year=cluster_year)):
            raise PermissionDenied
        return view(request, cluster_year)

    return wrapped


def _late_refused(request, cluster_year, *, form=None, error=None):
    if error is not None and hasattr(error, "error_dict"):
        error = ValidationError(error.messages)  # the document's refusal, at the form's top
    return refuse(
        request,
        section=LATE_SECTION,
        anchor=LATE_ANCHOR,
        edit_url=year_url(cluster_year),
        data=request.POST,
        form=form,
        error=error,
    )


@amendment_post
def late_decision(request, cluster_year):
    """Record the Ministry's decision that came after the year was published (an amendment)."""
    form = LateDecisionForm(
        request.POST,
        request.FILES,
        nominations=Nomination.objects.filter(cluster_year=cluster_year),
    )
    if not form.is_valid():
        return _late_refused(request, cluster_year, form=form)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            if not claim(request):
                return already_done(request, year_url(cluster_year), LATE_ANCHOR)
            services.nomination_amend_decision(
                nomination=data["nomination"],
                approved=data["approved"],
                by=request.user,
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                decision_issuer=data["decision_issuer"],
                upload=data["document"],
            )
    except ValidationError as error:
        return _late_refused(request, cluster_year, error=error)
    messages.success(request, _("Đã ghi quyết định đến sau."), extra_tags=f"section-{LATE_ANCHOR}")
    return back_to(year_url(cluster_year), LATE_ANCHOR)


def late_decision_context(request, cluster_year) -> dict:
    """For the year page: the late decision's form refused a moment ago, bound to what was
    typed (the file must be chosen again), or None."""
    retry = retried(request, LATE_SECTION)
    form = None
    if retry is not None:
        form = rebind(
            LateDecisionForm,
            retry,
            nominations=Nomination.objects.filter(cluster_year=cluster_year),
        )
    return {"late_decision_form": form}
