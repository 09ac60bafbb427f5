"""(being built: issue 15)"""

from django.http import Http404
from django.views.decorators.http import require_safe


@require_safe
def compare_years(request, **kwargs):
    raise Http404


@require_safe
def compare_clusters(request, **kwargs):
    raise Http404
