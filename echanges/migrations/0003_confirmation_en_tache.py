import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("echanges", "0002_fichiers_en_attente_et_lignes_verifiees"),
        ("ecoles", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="analyseimport",
            name="confirmation",
            field=models.CharField(
                blank=True,
                choices=[
                    ("en_attente", "En attente"),
                    ("en_cours", "En cours"),
                    ("terminee", "Terminée"),
                    ("echec", "Échec"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="analyseimport",
            name="ecole_par_defaut",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="ecoles.ecole",
            ),
        ),
        migrations.AddField(
            model_name="analyseimport",
            name="importes",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
