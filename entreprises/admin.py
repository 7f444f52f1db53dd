from django.contrib import admin
from django.db.models import Count

from .models import Contact, Entreprise


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Entreprise)
class EntrepriseAdmin(admin.ModelAdmin):
    list_display = ["nom", "siret", "ville", "type", "nombre_contacts"]
    list_filter = ["type", "ville"]
    search_fields = ["nom", "siret", "ville"]
    inlines = [ContactInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(contacts_count=Count("contacts"))

    @admin.display(description="contacts", ordering="contacts_count")
    def nombre_contacts(self, obj):
        return obj.contacts_count


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["nom", "prenom", "fonction", "entreprise", "email", "telephone"]
    list_filter = ["entreprise__type"]
    search_fields = ["nom", "prenom", "email", "entreprise__nom"]
    list_select_related = ["entreprise"]
    autocomplete_fields = ["entreprise"]
