"""signed(prose[...]): a change's direction is read from the words next to it."""
from __future__ import annotations

import pytest

from audit.base.errors import RuleError
from audit.check.anchors import direction
from audit.diagnose import audit
from audit.lang.grammar import parse
from audit.lang.graph import compile_rules
from audit.read.extract import extract

RULES = '''
rule G-001 "Revenue change = revenue / prior revenue - 1":
    signed(prose["Revenue"]) = prose["Revenue" / "to"] / prose["Revenue" / "from"] - 1
'''


@pytest.mark.parametrize("sentence, number, sign, word", [
    ("Net sales decreased 3.2 percent to $293.6 million.", "3.2", -1, "decreased"),
    ("Revenue was $5.0 million, down 21% from last year.", "21", -1, "down"),
    ("Gross margin was 47.7%, 3.9 percentage points higher than 2023.", "3.9", 1, "higher"),
    ("Loans grew 12.3% year over year.", "12.3", 1, "grew"),
    ("Total loans of RMB5.0 billion, an increase of 12.3% year over year.", "12.3", 1, "increase"),
    ("Expenses fell 4% to $2.0 million.", "4", -1, "fell"),
])
def test_direction_words(sentence, number, sign, word):
    fig = next(f for f in extract(sentence + "\n", "x.txt").prose if f.text.startswith(number))
    assert direction(fig, sentence) == (sign, word)


@pytest.mark.parametrize("sentence", ["Margin was 12.0%.", "Revenue was $5.0 million, down 21% from last year."])
def test_no_direction_for_a_level_or_a_neighbouring_figure(sentence):
    fig = extract(sentence + "\n", "x.txt").prose[0]
    assert direction(fig, sentence) == (0, "")


@pytest.mark.parametrize("verb, status", [("increased", "pass"), ("decreased", "fail"), ("was", "skip")])
def test_signed_checks_the_verb(verb, status):
    text = f"Revenue {verb} 10.0% to $110.0 million from $100.0 million.\n"
    result = audit(compile_rules([parse(RULES, "g.rules")]), extract(text, "x.txt"))
    assert [f.status for f in result.findings] == [status]
    if status == "skip":
        assert "says whether it rose or fell" in result.findings[0].reason


def test_signed_takes_a_prose_figure():
    with pytest.raises(RuleError, match="signed\\(\\) takes a prose figure"):
        compile_rules([parse('table t = "T"\nrule X "x":\n    signed(t["a"]) = 1\n', "x.rules")])
