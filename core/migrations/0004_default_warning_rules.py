from decimal import Decimal

from django.db import migrations

DEFAULTS = [
    ("count_change", Decimal("2")),
    ("clearance_rate", Decimal("50")),
    ("serious_clearance_rate", Decimal("70")),
    ("zero_solved", None),
    ("future_money_date", None),
]


def add_defaults(apps, schema_editor):
    WarningRule = apps.get_model("core", "WarningRule")
    for code, threshold in DEFAULTS:
        WarningRule.objects.get_or_create(code=code, defaults={"threshold": threshold})


class Migration(migrations.Migration):
    dependencies = [("core", "0003_warningrule")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
