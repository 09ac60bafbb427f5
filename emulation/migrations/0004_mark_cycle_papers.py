"""The sources the cycle kept before Source.cycle_paper existed (signed pledges, evidence for
scores, the dossier's scans and what each round sent) are marked as the cycle's papers."""

from django.db import migrations


def mark(apps, schema_editor):
    source = apps.get_model("clusters", "Source")
    pledge = apps.get_model("emulation", "Pledge")
    score = apps.get_model("emulation", "Score")
    dossier = apps.get_model("emulation", "Dossier")
    dossier_round = apps.get_model("emulation", "DossierRound")
    ids = set(pledge.objects.exclude(document=None).values_list("document_id", flat=True))
    ids |= set(score.evidence.through.objects.values_list("source_id", flat=True))
    ids |= set(dossier.scans.through.objects.values_list("source_id", flat=True))
    ids |= set(dossier_round.documents.through.objects.values_list("source_id", flat=True))
    source.objects.filter(pk__in=ids).update(cycle_paper=True)


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0007_source_cycle_paper"),
        ("emulation", "0003_dossier"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
