"""A defence for Django's admin autocomplete widget.

When an admin form comes back with errors, AutocompleteSelect looks up the posted value to show
it as the selected option; a value that is not an id (typed or tampered with) makes that lookup
raise ValueError and the page answer 500 (found by tests/test_hostile_input.py). Values that are
not ids of the related model are dropped from the redisplay; the form already says the choice is
invalid.
"""

from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError

_original = AutocompleteMixin.optgroups


def _optgroups(self, name, value, attr=None):
    target = self.field.remote_field.model._meta.pk
    kept = []
    for item in value:
        try:
            key = target.to_python(item)
        except (ValidationError, ValueError, TypeError):
            continue
        if isinstance(key, int) and not -(2**63) <= key < 2**63:
            continue  # SQLite cannot even bind it (OverflowError)
        kept.append(item)
    return _original(self, name, kept, attr)


def install():
    if AutocompleteMixin.optgroups is not _optgroups:
        AutocompleteMixin.optgroups = _optgroups
