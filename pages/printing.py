"""The year page on paper: /clusters/<slug>/<year>/print.pdf, the year page's own templates
(pages/year_print.html extends pages/year_detail.html without the navigation and the buttons)
rendered by WeasyPrint with the print stylesheet that the browser uses for the page."""

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from accounts.access import can
from clusters.views import login_first, year_or_404
from core.cache import generation
from core.pdf import pdf_from_html
from pages.views import year_context

# As base.html links them for the screen and for print (WeasyPrint prints with media "print").
STYLESHEETS = ("bootstrap/css/bootstrap.min.css", "css/app.css", "css/print.css")


@require_safe
def year_pdf(request, slug, year):
    # A published year's PDF is the same for every reader and public: kept per data generation,
    # language and print date, and served before anything is read, so that no visitor can have
    # it rendered again and again. Only a published year is ever kept; a reopen (any write)
    # moves the generation on.
    today = timezone.localdate()
    key = f"year-pdf:{slug}:{year}:{get_language()}:{generation()}:{today.isoformat()}"
    pdf = cache.get(key)
    if pdf is None:
        cluster_year = year_or_404(slug, year)
        if not can(request.user, "clusters.view_clusteryear", cluster_year):
            if not request.user.is_authenticated:
                return login_first(request)
            raise Http404
        if cluster_year.is_published:
            pdf = _render(cluster_year, AnonymousUser())
            cache.set(key, pdf)
        else:
            pdf = _render(cluster_year, request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slug}-{year}.pdf"'
    return response


def _render(cluster_year, user) -> bytes:
    context = {
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        **year_context(user, cluster_year),
        "user": user,
    }
    return pdf_from_html(render_to_string("pages/year_print.html", context), *STYLESHEETS)
