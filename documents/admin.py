"""Documents are written by `documents.services` only: the admin shows them, read-only,
with a download link."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import Document, TelechargementDocument


class LectureSeule(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(LectureSeule):
    list_display = ["nom_fichier", "type", "version", "cohorte", "auteur", "cree_le", "fichier_"]
    list_filter = ["type"]
    search_fields = ["nom_fichier", "cohorte__nom", "sha256"]
    list_select_related = ["cohorte", "auteur"]
    readonly_fields = [
        "type",
        "cohorte",
        "inscription",
        "stage",
        "lundi",
        "sujet",
        "version",
        "version_gabarit",
        "sha256",
        "taille",
        "type_contenu",
        "nom_fichier",
        "fichier_",
        "auteur",
        "cree_le",
    ]
    fields = readonly_fields

    @admin.display(description="fichier")
    def fichier_(self, document):
        return format_html(
            '<a href="{}">Télécharger</a>', reverse("documents:telecharger", args=[document.pk])
        )


@admin.register(TelechargementDocument)
class TelechargementDocumentAdmin(LectureSeule):
    list_display = ["document", "user", "telecharge_le"]
    list_select_related = ["document", "user"]
    readonly_fields = ["document", "user", "telecharge_le"]
    date_hierarchy = "telecharge_le"
