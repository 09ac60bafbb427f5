from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The pages that compose several apps: home, the unit page, the year page, its edit page,
    its history and the award summary."""

    name = "pages"
    verbose_name = _("Trang")
