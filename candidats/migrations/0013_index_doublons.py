import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("candidats", "0012_index_liste_candidats"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="candidat",
            index=models.Index(
                django.db.models.functions.text.Replace(
                    django.db.models.functions.text.Upper("identifiant_france_travail"),
                    models.Value(" "),
                ),
                name="candidat_doublon_ft_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="candidat",
            index=models.Index(
                django.db.models.functions.text.Lower("email"), name="candidat_doublon_email_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="candidat",
            index=models.Index(fields=["date_naissance"], name="candidat_naissance_idx"),
        ),
    ]
