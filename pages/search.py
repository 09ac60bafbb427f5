"""(being built: issue 15)"""

from django.http import Http404
from django.views.decorators.http import require_safe


@require_safe
def search(request, **kwargs):
    raise Http404
