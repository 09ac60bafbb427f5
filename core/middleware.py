from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
    instead of a 500 that looks like a bug. The page needs no database to render."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError

        if isinstance(exception, OperationalError | InterfaceError):
            return unavailable()
        return None


def unavailable():
    from django.http import HttpResponse
    from django.template.loader import render_to_string

    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "60"
    return response


IDLE_KEY = "last_seen"
IDLE_RESOLUTION = 120  # seconds: the session is written at most this often, not on every page


class IdleSessionMiddleware:
    """A login ends after settings.SESSION_IDLE_SECONDS without a request: the next request
    logs out and asks to log in again, with a message saying why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        session = getattr(request, "session", None)
        if session is not None and "_auth_user_id" in session:
            import time

            now = int(time.time())
            seen = session.get(IDLE_KEY)
            if seen and now - seen > settings.SESSION_IDLE_SECONDS:
                from django.contrib import messages
                from django.contrib.auth import logout
                from django.contrib.auth.views import redirect_to_login
                from django.utils.translation import gettext as _

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
    import time

    if request is not None and hasattr(request, "session"):
        request.session[IDLE_KEY] = int(time.time())
