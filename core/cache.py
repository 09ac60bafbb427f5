"""What the application keeps in Django's cache, and the one counter that makes it stale.

Pages that rarely change (a published year) are kept rendered under a key that includes the
"generation": a number that moves on after every committed write to the domain's tables. A key of
an old generation is never read again, so nothing has to be found and deleted, and a write is seen
by the very next request. The counter starts at a random value: if the cache loses it, a new one
cannot meet the keys of an old one.
"""

import secrets
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

GENERATION_KEY = "domain-generation"
# The apps whose rows pages show. Framework tables (sessions, the login lockout, the admin's log)
# and the history tables (written beside a domain row, which bumps already) leave it alone.
DOMAIN_APPS = {"core", "accounts", "clusters", "reports", "awards", "welfare", "emulation"}
# A login writes the user's last_login: no page shows it, and logins must not empty the cache.
IGNORED_FIELDS = {frozenset({"last_login"})}


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, secrets.randbits(48), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # gone from the cache: a new random start is as good as a step
        cache.set(GENERATION_KEY, secrets.randbits(48), timeout=None)


def bump_generation() -> None:
    """Call after writes that send no signal (bulk_create, queryset.update()). One step now, so
    that the writer's own next read inside its transaction is fresh, and one when the transaction
    commits: a page another request rendered in between, from what was there before the commit,
    stays under a generation nobody asks for again."""
    _bump()
    transaction.on_commit(_bump)


T = TypeVar("T")
_MISSING = object()
KEPT_SECONDS = 3600  # a kept read of a generation nobody writes to any more goes after this


def in_own_transaction() -> bool:
    """True inside a transaction the application opened (a service under a year's lock), not
    the one a test case wraps every test in."""
    return any(not block._from_testcase for block in connection.atomic_blocks)


def kept(name: str, read: Callable[[], T]) -> T:
    """`read()` kept under the current generation: reference rows that nearly every page reads
    and few writes change (the award kinds and their rules, the units, the warning rules). Any
    committed write moves the generation on, so the next read is fresh. Inside a transaction of
    our own the database is read and nothing is kept: what that transaction wrote may still be
    rolled back, and what another request kept meanwhile would not show its own writes."""
    if in_own_transaction():
        return read()
    key = f"kept:{name}:{generation()}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = read()
        cache.set(key, value, KEPT_SECONDS)
    return value


def _is_domain(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in DOMAIN_APPS:
        return False
    return not meta.model_name.startswith("historical")


def _on_save(sender, update_fields=None, **kwargs):
    if _is_domain(sender) and (
        update_fields is None or frozenset(update_fields) not in IGNORED_FIELDS
    ):
        bump_generation()


def _on_change(sender, **kwargs):
    if _is_domain(sender):
        bump_generation()


def _on_m2m(sender, action, **kwargs):
    if action.startswith("post_") and _is_domain(sender):
        bump_generation()


def _on_migrate(sender, **kwargs):
    _bump()


def connect() -> None:
    post_save.connect(_on_save, dispatch_uid="core.cache.save")
    post_delete.connect(_on_change, dispatch_uid="core.cache.delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="core.cache.m2m")
    # A migration may rewrite rows with queryset.update() (no signal); with Redis the cache
    # outlives the deploy that ran it.
    post_migrate.connect(_on_migrate, dispatch_uid="core.cache.migrate")
