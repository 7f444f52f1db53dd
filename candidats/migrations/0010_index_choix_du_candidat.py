from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("candidats", "0009_nom_et_telephone_normalises"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="candidat",
            index=models.Index(
                fields=["ecole_visee", "-statut", "nom", "prenom", "id"],
                name="candidat_ecole_statut_idx",
            ),
        ),
    ]
