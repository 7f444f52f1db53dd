"""Factories building valid objects of every model, with French fake data."""

import datetime
import functools

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory, Password

from besoins.models import AffectationBesoin, Besoin, Contrat
from besoins.services import affecter_cohorte, exprimer_besoin, valider_besoin
from candidats.models import Candidat
from comptes.models import Appartenance, User
from documents.models import Document
from documents.services import deposer_feuille_signee
from ecoles.models import Ecole, Filiere
from entreprises.models import Contact, Entreprise
from evenements.models import Evenement, Immersion, Participation, TypeEvenement
from evenements.services import creer_evenement, enregistrer_immersion, inscrire_participant
from indicateurs import agregats
from parcours import echeances
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
from parcours.services import creer_cohorte, enregistrer_sortie, enregistrer_suivi
from presences.models import Creneau, Moment, Presence, StatutPresence
from presences.services import recompter_absences

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

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As every write path of a candidate does: the indicators count them.
        candidat = super()._create(model_class, *args, **kwargs)
        agregats.recalculer(candidats=[candidat])
        return candidat


class InscriptionFactory(DjangoModelFactory):
    """An enrollment written directly: `parcours.services.inscrire` enforces the rules."""

    class Meta:
        model = Inscription

    candidat = factory.SubFactory(CandidatFactory)
    cohorte = factory.SubFactory(CohorteFactory)
    date_entree = factory.SelfAttribute("cohorte.date_debut")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As `inscrire` does: the indicators count the enrollment, its months of check-ins
        # are missing.
        inscription = super()._create(model_class, *args, **kwargs)
        agregats.recalculer(cohortes=[inscription.cohorte_id])
        echeances.recalculer_manquants(inscriptions=[inscription])
        return inscription


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

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As `definir_stages` does: the phase has its host company.
        stage = super()._create(model_class, *args, **kwargs)
        echeances.recalculer_manquants(inscriptions=[stage.inscription_id])
        return stage


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

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return enregistrer_suivi(model_class(*args, **kwargs))


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


class CreneauFactory(DjangoModelFactory):
    """A theory half-day of the cohort, on a Monday morning within its dates by default.

    `presences.services.generer_creneaux` makes a cohort's own half-days; this factory is for
    a half-day the calendar would not yield (a conserved one, a test of one cell).
    """

    class Meta:
        model = Creneau

    cohorte = factory.SubFactory(CohorteFactory)
    type = TypePhase.THEORIE
    date = factory.LazyAttribute(
        lambda creneau: (
            creneau.cohorte.date_debut
            - datetime.timedelta(days=creneau.cohorte.date_debut.weekday())
            + datetime.timedelta(weeks=1)
        )
    )
    moment = Moment.MATIN
    heures_prevues = factory.SelfAttribute("cohorte.heures_par_demi_journee")
    phase = factory.LazyAttribute(
        lambda creneau: creneau.cohorte.phases.filter(
            date_debut__lte=creneau.date, date_fin__gte=creneau.date
        ).first()
    )


class PresenceFactory(DjangoModelFactory):
    """A trainee present on one of the cohort's half-days (written directly: the grid's
    rules are `presences.services.enregistrer_presences`')."""

    class Meta:
        model = Presence

    inscription = factory.SubFactory(InscriptionFactory)
    creneau = factory.LazyAttribute(
        lambda presence: presence.inscription.cohorte.creneaux.filter(
            date__gte=presence.inscription.date_entree
        ).first()
    )
    statut = StatutPresence.PRESENT
    heures_realisees = factory.LazyAttribute(lambda presence: presence.creneau.heures_prevues)
    saisie_par = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As `enregistrer_presences` does: the month's unjustified absences are counted.
        presence = super()._create(model_class, *args, **kwargs)
        recompter_absences(
            inscriptions=[presence.inscription_id], mois=[presence.creneau.date.replace(day=1)]
        )
        return presence


# The first bytes a PDF scan starts with: enough for the portal, which keeps it as sent.
SCAN_PDF = b"%PDF-1.4\n% feuille signee\n%%EOF\n"


class DocumentFactory(DjangoModelFactory):
    """The signed scan of the cohort's first week, kept by `documents.services` (which
    locks that week, as an upload does)."""

    class Meta:
        model = Document

    cohorte = factory.SubFactory(CohorteFactory)
    auteur = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, cohorte, auteur, **kwargs):
        lundi = cohorte.date_debut - datetime.timedelta(days=cohorte.date_debut.weekday())
        return deposer_feuille_signee(
            cohorte=cohorte, lundi=lundi, contenu=SCAN_PDF, auteur=auteur, **kwargs
        )


class BesoinFactory(DjangoModelFactory):
    """A need stated through `exprimer_besoin`, by a member company of its school.

    `valide=True` validates it; the wished hiring month is three months from now.
    """

    class Meta:
        model = Besoin

    entreprise = factory.SubFactory(EntrepriseFactory)
    ecole = factory.LazyAttribute(
        lambda besoin: EcoleFactory(entreprises_adherentes=[besoin.entreprise])
    )
    metier = "Technicien de maintenance"
    postes = 2
    contrat = Contrat.CDI
    mois_embauche = factory.LazyFunction(
        lambda: first_of_month(timezone.localdate() + datetime.timedelta(days=92))
    )
    site = fake("city")
    valide = False

    @classmethod
    def _create(cls, model_class, *args, valide=False, **kwargs):
        besoin, _ = exprimer_besoin(**kwargs)
        return valider_besoin(besoin=besoin) if valide else besoin


class AffectationBesoinFactory(DjangoModelFactory):
    """Positions of a need given to a cohort of its school, through `affecter_cohorte`."""

    class Meta:
        model = AffectationBesoin

    besoin = factory.SubFactory(BesoinFactory)
    cohorte = factory.LazyAttribute(
        lambda affectation: CohorteFactory(parcours__ecole=affectation.besoin.ecole)
    )
    postes = 1

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return affecter_cohorte(**kwargs)


class EvenementFactory(DjangoModelFactory):
    """An event saved through `evenements.services.creer_evenement`."""

    class Meta:
        model = Evenement
        skip_postgeneration_save = True

    type = TypeEvenement.INFORMATION
    titre = factory.Sequence(lambda number: f"Réunion d'information {number}")
    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    heure_debut = datetime.time(9, 30)
    heure_fin = datetime.time(11, 30)
    lieu = "Agence France Travail"
    organisateur = "Alliance Emploi"
    capacite = 20

    @classmethod
    def _create(cls, model_class, *args, ecoles=(), entreprises_hotes=(), **kwargs):
        return creer_evenement(
            evenement=model_class(**kwargs), ecoles=ecoles, entreprises_hotes=entreprises_hotes
        )


class ParticipationFactory(DjangoModelFactory):
    """A participant registered through `inscrire_participant`, within the capacity."""

    class Meta:
        model = Participation

    evenement = factory.SubFactory(EvenementFactory)
    candidat = factory.SubFactory(CandidatFactory)
    statut = "inscrit"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return inscrire_participant(**kwargs)


class ImmersionFactory(DjangoModelFactory):
    """A company immersion saved through `enregistrer_immersion`."""

    class Meta:
        model = Immersion

    candidat = factory.SubFactory(CandidatFactory)
    entreprise = factory.SubFactory(EntrepriseFactory)
    date_debut = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=14))
    date_fin = factory.LazyAttribute(
        lambda immersion: immersion.date_debut + datetime.timedelta(days=13)
    )
    prescripteur = "France Travail"
    reference_convention = factory.Sequence(lambda number: f"PMSMP-{number:05d}")
    resultat = "en_cours"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return enregistrer_immersion(immersion=model_class(**kwargs))
