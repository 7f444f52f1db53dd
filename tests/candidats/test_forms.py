"""Creating and editing a candidate: errors, likely duplicates, double submits."""

import datetime
import html
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from candidats.models import CanalSourcing, Candidat
from tests.factories import CandidatFactory, EcoleFactory

pytestmark = pytest.mark.django_db

CREER = "/candidats/nouveau/"


def donnees(**changes):
    """What a user types for a new candidate, with a fresh form token."""
    data = {
        "nom": "Lefèvre",
        "prenom": "Hélène",
        "date_naissance": "1990-05-12",
        "email": "helene.lefevre@exemple.fr",
        "telephone": "06 12 34 56 78",
        "commune": "Lille",
        "code_postal": "59000",
        "identifiant_france_travail": "1234567A",
        "canal": CanalSourcing.MISSION_LOCALE,
        "ecole_visee": "",
        "statut": Candidat.Statut.PRESELECTIONNE,
        "notes": "Motivée, disponible le matin.",
        "date_consentement": "2025-02-01",
        "date_dernier_contact": "2025-02-20",
        "jeton": uuid.uuid4().hex,
    }
    data.update(changes)
    return data


def donnees_de(candidat, **changes):
    """The edit form as shown for `candidat`, with `changes` typed in."""
    data = donnees(
        nom=candidat.nom,
        prenom=candidat.prenom,
        date_naissance=f"{candidat.date_naissance:%Y-%m-%d}",
        email=candidat.email,
        identifiant_france_travail=candidat.identifiant_france_travail,
        ecole_visee=candidat.ecole_visee_id or "",
    )
    del data["jeton"]
    data.update(changes)
    return data


def page(response):
    return html.unescape(response.content.decode())


def shown_messages(response):
    return re.findall(r'<p class="message message-(\w+)">([^<]*)</p>', page(response))


def modifier_url(candidat):
    return reverse("candidats:modifier", kwargs={"pk": candidat.pk})


def detail_url(candidat):
    return reverse("candidats:detail", kwargs={"pk": candidat.pk})


@pytest.fixture
def helene():
    return CandidatFactory(
        prenom="Hélène",
        nom="Lefèvre",
        date_naissance=datetime.date(1990, 5, 12),
        email="helene.lefevre@exemple.fr",
        identifiant_france_travail="1234567A",
    )


# Creation


def test_creation_form_has_labelled_date_inputs_and_a_token(client_staff):
    first = page(client_staff.get(CREER))
    second = page(client_staff.get(CREER))

    # Django's French label suffix is a no-break space and a colon.
    assert '<label for="id_date_naissance">Date de naissance\xa0:</label>' in first
    assert '<input type="date" name="date_naissance"' in first
    tokens = [
        re.search(r'<input type="hidden" name="jeton" value="(\w{32})"', form).group(1)
        for form in (first, second)
    ]
    assert tokens[0] != tokens[1]


def test_creation_saves_the_candidate_and_shows_the_file(client_staff):
    ecole = EcoleFactory()

    response = client_staff.post(CREER, donnees(ecole_visee=ecole.pk), follow=True)

    candidat = Candidat.objects.get()
    assert response.redirect_chain == [(detail_url(candidat), 302)]
    assert shown_messages(response) == [("success", "Fiche créée : Hélène Lefèvre.")]
    assert (candidat.nom, candidat.prenom, candidat.date_naissance) == (
        "Lefèvre",
        "Hélène",
        datetime.date(1990, 5, 12),
    )
    assert candidat.code_postal == "59000"
    assert candidat.canal == CanalSourcing.MISSION_LOCALE
    assert candidat.statut == Candidat.Statut.PRESELECTIONNE
    assert candidat.ecole_visee == ecole
    assert candidat.date_consentement == datetime.date(2025, 2, 1)
    assert candidat.date_dernier_contact == datetime.date(2025, 2, 20)


TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("typed", "error", "kept"),
    [
        ({"nom": ""}, "Indiquez le nom.", 'name="prenom" value="Hélène"'),
        ({"prenom": " "}, "Indiquez le prénom.", 'name="nom" value="Lefèvre"'),
        (
            {"email": "helene@lefevre"},
            "Cette adresse de courriel n'est pas valide",
            'name="email" value="helene@lefevre"',
        ),
        (
            {"code_postal": "5900"},
            "Le code postal compte 5 chiffres",
            'name="code_postal" value="5900"',
        ),
        (
            {"code_postal": "59OOO"},
            "Le code postal compte 5 chiffres",
            'name="code_postal" value="59OOO"',
        ),
        (
            {"date_naissance": f"{TOMORROW:%Y-%m-%d}"},
            "La date de naissance ne peut pas être dans le futur.",
            f'name="date_naissance" value="{TOMORROW:%Y-%m-%d}"',
        ),
        (
            {"date_naissance": "12/13/1990"},
            "Saisissez une date valide.",
            'name="date_naissance" value="12/13/1990"',
        ),
        (
            {"date_dernier_contact": f"{TOMORROW:%Y-%m-%d}"},
            "La date du dernier contact ne peut pas être dans le futur.",
            f'name="date_dernier_contact" value="{TOMORROW:%Y-%m-%d}"',
        ),
    ],
    ids=[
        "no-last-name",
        "blank-first-name",
        "bad-email",
        "short-postal-code",
        "letters-in-postal-code",
        "future-birth-date",
        "garbled-birth-date",
        "future-last-contact",
    ],
)
def test_a_mistake_is_explained_and_what_was_typed_is_kept(client_staff, typed, error, kept):
    response = client_staff.post(CREER, donnees(**typed))

    assert response.status_code == 200
    text = page(response)
    assert "Le formulaire contient des erreurs" in text
    assert error in text
    assert kept in text
    assert 'name="notes"' in text and "Motivée, disponible le matin." in text
    assert not Candidat.objects.exists()


def test_the_error_is_tied_to_its_field(client_staff):
    text = page(client_staff.post(CREER, donnees(code_postal="5900")))

    assert re.search(
        r'<input type="text" name="code_postal" value="5900"[^>]*aria-invalid="true"', text
    )


def test_only_active_schools_are_offered(client_staff):
    EcoleFactory(nom="École de la Logistique", ville="Douai")
    fermee = EcoleFactory(nom="École fermée", ville="Lens", active=False)

    text = page(client_staff.get(CREER))
    refused = client_staff.post(CREER, donnees(ecole_visee=fermee.pk))

    assert "École de la Logistique — Douai" in text
    assert "École fermée" not in text
    assert "Sélectionnez un choix valide" in page(refused)
    assert not Candidat.objects.exists()


# Likely duplicates


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        (
            {"identifiant_france_travail": "1234567a", "email": "autre@exemple.fr"},
            "Même identifiant France Travail",
        ),
        (
            {"email": "HELENE.Lefevre@exemple.fr", "identifiant_france_travail": ""},
            "Même courriel",
        ),
        (
            {
                "nom": "LEFEVRE",
                "prenom": "helene",
                "email": "autre@exemple.fr",
                "identifiant_france_travail": "",
            },
            "Noms proches et même date de naissance",
        ),
    ],
    ids=["france-travail", "email", "names-and-birth-date"],
)
def test_a_likely_duplicate_is_listed_and_nothing_is_saved(client_staff, helene, typed, reason):
    response = client_staff.post(CREER, donnees(**typed))

    assert response.status_code == 200
    text = page(response)
    assert "Fiches qui pourraient être la même personne" in text
    assert (
        f'<a href="{detail_url(helene)}" target="_blank" rel="noopener">Hélène Lefèvre</a>' in text
    )
    assert reason in text
    assert '<input type="checkbox" name="confirmer_doublon"' in text
    assert "Je confirme qu'il s'agit d'une autre personne" in text
    assert f'name="nom" value="{typed.get("nom", "Lefèvre")}"' in text
    assert list(Candidat.objects.all()) == [helene]


@pytest.mark.parametrize(
    ("enregistre", "saisi"),
    [
        (("Chevallier", "Marthe"), ("CHEVALIER", "marthe")),
        (("Dupont", "Jean"), ("Dupont", "Jean Marie")),
        (("De Oliveira", "Ana"), ("d'Oliveira", "Ana")),
    ],
    ids=["doubled-letter", "compound-first-name", "particle"],
)
def test_close_names_born_the_same_day_are_a_likely_duplicate(client_staff, enregistre, saisi):
    ecole = EcoleFactory(nom="École de la Logistique", ville="Douai")
    existante = CandidatFactory(
        nom=enregistre[0],
        prenom=enregistre[1],
        date_naissance=datetime.date(1990, 5, 12),
        ecole_visee=ecole,
    )

    response = client_staff.post(
        CREER,
        donnees(
            nom=saisi[0],
            prenom=saisi[1],
            email="autre@exemple.fr",
            identifiant_france_travail="",
            ecole_visee=ecole.pk,
        ),
    )

    text = page(response)
    assert "Cette personne semble déjà avoir une fiche." in text
    assert (
        f'<a href="{detail_url(existante)}" target="_blank" rel="noopener">'
        f"{enregistre[1]} {enregistre[0]}</a>, né·e le 12/05/1990" in text
    )
    assert "<small>Noms proches et même date de naissance</small>" in text
    assert list(Candidat.objects.all()) == [existante]


def test_the_confirmation_box_only_shows_with_a_duplicate(client_staff, helene):
    assert "confirmer_doublon" not in page(client_staff.get(CREER))


def test_confirming_saves_the_other_person(client_staff, helene):
    data = donnees(email="autre@exemple.fr", identifiant_france_travail="")
    client_staff.post(CREER, data)

    # Same form, same token: the first attempt saved nothing, so the token is still good.
    response = client_staff.post(CREER, {**data, "confirmer_doublon": "on"})

    nouvelle = Candidat.objects.exclude(pk=helene.pk).get()
    assert response.status_code == 302
    assert response.url == detail_url(nouvelle)
    assert nouvelle.email == "autre@exemple.fr"


def test_a_different_person_is_saved_at_once(client_staff, helene):
    response = client_staff.post(
        CREER,
        donnees(
            date_naissance="1991-05-12",
            email="autre@exemple.fr",
            identifiant_france_travail="7654321B",
        ),
    )

    assert response.status_code == 302
    assert Candidat.objects.count() == 2


# Double submit


def test_the_same_form_sent_twice_creates_one_candidate(client_staff):
    data = donnees()

    first = client_staff.post(CREER, data)
    second = client_staff.post(CREER, data, follow=True)

    candidat = Candidat.objects.get()
    assert first.url == detail_url(candidat)
    assert second.redirect_chain == [(detail_url(candidat), 302)]
    # The browser never showed the first answer: its success message comes along.
    assert shown_messages(second) == [
        ("success", "Fiche créée : Hélène Lefèvre."),
        ("info", "Ce formulaire avait déjà été envoyé : la fiche n'a pas été créée deux fois."),
    ]


def test_another_form_is_another_candidate(client_staff):
    client_staff.post(CREER, donnees())
    response = client_staff.post(
        CREER, donnees(nom="Dupont", prenom="Marc", email="", identifiant_france_travail="")
    )

    assert response.status_code == 302
    assert sorted(Candidat.objects.values_list("nom", flat=True)) == ["Dupont", "Lefèvre"]


# Editing


def test_edit_form_shows_the_saved_values(client_staff, helene):
    text = page(client_staff.get(modifier_url(helene)))

    assert "Modifier la fiche — Hélène Lefèvre" in text
    assert 'name="date_naissance" value="1990-05-12"' in text
    assert 'name="identifiant_france_travail" value="1234567A"' in text
    assert 'name="jeton"' not in text


def test_edit_saves_and_says_so(client_staff, helene):
    data = donnees_de(helene, commune="Douai", statut=Candidat.Statut.RETENU)

    response = client_staff.post(modifier_url(helene), data, follow=True)

    helene.refresh_from_db()
    assert response.redirect_chain == [(detail_url(helene), 302)]
    assert shown_messages(response) == [("success", "Modifications enregistrées : Hélène Lefèvre.")]
    assert helene.commune == "Douai"
    assert helene.statut == Candidat.Statut.RETENU
    assert Candidat.objects.count() == 1


def test_edit_mistake_keeps_the_title_and_the_saved_record(client_staff, helene):
    commune = helene.commune

    response = client_staff.post(modifier_url(helene), donnees_de(helene, nom="", commune="Douai"))

    text = page(response)
    assert "Modifier la fiche — Hélène Lefèvre" in text
    assert "Indiquez le nom." in text
    assert 'name="commune" value="Douai"' in text
    helene.refresh_from_db()
    assert (helene.nom, helene.commune) == ("Lefèvre", commune)


def test_edit_to_another_persons_email_asks_for_confirmation(client_staff, helene):
    marc = CandidatFactory(prenom="Marc", nom="Dupont", email="marc.dupont@exemple.fr")

    response = client_staff.post(
        modifier_url(helene), donnees_de(helene, email="marc.dupont@exemple.fr")
    )

    assert f'<a href="{detail_url(marc)}"' in page(response)
    helene.refresh_from_db()
    assert helene.email == "helene.lefevre@exemple.fr"


def test_a_school_closed_since_stays_on_the_edited_candidate(client_staff, helene):
    fermee = EcoleFactory(nom="École fermée", ville="Lens", active=False)
    helene.ecole_visee = fermee
    helene.save()

    response = client_staff.post(modifier_url(helene), donnees_de(helene, commune="Douai"))

    assert response.status_code == 302
    helene.refresh_from_db()
    assert (helene.ecole_visee, helene.commune) == (fermee, "Douai")


def test_a_concurrent_request_that_saved_the_form_first_still_yields_one_record(
    client_staff, monkeypatch
):
    from candidats import views

    # Ticked so that the duplicate check lets the second copy reach the database.
    data = donnees(confirmer_doublon="on")
    client_staff.post(CREER, data)
    real_lookup = views._candidat_du_jeton
    lookups = []

    def lookup_that_misses_the_first_time(jeton):
        # The second request looked before the first one committed, then hit the
        # unique token on save.
        lookups.append(jeton)
        return None if len(lookups) == 1 else real_lookup(jeton)

    monkeypatch.setattr(views, "_candidat_du_jeton", lookup_that_misses_the_first_time)

    response = client_staff.post(CREER, data)

    candidat = Candidat.objects.get()
    assert response.url == detail_url(candidat)
    assert len(lookups) == 2
