"""Spreadsheet exports from the admin that are safe to open.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return,
which some spreadsheets skip before looking) is run as a formula when a CSV
file is opened: a quote or a source's name typed by anyone could then fetch
a URL or run a command on the computer of the editor who opened the export.
As OWASP advises, such cells are written with a single quote in front, which
spreadsheets show as text.

Wagtail's `SpreadsheetExportMixin` already writes such XLSX cells as text,
but writes CSV cells as they are. `neutralise_csv_formulas()` fixes that on
the mixin itself, once at start-up (newsroom.apps), so every export in the
admin is covered: our snippet viewsets and Wagtail's own reports (site
history holds page titles reporters typed) alike, and any added later.
"""

from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """`value` with a `'` in front if a spreadsheet would run it as a formula.

    Only text: numbers (a negative count) stay numbers.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return f"'{value}"
    return value


def neutralise_csv_formulas():
    """Make every CSV export neutralise formulas; calling it again does nothing."""
    plain = SpreadsheetExportMixin.preprocess_field_value
    if getattr(plain, "neutralises_formulas", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        value = plain(self, field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return neutralise_formula(value)
        return value

    preprocess_field_value.neutralises_formulas = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
