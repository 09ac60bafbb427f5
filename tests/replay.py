"""Fixtures that seed through the services, recorded once per test process and inserted again.

`cluster_ii` and `seeded` run most of the suite's database work: hundreds of queries through the
services (full_clean, constraints, history) for the same rows in nearly every test. The first test
of a process that asks for them still builds them through the services; the rows that build wrote
are recorded, and a later test that starts from the same database state gets those very rows
inserted in one bulk_create per table, inside its own transaction, rolled back with it as before.

A recording is replayed only when nothing can tell the difference:
- the test runs in a transaction that is rolled back (pytest-django's `db`); a transactional test
  (live server, races) always builds through the services;
- every table holds as many rows as when the recording was made, and the tables whose rows the
  build changed, or its rows point to without having written them, hold exactly what they held;
- the build added and changed rows but deleted none, wrote no file and no table without a model;
- the rows go in without a clash and every reference holds (checked at once). Any failure rolls
  the attempt back to a savepoint and the build runs through the services instead.
The rows go in without signals (bulk_create, update()), as the build's own signals had no effect
a rolled-back test could see: history rows are recorded with the rest, and on_commit never runs.
"""

import hashlib
import pickle

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import FileField


def _models():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _tables(connection):
    return sorted(connection.introspection.table_names(include_views=False))


def _counts(connection) -> tuple:
    """Rows per table, every table of the database, in one query."""
    qn = connection.ops.quote_name
    tables = _tables(connection)
    sql = " UNION ALL ".join(f"SELECT {i}, COUNT(*) FROM {qn(t)}" for i, t in enumerate(tables))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = dict(cursor.fetchall())
    return tuple((table, counts[i]) for i, table in enumerate(tables))


def _rows(model, using) -> dict:
    pk = model._meta.pk.attname
    attnames = [f.attname for f in model._meta.concrete_fields]
    return {row[pk]: row for row in model._base_manager.using(using).values(*attnames)}


def _digest(rows_by_model: dict) -> str:
    ordered = [
        (label, sorted(rows.items(), key=lambda item: repr(item[0])))
        for label, rows in sorted(rows_by_model.items())
    ]
    return hashlib.sha256(pickle.dumps(ordered)).hexdigest()


class _Recording:
    def __init__(self, added, changed, depends_on, depends_digest, refs):
        self.added = added  # {model: [row, ...]}: rows the build wrote
        self.changed = changed  # {model: [row, ...]}: rows that were there, as the build left them
        self.depends_on = depends_on  # models whose rows the build read, changed or points to
        self.depends_digest = depends_digest  # their rows before the build
        self.refs = refs


class Replay:
    """One fixture's build: `build()` writes through the services and returns `(value, refs)`,
    `rebuild(refs)` reads the value back from the database (after a build, too, so that every test
    gets the same kind of objects)."""

    def __init__(self, build, rebuild, using=DEFAULT_DB_ALIAS):
        self.build, self.rebuild, self.using = build, rebuild, using
        self.recordings = {}  # counts before the build -> _Recording, or None: not replayable
        self.replayed = self.built = 0

    def __call__(self):
        connection = connections[self.using]
        if not connection.in_atomic_block:  # a transactional test: its writes are committed
            self.built += 1
            return self.rebuild(self.build()[1])
        before = _counts(connection)
        recording = self.recordings.get(before, False)
        if recording:
            refs = self._insert(connection, recording)
            if refs is not None:
                self.replayed += 1
                return self.rebuild(refs)
        elif recording is False:
            refs = self._record(connection, before)
            self.built += 1
            return self.rebuild(refs)
        self.built += 1
        return self.rebuild(self.build()[1])

    def _record(self, connection, before):
        models = _models()
        old = {model: _rows(model, self.using) for model in models}
        _, refs = self.build()
        self.recordings[before] = None
        added, changed = {}, {}
        for model in models:
            new = _rows(model, self.using)
            if rows := [row for pk, row in new.items() if pk not in old[model]]:
                added[model] = rows
            if rows := [new[pk] for pk, row in old[model].items() if new.get(pk, row) != row]:
                changed[model] = rows
            if any(pk not in new for pk in old[model]):
                return refs  # the build deleted a row
        model_tables = {model._meta.db_table for model in models}
        after = dict(_counts(connection))
        if any(after[t] != n for t, n in before if t not in model_tables):
            return refs  # a table without a model changed
        for model, rows in [*added.items(), *changed.items()]:
            files = [f.attname for f in model._meta.concrete_fields if isinstance(f, FileField)]
            if any(row[name] for row in rows for name in files):
                return refs  # a file was written beside the rows
        if any(model._meta.parents for model in [*added, *changed]):
            return refs  # bulk_create and update() cannot write a multi-table child
        pks = {
            model: {row[model._meta.pk.attname] for row in rows} for model, rows in added.items()
        }
        depends_on = set(changed)
        for model, rows in [*added.items(), *changed.items()]:
            for field in model._meta.concrete_fields:
                if field.remote_field is None:
                    continue
                target = field.related_model._meta.concrete_model
                values = {row[field.attname] for row in rows} - {None}
                if values - pks.get(target, set()):
                    depends_on.add(target)
        depends = sorted(depends_on, key=lambda model: model._meta.label)
        digest = _digest({m._meta.label: old[m] for m in depends})
        self.recordings[before] = _Recording(added, changed, depends, digest, refs)
        return refs

    def _insert(self, connection, recording):
        now = {m._meta.label: _rows(m, self.using) for m in recording.depends_on}
        if _digest(now) != recording.depends_digest:
            return None
        try:
            with transaction.atomic(using=self.using):
                for model, rows in recording.added.items():
                    model._base_manager.using(self.using).bulk_create(
                        [model(**row) for row in rows]
                    )
                for model, rows in recording.changed.items():
                    manager, pk = model._base_manager.using(self.using), model._meta.pk.attname
                    for row in rows:
                        manager.filter(pk=row[pk]).update(
                            **{k: v for k, v in row.items() if k != pk}
                        )
                tables = {m._meta.db_table for m in [*recording.added, *recording.changed]}
                connection.check_constraints(table_names=sorted(tables))
        except IntegrityError:
            return None
        return recording.refs
