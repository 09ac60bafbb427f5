from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Where an account that must change its password may still go: the change page itself, out
# (logout, both of them), the language switch, and what a page needs without being one.
OPEN_URL_NAMES = ("password_change", "logout", "set_language")
OPEN_PATHS = ("/healthz", "/favicon.ico")


class PasswordChangeRequiredMiddleware:
    """While the admin requires it (User.must_change_password), every page of a signed-in user
    redirects to the password change page, with a message saying why. Changing the password
    (accounts.services.user_set_own_password) ends it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.is_open(request.path_info):  # before request.user: no query for these
            return self.get_response(request)
        user = getattr(request, "user", None)
        if getattr(user, "must_change_password", False):
            messages.warning(
                request,
                _("Quản trị viên yêu cầu bạn đổi mật khẩu trước khi tiếp tục làm việc."),
                fail_silently=True,
            )
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def is_open(path: str) -> bool:
        if path.startswith(("/" + settings.STATIC_URL.lstrip("/"), *OPEN_PATHS)):
            return True
        open_paths = {reverse(name) for name in OPEN_URL_NAMES} | {reverse("admin:logout")}
        return path in open_paths
