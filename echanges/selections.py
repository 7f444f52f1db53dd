"""What a full export holds: the rows its page's criteria select, among what its user sees.

The page validates the criteria when the export is asked for, the task again when it
writes the file (the schools one may see can change in between): both call `selection`.
"""

from dataclasses import dataclass
from types import SimpleNamespace

from candidats.filters import CandidatFilter
from candidats.models import Candidat
from parcours.models import Sortie

from . import exports
from .forms import ExportSortiesForm


class CriteresRefuses(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Selection:
    """The rows as a queryset (counted and read in one snapshot by the task), the columns
    and the function that turns the queryset into the rows of the file."""

    queryset: object
    colonnes: list
    lignes: object
    nom: list

    def nom_de_fichier(self, format):
        return exports.nom_de_fichier(*self.nom, extension=format)


def selection(export, criteres, *, user):
    """The rows of `export` ("candidats" or "sorties") for `criteres`, a QueryDict.

    The candidates go through the list page's filter, which leaves aside a criterion it
    refuses as the list does; the exits through the indicators page's criteria, whose
    refusal raises `CriteresRefuses` naming each one.
    """
    if export == "candidats":
        filtre = CandidatFilter(
            criteres,
            queryset=Candidat.objects.visibles_par(user),
            # The filter reads the schools the user may choose from its request.
            request=SimpleNamespace(user=user),
        )
        return Selection(
            queryset=filtre.qs.order_by("nom", "prenom", "pk"),
            colonnes=exports.COLONNES_CANDIDATS,
            lignes=exports.lignes_candidats,
            nom=["candidats"],
        )
    form = ExportSortiesForm(criteres, user=user)
    if not form.is_valid():
        raise CriteresRefuses(f"Critères d'export invalides. {form.erreurs()}")
    ecole = form.cleaned_data["ecole"]
    return Selection(
        queryset=form.filtrer(Sortie.objects.visibles_par(user)),
        colonnes=exports.COLONNES_SORTIES,
        lignes=exports.lignes_sorties,
        nom=["sorties", ecole.ville if ecole else "", form.cleaned_data["filiere"]],
    )
