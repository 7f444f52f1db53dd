"""Factories building valid objects of every model, with French fake data."""

import datetime
import functools

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory, Password

from candidats.models import Candidat
from comptes.models import Appartenance, User
from ecoles.models import Ecole, Filiere
from entreprises.models import Contact, Entreprise
from parcours.dates import first_of_month
from parcours.models import (
    Cohorte,
    Inscription,
    Niveau,
    Parcours,
    PhaseModele,
    Risque,
    Situation,
    Sortie,
    Stage,
    Suivi,
    TypePhase,
)
from parcours.services import creer_cohorte, enregistrer_sortie

fake = functools.partial(factory.Faker, locale="fr_FR")

# The Béthune line-operation track of the programme (docs/domaine.md): 1.5 months of theory,
# 5 weeks of internship, 2.5 months of theory.
PHASES_BETHUNE = [
    (TypePhase.THEORIE, "Théorie : fondamentaux", 6),
    (TypePhase.STAGE, "Stage en entreprise", 5),
    (TypePhase.THEORIE, "Théorie : approfondissement", 10),
]


def luhn_check_digit(digits):
    """The digit that, appended to `digits`, makes the whole number pass the Luhn check."""
    total = 0
    # Once the check digit is appended, the last digit of `digits` sits at an odd
    # position from the right: that is the one to double.
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def siret_de_sequence(number):
    """A unique, Luhn-valid, made-up SIRET; the leading 8 keeps clear of La Poste's SIREN."""
    digits = f"8{number:012d}"
    return digits + luhn_check_digit(digits)


class EntrepriseFactory(DjangoModelFactory):
    class Meta:
        model = Entreprise

    nom = fake("company")
    siret = factory.Sequence(siret_de_sequence)
    ville = fake("city")
    type = Entreprise.Type.ADHERENTE

    class Params:
        organisme_formation = factory.Trait(type=Entreprise.Type.ORGANISME_FORMATION)
        partenaire_emploi = factory.Trait(type=Entreprise.Type.PARTENAIRE_EMPLOI)


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    entreprise = factory.SubFactory(EntrepriseFactory)
    nom = fake("last_name")
    prenom = fake("first_name")
    fonction = "Responsable RH"
    email = fake("email")
    telephone = fake("phone_number")


class UserFactory(DjangoModelFactory):
    """A staff member by default; `partenaire=True` or `administrateur=True` for the others."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda number: f"utilisateur{number}")
    first_name = fake("first_name")
    last_name = fake("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = Password("mot-de-passe-de-test")
    role = User.Role.EQUIPE

    class Params:
        partenaire = factory.Trait(role=User.Role.PARTENAIRE)
        administrateur = factory.Trait(
            role=User.Role.ADMINISTRATEUR, is_staff=True, is_superuser=True
        )


class AppartenanceFactory(DjangoModelFactory):
    class Meta:
        model = Appartenance

    user = factory.SubFactory(UserFactory, partenaire=True)
    entreprise = factory.SubFactory(EntrepriseFactory)


class PartenaireFactory(UserFactory):
    """A partner user with an active membership of a new member company.

    Choose the organisation with `appartenance__entreprise=...`.
    """

    partenaire = True
    appartenance = factory.RelatedFactory(AppartenanceFactory, factory_related_name="user")


class EcoleFactory(DjangoModelFactory):
    """A school; pass `entreprises_adherentes=[...]` or `organismes_formation=[...]`."""

    class Meta:
        model = Ecole
        skip_postgeneration_save = True

    nom = factory.Sequence(lambda number: f"École de la Maintenance n° {number}")
    filiere = Filiere.MAINTENANCE
    ville = fake("city")

    @factory.post_generation
    def entreprises_adherentes(self, create, extracted, **kwargs):
        if create and extracted:
            self.entreprises_adherentes.add(*extracted)

    @factory.post_generation
    def organismes_formation(self, create, extracted, **kwargs):
        if create and extracted:
            self.organismes_formation.add(*extracted)


class PhaseModeleFactory(DjangoModelFactory):
    class Meta:
        model = PhaseModele

    parcours = factory.SubFactory("tests.factories.ParcoursFactory", phases=[])
    ordre = factory.Sequence(lambda number: number + 1)
    type = TypePhase.THEORIE
    intitule = "Théorie"
    duree_semaines = 4


class ParcoursFactory(DjangoModelFactory):
    """A track with the Béthune phases; pass `phases=[(type, intitule, weeks), ...]`."""

    class Meta:
        model = Parcours
        skip_postgeneration_save = True

    ecole = factory.SubFactory(EcoleFactory)
    nom = factory.Sequence(lambda number: f"Conduite de ligne {number}")
    filiere = factory.SelfAttribute("ecole.filiere")

    @factory.post_generation
    def phases(self, create, extracted, **kwargs):
        if not create:
            return
        phases = PHASES_BETHUNE if extracted is None else extracted
        for ordre, (type_phase, intitule, semaines) in enumerate(phases, start=1):
            PhaseModeleFactory(
                parcours=self,
                ordre=ordre,
                type=type_phase,
                intitule=intitule,
                duree_semaines=semaines,
            )


class CohorteFactory(DjangoModelFactory):
    """A cohort built by `creer_cohorte`, so its phase calendar and end date exist.

    It started four weeks ago unless `date_debut` says otherwise.
    """

    class Meta:
        model = Cohorte

    parcours = factory.SubFactory(ParcoursFactory)
    nom = factory.Sequence(lambda number: f"Promotion {number}")
    date_debut = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(weeks=4))
    places = 12

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return creer_cohorte(**kwargs)


class CandidatFactory(DjangoModelFactory):
    class Meta:
        model = Candidat

    nom = fake("last_name")
    prenom = fake("first_name")
    date_naissance = fake("date_of_birth", minimum_age=18, maximum_age=60)
    # Sequential, so that a random address never matches a search term of a test.
    email = factory.Sequence(lambda number: f"candidat{number}@example.org")
    telephone = fake("phone_number")
    commune = fake("city")
    code_postal = fake("postcode")
    identifiant_france_travail = factory.Sequence(lambda number: f"{number:07d}X")
    date_consentement = factory.LazyFunction(timezone.localdate)
    date_dernier_contact = factory.LazyFunction(timezone.localdate)


class InscriptionFactory(DjangoModelFactory):
    """An enrollment written directly: `parcours.services.inscrire` enforces the rules."""

    class Meta:
        model = Inscription

    candidat = factory.SubFactory(CandidatFactory)
    cohorte = factory.SubFactory(CohorteFactory)
    date_entree = factory.SelfAttribute("cohorte.date_debut")


class StageFactory(DjangoModelFactory):
    """The first internship phase of the cohort, at a member company of the school."""

    class Meta:
        model = Stage

    inscription = factory.SubFactory(InscriptionFactory)
    phase = factory.LazyAttribute(
        lambda stage: stage.inscription.cohorte.phases.filter(type=TypePhase.STAGE).first()
    )

    @factory.lazy_attribute
    def entreprise(self):
        ecole = self.inscription.cohorte.parcours.ecole
        entreprise = ecole.entreprises_adherentes.first()
        if entreprise is None:
            entreprise = EntrepriseFactory()
            ecole.entreprises_adherentes.add(entreprise)
        return entreprise


class SuiviFactory(DjangoModelFactory):
    """The check-in of the cohort's first month, held today."""

    class Meta:
        model = Suivi

    inscription = factory.SubFactory(InscriptionFactory)
    mois = factory.LazyAttribute(lambda suivi: first_of_month(suivi.inscription.date_entree))
    date_entretien = factory.LazyFunction(timezone.localdate)
    auteur = factory.SubFactory(UserFactory)
    participants = fake("name")
    assiduite = Niveau.BON
    progression = Niveau.BON
    risque_decrochage = Risque.FAIBLE
    commentaire = fake("sentence")
    actions = fake("sentence")


class SortieFactory(DjangoModelFactory):
    """An exit into a CDI starting the next day, recorded by `enregistrer_sortie`.

    By default the trainee of an ended cohort leaves on its last day; given a running
    cohort's enrollment, the exit is today's (an exit is never recorded ahead of time).
    """

    class Meta:
        model = Sortie

    inscription = factory.SubFactory(
        InscriptionFactory,
        cohorte__date_debut=factory.LazyFunction(
            lambda: timezone.localdate() - datetime.timedelta(weeks=30)
        ),
    )
    date_sortie = factory.LazyAttribute(
        lambda sortie: min(sortie.inscription.cohorte.date_fin, timezone.localdate())
    )
    motif = Sortie.Motif.FIN_PARCOURS
    situation = Situation.CDI
    employeur = fake("company")
    date_debut_contrat = factory.LazyAttribute(
        lambda sortie: sortie.date_sortie + datetime.timedelta(days=1)
    )

    @classmethod
    def _create(cls, model_class, *args, inscription, **kwargs):
        return enregistrer_sortie(inscription=inscription, **kwargs)
