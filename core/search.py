"""Accent- and case-insensitive search on names: "lai chau" finds "Công an tỉnh Lai Châu",
"DIEN BIEN" finds "Điện Biên".

Both sides are compared folded: the term here in Python (`fold`), the column in the database
(`folded(path)`, that is LOWER(UNACCENT(column))). PostgreSQL has unaccent from its extension
(core/migrations/0002_unaccent.py; it maps đ/Đ to d like `fold` does); SQLite gets functions of
the same names on every new connection (`install_sqlite_functions`, connected in core.apps),
with a LOWER that knows more letters than ASCII.

A table of millions of rows (the commendations) cannot fold a column on every search: it keeps
the folded text in a column of its own (`SearchKeyField`, filled on every save and bulk_create),
which PostgreSQL indexes by trigrams, and is searched with `key__contains=search_key(term)`.
"""

import unicodedata

from django.db import connection as default_connection
from django.db.models import CharField, Func
from django.db.models.functions import Lower

# Letters that are not a base letter plus combining marks, so NFD leaves them whole.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text):
    """The text without marks, in lower case: "Điện Biên" → "dien bien"."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFD", str(text).translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_key(*parts) -> str:
    """The parts folded and joined by single spaces: ("Đại úy", " Vừ  A Di") → "dai uy vu a di".
    The same on both sides: the stored key and the term searched for."""
    return " ".join(" ".join(fold(part) for part in parts if part).split())


class SearchKeyField(CharField):
    """Derived data, like a slug: its model's `sources` fields folded (`search_key`), computed
    whenever Django writes the row (save() and bulk_create() both call pre_save). Empty when
    `required` (the first source by default) is empty: a collective commendation names no person.
    A path that writes the sources without Django (a COPY, queryset.update()) computes it too."""

    def __init__(self, *args, sources=(), required=None, **kwargs):
        self.sources = tuple(sources)
        self.required = required
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["sources"] = self.sources
        if self.required:
            kwargs["required"] = self.required
        for key, value in (("editable", False), ("blank", True), ("default", "")):
            if kwargs.get(key, value) == value:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def key_of(self, values: dict) -> str:
        if self.required and not values.get(self.required):
            return ""
        return search_key(*(values.get(name) for name in self.sources))[: self.max_length]

    def pre_save(self, model_instance, add):
        value = self.key_of({name: getattr(model_instance, name) for name in self.sources})
        setattr(model_instance, self.attname, value)
        return value


def fill_search_keys(model, field_names, *, batch_size=5000, connection=None) -> int:
    """Compute the keys of every row already stored (a data migration's work), in batches by
    primary key: one SELECT and one UPDATE … FROM (VALUES …) a batch (SQLite: as many rows as its
    999 parameters hold). Returns the number of rows."""
    connection = connection or default_connection
    fields = [model._meta.get_field(name) for name in field_names]
    sources = sorted({source for field in fields for source in field.sources})
    pk = model._meta.pk.attname
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    names = ["key_pk", *(f"key_{i}" for i in range(len(fields)))]
    sets = ", ".join(f"{qn(field.column)} = new.{names[i + 1]}" for i, field in enumerate(fields))
    per_statement = (connection.features.max_query_params or 65535) // len(names)
    done, last = 0, None
    while True:
        rows = model._base_manager.db_manager(connection.alias).order_by(pk)
        if last is not None:
            rows = rows.filter(pk__gt=last)
        batch = list(rows.values(pk, *sources)[:batch_size])
        if not batch:
            return done
        values = [[row[pk], *(field.key_of(row) for field in fields)] for row in batch]
        with connection.cursor() as cursor:
            for start in range(0, len(values), per_statement):
                chunk = values[start : start + per_statement]
                marks = ", ".join(["(" + ", ".join(["%s"] * len(names)) + ")"] * len(chunk))
                cursor.execute(
                    f"WITH new({', '.join(names)}) AS (VALUES {marks}) "
                    f"UPDATE {table} SET {sets} FROM new "
                    f"WHERE {table}.{qn(model._meta.pk.column)} = new.key_pk",
                    [value for row in chunk for value in row],
                )
        done += len(batch)
        last = batch[-1][pk]


def _lower(text):
    return None if text is None else str(text).lower()


class Unaccent(Func):
    """UNACCENT(expression): PostgreSQL's extension; on SQLite, `fold` registered under that name."""

    function = "UNACCENT"
    arity = 1
    output_field = CharField()


def folded(expression):
    """The database side of the comparison with a `fold`-ed term."""
    return Lower(Unaccent(expression))


def install_sqlite_functions(sender, connection, **kwargs):
    """connection_created receiver: UNACCENT and a Unicode-aware LOWER for SQLite."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("unaccent", 1, fold, deterministic=True)
    raw.create_function("lower", 1, _lower, deterministic=True)
