from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("entreprises", "0001_initial"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="contact",
            constraint=models.UniqueConstraint(
                fields=("entreprise", "nom", "prenom"),
                name="contact_unique_par_organisation",
                violation_error_message="Cette organisation a déjà un contact de ce nom et de ce prénom.",
            ),
        ),
    ]
