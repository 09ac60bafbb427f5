"""Login, and passwords: everyone changes their own; a reset by email only where mail is set up
(EMAIL_HOST), since a closed network usually has none: without it those addresses are a 404."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.forms import PasswordChangeForm, SetPasswordForm
from accounts.redirects import login_next


def reset_by_email() -> bool:
    return bool(settings.EMAIL_HOST)


class LoginView(auth_views.LoginView):
    def get_redirect_url(self):
        return login_next(super().get_redirect_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(reset_by_email=reset_by_email(), **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    title = _("Đổi mật khẩu")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    title = _("Đã đổi mật khẩu")


class EmailOnlyMixin:
    """The reset by email: a 404 unless mail is configured."""

    def dispatch(self, request, *args, **kwargs):
        if not reset_by_email():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class PasswordResetView(EmailOnlyMixin, auth_views.PasswordResetView):
    title = _("Đặt lại mật khẩu")
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(EmailOnlyMixin, auth_views.PasswordResetDoneView):
    title = _("Đã gửi thư đặt lại mật khẩu")


class PasswordResetConfirmView(EmailOnlyMixin, auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    title = _("Đặt mật khẩu mới")


class PasswordResetCompleteView(EmailOnlyMixin, auth_views.PasswordResetCompleteView):
    title = _("Đã đặt mật khẩu mới")
