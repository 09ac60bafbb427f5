import copy
import re
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts.access import can, check_object_access
from clusters import checklist, file_guards, selectors, services
from clusters.bundle import YearBundle, bundle_for
from clusters.forms import (
    HandoverForm,
    MembershipChangeForm,
    PublishForm,
    SourceForm,
    accepted_keys,
)
from clusters.models import (
    SOURCE_FILE_TYPES,
    ClusterYear,
    Membership,
    PublishEvent,
    Source,
    Unit,
)
from core.sections import back_to, rebind, refuse, retried

ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}


def number_in_slug(slug: str) -> int | None:
    """ "cum2", "cum-ii", "2" or "cum-thi-dua-so-ii" -> 2; None when nothing reads as a number."""
    match = re.search(r"(?:^|-|cum)(\d+|[ivxl]+)$", slug.lower())
    if not match:
        return None
    token = match.group(1)
    if token.isdigit():
        return int(token)
    values = [ROMAN[c] for c in token]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def login_first(request):
    """Anonymous visitors of a page that is not public yet are asked to log in, not told 404."""
    return redirect_to_login(request.get_full_path())


def year_or_404(slug, year) -> ClusterYear:
    try:
        return selectors.cluster_year_for_page(slug, year)
    except ClusterYear.DoesNotExist:
        raise Http404 from None


def edit_years_or_404(slug, year) -> tuple[ClusterYear, list[ClusterYear]]:
    """The year as year_or_404 reads it, among its cluster's years up to the next one (newest
    first, each with its people), for the edit page: 2 queries for all of them. Only this year
    and the next come with their roster (the rotation and the next year's members): a cluster
    twenty years old must not cost twenty rosters; an older year's, if asked, is a query."""
    years = list(
        ClusterYear.objects.with_people()
        .select_related("leading_unit", "ranked_leader")
        .filter(cluster__slug=slug, year__lte=year + 1)
        .order_by("-year")
    )
    found = next((cluster_year for cluster_year in years if cluster_year.year == year), None)
    if found is None:
        raise Http404
    prefetch_related_objects(
        [cluster_year for cluster_year in years if cluster_year.year >= year],
        models.Prefetch("memberships", queryset=Membership.objects.select_related("unit")),
    )
    return found, years


def _as_if_open(obj, cluster_year: ClusterYear):
    """A copy of `obj` (the year itself, or a record of it with a `cluster_year`) whose year is
    open: to ask the rules what someone could do were the year not published."""
    opened = copy.copy(cluster_year)
    opened.status = ClusterYear.Status.OPEN
    if obj is cluster_year:
        return opened
    obj = copy.copy(obj)
    obj.cluster_year = opened
    return obj


def locked_refusal(request, perm: str, obj, cluster_year: ClusterYear):
    """The 403 page for someone refused `perm` on `obj` only because its year is published:
    they are told the year is locked and who reopens it, not that they may not. None when the
    year is open or they could not do it anyway (their refusal stays the usual one)."""
    if not cluster_year.is_published or can(request.user, perm, obj):
        return None
    if not can(request.user, perm, _as_if_open(obj, cluster_year)):
        return None
    context = {"locked_year": cluster_year, "exception": services.locked_message(cluster_year)}
    return render(request, "403.html", context, status=403)


def edit_refusal(request, cluster_year: ClusterYear):
    """The edit page's and its sections' access: None when `request.user` may change the year;
    the locked-year page when it is published and they could change it open; else 404 or 403
    (accounts.access.check_object_access)."""
    refusal = locked_refusal(request, "clusters.change_clusteryear", cluster_year, cluster_year)
    if refusal is not None:
        return refusal
    check_object_access(request.user, cluster_year, perm_prefix="clusters.clusteryear", change=True)
    return None


def year_page(perm: str):
    """A page of one emulation year that needs a permission beyond reading it (its workbook, its
    history): anonymous visitors log in first; another cluster's year is a 404; a role that
    reaches the year but lacks `perm` gets 403. The view gets the year instead of slug and year,
    with cluster, chair and vice-chair but not its roster (one query: these pages show none)."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, slug, year):
            if not request.user.is_authenticated:
                return login_first(request)
            cluster_year = (
                ClusterYear.objects.with_people().filter(cluster__slug=slug, year=year).first()
            )
            if cluster_year is None:
                raise Http404
            if not can(request.user, "clusters.access_clusteryear", cluster_year):
                raise Http404
            if not can(request.user, perm, cluster_year):
                refusal = locked_refusal(request, perm, cluster_year, cluster_year)
                if refusal is not None:
                    return refusal
                raise PermissionDenied
            return view(request, cluster_year)

        return wrapped

    return decorate


def edit_url(cluster_year: ClusterYear) -> str:
    return reverse("pages:year_edit", args=[cluster_year.cluster.slug, cluster_year.year])


def section_post(view):
    """A section of the year's edit page: POST only, signed in, the year's secretariat or the
    admin (another cluster's year is a 404, a read-only role a 403). The view gets the year."""

    @require_POST
    def wrapped(request, slug, year):
        if not request.user.is_authenticated:
            return redirect_to_login(
                reverse("pages:year_edit", args=[slug, year]) if year else request.path
            )
        cluster_year = year_or_404(slug, year)
        return edit_refusal(request, cluster_year) or view(request, cluster_year)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@section_post
def year_publish(request, cluster_year):
    """Publish through the checklist: every item shown must be ticked (the service reads the
    list again under the year's lock and refuses what was not)."""
    form = PublishForm(request.POST)
    url = edit_url(cluster_year)
    if not form.is_valid():
        return refuse(
            request,
            section="publish",
            anchor="publish-form",
            edit_url=url,
            data=request.POST,
            form=form,
        )
    try:
        services.cluster_year_publish(
            cluster_year=cluster_year, by=request.user, accepted=accepted_keys(request.POST)
        )
    except ValidationError as error:
        return refuse(
            request,
            section="publish",
            anchor="publish-form",
            edit_url=url,
            data=request.POST,
            error=error,
        )
    messages.success(
        request,
        _("Đã công bố năm %(year)s. Số liệu của năm đã được khóa.") % {"year": cluster_year.year},
    )
    return redirect("pages:year_detail", slug=cluster_year.cluster.slug, year=cluster_year.year)


@require_POST
def year_reopen(request, slug, year):
    """Only the admin reopens a published year (which check_object_access would call read-only)."""
    if not request.user.is_authenticated:
        return login_first(request)
    cluster_year = year_or_404(slug, year)
    check_object_access(request.user, cluster_year, perm_prefix="clusters.clusteryear")
    services.cluster_year_reopen(
        cluster_year=cluster_year, by=request.user, note=request.POST.get("note", "").strip()
    )
    messages.success(request, _("Đã mở lại năm %(year)s.") % {"year": cluster_year.year})
    return redirect(edit_url(cluster_year))


def _lifecycle_done(request, cluster_year, anchor, text):
    messages.success(request, text, extra_tags=f"section-{anchor}")
    return back_to(edit_url(cluster_year), anchor)


@section_post
def year_open_next(request, cluster_year):
    """Open year+1 with this year's roster (the secretariat of the cluster, the admin)."""
    try:
        opened = services.cluster_year_open_next(cluster_year=cluster_year, by=request.user)
    except ValidationError as error:
        return refuse(
            request,
            section="open_next",
            anchor="open-next-form",
            edit_url=edit_url(cluster_year),
            error=error,
        )
    return _lifecycle_done(
        request,
        cluster_year,
        "open-next-form",
        _("Đã mở năm %(year)s với %(count)s đơn vị thành viên của năm %(this)s.")
        % {"year": opened.year, "count": opened.memberships.count(), "this": cluster_year.year},
    )


@section_post
def year_membership(request, cluster_year):
    """Add or remove a member unit, with the Ministry's decision once reports are filed."""
    form = MembershipChangeForm(request.POST, units=Unit.objects.all())
    url = edit_url(cluster_year)
    if form.is_valid():
        data = form.cleaned_data
        try:
            change = services.membership_change(
                cluster_year=cluster_year,
                unit=data["unit"],
                action=data["action"],
                by=request.user,
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                note=data["note"],
            )
        except ValidationError as error:
            return refuse(
                request,
                section="membership",
                anchor="membership-form",
                edit_url=url,
                data=request.POST,
                error=error,
            )
        return _lifecycle_done(
            request,
            cluster_year,
            "membership-form",
            _("Đã ghi: %(change)s – %(unit)s.")
            % {"change": change.get_action_display(), "unit": change.unit},
        )
    return refuse(
        request,
        section="membership",
        anchor="membership-form",
        edit_url=url,
        data=request.POST,
        form=form,
    )


@section_post
def year_handover(request, cluster_year):
    """Next year's chair and vice-chair (opening next year if it is not yet)."""
    form = HandoverForm(request.POST, members=list(Unit.objects.all()))
    url = edit_url(cluster_year)
    if form.is_valid():
        data = form.cleaned_data
        try:
            next_year = services.handover_record(
                cluster_year=cluster_year,
                by=request.user,
                chair=data["chair"],
                vice_chair=data["vice_chair"],
                handover_date=data["handover_date"],
                note=data["note"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
            )
        except ValidationError as error:
            return refuse(
                request,
                section="handover",
                anchor="handover-form",
                edit_url=url,
                data=request.POST,
                error=error,
            )
        return _lifecycle_done(
            request,
            cluster_year,
            "handover-form",
            _("Đã ghi bàn giao cho năm %(year)s.") % {"year": next_year.year},
        )
    return refuse(
        request,
        section="handover",
        anchor="handover-form",
        edit_url=url,
        data=request.POST,
        form=form,
    )


# A checklist item's section: its heading in the publish form and its anchor on the edit page.
CHECKLIST_SECTIONS = {
    "reports": (gettext_lazy("Báo cáo của đơn vị"), "reports"),
    "awards": (gettext_lazy("Bình xét, khen thưởng"), "vote"),
    "vote": (gettext_lazy("Bình xét, khen thưởng"), "vote"),  # awards/checklist.py names its anchor
    "welfare": (gettext_lazy("Quỹ Nghĩa tình đồng đội"), "welfare"),
}


def checklist_groups(items) -> list[dict]:
    """The items by section, sections in the order their first item came."""
    groups: dict[str, dict] = {}
    for item in items:
        label, anchor = CHECKLIST_SECTIONS.get(item.section, (item.section, item.section))
        group = groups.setdefault(item.section, {"label": label, "anchor": anchor, "items": []})
        group["items"].append(item)
    return list(groups.values())


def _source_form(request):
    retry = retried(request, "source")
    return rebind(SourceForm, retry) if retry is not None else SourceForm()


def edit_context(
    request, cluster_year: ClusterYear, bundle: YearBundle | None = None, reported=None
) -> dict:
    """The clusters' sections of the year's edit page: the members' reports, the lifecycle (next
    year, members, handover) and the publish checklist with the year's publish events. The year
    comes with its roster (selectors.cluster_year_for_page); what the request's bundle has read
    is not read again. `reported`: the ids of the units that have reported, when the page knows
    them (else one query)."""
    bundle = bundle_for(cluster_year, bundle)
    read_only = cluster_year.is_published
    publish_retry = retried(request, "publish")
    items = [] if read_only else checklist.items_for(cluster_year, bundle)
    years = bundle.years
    next_year = next((y for y in years if y.year == cluster_year.year + 1), None)
    suggestion = selectors.suggest_next_chair([y for y in years if y.year <= cluster_year.year])
    if suggestion is not None and suggestion.year != cluster_year.year + 1:
        suggestion = None
    if reported is None:
        reported = set(cluster_year.unit_reports.values_list("unit_id", flat=True))
    members = bundle.members
    context = {
        "publish_form": rebind(PublishForm, publish_retry) if publish_retry else PublishForm(),
        "checklist_groups": checklist_groups(items),
        "checklist_count": len(items),
        "ticked": accepted_keys(publish_retry[0]) if publish_retry else set(),
        "publish_events": list(
            PublishEvent.objects.filter(cluster_year=cluster_year).select_related("by")
        ),
        "report_rows": [(unit, unit.pk in reported) for unit in members],
        "next_year": next_year,
        "chair_suggestion": suggestion,
        "membership_changes": list(
            cluster_year.membership_changes.select_related("unit", "by").order_by("at", "id")
        ),
        "decision_required": bool(reported),
        "can_open_next": can(request.user, "clusters.open_next_clusteryear", cluster_year),
        "year_sources": list(cluster_year.sources.all()),
        "source_form": _source_form(request),
    }
    if not read_only:
        next_members = sorted(
            (m.unit for m in (next_year or cluster_year).memberships.all()),
            key=selectors.vietnamese_sort_key,
        )
        retry = retried(request, "handover")
        if retry is not None:
            context["handover_form"] = rebind(HandoverForm, retry, members=next_members)
        else:
            initial = {}
            if next_year is not None:
                initial = {
                    "chair": next_year.chair_id,
                    "vice_chair": next_year.vice_chair_id,
                    "handover_date": next_year.handover_date,
                    "note": next_year.handover_note,
                    "decision_number": next_year.chair_decision_number,
                    "decision_date": next_year.chair_decision_date,
                }
            elif suggestion is not None:
                initial = {"chair": suggestion.unit.pk}
            context["handover_form"] = HandoverForm(members=next_members, initial=initial)
        retry = retried(request, "membership")
        units = bundle.units
        context["membership_form"] = (
            rebind(MembershipChangeForm, retry, units=units)
            if retry is not None
            else MembershipChangeForm(units=units)
        )
    return context


@require_safe
def source_file(request, pk):
    """A source's file, to whoever may see its year (a published year: everyone; an open one:
    its members and staff) and is not refused by the app whose paper it is (file_guards); a
    source of no year, to signed-in users. Anyone else: 404."""
    source = Source.objects.select_related("cluster_year__cluster").filter(pk=pk).first()
    if source is None or not source.file:
        raise Http404
    year = source.cluster_year
    allowed = (
        request.user.is_authenticated
        if year is None
        else can(request.user, "clusters.view_clusteryear", year)
    )
    if not allowed or file_guards.refused(request.user, source):
        raise Http404
    suffix = "." + source.file.name.rsplit(".", 1)[-1].lower() if "." in source.file.name else ""
    content_type = SOURCE_FILE_TYPES.get(suffix, "application/octet-stream")
    inline = content_type in ("image/jpeg", "image/png")  # a PDF is downloaded, never run here
    response = FileResponse(
        source.file.open("rb"),
        content_type=content_type,
        as_attachment=not inline,
        filename=source.file_name or source.file.name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, no-store"
    return response


@section_post
def year_source(request, cluster_year):
    """A source of the year (its file checked by type, first bytes and size in the service)."""
    form = SourceForm(request.POST, request.FILES, instance=Source(cluster_year=cluster_year))
    url = edit_url(cluster_year)
    if form.is_valid():
        try:
            source = services.source_save(source=form.instance, by=request.user)
        except ValidationError as error:
            return refuse(
                request,
                section="source",
                anchor="source-form",
                edit_url=url,
                data=request.POST,
                error=error,
            )
        return _lifecycle_done(
            request,
            cluster_year,
            "source-form",
            _("Đã ghi nguồn tài liệu “%(title)s”.") % {"title": source.title},
        )
    return refuse(
        request, section="source", anchor="source-form", edit_url=url, data=request.POST, form=form
    )
