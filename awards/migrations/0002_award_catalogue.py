from django.db import migrations


def load(apps, schema_editor):
    from awards.catalogue import ensure_award_catalogue

    ensure_award_catalogue(apps.get_model("awards", "AwardKind"), apps.get_model("awards", "AwardRule"))


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
