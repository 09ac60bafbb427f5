"""Accent- and case-insensitive search on names: "lai chau" finds "Công an tỉnh Lai Châu",
"DIEN BIEN" finds "Điện Biên".

Both sides are compared folded: the term here in Python (`fold`), the column in the database
(`folded(path)`, that is LOWER(UNACCENT(column))). PostgreSQL has unaccent from its extension
(core/migrations/0002_unaccent.py; it maps đ/Đ to d like `fold` does); SQLite gets functions of
the same names on every new connection (`install_sqlite_functions`, connected in core.apps),
with a LOWER that knows more letters than ASCII.
"""

import unicodedata

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
