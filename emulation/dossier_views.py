"""The dossier to the Ministry: /clusters/<slug>/<year>/dossier/. The cluster's documents (Word,
made from the year's data), the signed scans, sending and recalling; the Ministry's officer
receives it, returns it with a reason or records the decisions."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts.access import can
from awards.models import Nomination
from core.forms import DayFirstDateInput
from emulation import documents, selectors, services
from emulation.models import Dossier
from emulation.views import KEEP, _cycle_or_404, _refusal, cycle_page

RULE = "emulation.rule_on_dossier"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ScanForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Tên tài liệu"), max_length=200, required=False)
    file = forms.FileField(label=gettext_lazy("Bản scan đã ký (PDF, ảnh)"))


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    """One line per submitted nomination: approved, not approved, or left for later."""

    CHOICES = [
        ("", gettext_lazy("Chưa quyết định")),
        ("yes", gettext_lazy("Khen thưởng")),
        ("no", gettext_lazy("Không khen thưởng")),
    ]
    number = forms.CharField(label=gettext_lazy("Số quyết định"), max_length=60, required=False)
    day = forms.DateField(
        label=gettext_lazy("Ngày quyết định"), required=False, widget=DayFirstDateInput()
    )
    issuer = forms.CharField(label=gettext_lazy("Người/cơ quan ký"), max_length=200, required=False)

    def __init__(self, *args, nominations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.nominations = list(nominations)
        self.lines = []
        for nomination in self.nominations:
            name = f"outcome_{nomination.pk}"
            self.fields[name] = forms.ChoiceField(
                label=nomination.recipient_label, choices=self.CHOICES, required=False
            )
            self.lines.append({"nomination": nomination, "field": self[name]})

    def decisions(self) -> list[services.Decision]:
        data = self.cleaned_data
        return [
            services.Decision(
                nomination=n,
                approved=data[f"outcome_{n.pk}"] == "yes",
                number=data.get("number") or "",
                day=data.get("day"),
                issuer=data.get("issuer") or "",
            )
            for n in self.nominations
            if data.get(f"outcome_{n.pk}")
        ]


def dossier_url(cluster_year) -> str:
    return reverse("emulation:dossier", args=[cluster_year.cluster.slug, cluster_year.year])


def _nominations(cluster_year):
    return list(
        Nomination.objects.filter(cluster_year=cluster_year)
        .exclude(status=Nomination.Status.WITHDRAWN)
        .select_related("award_kind", "unit")
        .order_by("award_kind__order", "rank_order", "id")
    )


def _page(request, cluster_year, *, bound=None, status=200):
    bound = bound or {}
    cycle = selectors.cycle_of(cluster_year)
    context = {"cluster_year": cluster_year, "cluster": cluster_year.cluster, "cycle": cycle}
    if cycle is not None:
        cycle.cluster_year = cluster_year
        dossier = Dossier.objects.filter(cycle=cycle).first()
        nominations = _nominations(cluster_year)
        keeps = can(request.user, KEEP, cluster_year)
        rules = can(request.user, RULE, cluster_year)
        waiting = [n for n in nominations if n.status == Nomination.Status.SUBMITTED]
        state = dossier.status if dossier else Dossier.Status.DRAFT
        context.update(
            {
                "dossier": dossier,
                "state": state,
                "state_label": Dossier.Status(state).label,
                "rounds": list(
                    dossier.rounds.select_related("submitted_by", "received_by", "ruled_by")
                    .prefetch_related("documents")
                    .order_by("-number")
                )
                if dossier
                else [],
                "scans": list(dossier.scans.all()) if dossier else [],
                "nominations": nominations,
                "keeps": keeps,
                "rules": rules,
                "may_prepare": keeps and state in (Dossier.Status.DRAFT, Dossier.Status.RETURNED),
                "may_recall": keeps and state == Dossier.Status.SUBMITTED,
                "scan_form": bound.get("scan") or ScanForm(),
                "return_form": bound.get("return") or ReturnForm(),
                "decision_form": bound.get("decide") or DecisionForm(nominations=waiting),
                "today": datetime.date.today(),
            }
        )
    return render(request, "emulation/dossier.html", context, status=status)


def _done(request, cluster_year, text):
    messages.success(request, text)
    return redirect(dossier_url(cluster_year))


def _failed(request, cluster_year, error: ValidationError):
    messages.error(request, " ".join(error.messages))
    return redirect(dossier_url(cluster_year))


@require_safe
@cycle_page
def dossier(request, cluster_year):
    return _page(request, cluster_year)


def _document_options(request):
    """The number and the date the clerk typed for the document (both optional: dotted)."""
    number = (request.GET.get("number") or "").strip()[:20]
    try:
        day = parse_date(request.GET.get("day") or "")
    except ValueError:  # well formed but no such day (2024-02-30): dotted, as if not given
        day = None
    return {"number": number, "day": day}


def _docx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def made_documents(cycle, **options) -> list[tuple[str, bytes]]:
    """Every document of the dossier as it stands: the minutes, the proposal, one achievement
    report per nominee."""
    year = cycle.cluster_year.year
    made = [
        (f"bien-ban-binh-xet-{year}.docx", documents.minutes(cycle, **options)),
        (f"to-trinh-de-nghi-khen-thuong-{year}.docx", documents.proposal(cycle, **options)),
    ]
    for nomination in _nominations(cycle.cluster_year):
        made.append(
            (
                f"bao-cao-thanh-tich-{nomination.unit.slug}-{nomination.pk}.docx",
                documents.achievements(cycle, nomination, day=options.get("day")),
            )
        )
    return made


@require_safe
@cycle_page
def minutes_docx(request, cluster_year):
    cycle = _cycle_or_404(cluster_year)
    content = documents.minutes(cycle, **_document_options(request))
    return _docx(content, f"bien-ban-binh-xet-{cluster_year.cluster.slug}-{cluster_year.year}.docx")


@require_safe
@cycle_page
def proposal_docx(request, cluster_year):
    cycle = _cycle_or_404(cluster_year)
    content = documents.proposal(cycle, **_document_options(request))
    return _docx(content, f"to-trinh-{cluster_year.cluster.slug}-{cluster_year.year}.docx")


@require_safe
@cycle_page
def achievements_docx(request, cluster_year, pk):
    cycle = _cycle_or_404(cluster_year)
    nomination = (
        Nomination.objects.filter(cluster_year=cluster_year, pk=pk).select_related("unit").first()
    )
    if nomination is None:
        raise Http404
    content = documents.achievements(cycle, nomination, day=_document_options(request)["day"])
    return _docx(content, f"bao-cao-thanh-tich-{nomination.unit.slug}-{nomination.pk}.docx")


@require_POST
@cycle_page
def scan(request, cluster_year):
    refusal = _refusal(request, KEEP, cluster_year, cluster_year)
    if refusal is not None:
        return refusal
    cycle = _cycle_or_404(cluster_year)
    form = ScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.dossier_scan_add(
                cycle=cycle,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _done(request, cluster_year, _("Đã thêm bản scan vào hồ sơ."))
    return _page(request, cluster_year, bound={"scan": form}, status=422)


@require_POST
@cycle_page
def submit(request, cluster_year):
    refusal = _refusal(request, KEEP, cluster_year, cluster_year)
    if refusal is not None:
        return refusal
    cycle = _cycle_or_404(cluster_year)
    try:
        sent = services.dossier_submit(
            cycle=cycle, by=request.user, documents=made_documents(cycle)
        )
    except ValidationError as error:
        return _failed(request, cluster_year, error)
    return _done(request, cluster_year, _("Đã gửi hồ sơ về Bộ (lần %(n)s).") % {"n": sent.number})


@require_POST
@cycle_page
def recall(request, cluster_year):
    refusal = _refusal(request, KEEP, cluster_year, cluster_year)
    if refusal is not None:
        return refusal
    try:
        services.dossier_recall(cycle=_cycle_or_404(cluster_year), by=request.user)
    except ValidationError as error:
        return _failed(request, cluster_year, error)
    return _done(request, cluster_year, _("Đã rút hồ sơ về để bổ sung."))


def _ministry_cycle(request, cluster_year):
    """The Ministry's officer and the admin rule on dossiers; whoever else reaches the year is
    refused (403)."""
    if not can(request.user, RULE, cluster_year):
        raise PermissionDenied
    return _cycle_or_404(cluster_year)


@require_POST
@cycle_page
def receive(request, cluster_year):
    try:
        services.dossier_receive(cycle=_ministry_cycle(request, cluster_year), by=request.user)
    except ValidationError as error:
        return _failed(request, cluster_year, error)
    return _done(request, cluster_year, _("Đã tiếp nhận hồ sơ."))


@require_POST
@cycle_page
def return_(request, cluster_year):
    cycle = _ministry_cycle(request, cluster_year)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.dossier_return(
                cycle=cycle, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _done(request, cluster_year, _("Đã trả lại hồ sơ cho cụm."))
    return _page(request, cluster_year, bound={"return": form}, status=422)


@require_POST
@cycle_page
def decide(request, cluster_year):
    cycle = _ministry_cycle(request, cluster_year)
    waiting = [n for n in _nominations(cluster_year) if n.status == Nomination.Status.SUBMITTED]
    form = DecisionForm(request.POST, nominations=waiting)
    if form.is_valid():
        decisions = form.decisions()
        if not decisions:
            form.add_error(None, _("Hãy chọn kết quả cho ít nhất một đề nghị."))
        else:
            try:
                services.dossier_decide(cycle=cycle, decisions=decisions, by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return _done(
                    request,
                    cluster_year,
                    _("Đã ghi quyết định cho %(count)s đề nghị.") % {"count": len(decisions)},
                )
    return _page(request, cluster_year, bound={"decide": form}, status=422)
