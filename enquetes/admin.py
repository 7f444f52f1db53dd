from django.contrib import admin

from .models import Enquete, JetonEnquete, SituationApresSortie


class LectureSeule(admin.ModelAdmin):
    """Read-only: surveys, links and answers are written by `enquetes.services` alone.

    Deleting stays possible: deleting an exit in the admin deletes its surveys with it.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Enquete)
class EnqueteAdmin(LectureSeule):
    list_display = [
        "sortie",
        "vague_mois",
        "date_prevue",
        "envoyee_le",
        "relancee_1_le",
        "relancee_2_le",
        "refusee_le",
        "injoignable_le",
    ]
    list_filter = ["vague_mois"]
    list_select_related = ["sortie__inscription__candidat"]
    date_hierarchy = "date_prevue"
    search_fields = ["sortie__inscription__candidat__recherche"]


@admin.register(JetonEnquete)
class JetonEnqueteAdmin(LectureSeule):
    # The hash says nothing useful and stays out of sight.
    fields = ["enquete", "cree_le", "expire_le"]
    list_display = ["enquete", "cree_le", "expire_le"]
    list_select_related = ["enquete__sortie__inscription__candidat"]


@admin.register(SituationApresSortie)
class SituationApresSortieAdmin(LectureSeule):
    list_display = [
        "sortie",
        "vague_mois",
        "situation",
        "categorie",
        "source",
        "satisfaction",
        "repondu_le",
    ]
    list_filter = ["vague_mois", "categorie", "source"]
    list_select_related = ["sortie__inscription__candidat"]
    readonly_fields = ["categorie"]
