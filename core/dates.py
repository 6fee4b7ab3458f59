"""Dates known to a precision: a year, a month or a day, shown no finer.

A yearly total is "2012", not "Dec. 31, 2012". Tracker figures and story data
points both keep a date with its precision and show it through these helpers.
"""

from django.utils import dateformat

YEAR, MONTH, DAY = "year", "month", "day"
PRECISIONS = [(YEAR, "Year"), (MONTH, "Month"), (DAY, "Day")]

_FORMATS = {YEAR: "Y", MONTH: "N Y", DAY: "N j, Y"}
_ISO_LENGTHS = {YEAR: 4, MONTH: 7, DAY: 10}


def label(date, precision=DAY):
    """ "2012", "Feb. 2017" or "Feb. 6, 2017"; an unknown precision reads as a day."""
    return dateformat.format(date, _FORMATS.get(precision, _FORMATS[DAY]))


def iso(date, precision=DAY):
    """The date's ISO 8601 form to its precision, for `<time datetime>`."""
    return date.isoformat()[: _ISO_LENGTHS.get(precision, _ISO_LENGTHS[DAY])]
