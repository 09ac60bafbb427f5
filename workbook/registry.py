"""The workbook's sheets, discovered: each installed app of ours may declare SHEETS in its own
workbook.py (core.sheets.Section); the workbook app orders them and knows nothing else of them."""

from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule


def discover():
    found = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "workbook") and config.name != "workbook":
            module = import_module(f"{config.name}.workbook")
            found.extend(getattr(module, "SHEETS", ()))
    return sorted(found, key=lambda section: section.order)


class _Sections(list):
    """A list filled on first use, once the apps are loaded."""

    def _load(self):
        if not self._loaded:
            self.extend(discover())
            self._loaded = True

    _loaded = False

    def __iter__(self):
        self._load()
        return super().__iter__()

    def __len__(self):
        self._load()
        return super().__len__()

    def __getitem__(self, index):
        self._load()
        return super().__getitem__(index)


SECTIONS = _Sections()
