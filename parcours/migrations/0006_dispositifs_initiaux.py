from django.db import migrations

# The five funding schemes and their usual limits (docs/domaine.md, "Dispositifs de
# financement"); administrators adjust them in the admin.
DISPOSITIFS = [
    {
        "code": "poec",
        "heures_max": 400,
        "part_entreprise_max": 33,
        "duree_min_contrat_mois": 12,
        "contrat_vise": True,
        "description": "Préparation opérationnelle à l'emploi collective (France Travail, "
        "OPCO) : 400 heures au plus, dont un tiers au plus en entreprise ; vise un CDI ou un "
        "CDD d'au moins 12 mois.",
    },
    {
        "code": "poei",
        "heures_max": 400,
        "part_entreprise_max": None,
        "duree_min_contrat_mois": 12,
        "contrat_vise": True,
        "description": "Préparation opérationnelle à l'emploi individuelle (France Travail) : "
        "400 heures au plus avant une embauche en CDI ou en CDD d'au moins 12 mois.",
    },
    {
        "code": "prf",
        "heures_max": None,
        "part_entreprise_max": None,
        "duree_min_contrat_mois": 6,
        "contrat_vise": True,
        "description": "Programme régional de formation (Région Hauts-de-France) : pas de "
        "plafond d'heures ; vise un CDI ou un CDD d'au moins 6 mois.",
    },
    {
        "code": "contrat_pro",
        "heures_max": None,
        "part_entreprise_max": 85,
        "duree_min_contrat_mois": 6,
        "contrat_vise": True,
        "description": "Contrat de professionnalisation (OPCO) : 85 % du temps au plus en "
        "entreprise, la formation en garde au moins 15 % ; CDI ou CDD d'au moins 6 mois.",
    },
    {
        "code": "autre",
        "heures_max": None,
        "part_entreprise_max": None,
        "duree_min_contrat_mois": None,
        "contrat_vise": False,
        "description": "Autre financement : aucune limite.",
    },
]


def creer_dispositifs(apps, schema_editor):
    Dispositif = apps.get_model("parcours", "Dispositif")
    for valeurs in DISPOSITIFS:
        code = valeurs["code"]
        Dispositif.objects.get_or_create(
            code=code, defaults={k: v for k, v in valeurs.items() if k != "code"}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("parcours", "0005_cohorte_cofinancee_fse_contrat_vise"),
    ]

    operations = [
        migrations.RunPython(creer_dispositifs, migrations.RunPython.noop),
    ]
