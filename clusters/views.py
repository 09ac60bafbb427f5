import re
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import can, check_object_access
from clusters import selectors, services
from clusters.forms import PublishForm
from clusters.models import Cluster, ClusterYear
from core.sections import refuse

ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}


def _number_in_slug(slug: str) -> int | None:
    """ "cum2", "cum-ii", "2" or "cum-thi-dua-so-ii" -> 2; None when nothing reads as a number."""
    match = re.search(r"(?:^|-|cum)(\d+|[ivxl]+)$", slug.lower())
    if not match:
        return None
    token = match.group(1)
    if token.isdigit():
        return int(token)
    values = [ROMAN[c] for c in token]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


@require_safe
def cluster_detail(request, slug):
    try:
        cluster = selectors.cluster_with_years(slug)
    except Cluster.DoesNotExist:
        # People type the cluster's number ("cum2", "cum-ii"): send them to the real address.
        number = _number_in_slug(slug)
        canonical = Cluster.objects.filter(number=number).first() if number else None
        if canonical is None:
            raise Http404 from None
        return redirect(canonical, permanent=True)
    years = cluster.years_desc
    for cy in years:
        cy.roster = sorted(
            (m.unit for m in cy.memberships.all()), key=selectors.vietnamese_sort_key
        )
    context = {
        "cluster": cluster,
        "years": years,
        "suggestion": selectors.suggest_next_chair(years),
    }
    return render(request, "clusters/cluster_detail.html", context)


def login_first(request):
    """Anonymous visitors of a page that is not public yet are asked to log in, not told 404."""
    return redirect_to_login(request.get_full_path())


def year_or_404(slug, year) -> ClusterYear:
    try:
        return selectors.cluster_year_for_page(slug, year)
    except ClusterYear.DoesNotExist:
        raise Http404 from None


def year_page(perm: str):
    """A page of one emulation year that needs a permission beyond reading it (its workbook, its
    history): anonymous visitors log in first; another cluster's year is a 404; a role that
    reaches the year but lacks `perm` gets 403. The view gets the year instead of slug and year."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, slug, year):
            if not request.user.is_authenticated:
                return login_first(request)
            cluster_year = year_or_404(slug, year)
            if not can(request.user, "clusters.access_clusteryear", cluster_year):
                raise Http404
            if not can(request.user, perm, cluster_year):
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
        check_object_access(
            request.user, cluster_year, perm_prefix="clusters.clusteryear", change=True
        )
        return view(request, cluster_year)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@section_post
def year_publish(request, cluster_year):
    form = PublishForm(request.POST)
    url = edit_url(cluster_year)
    if not form.is_valid():
        return refuse(request, section="publish", anchor="publish-form", edit_url=url, form=form)
    try:
        services.cluster_year_publish(cluster_year=cluster_year, by=request.user)
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
    services.cluster_year_reopen(cluster_year=cluster_year, by=request.user)
    messages.success(request, _("Đã mở lại năm %(year)s.") % {"year": cluster_year.year})
    return redirect(edit_url(cluster_year))


@require_safe
def source_file(request, pk):
    """A source's file, to whoever may see its year (a published year: everyone; an open one:
    its members and staff); a source of no year, to signed-in users. Anyone else: 404."""
    from django.http import FileResponse

    from clusters.models import SOURCE_FILE_TYPES, Source

    source = Source.objects.select_related("cluster_year__cluster").filter(pk=pk).first()
    if source is None or not source.file:
        raise Http404
    year = source.cluster_year
    allowed = (
        request.user.is_authenticated
        if year is None
        else can(request.user, "clusters.view_clusteryear", year)
    )
    if not allowed:
        raise Http404
    suffix = "." + source.file.name.rsplit(".", 1)[-1].lower() if "." in source.file.name else ""
    content_type = SOURCE_FILE_TYPES.get(suffix, "application/octet-stream")
    inline = content_type in ("application/pdf", "image/jpeg", "image/png")
    response = FileResponse(
        source.file.open("rb"),
        content_type=content_type,
        as_attachment=not inline,
        filename=source.file_name or source.file.name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, no-store"
    return response
