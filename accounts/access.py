"""Turn the rules of accounts.rules into answers: 404 for what is not yours, 403 for read-only.

Object permissions are asked of the rules registry directly, never through user.has_perm():
Django answers True to every has_perm() of a superuser, which would let the admin role write to a
published year without reopening it.
"""

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404


def can(user, perm: str, obj=None) -> bool:
    return rules.has_perm(perm, user, obj)


def check_object_access(user, obj, *, perm_prefix: str, change: bool = False):
    """Return obj if the user may view it (and change it when change=True).

    perm_prefix is "app_label.model", e.g. "clusters.clusteryear". Not viewable -> 404; viewable
    but not changeable -> 403 when the object is the user's business or the user reads all, 404
    otherwise (another cluster's published year is no business of theirs to edit).
    """
    app_label, model = perm_prefix.split(".")
    if not can(user, f"{app_label}.view_{model}", obj):
        raise Http404
    if change and not can(user, f"{app_label}.change_{model}", obj):
        if can(user, f"{app_label}.access_{model}", obj):
            raise PermissionDenied
        raise Http404
    return obj
