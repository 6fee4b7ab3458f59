"""Staff export statements and requests for comment as CSV and XLSX from the admin."""

import csv
import io

import openpyxl
import pytest
from django.utils import timezone

from sources.models import Outcome
from tests.factories import make_request, make_source, make_statement, make_user

pytestmark = pytest.mark.django_db

STATEMENTS = "/admin/snippets/sources/statement/"
REQUESTS = "/admin/snippets/sources/requestforcomment/"
SITE_HISTORY = "/admin/reports/site-history/"
FORMULA = '=HYPERLINK("x")'


@pytest.fixture
def records():
    office = make_source("Office of the Mayor")
    make_statement(office, quote="Calls go to 311 now.")
    make_request(
        office,
        outcome=Outcome.DECLINED,
        answered_at=timezone.now(),
        public_summary="Declined by email.",
        internal_notes="Spoke off the record first.",
    )


def test_editor_exports_statements_as_csv(editor_client, records):
    response = editor_client.get(STATEMENTS, {"export": "csv"})

    assert response.status_code == 200
    assert 'filename="statements.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert rows[0]["Quote"] == "Calls go to 311 now."
    assert rows[0]["Source"] == "Office of the Mayor"


def test_editor_exports_requests_as_xlsx_without_internal_notes(editor_client, records):
    response = editor_client.get(REQUESTS, {"export": "xlsx"})

    assert response.status_code == 200
    assert 'filename="requests-for-comment.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert "Public summary" in rows[0]
    assert "Declined by email." in rows[1]
    assert not any("off the record" in str(value) for row in rows for value in row)


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.getvalue().decode())))


def test_a_formula_in_a_csv_export_opens_as_text(editor_client):
    office = make_source("@Office of the Mayor")
    make_statement(office, quote=FORMULA, summary="-1 vote")

    response = editor_client.get(STATEMENTS, {"export": "csv"})

    row = csv_rows(response)[0]
    assert row["Quote"] == f"'{FORMULA}"
    assert row["Source"] == "'@Office of the Mayor"
    assert row["Summary"] == "'-1 vote"
    assert row["Channel"] == "emailed_statement"


def test_a_formula_in_an_xlsx_export_is_a_text_cell(editor_client):
    make_statement(make_source("Office of the Mayor"), quote=FORMULA)

    response = editor_client.get(STATEMENTS, {"export": "xlsx"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    (quote,) = [cell for cell in cells if cell.value == FORMULA]
    assert quote.data_type == "s"


def test_wagtails_own_reports_export_formulas_as_text(editor_client):
    """The fix sits on Wagtail's export mixin, so its reports are covered too."""
    make_statement(make_source("=cmd|' /C calc'!A0"), quote="Calls go to 311 now.")

    response = editor_client.get(SITE_HISTORY, {"export": "csv"})

    names = [row["Name"] for row in csv_rows(response)]
    assert names
    assert not [name for name in names if name.startswith("=")]
    assert [name for name in names if name.startswith("'=cmd")]


def test_reporters_may_export_what_they_may_list(reporter_client, records):
    assert reporter_client.get(REQUESTS, {"export": "csv"}).status_code == 200


@pytest.mark.parametrize("url", [STATEMENTS, REQUESTS])
def test_anonymous_and_staff_without_permission_cannot_export(client, records, url):
    assert client.get(url, {"export": "csv"}).status_code == 302
    client.force_login(make_user("nobody", is_staff=True))

    response = client.get(url, {"export": "csv"})

    assert response.status_code in {302, 403}
    assert b"Office of the Mayor" not in response.content
