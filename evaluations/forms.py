from django import forms

from .models import Appreciation, Embauche, EvaluationDeStage


class EvaluationForm(forms.ModelForm):
    # Radio buttons with no blank choice: every question needs an answer.
    ponctualite = forms.ChoiceField(
        label="Ponctualité", choices=Appreciation.choices, widget=forms.RadioSelect
    )
    qualite_du_travail = forms.ChoiceField(
        label="Qualité du travail", choices=Appreciation.choices, widget=forms.RadioSelect
    )
    integration = forms.ChoiceField(
        label="Intégration dans l'équipe", choices=Appreciation.choices, widget=forms.RadioSelect
    )
    embaucherait = forms.ChoiceField(
        label="L'embaucheriez-vous ?", choices=Embauche.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = EvaluationDeStage
        fields = [
            "ponctualite",
            "qualite_du_travail",
            "integration",
            "embaucherait",
            "commentaire",
            "tuteur",
        ]
        labels = {"tuteur": "Nom du tuteur ou de la tutrice"}
        widgets = {"commentaire": forms.Textarea(attrs={"rows": 4})}
