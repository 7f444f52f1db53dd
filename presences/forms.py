from django import forms

from .models import StatutPresence
from .services import STATUTS_SAISISSABLES, Saisie, erreurs_de_saisie

CHOIX_DE_SAISIE = [("", "—")] + [(statut.value, statut.label) for statut in STATUTS_SAISISSABLES]


def cle(inscription_id, creneau_id):
    return f"{inscription_id}-{creneau_id}"


class PresencesForm(forms.Form):
    """The cells of a grid (or of one half-day) that the user may fill.

    `cellules` are (inscription, creneau, presence or None) of trainees in training that
    half-day; a blank cell is left as it is. `tactile` shows big radio buttons (the tablet).
    """

    motif_correction = forms.CharField(
        label="Motif de la correction",
        max_length=200,
        required=False,
        help_text="Semaine verrouillée par sa feuille signée : toute modification demande "
        "un motif, conservé dans l'historique.",
    )

    def __init__(self, *args, cellules, tactile=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.cellules = {}
        widget = forms.RadioSelect if tactile else forms.Select
        for inscription, creneau, presence in cellules:
            suffixe = cle(inscription.pk, creneau.pk)
            existante = presence if presence and presence.statut in STATUTS_SAISISSABLES else None
            choix = CHOIX_DE_SAISIE[1:] if tactile else CHOIX_DE_SAISIE
            self.fields[f"statut-{suffixe}"] = forms.ChoiceField(
                label=f"{inscription.candidat}, {creneau}",
                choices=choix,
                required=False,
                initial=existante.statut if existante else "",
                widget=widget(attrs={"class": "saisie-statut", "data-creneau": creneau.pk}),
            )
            self.fields[f"minutes-{suffixe}"] = forms.IntegerField(
                label=f"Minutes de retard, {inscription.candidat}, {creneau}",
                min_value=1,
                max_value=360,
                required=False,
                initial=existante.minutes_retard if existante else None,
                widget=forms.NumberInput(attrs={"class": "saisie-minutes", "inputmode": "numeric"}),
            )
            self.fields[f"motif-{suffixe}"] = forms.CharField(
                label=f"Motif de l'absence, {inscription.candidat}, {creneau}",
                max_length=200,
                required=False,
                initial=existante.motif if existante else "",
                widget=forms.TextInput(attrs={"class": "saisie-motif"}),
            )
            self.cellules[suffixe] = (inscription, creneau)

    def champs_de(self, inscription_id, creneau_id):
        suffixe = cle(inscription_id, creneau_id)
        if suffixe not in self.cellules:
            return None
        return (
            self[f"statut-{suffixe}"],
            self[f"minutes-{suffixe}"],
            self[f"motif-{suffixe}"],
        )

    def clean(self):
        cleaned_data = super().clean()
        self.saisies = []
        for suffixe, (inscription, creneau) in self.cellules.items():
            statut = cleaned_data.get(f"statut-{suffixe}")
            if not statut:
                continue
            minutes = cleaned_data.get(f"minutes-{suffixe}")
            motif = cleaned_data.get(f"motif-{suffixe}") or ""
            erreurs = erreurs_de_saisie(statut, minutes, motif, creneau.heures_prevues)
            for champ, message in erreurs.items():
                nom = {"minutes_retard": "minutes", "motif": "motif"}.get(champ, "statut")
                self.add_error(f"{nom}-{suffixe}", f"{inscription.candidat}, {creneau} : {message}")
            if not erreurs:
                self.saisies.append(
                    Saisie(
                        inscription_id=inscription.pk,
                        creneau_id=creneau.pk,
                        statut=statut,
                        minutes_retard=minutes if statut == StatutPresence.RETARD else None,
                        motif=motif,
                    )
                )
        return cleaned_data


def avec_tous_presents(data, creneau_id, cellules):
    """`data` where the blank cells of half-day `creneau_id` become "présent" (the button
    "Tous présents", without JavaScript)."""
    data = data.copy()
    for inscription, creneau, _ in cellules:
        if str(creneau.pk) == creneau_id:
            champ = f"statut-{cle(inscription.pk, creneau.pk)}"
            if not data.get(champ):
                data[champ] = StatutPresence.PRESENT
    return data
