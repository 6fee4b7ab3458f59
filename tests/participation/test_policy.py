"""The corrections policy page: its live figures, their definitions, what is
kept and for how long, and that no reader's name, address or words show."""

import datetime
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone

from core.page_cache import content_models
from newsroom.demo.policy import build_policy
from newsroom.scaffold import backdate_update
from participation.figures import build_figures, month_starts
from participation.models import CorrectionRequest, CorrectionsPolicy
from participation.policy_views import FIGURES_KEY
from stories.models import Update
from tests.factories import make_story, make_update, unpublish_as_before

NEW_YORK = ZoneInfo("America/New_York")
Status = CorrectionRequest.Status


def at(*args):
    """A moment in the newsroom's time zone (the test settings' TIME_ZONE)."""
    return datetime.datetime(*args, tzinfo=NEW_YORK)


def report(received_at, status=Status.NEW, resolved_at=None, **fields):
    fields.setdefault("what_is_wrong", "The date in the second paragraph is wrong.")
    return CorrectionRequest.objects.create(
        received_at=received_at, status=status, resolved_at=resolved_at, **fields
    )


def published_update(story, kind, when):
    """An update of `kind` on `story`, first published at `when`."""
    update = make_update(story, f"A {kind} of the record.", kind=kind)
    backdate_update(update, when)
    update.refresh_from_db()
    return update


NOW = at(2026, 4, 15, 12, 0)


@pytest.fixture
def handled(story_index):
    """Reports over three months, decided or not, and the corrections they led to."""
    story = make_story(story_index, "Commission delays the vote")
    gone = make_story(story_index, "A story taken down")
    correction = published_update(story, Update.Kind.CORRECTION, at(2026, 4, 5))
    clarification = published_update(story, Update.Kind.CLARIFICATION, at(2026, 4, 2))
    plain_update = published_update(story, Update.Kind.UPDATE, at(2026, 3, 25))
    mine_alone = published_update(story, Update.Kind.CORRECTION, at(2026, 4, 6))
    on_hidden_story = published_update(gone, Update.Kind.CORRECTION, at(2026, 4, 7))
    unpublish_as_before(gone)
    # April: one of each status; the corrected and declined ones took 3 and 1 days.
    report(
        at(2026, 4, 2, 9), Status.CORRECTED, at(2026, 4, 5, 9), correction=correction
    )
    report(at(2026, 4, 10, 9), Status.DECLINED, at(2026, 4, 11, 9))
    report(at(2026, 4, 12, 9), Status.NEW)
    report(at(2026, 4, 13, 9), Status.DUPLICATE, at(2026, 4, 13, 10))
    # March: two corrected, in 13 and 2 days; one led to a plain update, which
    # is not a correction, and one to a clarification published in April.
    report(
        at(2026, 3, 20, 9),
        Status.CORRECTED,
        at(2026, 4, 2, 9),
        correction=clarification,
    )
    report(
        at(2026, 3, 23, 9),
        Status.CORRECTED,
        at(2026, 3, 25, 9),
        correction=plain_update,
    )
    # Just after midnight UTC on March 1st is still February in New York.
    report(
        datetime.datetime(2026, 3, 1, 3, 0, tzinfo=datetime.UTC), Status.INVESTIGATING
    )
    # Before the twelve months: not counted.
    report(at(2025, 4, 30, 9), Status.CORRECTED, at(2025, 5, 2, 9))
    # A correction a report points to but that was not decided "corrected", and
    # one on a story readers can no longer see: neither began with a report.
    report(at(2026, 4, 6, 8), Status.INVESTIGATING, correction=mine_alone)
    report(
        at(2026, 4, 7, 8),
        Status.CORRECTED,
        at(2026, 4, 7, 9),
        correction=on_hidden_story,
    )


def by_month(figures):
    return {row.month: row for row in figures.months}


def test_the_twelve_months_run_newest_first_across_a_year_end():
    starts = month_starts(at(2026, 1, 31, 23, 59))

    assert len(starts) == 12
    assert starts[0] == datetime.date(2026, 1, 1)
    assert starts[1] == datetime.date(2025, 12, 1)
    assert starts[-1] == datetime.date(2025, 2, 1)


def test_each_month_counts_the_reports_received_in_it_by_where_they_stand(handled):
    months = by_month(build_figures(NOW))

    april = months[datetime.date(2026, 4, 1)]
    assert (april.received, april.corrected, april.declined) == (6, 2, 1)
    assert (april.duplicates, april.still_open) == (1, 2)
    march = months[datetime.date(2026, 3, 1)]
    assert (march.received, march.corrected, march.still_open) == (2, 2, 0)


def test_a_report_late_on_the_last_day_of_a_month_counts_in_that_month_locally(
    handled,
):
    months = by_month(build_figures(NOW))

    february = months[datetime.date(2026, 2, 1)]
    assert (february.received, february.still_open) == (1, 1)
    assert february.median_days is None
    assert months[datetime.date(2026, 1, 1)].received == 0


def test_the_median_counts_corrected_and_declined_reports_only(handled):
    figures = build_figures(NOW)
    months = by_month(figures)

    # April: 3 days, 1 day and 1 hour; the duplicate is left out.
    april = months[datetime.date(2026, 4, 1)]
    assert april.decided == 3
    assert april.median_days == 1.0
    march = months[datetime.date(2026, 3, 1)]
    assert (march.decided, march.median_days) == (2, 7.5)
    # Over all of them: 1/24, 1, 2, 3 and 13 days.
    assert (figures.total.decided, figures.total.median_days) == (5, 2.0)


def test_corrections_that_began_with_a_report_are_visible_and_counted_when_published(
    handled,
):
    figures = build_figures(NOW)
    months = by_month(figures)

    # The correction and the clarification, both published in April; not the
    # plain update, the correction whose report is still open, nor the one
    # on a story readers can no longer see.
    assert months[datetime.date(2026, 4, 1)].corrections_from_reports == 2
    assert months[datetime.date(2026, 3, 1)].corrections_from_reports == 0
    assert figures.total.corrections_from_reports == 2


def test_the_period_leaves_out_reports_before_its_first_month(handled):
    figures = build_figures(NOW)

    assert figures.first_month == datetime.date(2025, 5, 1)
    assert figures.total.received == 6 + 2 + 1
    assert figures.total.received == sum(
        figures.total.__dict__[name]
        for name in ["corrected", "declined", "duplicates", "still_open"]
    )


def test_all_time_counts_every_report_since_the_first(handled):
    figures = build_figures(NOW)
    every = figures.all_time

    assert figures.since == datetime.date(2025, 4, 1)
    assert (every.received, every.corrected, every.declined) == (10, 5, 1)
    assert (every.duplicates, every.still_open) == (1, 3)
    # 1/24, 1, 2, 2, 3 and 13 days: the two middle ones are both 2.
    assert (every.decided, every.median_days) == (6, 2.0)
    assert every.corrections_from_reports == 2


def test_the_all_time_median_of_an_odd_number_is_the_middle_one(story_index):
    for days in [1, 4, 30]:
        report(NOW - datetime.timedelta(days=400), Status.DECLINED,
               NOW - datetime.timedelta(days=400 - days))  # fmt: skip
    every = build_figures(NOW).all_time
    assert (every.decided, every.median_days) == (3, 4.0)
    # None of them in the last twelve months.
    assert build_figures(NOW).total.received == 0


def test_with_no_reports_there_is_no_all_time_row(client, home_page):
    figures = build_figures(NOW)
    assert figures.since is None and figures.all_time.received == 0
    assert "All time, since" not in client.get("/corrections/policy/").content.decode()


def test_figures_cost_a_fixed_number_of_queries(handled, django_assert_num_queries):
    # Two grouped counts and the period's decision times; the all-time
    # counts, its middle decision times, and its corrections.
    with django_assert_num_queries(6):
        build_figures(NOW)


# --- The page -----------------------------------------------------------------


def table(html):
    return re.search(r'<table class="policy-figures__table">.*?</table>', html, re.S)[0]


def cells(row_html):
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row_html, re.S)
    ]


def test_the_page_shows_this_months_figures_in_an_accessible_table(client, home_page):
    now = timezone.now()
    report(now - datetime.timedelta(hours=30), Status.DECLINED, now)
    report(now - datetime.timedelta(hours=2))

    response = client.get("/corrections/policy/")

    assert response.status_code == 200
    html = response.content.decode()
    figures = table(html)
    assert "<caption" in figures
    assert figures.count('<th scope="col">') == 8
    month = timezone.localtime(now).strftime("%B %Y")
    assert f'<th scope="row"><time datetime="{now:%Y-%m}">{month}</time></th>' in (
        figures
    )
    total = re.search(r"<tfoot>.*?</tfoot>", figures, re.S)[0]
    assert cells(total)[:7] == ["All 12 months", "2", "0", "1", "0", "1", "1.2 (of 1)"]


def test_the_page_states_its_definitions_and_what_is_kept(client, home_page, settings):
    settings.REPORT_CONTACT_RETENTION_DAYS = 90
    settings.FOLLOW_CONFIRM_DAYS = 3

    html = client.get("/corrections/policy/").content.decode()

    assert "How these figures are defined" in html
    for term in [
        "Reports received",
        "Median days to a decision",
        "Corrections that began with a report",
        "Duplicates and open reports are left out",
    ]:
        assert term in html
    assert "are erased 90 days after the report is decided" in html
    assert "is deleted after 3 days" in html


def test_the_page_works_with_no_policy_written_and_no_reports(client, home_page):
    response = client.get("/corrections/policy/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "we never delete a correction" in html
    assert "We never publish them" in html
    assert cells(re.search(r"<tfoot>.*?</tfoot>", html, re.S)[0])[1:6] == ["0"] * 5
    assert not CorrectionsPolicy.objects.exists(), "a reader's visit wrote a row"


def test_the_page_shows_the_policy_editors_wrote(client, home_page):
    CorrectionsPolicy.objects.create(
        site_id=home_page.get_site().pk,
        introduction="<p>We correct the record within a day.</p>",
        retention="<p>Reports are kept for the figures only.</p>",
    )

    html = client.get("/corrections/policy/").content.decode()

    assert "We correct the record within a day." in html
    assert "Reports are kept for the figures only." in html
    assert "we never delete a correction" not in html
    # The periods from the settings are stated whatever the editors wrote.
    assert "after the report is decided" in html


def test_no_reader_name_address_or_words_ever_reach_the_page(client, story_index):
    story = make_story(story_index)
    correction = make_update(story, "Corrected the date.", kind="correction")
    now = timezone.now()
    decided = report(
        now - datetime.timedelta(days=2),
        Status.CORRECTED,
        now,
        correction=correction,
        page=story,
        name="Zebulon Quarrington",
        email="zq-marker@reader.example",
        what_is_wrong="MARKER-WHAT-IS-WRONG the vote was on Tuesday",
        where="MARKER-WHERE third paragraph",
        wants_outcome=True,
    )
    report(
        now - datetime.timedelta(days=1),
        Status.DECLINED,
        now,
        name="Ottoline Brackwater",
        email="ob-marker@reader.example",
        what_is_wrong="MARKER-DECLINED-TEXT",
        reason="MARKER-REASON we checked the minutes",
    )
    decided.notes.create(text="MARKER-NOTE called the clerk")

    html = client.get("/corrections/policy/").content.decode()

    for secret in [
        "Zebulon",
        "Quarrington",
        "zq-marker",
        "Ottoline",
        "ob-marker",
        "MARKER-",
        "reader.example",
    ]:
        assert secret not in html


@pytest.mark.parametrize("count", [5, 50])
def test_the_page_costs_the_same_at_any_number_of_reports(
    client, story_index, count, django_assert_max_num_queries
):
    story = make_story(story_index)
    now = timezone.now()
    for n in range(count):
        correction = make_update(story, f"Correction {n}.", kind="correction")
        report(
            now - datetime.timedelta(days=n * 7, hours=1),
            Status.CORRECTED,
            now - datetime.timedelta(days=n * 7),
            correction=correction,
        )

    with django_assert_max_num_queries(9):
        response = client.get("/corrections/policy/")

    assert response.status_code == 200


def test_a_report_leaves_the_page_cache_alone(
    client, story_index, settings, django_capture_on_commit_callbacks
):
    """Anyone can send a report: it must not empty every cached page."""
    settings.PAGE_CACHE_ENABLED = True
    story = make_story(story_index, "Commission delays the vote")
    assert client.get(story.url)["X-Cache"] == "MISS"
    with django_capture_on_commit_callbacks(execute=True):
        report(timezone.now() - datetime.timedelta(minutes=5), page=story)

    assert client.get(story.url)["X-Cache"] == "HIT"
    assert not {CorrectionRequest, CorrectionsPolicy} & content_models()


def test_the_figures_are_at_most_a_minute_old(client, home_page, settings):
    settings.PAGE_CACHE_ENABLED = True
    first = client.get("/corrections/policy/")
    report(timezone.now() - datetime.timedelta(minutes=5))
    within_the_minute = client.get("/corrections/policy/").content.decode()
    cache.delete(FIGURES_KEY)  # the minute is over
    after = client.get("/corrections/policy/").content.decode()

    total = r"<tfoot>.*?</tfoot>"
    assert cells(re.search(total, first.content.decode(), re.S)[0])[1] == "0"
    assert cells(re.search(total, within_the_minute, re.S)[0])[1] == "0"
    assert cells(re.search(total, after, re.S)[0])[1] == "1"
    # Never kept by the page cache; a CDN may keep it a minute.
    assert not first.has_header("X-Cache")
    assert sorted(first["Cache-Control"].split(", ")) == [
        "max-age=0",
        "public",
        "s-maxage=60",
    ]


# --- Links to it ----------------------------------------------------------------


def test_the_footer_and_the_corrections_log_link_the_policy(client, home_page):
    log = client.get("/corrections/").content.decode()
    footer = re.search(r'<footer class="site-footer">.*?</footer>', log, re.S)[0]
    policy = re.search(r'<section class="corrections-policy".*?</section>', log, re.S)

    assert 'href="/corrections/policy/"' in footer
    assert 'href="/corrections/policy/"' in policy[0]


def test_the_page_is_in_the_corrections_section_of_the_masthead(client, home_page):
    html = client.get("/corrections/policy/").content.decode()

    assert '<a href="/corrections/" aria-current="true">Corrections</a>' in html


# --- Demo -------------------------------------------------------------------------


def test_the_demo_writes_a_policy_once_and_keeps_editors_changes(home_page):
    build_policy(StringIO())
    policy = CorrectionsPolicy.objects.get()
    assert "never deleted" in policy.introduction
    policy.introduction = "<p>Our own words.</p>"
    policy.save()

    out = StringIO()
    build_policy(out)

    assert CorrectionsPolicy.objects.get().introduction == "<p>Our own words.</p>"
    assert "already there" in out.getvalue()


def test_the_demo_policy_reads_on_the_page(client, home_page):
    build_policy(StringIO())

    html = client.get("/corrections/policy/").content.decode()

    assert "Correction or clarification" in html
    assert "once published, is never deleted" in html
