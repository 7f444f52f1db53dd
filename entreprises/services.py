"""The only write path of an organisation's contacts: staff pages and the admin."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portail.francais import de


def _deja_enregistre(contact):
    return ValidationError({"nom": f"{contact} est déjà un contact {de(contact.entreprise.nom)}."})


def verifier_contact(contact):
    """The model's rules, with the unique name told in the staff's words."""
    contact.full_clean(validate_constraints=False)
    doublon = (
        type(contact)
        .objects.filter(entreprise=contact.entreprise_id, nom=contact.nom, prenom=contact.prenom)
        .exclude(pk=contact.pk)
    )
    if doublon.exists():
        raise _deja_enregistre(contact)


@transaction.atomic
def enregistrer_contact(contact):
    """Save a new or changed contact; a second submit of the same form is refused."""
    verifier_contact(contact)
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError as error:
        raise _deja_enregistre(contact) from error
    return contact
