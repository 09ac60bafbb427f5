"""The ballot's pages: /clusters/<slug>/<year>/ballot/ (the council, who may not be proposed,
the names on the ballot, the count and its result), the ballots to print, and their PDF."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import can
from awards import services as award_services
from awards.models import AwardKind, Discipline
from core.forms import add_service_errors, int_or_none
from core.pdf import pdf_from_html
from emulation import selectors, services
from emulation.forms import CandidateForm, CouncilMemberForm, CountForm, DisciplineForm
from emulation.models import Candidate, CouncilMember
from emulation.views import KEEP, _cycle_or_404, _refusal, cycle_page

DOCUMENT_CSS = "css/documents.css"  # the printed ballots, on screen, on paper and in the PDF


def ballot_url(cluster_year, anchor: str = "") -> str:
    url = reverse("emulation:ballot", args=[cluster_year.cluster.slug, cluster_year.year])
    return f"{url}#{anchor}" if anchor else url


def _context(request, cluster_year, cycle):
    members = selectors.members_of(cluster_year)
    candidates = list(
        cycle.candidates.select_related("unit", "award_kind", "nomination").order_by(
            "award_kind__order", "order", "id"
        )
    )
    counts = {c.award_kind_id: c for c in cycle.counts.all()}
    council = list(cycle.council.all())
    results = selectors.ballot_results(
        cycle, candidates=candidates, counts=counts, council_size=len(council)
    )
    return {
        "members": members,
        "council": council,
        "present": sum(m.attendance == CouncilMember.Attendance.PRESENT for m in council),
        "writing": sum(m.attendance == CouncilMember.Attendance.WRITTEN for m in council),
        "results": results,
        "disciplines": list(
            Discipline.objects.filter(cluster_year=cluster_year).select_related("unit")
        ),
    }


def _page(request, cluster_year, *, bound=None, status=200):
    bound = bound or {}
    cycle = selectors.cycle_of(cluster_year)
    keeps = can(request.user, KEEP, cluster_year)
    context = {
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        "cycle": cycle,
        "keeps": keeps,
    }
    if cycle is not None:
        cycle.cluster_year = cluster_year
        context.update(_context(request, cluster_year, cycle))
        members = context["members"]
        if keeps:
            for result in context["results"]:
                kind_id = result.award_kind.pk
                result.form = bound.get(("count", kind_id)) or CountForm(
                    initial={"award_kind": kind_id},
                    candidates=[line.candidate for line in result.lines],
                    count=result.count,
                )
                result.proposed = any(line.candidate.nomination_id for line in result.lines)
        context.update(
            {
                "member_form": bound.get("council") or (CouncilMemberForm() if keeps else None),
                "discipline_form": bound.get("discipline")
                or (DisciplineForm(members=members) if keeps else None),
                "candidate_form": bound.get("candidate")
                or (CandidateForm(members=members) if keeps else None),
            }
        )
    return render(request, "emulation/ballot.html", context, status=status)


def _done(request, cluster_year, text, anchor):
    messages.success(request, text)
    return redirect(ballot_url(cluster_year, anchor))


def _failed(request, cluster_year, error: ValidationError, anchor):
    messages.error(request, " ".join(error.messages))
    return redirect(ballot_url(cluster_year, anchor))


def _refused(request, cluster_year, name, form, error=None):
    if error is not None:
        add_service_errors(form, error)
    return _page(request, cluster_year, bound={name: form}, status=422)


def _keeper_cycle(request, cluster_year):
    """(refusal, cycle): the locked-year page or 403 for who may not keep the cycle."""
    refusal = _refusal(request, KEEP, cluster_year, cluster_year)
    if refusal is not None:
        return refusal, None
    return None, _cycle_or_404(cluster_year)


@require_safe
@cycle_page
def ballot(request, cluster_year):
    return _page(request, cluster_year)


@require_POST
@cycle_page
def council_member(request, cluster_year):
    refusal, cycle = _keeper_cycle(request, cluster_year)
    if refusal is not None:
        return refusal
    form = CouncilMemberForm(request.POST, instance=CouncilMember(cycle=cycle))
    if not form.is_valid():
        return _refused(request, cluster_year, "council", form)
    try:
        services.council_member_save(member=form.instance, by=request.user)
    except ValidationError as error:
        return _refused(request, cluster_year, "council", form, error)
    return _done(
        request,
        cluster_year,
        _("Đã thêm %(name)s vào hội đồng.") % {"name": form.instance},
        "council",
    )


@require_POST
@cycle_page
def council_member_delete(request, cluster_year):
    refusal, cycle = _keeper_cycle(request, cluster_year)
    if refusal is not None:
        return refusal
    member = cycle.council.filter(pk=int_or_none(request.POST.get("pk"))).first()
    if member is None:
        raise Http404
    try:
        services.council_member_delete(member=member, by=request.user)
    except ValidationError as error:
        return _failed(request, cluster_year, error, "council")
    return _done(
        request, cluster_year, _("Đã bỏ %(name)s khỏi hội đồng.") % {"name": member}, "council"
    )


@require_POST
@cycle_page
def discipline(request, cluster_year):
    refusal, cycle = _keeper_cycle(request, cluster_year)
    if refusal is not None:
        return refusal
    form = DisciplineForm(
        request.POST,
        instance=Discipline(cluster_year=cluster_year),
        members=selectors.members_of(cluster_year),
    )
    if not form.is_valid():
        return _refused(request, cluster_year, "discipline", form)
    try:
        award_services.discipline_save(discipline=form.instance, by=request.user)
    except ValidationError as error:
        return _refused(request, cluster_year, "discipline", form, error)
    return _done(
        request,
        cluster_year,
        _("Đã ghi kỷ luật: %(record)s.") % {"record": form.instance},
        "disciplines",
    )


@require_POST
@cycle_page
def candidate(request, cluster_year):
    refusal, cycle = _keeper_cycle(request, cluster_year)
    if refusal is not None:
        return refusal
    form = CandidateForm(
        request.POST, instance=Candidate(cycle=cycle), members=selectors.members_of(cluster_year)
    )
    if not form.is_valid():
        return _refused(request, cluster_year, "candidate", form)
    try:
        services.candidate_add(candidate=form.instance, by=request.user)
    except ValidationError as error:
        return _refused(request, cluster_year, "candidate", form, error)
    return _done(
        request,
        cluster_year,
        _("Đã đưa %(who)s vào phiếu bầu %(award)s.")
        % {"who": form.instance.label, "award": form.instance.award_kind},
        "candidates",
    )


@require_POST
@cycle_page
def candidate_delete(request, cluster_year):
    refusal, cycle = _keeper_cycle(request, cluster_year)
    if refusal is not None:
        return refusal
    found = (
        cycle.candidates.select_related("unit")
        .filter(pk=int_or_none(request.POST.get("pk")))
        .first()
    )
    if found is None:
        raise Http404
    try:
        services.candidate_delete(candidate=found, by=request.user)
    except ValidationError as error:
        return _failed(request, cluster_year, error, "candidates")
    return _done(
        request,
        cluster_year,
        _("Đã bỏ %(who)s khỏi phiếu bầu.") % {"who": found.label},
        "candidates",
    )


@require_POST
@cycle_page
def count(request, cluster_year):
    refusal, cycle = _keeper_cycle(request, cluster_year)
    if refusal is not None:
        return refusal
    award_kind = AwardKind.objects.filter(pk=int_or_none(request.POST.get("award_kind"))).first()
    if award_kind is None:
        raise Http404
    candidates = list(cycle.candidates.filter(award_kind=award_kind).select_related("unit"))
    form = CountForm(request.POST, candidates=candidates)
    key = ("count", award_kind.pk)
    if not form.is_valid():
        return _refused(request, cluster_year, key, form)
    try:
        services.ballot_count_save(
            cycle=cycle, award_kind=award_kind, tally=form.tally(), by=request.user
        )
    except ValidationError as error:
        return _refused(request, cluster_year, key, form, error)
    return _done(
        request,
        cluster_year,
        _("Đã ghi kết quả kiểm phiếu %(award)s.") % {"award": award_kind},
        f"kind-{award_kind.pk}",
    )


@require_POST
@cycle_page
def propose(request, cluster_year):
    refusal, cycle = _keeper_cycle(request, cluster_year)
    if refusal is not None:
        return refusal
    try:
        made = services.ballot_propose(cycle=cycle, by=request.user)
    except ValidationError as error:
        return _failed(request, cluster_year, error, "results")
    return _done(
        request,
        cluster_year,
        _("Đã lập %(count)s đề nghị khen thưởng từ kết quả bầu.") % {"count": len(made)},
        "results",
    )


def _ballots(request, cluster_year):
    cycle = _cycle_or_404(cluster_year)
    context = _context(request, cluster_year, cycle)
    copies = max(len(context["council"]), 1)
    return {
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        "results": [r for r in context["results"] if r.lines],
        "copies": range(1, copies + 1),
        "copy_count": copies,
    }


@require_safe
@cycle_page
def ballots_print(request, cluster_year):
    """The ballots to print: one per council member, numbered, without names (a secret ballot)."""
    return render(request, "emulation/ballots_print.html", _ballots(request, cluster_year))


@require_safe
@cycle_page
def ballots_pdf(request, cluster_year):
    html = render_to_string(
        "emulation/ballots_print.html", _ballots(request, cluster_year), request
    )
    pdf = pdf_from_html(html, DOCUMENT_CSS)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"phieu-bau-{cluster_year.cluster.slug}-{cluster_year.year}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
