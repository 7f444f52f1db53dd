import datetime

import pytest

from parcours.dates import add_months, lasts_at_least_months, months_between


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2025, 1, 31), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2025, 3, 31), 1, datetime.date(2025, 4, 30)),
        (datetime.date(2025, 1, 15), 6, datetime.date(2025, 7, 15)),
        (datetime.date(2024, 11, 30), 3, datetime.date(2025, 2, 28)),
        (datetime.date(2025, 8, 31), 6, datetime.date(2026, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_last_day_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (datetime.date(2025, 1, 1), datetime.date(2025, 6, 30), True),
        (datetime.date(2025, 1, 1), datetime.date(2025, 6, 29), False),
        (datetime.date(2025, 1, 15), datetime.date(2025, 7, 14), True),
        (datetime.date(2025, 1, 15), datetime.date(2025, 7, 13), False),
        (datetime.date(2025, 8, 31), datetime.date(2026, 2, 27), True),
        (datetime.date(2025, 8, 31), datetime.date(2026, 2, 26), False),
    ],
)
def test_lasts_at_least_six_months_boundaries(start, end, expected):
    assert lasts_at_least_months(start, end, 6) is expected


def test_months_between_lists_every_calendar_month_touched():
    assert list(months_between(datetime.date(2024, 11, 20), datetime.date(2025, 2, 3))) == [
        datetime.date(2024, 11, 1),
        datetime.date(2024, 12, 1),
        datetime.date(2025, 1, 1),
        datetime.date(2025, 2, 1),
    ]
