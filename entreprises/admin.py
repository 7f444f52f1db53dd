from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count

from . import services
from .models import Contact, Entreprise


class ContactForm(forms.ModelForm):
    """Checked by the service that saves it, so that a refusal shows on the form."""

    class Meta:
        model = Contact
        fields = ["entreprise", "prenom", "nom", "fonction", "email", "telephone"]

    def _post_clean(self):
        super()._post_clean()
        if self.errors or not self.instance.entreprise_id:
            return
        try:
            services.verifier_contact(self.instance)
        except ValidationError as error:
            self._update_errors(error)


class ContactInline(admin.TabularInline):
    model = Contact
    form = ContactForm
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

    def save_formset(self, request, form, formset, change):
        for contact in formset.save(commit=False):
            services.enregistrer_contact(contact)
        for contact in formset.deleted_objects:
            contact.delete()


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    form = ContactForm
    list_display = ["nom", "prenom", "fonction", "entreprise", "email", "telephone"]
    list_filter = ["entreprise__type"]
    search_fields = ["nom", "prenom", "email", "entreprise__nom"]
    list_select_related = ["entreprise"]
    autocomplete_fields = ["entreprise"]

    def save_model(self, request, obj, form, change):
        services.enregistrer_contact(obj)
