"""Where a login goes back to, and the nav's login link: never to a login page itself."""

from urllib.parse import parse_qs, quote, urlsplit

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse


def login_paths() -> set[str]:
    return {resolve_url(settings.LOGIN_URL), reverse("admin:login"), reverse("logout")}


def login_next(value: str | None) -> str:
    """Where to go after logging in: `value`, unless it is a login page itself, in which case
    the page that login page would have gone back to (and so on); "" when there is none.
    A login link made on a login page would otherwise nest next= inside next= at every click."""
    paths = login_paths()
    for _hop in range(10):
        if not value:
            return ""
        parts = urlsplit(value)
        if parts.path not in paths:
            return value
        value = parse_qs(parts.query).get("next", [""])[0]
    return ""


def login_link(request) -> str:
    """The login address for the nav of the page `request` shows: back here afterwards, or, on
    a login page, wherever that page goes back to."""
    if request.path in login_paths():
        back = login_next(request.GET.get("next"))
    else:
        back = request.get_full_path()
    url = resolve_url(settings.LOGIN_URL)
    return f"{url}?next={quote(back, safe='/')}" if back else url
