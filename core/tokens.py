"""One-time form tokens: the same form posted twice (or four times at once) is written once.

The token is claimed inside the transaction that writes: a refused write gives the token back
(the clerk corrects and posts again), a successful one keeps it, and a second post of the same
token waits for the first (the unique index) and is then answered as already done."""

import datetime
import secrets

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import OneTimeToken
from core.sections import back_to

FIELD = "form_token"
KEPT = datetime.timedelta(days=2)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def claim(request) -> bool:
    """True when this post's token is new (or the post carries none); False when it was used."""
    key = (request.POST.get(FIELD) or "").strip()[:64]
    if not key:
        return True
    try:
        with transaction.atomic():
            OneTimeToken.objects.create(key=key)
    except IntegrityError:
        return False
    OneTimeToken.objects.filter(claimed_at__lt=timezone.now() - KEPT).delete()
    return True


def already_done(request, edit_url: str, anchor: str):
    messages.info(
        request,
        _("Biểu mẫu này đã được ghi ở lần gửi trước; không ghi thêm lần nữa."),
        extra_tags=f"section-{anchor}",
    )
    return back_to(edit_url, anchor)
