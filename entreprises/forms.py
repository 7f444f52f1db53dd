from django import forms
from django.db.models import Q

from .models import Contact, Entreprise


class RechercheOrganisationForm(forms.Form):
    q = forms.CharField(label="Rechercher", required=False, max_length=200)
    type = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Tous les types"), *Entreprise.Type.choices]
    )

    def filtrer(self, organisations):
        terms = self.cleaned_data["q"].strip()
        if terms:
            condition = Q(nom__icontains=terms) | Q(ville__icontains=terms)
            siret = terms.replace(" ", "")
            if siret.isdigit():
                condition |= Q(siret__contains=siret)
            organisations = organisations.filter(condition)
        if self.cleaned_data["type"]:
            organisations = organisations.filter(type=self.cleaned_data["type"])
        return organisations


class ComptePartenaireForm(forms.Form):
    prenom = forms.CharField(label="Prénom", max_length=150)
    nom = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(
        label="Adresse de courriel",
        max_length=150,
        help_text="Elle sert d'identifiant ; le lien pour choisir le mot de passe y est envoyé.",
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["prenom", "nom", "fonction", "email", "telephone"]

    def add_model_errors(self, error):
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)
