"""The emulation cycle's pages: /clusters/<slug>/<year>/scoring/ and a score sheet's page. Every
form posts to its own address and writes through emulation.services; a refused form is shown
again on its page with what was typed and why (status 422)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import can
from accounts.models import Role
from clusters.models import ClusterYear
from clusters.views import locked_refusal
from core.forms import add_service_errors, int_or_none
from emulation import selectors, services
from emulation.forms import AssignForm, CriterionForm, PledgeForm, SettingsForm, SheetForm
from emulation.models import Criterion, ScoreSheet

KEEP = "emulation.keep_cycle"


def scoring_url(cluster_year: ClusterYear, anchor: str = "") -> str:
    url = reverse("emulation:scoring", args=[cluster_year.cluster.slug, cluster_year.year])
    return f"{url}#{anchor}" if anchor else url


def sheet_url(sheet: ScoreSheet, cluster_year: ClusterYear) -> str:
    return reverse("emulation:sheet", args=[cluster_year.cluster.slug, cluster_year.year, sheet.pk])


def cycle_page(view):
    """A page or form of the cycle: signed in; the year's members, its secretariat, leadership,
    the Ministry's officer and the admin (anyone else: 404). The view gets the year."""

    @wraps(view)
    def wrapped(request, slug, year, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(reverse("emulation:scoring", args=[slug, year]))
        cluster_year = (
            ClusterYear.objects.with_people()
            .select_related("leading_unit", "ranked_leader")
            .filter(cluster__slug=slug, year=year)
            .first()
        )
        if cluster_year is None or not can(request.user, "emulation.view_cycle", cluster_year):
            raise Http404
        return view(request, cluster_year, *args, **kwargs)

    return wrapped


def _refusal(request, perm: str, obj, cluster_year: ClusterYear):
    """None when `request.user` may; else the locked-year page (published, but they could were
    it open) or 403."""
    if can(request.user, perm, obj):
        return None
    refusal = locked_refusal(request, perm, obj, cluster_year)
    if refusal is not None:
        return refusal
    raise PermissionDenied


def _units_to_sign_for(user, cluster_year, members, keeps: bool):
    if keeps:
        return members
    if user.role == Role.UNIT_OFFICER and not cluster_year.is_published:
        return [unit for unit in members if unit.pk == user.unit_id]
    return []


def _page(request, cluster_year: ClusterYear, *, bound=None, status=200):
    """The cycle's page. `bound`: {form name: a refused form} to show instead of a new one."""
    bound = bound or {}
    user = request.user
    cycle = selectors.cycle_of(cluster_year)
    keeps = can(user, KEEP, cluster_year)
    context = {
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        "cycle": cycle,
        "keeps": keeps,
    }
    if cycle is None:
        return render(request, "emulation/scoring.html", context, status=status)
    cycle.cluster_year = cluster_year
    criteria = list(cycle.criteria.all())
    rows = selectors.criteria_tree(criteria)
    members = selectors.members_of(cluster_year)
    pledges = selectors.pledges_by_unit(cycle)
    sheets = selectors.sheets_of(cycle, criteria) if cycle.criteria_frozen else []
    reads_all = selectors.reads_everything(user, cluster_year)
    for sheet in sheets:
        sheet.cycle = cycle  # its year at hand for the rules: no query per sheet
        sheet.visible = selectors.may_see(user, sheet, sheets, cycle)
        sheet.totals = sheet.sums if sheet.visible else None
        sheet.writable = not sheet.is_submitted and (
            can(user, KEEP, cluster_year)
            if sheet.kind == ScoreSheet.Kind.AGREED
            else can(user, "emulation.write_sheet", sheet)
        )
        sheet.url = sheet_url(sheet, cluster_year)
    may_change_criteria = keeps and (
        not cycle.criteria_frozen or can(user, "emulation.keep_frozen_criteria", cluster_year)
    )
    groups = [c for c in criteria if c.is_group]
    sign_for = _units_to_sign_for(user, cluster_year, members, keeps)
    show_ranking = keeps or reads_all or cycle.ranking_adopted_at is not None
    context.update(
        {
            "rows": rows,
            "scale": selectors.scale(criteria),
            "members": [{"unit": unit, "pledge": pledges.get(unit.pk)} for unit in members],
            "unsigned": [unit for unit in members if unit.pk not in pledges],
            "sheets": sheets,
            "own_sheets": [
                s
                for s in sheets
                if user.role == Role.UNIT_OFFICER
                and (
                    (s.kind == ScoreSheet.Kind.SELF and s.unit_id == user.unit_id)
                    or (s.kind == ScoreSheet.Kind.INSPECTION and s.inspector_id == user.unit_id)
                )
            ],
            "divergences": selectors.divergences(cycle, sheets) if reads_all else None,
            "ranking": selectors.ranking(cycle, sheets, members) if show_ranking else None,
            "may_change_criteria": may_change_criteria,
            "settings_form": bound.get("settings")
            or (SettingsForm(instance=cycle) if keeps else None),
            "criterion_form": bound.get("criterion")
            or (CriterionForm(groups=groups) if may_change_criteria else None),
            "pledge_form": bound.get("pledge")
            or (
                PledgeForm(
                    units=sign_for,
                    initial={"unit": sign_for[0].pk} if len(sign_for) == 1 else None,
                )
                if sign_for
                else None
            ),
            "assign_form": bound.get("assign")
            or (AssignForm(members=members) if keeps and cycle.criteria_frozen else None),
        }
    )
    return render(request, "emulation/scoring.html", context, status=status)


def _refused(request, cluster_year, name, form, error=None):
    if error is not None:
        add_service_errors(form, error)
    return _page(request, cluster_year, bound={name: form}, status=422)


def _done(request, cluster_year, text, anchor):
    messages.success(request, text)
    return redirect(scoring_url(cluster_year, anchor))


def _failed(request, cluster_year, error: ValidationError, anchor):
    messages.error(request, " ".join(error.messages))
    return redirect(scoring_url(cluster_year, anchor))


def _cycle_or_404(cluster_year):
    cycle = selectors.cycle_of(cluster_year)
    if cycle is None:
        raise Http404
    cycle.cluster_year = cluster_year
    return cycle


@require_safe
@cycle_page
def scoring(request, cluster_year):
    return _page(request, cluster_year)


@require_POST
@cycle_page
def cycle_open(request, cluster_year):
    refusal = _refusal(request, KEEP, cluster_year, cluster_year)
    if refusal is not None:
        return refusal
    try:
        services.cycle_open(cluster_year=cluster_year, by=request.user)
    except ValidationError as error:
        return _failed(request, cluster_year, error, "criteria")
    return _done(request, cluster_year, _("Đã mở chu kỳ thi đua của năm."), "criteria")


@require_POST
@cycle_page
def cycle_settings(request, cluster_year):
    refusal = _refusal(request, KEEP, cluster_year, cluster_year)
    if refusal is not None:
        return refusal
    cycle = _cycle_or_404(cluster_year)
    form = SettingsForm(request.POST, instance=cycle)
    if not form.is_valid():
        return _refused(request, cluster_year, "settings", form)
    try:
        services.cycle_settings_save(cycle=cycle, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, cluster_year, "settings", form, error)
    return _done(request, cluster_year, _("Đã lưu quy chế và thời hạn."), "settings")


@require_POST
@cycle_page
def criterion(request, cluster_year):
    refusal = _refusal(request, KEEP, cluster_year, cluster_year)
    if refusal is not None:
        return refusal
    cycle = _cycle_or_404(cluster_year)
    pk = int_or_none(request.POST.get("pk"))
    instance = Criterion(cycle=cycle)
    if pk is not None:
        instance = cycle.criteria.filter(pk=pk).first()
        if instance is None:
            raise Http404
    groups = [c for c in cycle.criteria.all() if c.is_group and c.pk != pk]
    form = CriterionForm(request.POST, instance=instance, groups=groups)
    if not form.is_valid():
        return _refused(request, cluster_year, "criterion", form)
    try:
        services.criterion_save(criterion=form.instance, by=request.user)
    except ValidationError as error:
        return _refused(request, cluster_year, "criterion", form, error)
    return _done(
        request,
        cluster_year,
        _("Đã lưu mục %(number)s.") % {"number": form.instance.number},
        "criteria",
    )


@require_POST
@cycle_page
def criterion_delete(request, cluster_year):
    refusal = _refusal(request, KEEP, cluster_year, cluster_year)
    if refusal is not None:
        return refusal
    cycle = _cycle_or_404(cluster_year)
    found = cycle.criteria.filter(pk=int_or_none(request.POST.get("pk"))).first()
    if found is None:
        raise Http404
    try:
        services.criterion_delete(criterion=found, by=request.user)
    except ValidationError as error:
        return _failed(request, cluster_year, error, "criteria")
    return _done(
        request, cluster_year, _("Đã xóa mục %(number)s.") % {"number": found.number}, "criteria"
    )


@require_POST
@cycle_page
def scoring_start(request, cluster_year):
    refusal = _refusal(request, KEEP, cluster_year, cluster_year)
    if refusal is not None:
        return refusal
    try:
        services.scoring_start(cycle=_cycle_or_404(cluster_year), by=request.user)
    except ValidationError as error:
        return _failed(request, cluster_year, error, "criteria")
    return _done(
        request,
        cluster_year,
        _("Đã bắt đầu chấm điểm: bộ tiêu chí đã khóa, phiếu tự chấm của các đơn vị đã mở."),
        "scores",
    )


@require_POST
@cycle_page
def pledge(request, cluster_year):
    if cluster_year.is_published:
        return _refusal(request, KEEP, cluster_year, cluster_year)
    cycle = _cycle_or_404(cluster_year)
    members = selectors.members_of(cluster_year)
    keeps = can(request.user, KEEP, cluster_year)
    units = _units_to_sign_for(request.user, cluster_year, members, keeps)
    if not units:
        refusal = _refusal(request, KEEP, cluster_year, cluster_year)
        if refusal is not None:
            return refusal
    form = PledgeForm(request.POST, request.FILES, units=units)
    if not form.is_valid():
        return _refused(request, cluster_year, "pledge", form)
    try:
        services.pledge_sign(
            cycle=cycle,
            unit=form.cleaned_data["unit"],
            signed_by=form.cleaned_data["signed_by"],
            signed_on=form.cleaned_data["signed_on"],
            upload=form.cleaned_data.get("document"),
            by=request.user,
        )
    except ValidationError as error:
        return _refused(request, cluster_year, "pledge", form, error)
    return _done(
        request,
        cluster_year,
        _("Đã ghi chữ ký giao ước của %(unit)s.") % {"unit": form.cleaned_data["unit"]},
        "pledge",
    )


@require_POST
@cycle_page
def assign(request, cluster_year):
    refusal = _refusal(request, KEEP, cluster_year, cluster_year)
    if refusal is not None:
        return refusal
    cycle = _cycle_or_404(cluster_year)
    form = AssignForm(request.POST, members=selectors.members_of(cluster_year))
    if not form.is_valid():
        return _refused(request, cluster_year, "assign", form)
    try:
        services.inspection_assign(cycle=cycle, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, cluster_year, "assign", form, error)
    return _done(
        request,
        cluster_year,
        _("Đã giao %(inspector)s kiểm tra chéo %(unit)s.") % form.cleaned_data,
        "scores",
    )


def _sheet_or_404(cluster_year, pk):
    sheet = (
        ScoreSheet.objects.select_related("unit", "inspector", "cycle")
        .filter(cycle__cluster_year=cluster_year, pk=pk)
        .first()
    )
    if sheet is None:
        raise Http404
    sheet.cycle.cluster_year = cluster_year
    return sheet


@require_POST
@cycle_page
def unassign(request, cluster_year):
    refusal = _refusal(request, KEEP, cluster_year, cluster_year)
    if refusal is not None:
        return refusal
    sheet = _sheet_or_404(cluster_year, int_or_none(request.POST.get("pk")))
    try:
        services.inspection_unassign(sheet=sheet, by=request.user)
    except ValidationError as error:
        return _failed(request, cluster_year, error, "scores")
    return _done(request, cluster_year, _("Đã bỏ phiếu kiểm tra chéo."), "scores")


@require_POST
@cycle_page
def rank(request, cluster_year):
    refusal = _refusal(request, KEEP, cluster_year, cluster_year)
    if refusal is not None:
        return refusal
    cycle = _cycle_or_404(cluster_year)
    try:
        if request.POST.get("action") == "reopen":
            services.ranking_reopen(cycle=cycle, by=request.user)
            text = _("Đã mở lại bảng xếp hạng để sửa điểm thống nhất.")
        else:
            places = services.ranking_adopt(cycle=cycle, by=request.user)
            text = _("Đã thông qua bảng xếp hạng: %(unit)s dẫn đầu cụm.") % {"unit": places[0].unit}
    except ValidationError as error:
        return _failed(request, cluster_year, error, "ranking")
    return _done(request, cluster_year, text, "ranking")


@require_http_methods(["GET", "HEAD", "POST"])
@cycle_page
def sheet(request, cluster_year, pk):
    """A score sheet: its lines, with points, explanation and evidence; saved or sent here."""
    found = _sheet_or_404(cluster_year, pk)
    cycle = found.cycle
    if not selectors.may_see(request.user, found, selectors.sheet_heads(cycle), cycle):
        raise Http404
    perm = KEEP if found.kind == ScoreSheet.Kind.AGREED else "emulation.write_sheet"
    target = cluster_year if found.kind == ScoreSheet.Kind.AGREED else found
    writable = not found.is_submitted and can(request.user, perm, target)
    rows = selectors.criteria_tree(list(cycle.criteria.all()))
    scores = {
        s.criterion_id: s
        for s in found.scores.select_related("criterion").prefetch_related("evidence")
    }
    status = 200
    if request.method == "POST":
        refusal = _refusal(request, perm, target, cluster_year)
        if refusal is not None:
            return refusal
        form = SheetForm(request.POST, request.FILES, rows=rows, scores=scores)
        if form.is_valid():
            try:
                services.sheet_save(sheet=found, entries=form.entries(rows), by=request.user)
                if request.POST.get("action") == "submit":
                    services.sheet_submit(sheet=found, by=request.user)
                    messages.success(request, _("Đã gửi phiếu; phiếu không sửa được nữa."))
                    return redirect(scoring_url(cluster_year, "scores"))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Đã lưu phiếu (chưa gửi)."))
                return redirect(sheet_url(found, cluster_year))
        status = 422
    else:
        form = SheetForm(rows=rows, scores=scores, read_only=not writable)
    totals = selectors.totals(scores.values())
    context = {
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        "sheet": found,
        "form": form,
        "writable": writable,
        "totals": totals,
        "scale": selectors.scale([row.criterion for row in rows]),
        "may_return": found.is_submitted
        and can(request.user, KEEP, cluster_year)
        and cycle.ranking_adopted_at is None,
    }
    return render(request, "emulation/sheet.html", context, status=status)


@require_POST
@cycle_page
def sheet_return(request, cluster_year, pk):
    refusal = _refusal(request, KEEP, cluster_year, cluster_year)
    if refusal is not None:
        return refusal
    found = _sheet_or_404(cluster_year, pk)
    try:
        services.sheet_return(sheet=found, by=request.user)
    except ValidationError as error:
        return _failed(request, cluster_year, error, "scores")
    return _done(request, cluster_year, _("Đã trả lại phiếu để đơn vị sửa."), "scores")
