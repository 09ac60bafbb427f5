from django.contrib.auth import forms as auth_forms

from accounts.services import user_set_own_password


class OwnPasswordMixin:
    """Django's password forms, saving through the accounts service (history, the flag)."""

    def save(self, commit=True):
        return user_set_own_password(
            user=self.user, password=self.cleaned_data["new_password1"], by=self.user
        )


class PasswordChangeForm(OwnPasswordMixin, auth_forms.PasswordChangeForm):
    pass


class SetPasswordForm(OwnPasswordMixin, auth_forms.SetPasswordForm):
    """The form behind a reset email's link: the link proves who the user is."""
