"""What counts as a minor edit: the same words in the same order, nothing else.

A minor version is folded away in the public history, so a substantive change
misread as minor would hide from readers. Each pair is labelled.
"""

import pytest

from stories.diff import is_minor_edit

MINOR, SUBSTANTIVE = True, False

PAIRS = [
    # Case, whitespace and punctuation between words.
    ("The mayor said.", "the mayor said", MINOR),
    ("Calls were  rerouted", "Calls were rerouted", MINOR),
    ("calls were\nrerouted", "calls were rerouted", MINOR),
    ("county, mayor", "county mayor", MINOR),
    ("“Quoted”", '"Quoted"', MINOR),
    ("the mayor's office", "the mayor\u2019s office", MINOR),
    ("the 311 centre.", "the 311 centre", MINOR),
    ("a well-known office", "a well known office", MINOR),
    ("Hello—world", "Hello — world", MINOR),
    ("the centre (311)", "the centre 311", MINOR),
    ("Jan. 26, 2017", "Jan 26 2017", MINOR),
    ("he said: calls stopped", "he said — calls stopped", MINOR),
    ("MAYOR", "Mayor", MINOR),
    ("  trailing space ", "trailing space", MINOR),
    ("Yes!", "Yes.", MINOR),
    # Numbers keep the punctuation inside them.
    ("1.5 million", "15 million", SUBSTANTIVE),
    ("10,000 calls", "10 000 calls", SUBSTANTIVE),
    ("10,000 calls", "100 calls", SUBSTANTIVE),
    ("10 000 calls", "100 calls", SUBSTANTIVE),
    ("$1.5 million", "$15 million", SUBSTANTIVE),
    ("at 9:30", "at 930", SUBSTANTIVE),
    ("on 2017-02-07", "on 20170207", SUBSTANTIVE),
    ("3.5% of detainers", "35% of detainers", SUBSTANTIVE),
    ("1,5 million", "1.5 million", SUBSTANTIVE),
    ("27 detainer requests", "28 detainer requests", SUBSTANTIVE),
    # A word added, removed or changed.
    ("The office did respond.", "The office did not respond.", SUBSTANTIVE),
    ("The office did not respond.", "The office did respond.", SUBSTANTIVE),
    ("the mayor's office", "the mayors office", SUBSTANTIVE),
    ("they don't answer", "they do not answer", SUBSTANTIVE),
    ("calls", "call", SUBSTANTIVE),
    ("the office refused", "the office accepted", SUBSTANTIVE),
    ("send an e-mail", "send an email", SUBSTANTIVE),
    ("Gimenez", "Giménez", SUBSTANTIVE),
    ("the 311 centre", "the 311 center", SUBSTANTIVE),
    ("county mayor", "mayor county", SUBSTANTIVE),
]


@pytest.mark.parametrize(("old", "new", "minor"), PAIRS)
def test_an_edit_is_minor_only_when_it_reads_as_the_same_words(old, new, minor):
    assert is_minor_edit(old, new) is minor
    assert is_minor_edit(new, old) is minor


def test_the_table_holds_at_least_thirty_pairs_of_each_kind_together():
    assert len(PAIRS) >= 30
    assert {minor for _old, _new, minor in PAIRS} == {MINOR, SUBSTANTIVE}
