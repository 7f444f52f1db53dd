import calendar
import datetime

from django.utils import dateformat


def add_months(day, months):
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
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
    return end + datetime.timedelta(days=1) >= add_months(start, months)


def nom_du_mois(mois):
    """ "janvier 2025": the month's name in the active language."""
    return dateformat.format(mois, "F Y")
