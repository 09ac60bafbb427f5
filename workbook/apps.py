from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbookConfig(AppConfig):
    name = "workbook"
    verbose_name = _("Tệp Excel")

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        user_logged_out.connect(
            _forget_kept_uploads, dispatch_uid="workbook.forget_kept_uploads_at_logout"
        )


def _forget_kept_uploads(sender, **kwargs):
    """The checked files a session kept for confirmation are deleted when it logs out."""
    from workbook.views import forget_kept_uploads

    forget_kept_uploads(sender, **kwargs)
