"""PostgreSQL's unaccent, for accent-insensitive search ("lai chau" finds "Lai Châu").
SQLite gets a function of the same name on each connection (core.search)."""

from django.db import migrations


def create_extension(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_extension, migrations.RunPython.noop)]
