import calendar
import datetime

from django.utils import dateformat

# The dates the portal takes: wide enough for any date of the programme, far enough from
# year 1 and 9999 that the arithmetic below (the day after, six months later) never
# leaves the calendar.
DATE_MIN = datetime.date(2000, 1, 1)
DATE_MAX = datetime.date(2099, 12, 31)


def message_hors_bornes(debut=DATE_MIN, fin=DATE_MAX):
    return f"Choisissez une date entre le {debut:%d/%m/%Y} et le {fin:%d/%m/%Y}."


def add_months(day, months):
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb).

    OverflowError past year 1 or 9999, as for any date arithmetic.
    """
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise OverflowError("date value out of range")
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def first_of_month(day):
    return day.replace(day=1)


def months_between(start, end):
    """First days of every calendar month from `start`'s to `end`'s, both included."""
    month = first_of_month(start)
    while month <= end:
        yield month
        month = add_months(month, 1)


def lasts_at_least_months(start, end, months):
    """True when a contract from `start` to `end` (both included) lasts `months` or more."""
    try:
        last_day_needed = add_months(start, months) - datetime.timedelta(days=1)
    except OverflowError:
        # `months` after `start` is past year 9999, so past any end.
        return False
    return end >= last_day_needed


def nom_du_mois(mois):
    """ "janvier 2025": the month's name in the active language."""
    return dateformat.format(mois, "F Y")
