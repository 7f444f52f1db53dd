"""What a user reads is French: "d'" before a vowel, the article of the admin's titles,
the singular for 0 and 1, no "---------" for an empty choice.

The admin's add, change and delete pages of every registered model, and the portal's
pages with no row, one row and many rows, are read as text and searched for the faults.
"""

import html
import re

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from portail.francais import NOMS_FEMININS, NOMS_MASCULINS, du, un
from tests.factories import (
    AffectationBesoinFactory,
    ContactFactory,
    DocumentFactory,
    EcoleFactory,
    EvenementFactory,
    ImmersionFactory,
    InscriptionFactory,
    PresenceFactory,
    SortieFactory,
    StageFactory,
    SuiviFactory,
)
from tests.test_urls_smoke import EXPECTED_STATUS
from tests.urls import argument_free_url_names

FAUTES = [
    # "de octobre", "de Ampere", "de école": "de" before a vowel.
    # Lowercase only: "De Oliveira" is a surname.
    (re.compile(r"(?<![\w'’-])(?:de|du) (?=[aeiouyàâäéèêëîïôöûüAEIOUÀÂÉÈÊÎÔÛ])"), "de + voyelle"),
    # "0 libres", "1 candidats": French takes the singular for 0 and 1.
    (
        re.compile(r"(?<![\d,.])(?<!sur )\b[01] [a-zà-ÿ-]+s\b"),
        "pluriel après 0 ou 1",
    ),
    (re.compile(r"Ajout de [aeiouyàâéèêîôûAEIOUÉÈÊ]"), "Ajout de + voyelle"),
    (re.compile(r"Ajouter (?!(?:une?|le|la|les|des) |l'|d')[a-zà-ÿ]"), "Ajouter sans article"),
    (re.compile(r"-{9}"), "choix vide ---------"),
]

# Words ending in "s" whose singular is the same: "0 parcours" is singular.
INVARIABLES = {"parcours", "cours", "mois", "fois", "mars", "sans"}


def texte(response):
    contenu = response.content.decode()
    contenu = re.sub(r"<(script|style)\b.*?</\1>", " ", contenu, flags=re.S)
    # An option's label is read, the rest of a tag is not.
    sans_balises = re.sub(r"<[^>]+>", " ", contenu)
    return html.unescape(re.sub(r"\s+", " ", sans_balises))


def fautes(page):
    trouvees = []
    for motif, nom in FAUTES:
        for trouve in motif.finditer(page):
            extrait = trouve.group(0)
            if nom == "pluriel après 0 ou 1" and extrait.split(maxsplit=1)[1] in INVARIABLES:
                continue
            debut = max(trouve.start() - 40, 0)
            trouvees.append(f"{nom}: …{page[debut : trouve.end() + 30]}…")
    return trouvees


def rapport(erreurs):
    return "\n".join(f"{page}: {faute}" for page, trouvees in erreurs.items() for faute in trouvees)


def construire_une_ligne_de_chaque():
    """One row of nearly every model, so every change and delete page has an object."""
    inscription = InscriptionFactory(candidat__prenom="Anaïs", candidat__nom="Étienne")
    # Typed text, not the random sentences of the factory ("afin de ignorer").
    SuiviFactory(inscription=inscription, commentaire="Bonne semaine.", actions="Rien.")
    StageFactory(inscription=inscription)
    PresenceFactory(inscription=inscription)
    DocumentFactory(cohorte=inscription.cohorte)
    AffectationBesoinFactory()
    EvenementFactory()
    ImmersionFactory()
    ContactFactory()
    SortieFactory(
        inscription=InscriptionFactory(cohorte=inscription.cohorte, candidat__prenom="Élodie")
    )


def test_the_checks_find_each_fault():
    page = (
        "Suivis d'octobre — Cohortes de École — 0 libres — Ajout de école — "
        "Ajouter école — ---------"
    )

    trouvees = fautes(page)
    assert {faute.split(":")[0] for faute in trouvees} == {nom for _, nom in FAUTES}
    assert len(trouvees) == 6


def test_the_checks_accept_correct_french():
    page = (
        "Suivis d'octobre — Cohortes de l'École de la Maintenance — aucune libre — 0 parcours "
        "— 1 place libre — 12 places — 2,0 heures — 10 places — Ajout d'une école — "
        "Ajouter une cohorte — — Choisir —"
    )

    assert fautes(page) == []


@pytest.mark.parametrize(
    "nom, indefini, defini",
    [
        ("école", "une école", "de l'école"),
        ("cohorte", "une cohorte", "de la cohorte"),
        ("candidat", "un candidat", "du candidat"),
        ("suivi mensuel", "un suivi mensuel", "du suivi mensuel"),
        ("inscription", "une inscription", "de l'inscription"),
        ("demi-journée", "une demi-journée", "de la demi-journée"),
        ("jeu de codes de secours", "un jeu de codes de secours", "du jeu de codes de secours"),
    ],
)
def test_a_model_name_takes_its_article(nom, indefini, defini):
    assert un(nom) == indefini
    assert du(nom) == defini


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_registered_model_name_has_a_known_gender(model):
    premier_mot = str(model._meta.verbose_name).split()[0].lower()

    assert premier_mot in NOMS_FEMININS | NOMS_MASCULINS


def _urls_admin(model, action):
    opts = model._meta
    if action == "add":
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    objet = model._default_manager.order_by("pk").first()
    if objet is None:
        return None
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=[objet.pk])
    except NoReverseMatch:
        return None


@pytest.mark.django_db
def test_admin_add_change_delete_and_list_pages_of_every_model_write_french(admin_client):
    construire_une_ligne_de_chaque()
    vues = 0
    erreurs = {}

    for model in admin.site._registry:
        opts = model._meta
        liste = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        for url in [liste, *(_urls_admin(model, action) for action in ("add", "change", "delete"))]:
            if url is None:
                continue
            response = admin_client.get(url)
            if response.status_code != 200:
                continue
            vues += 1
            if trouvees := fautes(texte(response)):
                erreurs[url] = trouvees

    assert erreurs == {}, rapport(erreurs)
    assert vues > 2 * len(admin.site._registry)


@pytest.mark.django_db
def test_admin_add_page_titles_and_breadcrumbs_take_the_article(admin_client):
    page = texte(admin_client.get(reverse("admin:ecoles_ecole_add")))

    assert "Ajout d'une école" in page
    assert "› Ajouter une école" in page


@pytest.mark.django_db
def test_admin_list_button_takes_the_article(admin_client):
    page = texte(admin_client.get(reverse("admin:parcours_cohorte_changelist")))

    assert "Ajouter une cohorte" in page
    assert "Cohortes" in page


@pytest.mark.django_db
def test_admin_list_counts_are_singular_for_zero(admin_client):
    liste = reverse("admin:ecoles_ecole_changelist")

    aucune = texte(admin_client.get(liste))
    EcoleFactory()
    EcoleFactory()
    deux = texte(admin_client.get(liste))

    assert "0 école " in aucune and "0 écoles" not in aucune
    assert "2 écoles" in deux


def _pages_du_portail(client):
    for nom in argument_free_url_names():
        if nom.startswith("admin:") or EXPECTED_STATUS.get(nom, 200) != 200:
            continue
        response = client.get(reverse(nom))
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            yield nom, texte(response)


def fautes_des_pages_du_portail(client):
    erreurs = {}
    for nom, page in _pages_du_portail(client):
        trouvees = fautes(page)
        if trouvees:
            erreurs[nom] = trouvees
    return erreurs


@pytest.mark.django_db
@pytest.mark.parametrize("lignes", [0, 1, 50])
def test_portal_pages_write_french_with_zero_one_or_many_rows(client, staff_user, lignes):
    if lignes:
        construire_une_ligne_de_chaque()
        InscriptionFactory.create_batch(lignes - 1)
    client.force_login(staff_user)

    erreurs = fautes_des_pages_du_portail(client)

    assert erreurs == {}, rapport(erreurs)


@pytest.mark.django_db
def test_partner_pages_write_french(client, partner_user):
    client.force_login(partner_user)

    erreurs = fautes_des_pages_du_portail(client)

    assert erreurs == {}, rapport(erreurs)


@pytest.mark.django_db
def test_the_candidate_form_names_the_address_courriel(client_staff):
    page = texte(client_staff.get(reverse("candidats:creer")))

    assert "Courriel" in page
    assert "e-mail" not in page.lower()
