import ipaddress
import sys
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

# What a database that does not answer raises (connection refused, lost, closed, timed out).
DATABASE_DOWN = (OperationalError, InterfaceError)
_DOWN_FLAG = "_database_unavailable"


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose another language with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many offices run
    browsers set to English: the application must still open in Vietnamese there.
    """

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()


class DatabaseUnavailableMiddleware:
    """When the database does not answer, say so in Vietnamese with a 503 (and Retry-After),
    instead of a 500 that looks like a bug. The page needs no database to render.

    It covers everything below it in MIDDLEWARE, not only the views: with a session cookie,
    the session, authentication and idle-check middleware read the database before any view.
    Django turns an exception raised in a middleware into a response right there (each one is
    wrapped in convert_exception_to_response), so it never reaches this __call__; what does
    reach us is the got_request_exception signal sent while that exception is being handled.
    The receiver marks the request, and the 500 built below is replaced by the 503 here.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(
            _mark_database_down, dispatch_uid="core.middleware.mark_database_down"
        )

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except DATABASE_DOWN:
            return unavailable()
        if getattr(request, _DOWN_FLAG, False):
            return unavailable()
        return response

    def process_exception(self, request, exception):
        # From a view: answered here at once, without a 500 being built and logged first.
        if isinstance(exception, DATABASE_DOWN):
            return unavailable()
        return None


def _mark_database_down(sender, request=None, **kwargs):
    """got_request_exception receiver: sent from inside the except block, so the exception is
    sys.exc_info()'s (Django's test client reads it the same way)."""
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_DOWN):
        setattr(request, _DOWN_FLAG, True)


def unavailable():
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "60"
    return response


# No account's name is longer (Django's username field); the lockout's table holds 255.
LOCKOUT_USERNAME_LENGTH = 150


def lockout_username(request, credentials=None) -> str | None:
    """The typed user name for django-axes (AXES_USERNAME_CALLABLE), cut to the longest name an
    account can have: a 300-character name once answered 500 on PostgreSQL, whose lockout
    column refused it (SQLite does not check lengths)."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "POST", {}).get("username")
    return username[:LOCKOUT_USERNAME_LENGTH] if isinstance(username, str) else username


def client_ip_address(request) -> str | None:
    """The client's address for django-axes (AXES_CLIENT_IP_CALLABLE), behind
    AXES_IPWARE_PROXY_COUNT trusted reverse proxies.

    Each proxy appends the address it received the request from to X-Forwarded-For, and the
    nearest one is REMOTE_ADDR: the client is the entry just before the last `count` hops.
    Entries further left were written by the client itself and are never believed. With no
    trusted proxy (the default) the header is ignored and REMOTE_ADDR is the client.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0
    if count <= 0:
        return remote
    order = getattr(settings, "AXES_IPWARE_META_PRECEDENCE_ORDER", ["HTTP_X_FORWARDED_FOR"])
    header = next((name for name in order if name != "REMOTE_ADDR"), "HTTP_X_FORWARDED_FOR")
    forwarded = [hop.strip() for hop in request.META.get(header, "").split(",") if hop.strip()]
    hops = [*forwarded, remote]
    client = hops[max(len(hops) - count - 1, 0)]
    try:
        return str(ipaddress.ip_address(client))
    except ValueError:  # not written by our proxy: fall back to who connected
        return remote


IDLE_KEY = "last_seen"
IDLE_RESOLUTION = 120  # seconds: the session is written at most this often, not on every page


class IdleSessionMiddleware:
    """A login ends after settings.SESSION_IDLE_SECONDS without a request: the next request
    logs out and asks to log in again, with a message saying why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and "_auth_user_id" in session:
            now = int(time.time())
            seen = session.get(IDLE_KEY)
            if seen and now - seen > settings.SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(
                    request,
                    _("Phiên làm việc đã hết vì lâu không thao tác; xin đăng nhập lại."),
                )
                return redirect_to_login(request.get_full_path())
            if not seen or now - seen > IDLE_RESOLUTION:
                session[IDLE_KEY] = now
        return self.get_response(request)


def mark_seen_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[IDLE_KEY] = int(time.time())


def body_too_large(request) -> bool:
    """Whether the body the request declares is larger than any upload may be. Only the header
    is read: nothing of the body; request.POST and request.FILES stay untouched."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False  # Django reads an unreadable length as no body at all
    return length > settings.REQUEST_MAX_BYTES


class LargeBodyMiddleware:
    """Refuses a request whose body is larger than an upload may be, before anything reads it.
    It sits before CsrfViewMiddleware, which reads request.POST (the whole body, a 1 GB upload
    written to temporary files first) to find its token. Answers our Vietnamese 413 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if body_too_large(request):
            return HttpResponse(render_to_string("413.html"), status=413)
        return self.get_response(request)
