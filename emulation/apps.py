from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from clusters import file_guards


class EmulationConfig(AppConfig):
    name = "emulation"
    verbose_name = _("Chu kỳ thi đua")

    def ready(self):
        from emulation import selectors  # noqa: PLC0415 (models are ready only now)

        file_guards.register(selectors.may_open_paper)
