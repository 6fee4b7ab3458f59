"""`make bench`'s own logic, without a server: the readers' Zipf law, the
targets and the exit status, the newsroom day's hit ratio and its section of
bench/results.md."""

import random

import pytest

from bench.day import DayRun, replace_section, section
from bench.targets import TARGETS, Check, day_check, exit_status, page_checks
from bench.zipf import Zipf, pick


def test_zipf_ranks_are_drawn_in_proportion_to_one_over_rank_to_the_exponent():
    law, rng, draws = Zipf(1000), random.Random(7), 50_000
    counts = [0] * 1000
    for _ in range(draws):
        counts[law.rank(rng)] += 1
    for rank in (0, 1, 9):
        assert counts[rank] / draws == pytest.approx(law.share(rank), rel=0.1)
    # Rank 1 is read 2 ** 1.1 times less than rank 0.
    assert law.share(0) / law.share(1) == pytest.approx(2**1.1)
    # The tail is long: the top ten ranks take under half of the reads.
    assert sum(counts[:10]) / draws < 0.5


def test_pick_chooses_the_first_items_most_and_every_item_is_possible():
    rng = random.Random(3)
    picks = [pick(["newest", "older", "oldest"], rng) for _ in range(3000)]
    assert picks.count("newest") > picks.count("older") > picks.count("oldest") > 0
    assert pick(["only"], rng) == "only"


def test_a_zipf_law_needs_a_rank():
    with pytest.raises(ValueError, match="at least one rank"):
        Zipf(0)


def static_and(*rows):
    return [("static file", "-", 1000.0, 5.0, 10.0), *rows]


def test_each_page_is_checked_against_the_static_file_of_its_own_run():
    checks = page_checks(
        {
            1000: static_and(
                ("story", "cached", 850.0, 6, 9),
                ("story", "uncached", 90.0, 90, 120),
                ("feed", "cached", 650.0, 8, 12),
                ("home", "uncached", 50.0, 200, 300),
            )
        }
    )
    assert [(c.target, c.subject, c.value) for c in checks] == [
        ("cached page ÷ static file", "story, 1000 stories", 0.85),
        ("uncached story ÷ static file", "story, 1000 stories", 0.09),
        ("cached feed ÷ static file", "feed, 1000 stories", 0.65),
    ]
    assert exit_status(checks) == 0


def test_uncached_pages_are_checked_for_flatness_across_sizes():
    checks = page_checks(
        {
            1000: static_and(("home", "uncached", 50.0, 1, 1)),
            20000: static_and(("home", "uncached", 45.0, 1, 1)),
            100000: static_and(("home", "uncached", 30.0, 1, 1)),
        }
    )
    assert checks == [Check("uncached page, slowest size ÷ fastest", "home", 0.6)]
    assert checks[0].status == "MISSED"


def test_a_near_miss_is_reported_but_only_a_miss_by_over_ten_per_cent_fails():
    target = TARGETS["newsroom day hit ratio, dependencies"]
    met, near, missed = (day_check(v) for v in (0.96, 0.9, target * 0.9 - 0.001))
    assert [met.status, near.status, missed.status] == ["met", "near", "MISSED"]
    assert exit_status([met, near]) == 0
    assert exit_status([met, near, missed]) == 1
    assert missed.line().startswith("MISSED newsroom day hit ratio")


def test_the_day_hit_ratio_leaves_out_first_requests_and_reports_them_beside():
    run = DayRun(
        "dependencies",
        {
            "home": {"HIT": 50, "MISS": 5, "first MISS": 1},
            "story": {"HIT": 40, "MISS": 5, "first MISS": 99, "none": 3},
        },
        rate=100,
        p50=5,
        p99=50,
        published={},
    )
    assert run.hit_ratio == 0.9
    assert run.hit_ratio_with_first == 90 / 200


def test_the_day_replaces_its_own_section_of_the_results_and_keeps_the_rest():
    text = "# Results\n\n## Pages\nrows\n\n## Newsroom day\nold\n\n## Targets\nt\n"
    new = replace_section(text, "## Newsroom day", ["## Newsroom day", "new", ""])
    assert (
        new == "# Results\n\n## Pages\nrows\n\n## Newsroom day\nnew\n\n## Targets\nt\n"
    )
    appended = replace_section(
        "## Pages\nrows\n", "## Newsroom day", ["## Newsroom day"]
    )
    assert appended == "## Pages\nrows\n\n## Newsroom day\n"


def test_the_day_section_shows_both_runs_and_the_hit_ratio_by_page():
    published = {"update": 3, "correction": 1, "story": 1, "publish_p50_ms": 120}
    runs = [
        DayRun(mode, {"home": {"HIT": hits, "MISS": 10}}, 80, 6, 90, published)
        for mode, hits in (("generation", 40), ("dependencies", 190))
    ]
    lines = section(200, runs)
    assert lines[0] == "## Newsroom day"
    assert any(line.startswith("| generation | 50 | 80.0% | 80.0% |") for line in lines)
    assert "| home | 80.0% | 95.0% |" in lines
