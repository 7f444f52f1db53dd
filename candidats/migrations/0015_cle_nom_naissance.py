from django.db import migrations, models

from candidats.doublons import cle_nom_naissance

LOT = 2000


def calculer_les_cles(apps, schema_editor):
    """Every file with a birth date gets its sign of names; the others have none."""
    Candidat = apps.get_model("candidats", "Candidat")
    fiches = Candidat.objects.filter(date_naissance__isnull=False).only(
        "nom", "prenom", "date_naissance"
    )
    lot = []
    for fiche in fiches.iterator(chunk_size=LOT):
        fiche.cle_nom_naissance = cle_nom_naissance(fiche.nom, fiche.prenom, fiche.date_naissance)
        lot.append(fiche)
        if len(lot) >= LOT:
            Candidat.objects.bulk_update(lot, ["cle_nom_naissance"])
            lot = []
    Candidat.objects.bulk_update(lot, ["cle_nom_naissance"])


class Migration(migrations.Migration):
    dependencies = [
        ("candidats", "0014_libelle_courriel"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidat",
            name="cle_nom_naissance",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(calculer_les_cles, migrations.RunPython.noop),
        # Built once the keys are written, rather than kept up to date row by row.
        migrations.AddIndex(
            model_name="candidat",
            index=models.Index(fields=["cle_nom_naissance"], name="candidat_doublon_noms_idx"),
        ),
        # It served the duplicate search only, which now reads the key.
        migrations.RemoveIndex(
            model_name="candidat",
            name="candidat_naissance_idx",
        ),
    ]
