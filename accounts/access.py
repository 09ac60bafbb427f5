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


class CommandLine:
    """Who writes from the command line and the demo loader (import_workbook, seed_demo): the
    admin's rights, and no account to name in the history."""

    is_authenticated = True
    is_active = True
    is_admin_role = True
    is_superuser = True
    is_staff = True
    role = "admin"
    pk = id = unit_id = cluster_id = None
    username = "command-line"

    def __str__(self):
        return "command line"


COMMAND_LINE = CommandLine()


def require(user, perm: str, obj=None, message: str = "") -> None:
    """Raise PermissionDenied (with a Vietnamese message) unless the rules allow it."""
    if not can(user, perm, obj):
        raise PermissionDenied(message or None)


def history_user(user):
    """The account to record in the history for a write by `user` (None for the command line)."""
    return user if getattr(user, "pk", None) is not None else None
