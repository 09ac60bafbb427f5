from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import can, check_object_access
from clusters.models import Membership, Unit
from clusters.views import edit_url, locked_refusal, login_first, section_post
from core.forms import form_after_conflict
from core.sections import back_to, refuse
from reports import services, warnings
from reports.forms import ConferenceForm, UnitReportForm
from reports.models import COUNT_FIELDS, Conference, UnitReport


def conference_of(cluster_year, kind, conferences=None) -> Conference:
    """The year's conference of this kind, or a new one; found among `conferences` when the
    page has read them (reports.selectors.year_conferences), else one query."""
    if kind not in Conference.Kind.values:
        raise Http404
    if conferences is None:
        found = cluster_year.conferences.filter(kind=kind).first()
    else:
        found = next((conference for conference in conferences if conference.kind == kind), None)
    return found or Conference(cluster_year=cluster_year, kind=kind)


@section_post
def conference_save(request, cluster_year):
    """The conference section of the edit page. A save that meets someone else's newer save
    goes back to the page with both versions shown (pages.views rebuilds the conflict)."""
    kind = request.POST.get("kind") or Conference.Kind.YEAR_END
    conference = conference_of(cluster_year, kind)
    members = Unit.objects.filter(memberships__cluster_year=cluster_year)
    form = ConferenceForm(request.POST, instance=conference, members=members)
    url = f"{edit_url(cluster_year)}?kind={kind}"
    if not form.is_valid():
        return refuse(
            request,
            section="conference",
            anchor="conference-form",
            edit_url=url,
            data=request.POST,
            form=form,
        )
    try:
        services.conference_save(
            conference=form.instance, by=request.user, expected_version=form.cleaned_data["version"]
        )
    except ValidationError as error:
        return refuse(
            request,
            section="conference",
            anchor="conference-form",
            edit_url=url,
            data=request.POST,
            error=error,
        )
    messages.success(request, _("Đã lưu thông tin hội nghị."), extra_tags="section-conference-form")
    return back_to(url, "conference-form")


@require_http_methods(["GET", "HEAD", "POST"])
def unit_report(request, slug, year):
    if not request.user.is_authenticated:
        return login_first(request)
    unit = get_object_or_404(Unit, slug=slug)
    membership = (
        Membership.objects.select_related("cluster_year__cluster")
        .filter(unit=unit, year=year)
        .first()
    )
    if membership is None:
        raise Http404
    cluster_year = membership.cluster_year
    report = UnitReport.objects.filter(unit=unit, cluster_year=cluster_year).first() or UnitReport(
        unit=unit, cluster_year=cluster_year
    )
    report.unit, report.cluster_year = unit, cluster_year
    if request.method == "POST":  # who could save it open is told the year is locked
        locked = locked_refusal(request, "reports.change_unitreport", report, cluster_year)
        if locked is not None:
            return locked
    check_object_access(
        request.user, report, perm_prefix="reports.unitreport", change=request.method == "POST"
    )
    can_change = can(request.user, "reports.change_unitreport", report)
    previous = UnitReport.objects.filter(unit=unit, cluster_year__year=year - 1).first()

    conflict = None
    if request.method == "POST":
        form = UnitReportForm(request.POST, instance=report)
        if form.is_valid():
            try:
                services.unit_report_save(
                    report=form.instance,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                )
            except services.EditConflict as error:
                form, conflict = form_after_conflict(UnitReportForm, request.POST, error, {})
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Đã lưu báo cáo năm %(year)s của %(unit)s.")
                    % {"year": year, "unit": unit.name},
                )
                return redirect(reverse("reports:unit_report", args=[slug, year]))
    else:
        form = UnitReportForm(instance=report, read_only=not can_change)
    # Shown with the stored figures (on opening the form, and so right after a save); a post
    # refused for its errors is about the typed figures, which the errors speak for.
    figure_warnings = (
        warnings.for_report(report, previous) if report.pk and request.method != "POST" else []
    )

    context = {
        "unit": unit,
        "cluster_year": cluster_year,
        "report": report,
        "form": form,
        "can_change": can_change,
        "previous": previous,
        "previous_values": {f: getattr(previous, f) for f in COUNT_FIELDS} if previous else {},
        "conflict": conflict,
        "figure_warnings": figure_warnings,
    }
    return render(request, "reports/unit_report.html", context)
