"""The bell: one's own notifications, their unread count (read by the page's script, so that no
page pays a query for it), and marking them read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from accounts import services
from accounts.models import Notification
from core.forms import int_or_none


@require_safe
@login_required
def notification_list(request):
    page = Paginator(Notification.objects.filter(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/notifications.html", {"page": page})


@require_safe
@never_cache
def unread_count(request):
    if not request.user.is_authenticated:
        return JsonResponse({"unread": 0})
    count = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return JsonResponse({"unread": count})


@require_POST
@login_required
def notification_read(request):
    """Mark one (pk) or all read; with `next`, go on to the notification's page."""
    given = request.POST.get("pk")
    pk = int_or_none(given)
    if given and pk is None:  # a pk that is no number names no notification: none is marked
        return redirect("notifications")
    services.notifications_read(user=request.user, pks=None if pk is None else [pk])
    target = request.POST.get("next", "")
    if pk is not None and target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("notifications")
