from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.access import can, check_object_access
from awards import selectors as award_selectors
from awards.views import vote_section
from clusters import services as cluster_services
from clusters.models import ClusterYear, Membership, Unit
from clusters.selectors import vietnamese_sort_key
from reports import selectors, services
from reports.forms import ConferenceForm, PublishForm, UnitReportForm
from reports.models import COUNT_FIELDS, Conference, UnitReport
from welfare import selectors as welfare_selectors
from welfare.views import welfare_section


def _cluster_year_or_404(slug, year) -> ClusterYear:
    try:
        return selectors.cluster_year_for_page(slug, year)
    except ClusterYear.DoesNotExist:
        raise Http404 from None


def _login_first(request):
    """Anonymous visitors of a page that is not public yet are asked to log in, not told 404."""
    return redirect_to_login(request.get_full_path())


def _after_conflict(form_class, request, error, extra):
    """Someone saved in between: keep what this user typed, bound to the record as it is now
    (so that saving again is a deliberate choice), and list where the two differ."""
    current = error.current
    theirs_by_name = {name: getattr(current, name) for name in form_class._meta.fields}
    data = request.POST.copy()
    data["version"] = current.version
    form = form_class(data, instance=current, **extra)  # validating writes into current
    form.is_valid()
    form.add_error(None, error)
    differences = []
    for name in form._meta.fields:
        theirs = theirs_by_name[name]
        yours = form.cleaned_data.get(name, form.data.get(name))
        if theirs != yours and not (theirs in (None, "") and yours in (None, "")):
            differences.append((form.fields[name].label, theirs, yours))
    return form, differences


@require_safe
def year_detail(request, slug, year):
    cluster_year = _cluster_year_or_404(slug, year)
    if not can(request.user, "clusters.view_clusteryear", cluster_year):
        if not request.user.is_authenticated:
            return _login_first(request)
        raise Http404
    reports = selectors.reports_of(cluster_year)
    reported = {report.unit_id for report in reports}
    members = sorted((m.unit for m in cluster_year.memberships.all()), key=vietnamese_sort_key)
    context = {
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        "conferences": selectors.conferences_of(cluster_year),
        "reports": reports,
        "totals": selectors.cluster_totals(cluster_year),
        "members": members,
        "missing": [unit for unit in members if unit.pk not in reported],
        "report_notes": sorted({report.notes for report in reports if report.notes}),
        "nominations": award_selectors.nominations_of(cluster_year),
        "funds": (funds := welfare_selectors.funds_of(cluster_year)),
        "contributions": welfare_selectors.contributions_by_donor(cluster_year),
        "supports": welfare_selectors.supports_of(cluster_year, funds),
        "can_edit": can(request.user, "clusters.change_clusteryear", cluster_year),
    }
    return render(request, "reports/year_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def year_edit(request, slug, year):
    if not request.user.is_authenticated:
        return _login_first(request)
    cluster_year = _cluster_year_or_404(slug, year)
    check_object_access(request.user, cluster_year, perm_prefix="clusters.clusteryear", change=True)

    kind = request.POST.get("kind") or request.GET.get("kind") or Conference.Kind.YEAR_END
    if kind not in Conference.Kind.values:
        raise Http404
    conference = cluster_year.conferences.filter(kind=kind).first() or Conference(
        cluster_year=cluster_year, kind=kind
    )
    members = Unit.objects.filter(memberships__cluster_year=cluster_year)
    read_only = cluster_year.is_published
    conference_form = ConferenceForm(instance=conference, members=members, read_only=read_only)
    publish_form = PublishForm()
    action = request.POST.get("action")

    conflict = None
    if request.method == "POST" and action == "conference":
        conference_form = ConferenceForm(
            request.POST, instance=conference, members=members, read_only=read_only
        )
        if conference_form.is_valid():
            try:
                services.conference_save(
                    conference=conference_form.instance,
                    expected_version=conference_form.cleaned_data["version"],
                )
            except services.EditConflict as error:
                conference_form, conflict = _after_conflict(
                    ConferenceForm, request, error, {"members": members}
                )
            except ValidationError as error:
                conference_form.add_error(None, error)
            else:
                messages.success(request, _("Đã lưu thông tin hội nghị."))
                return redirect(f"{request.path}?kind={kind}")
    elif request.method == "POST" and action == "publish":
        publish_form = PublishForm(request.POST)
        if publish_form.is_valid():
            try:
                cluster_services.cluster_year_publish(cluster_year=cluster_year)
            except ValidationError as error:
                publish_form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Đã công bố năm %(year)s. Số liệu của năm đã được khóa.")
                    % {"year": cluster_year.year},
                )
                return redirect("reports:year_detail", slug=slug, year=year)
    elif request.method == "POST" and action == "reopen":
        cluster_services.cluster_year_reopen(cluster_year=cluster_year, by=request.user)
        messages.success(request, _("Đã mở lại năm %(year)s.") % {"year": cluster_year.year})
        return redirect(request.path)

    vote_context, response = vote_section(request, cluster_year)
    if response is not None:
        return response
    welfare_context, response = welfare_section(request, cluster_year)
    if response is not None:
        return response
    context = {
        **vote_context,
        **welfare_context,
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        "kind": kind,
        "kinds": Conference.Kind.choices,
        "conference_form": conference_form,
        "conflict": conflict,
        "publish_form": publish_form,
        "read_only": read_only,
        "can_reopen": can(request.user, "clusters.reopen_clusteryear", cluster_year),
    }
    return render(request, "reports/year_edit.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def unit_report(request, slug, year):
    if not request.user.is_authenticated:
        return _login_first(request)
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
                    report=form.instance, expected_version=form.cleaned_data["version"]
                )
            except services.EditConflict as error:
                form, conflict = _after_conflict(UnitReportForm, request, error, {})
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

    context = {
        "unit": unit,
        "cluster_year": cluster_year,
        "report": report,
        "form": form,
        "can_change": can_change,
        "previous": previous,
        "previous_values": {f: getattr(previous, f) for f in COUNT_FIELDS} if previous else {},
        "conflict": conflict,
    }
    return render(request, "reports/unit_report.html", context)
