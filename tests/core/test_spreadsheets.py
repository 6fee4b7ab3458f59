"""Cells a spreadsheet would run as a formula are written as text."""

import datetime
from decimal import Decimal

import pytest

from core.spreadsheets import neutralise_formula


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_a_spreadsheet_would_run_gets_a_quote_in_front(start):
    assert neutralise_formula(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"


@pytest.mark.parametrize(
    "value",
    ["Calls go to 311 now.", "", " =not at the start", "'quoted already", None],
)
def test_other_text_is_left_alone(value):
    assert neutralise_formula(value) == value


@pytest.mark.parametrize(
    "value", [-3, -2.5, Decimal("-1.5"), True, datetime.date(2024, 1, 2)]
)
def test_numbers_dates_and_booleans_stay_what_they_are(value):
    assert neutralise_formula(value) == value
