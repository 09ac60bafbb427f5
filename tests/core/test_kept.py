"""core.cache.kept: reference rows kept under the write generation, never from inside a
transaction of our own (it may still be rolled back)."""

import pytest
from django.core.cache import cache
from django.db import transaction

from core.cache import generation, kept
from core.models import WarningRule
from core.warnings import active_rules

pytestmark = pytest.mark.django_db


def test_a_read_is_kept_until_the_next_write():
    calls = []
    assert kept("sample", lambda: calls.append(1) or len(calls)) == 1
    assert kept("sample", lambda: calls.append(1) or len(calls)) == 1
    rule = WarningRule.objects.first()
    rule.save()  # any domain write moves the generation on
    assert kept("sample", lambda: calls.append(1) or len(calls)) == 2


def test_nothing_is_kept_from_inside_a_transaction_that_may_roll_back():
    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        WarningRule.objects.update(active=False)  # not committed, and rolled back below
        assert active_rules() == {}
        raise Rollback
    assert cache.get(f"kept:warning-rules:{generation()}") is None
    assert active_rules() != {}
