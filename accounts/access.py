"""Turn the rules of accounts.rules into answers: 404 for what is not yours, 403 for read-only."""

from django.core.exceptions import PermissionDenied
from django.http import Http404


def check_object_access(user, obj, *, perm_prefix: str, change: bool = False):
    """Return obj if the user may view it (and change it when change=True).

    perm_prefix is "app_label.model", e.g. "clusters.clusteryear". Missing "access" and "view" -> 404;
    visible but not changeable -> 403 when the object is the user's business or the user reads all,
    404 otherwise (another cluster's published year is no business of theirs to edit).
    """
    app_label, model = perm_prefix.split(".")
    if not user.has_perm(f"{app_label}.view_{model}", obj):
        raise Http404
    if change and not user.has_perm(f"{app_label}.change_{model}", obj):
        if user.has_perm(f"{app_label}.access_{model}", obj):
            raise PermissionDenied
        raise Http404
    return obj
