from django import forms


class SyntheseForm(forms.Form):
    recoit_synthese = forms.BooleanField(required=False)
