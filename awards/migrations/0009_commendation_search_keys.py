"""The commendations' search keys (core.search.SearchKeyField): the person and the decision number
folded, computed for the rows already stored, then indexed by trigrams on PostgreSQL so that
`LIKE '%term%'` reads a few index pages instead of millions of rows. SQLite keeps the plain
columns: it has no index for a substring, and a folded column still spares folding every row."""

from django.db import migrations

import core.search

KEYS = ("search_name", "search_decision")
INDEXES = {
    "commendation_search_name_trgm": "search_name",
    "commendation_search_decision_trgm": "search_decision",
}


def fill_keys(apps, schema_editor):
    commendation = apps.get_model("awards", "Commendation")
    core.search.fill_search_keys(commendation, KEYS, connection=schema_editor.connection)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    table = schema_editor.quote_name(apps.get_model("awards", "Commendation")._meta.db_table)
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(name)} ON {table} "
            f"USING gin ({schema_editor.quote_name(column)} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [("awards", "0008_discipline_and_leaders_share")]

    operations = [
        migrations.AddField(
            model_name="commendation",
            name="search_name",
            field=core.search.SearchKeyField(
                max_length=200, required="person_name", sources=("person_rank", "person_name")
            ),
        ),
        migrations.AddField(
            model_name="commendation",
            name="search_decision",
            field=core.search.SearchKeyField(max_length=80, sources=("decision_number",)),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
