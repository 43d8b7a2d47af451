"""Pattern.regex: compiled once per (source, flags) for the process, and still with the flags written."""
import re

from audit.lang.nodes import Pattern
from audit.read.filing import Span


def test_equal_patterns_share_one_compiled_expression_and_keep_their_flags():
    a, b = Pattern("net (loss|income)", "i", Span(1, 1, 2)), Pattern("net (loss|income)", "i", Span(9, 3, 4))
    assert a.regex() is b.regex()
    assert a.regex().flags & re.IGNORECASE and a.regex().search("NET LOSS")


def test_different_flags_or_sources_give_different_expressions():
    plain, folded = Pattern("Net loss", "", Span(1, 1, 2)), Pattern("Net loss", "i", Span(1, 1, 2))
    assert plain.regex() is not folded.regex()
    assert plain.regex().search("net loss") is None and folded.regex().search("net loss")
    assert Pattern("a.b", "s", Span(1, 1, 2)).regex().search("a\nb")
    assert Pattern("a.b", "", Span(1, 1, 2)).regex().search("a\nb") is None
    assert Pattern("^b", "m", Span(1, 1, 2)).regex().search("a\nb")

