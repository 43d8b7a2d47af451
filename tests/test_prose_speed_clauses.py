"""prose_line finds a text's last clause from its end (last_clause), and searches for 'improved from'
only in a head that ends with 'from' (_from_before): the same as splitting and searching."""
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.read import prose_line

TOKENS = ["rose FROM ", "Increased From (", " fell from\u2003", "and", "And", "AND", "band", "andy", "_and", "and_", "and1", " ", ";", ":", ",", "(", "from", "FROM", "From",
          "from ", "from (", " from\t", "increased", "Improved", "rose", "x", ".", "\u00e9", "\u00a0", "\u2003", "1"]
text = st.lists(st.sampled_from(TOKENS), max_size=14).map("".join)


@settings(max_examples=2000, deadline=None)
@given(words=text)
def test_the_last_clause_is_the_last_piece_of_a_split(words):
    assert prose_line.last_clause(words) == prose_line._OWN_CLAUSE.split(words)[-1], words


@settings(max_examples=2000, deadline=None)
@given(words=text)
def test_from_before_is_the_search(words):
    assert prose_line._from_before(words) == (prose_line._FROM_BEFORE.search(words) is not None), words
