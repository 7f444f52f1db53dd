"""Working days of a cohort's calendar: weekdays that are not French public holidays."""

import datetime
import functools

import holidays


@functools.lru_cache(maxsize=64)
def _jours_feries_de(annee):
    return holidays.country_holidays("FR", years=annee, language="fr")


def jours_feries(debut, fin):
    """French public holidays from `debut` to `fin` (both included), as (day, name), in order."""
    feries = []
    for annee in range(debut.year, fin.year + 1):
        feries.extend(
            (jour, nom) for jour, nom in _jours_feries_de(annee).items() if debut <= jour <= fin
        )
    return sorted(feries)


def jours_ouvres(debut, fin):
    """The number of working days from `debut` to `fin`: Monday to Friday, holidays aside."""
    feries = {jour for jour, _ in jours_feries(debut, fin)}
    jour, total = debut, 0
    while jour <= fin:
        if jour.weekday() < 5 and jour not in feries:
            total += 1
        jour += datetime.timedelta(days=1)
    return total
