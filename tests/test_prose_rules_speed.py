"""The fast paths of prose-driven rules give what the general paths give: a `restates` rule's instances
(its figures found through ProseIndex.restated, their contexts made inline) are those of each anchor
match's sentence() with the context made from the figure; a sentence's group with the texts between
figures judged once per filing is the group judged each time; an anchor with a placeholder matched from
the places of its prefix (_after_prefix) matches what _matches finds figure by figure. On the seed and
on variants with changed prose."""
from __future__ import annotations

import random

from audit.check import anchor_lines
from audit.check.anchor_lines import _after_prefix, _ascending, _family, _matches, sentence_group
from audit.check.engine import Evaluator
from audit.check.findings import Ctx, Instance
from audit.check.instances import _currency, _line_label
from audit.lang import nodes as n
from audit.lang.nodes import Span
from audit.read.extract import extract

_SPAN = Span(1, 1, 1)


def _variants(fixture_lines: list[str], fixture_text: str) -> list[str]:
    """The seed, and copies whose prose says things otherwise: the words between figures changed (a group
    cut or joined), figures and anchors' words changed, a sentence's period and currency changed."""
    out = [fixture_text]
    swaps = [(" (", " and "), ("), compared to ", "), up from "), (" in the same period of 2022", " in 2021"),
             (" was ", " was about "), ("RMB", "US$"), ("originated ", "originated approximately "),
             (" of such loan balance", " of such balance"), ("compared to", "versus"), ("million", "billion")]
    rng = random.Random(21)
    prose = [k for k, line in enumerate(fixture_lines) if line.count(" was ") and not line.lstrip().startswith("|")]
    for old, new in swaps:
        lines = list(fixture_lines)
        for k in rng.sample(prose, min(12, len(prose))):
            lines[k] = lines[k].replace(old, new)
        out.append("\n".join(lines))
    lines = list(fixture_lines)
    for k in prose:
        lines[k] = lines[k].replace("was", "was  ").replace(",", " ,")
    out.append("\n".join(lines))
    return out


def _general_instances(ev: Evaluator, rule: n.Rule) -> list[Instance]:
    """The instances as restated() found them before: sentence() of each match, one context per figure."""
    out = []
    for hit in ev.prose.find(rule.check.prose.anchors):
        if hit is None:
            continue
        for fig in ev.prose.sentence(*hit):
            currency = _currency(fig)
            words = fig.period.label() if fig.period else "current"
            out.append(Instance(rule, Ctx(fig.period, currency, label=_line_label(fig, words, currency)), fig))
    return out


def test_restated_instances_are_the_general_ones(ruleset, fixture_lines, fixture_text):
    checked = 0
    for text in _variants(fixture_lines, fixture_text):
        ev = Evaluator(ruleset, extract(text, "variant.txt"))
        for rule in ruleset.rules:
            if rule.foreach or not isinstance(rule.check, n.Restates):
                continue
            general = _general_instances(ev, rule)
            try:
                fast = ev.instances(rule)
            except Exception as exc:
                assert not general, (rule.id, exc)
                continue
            assert [i.figure for i in fast] == [i.figure for i in general], rule.id
            assert all(a.figure is b.figure for a, b in zip(fast, general))
            assert [i.ctx for i in fast] == [i.ctx for i in general], rule.id
            again = ev.instances(rule)  # (the contexts made once per figure: the same objects)
            assert all(a.ctx is b.ctx for a, b in zip(fast, again))
            checked += len(fast)
    assert checked > 1000


def _sentence_reference(line, first):
    """The group as _sentence found it before: every text between figures judged by the regexes."""
    figures, starts, ends, text = line.figures, line.starts, line.ends, line.text
    k = next(i for i, f in enumerate(figures) if f is first)
    family = _family(first, text, ends[k])
    out = [first]
    for i in range(k + 1, len(figures)):
        fig = figures[i]
        if fig.sentence != first.sentence:
            break
        between = text[ends[i - 1]:starts[i]]
        if not (anchor_lines._CONNECTIVE.fullmatch(between)
                or anchor_lines._CONNECTIVE.fullmatch(anchor_lines._QUALIFIERS.sub(" ", between))):
            break
        if _family(fig, text, ends[i]) == family:
            out.append(fig)
    return out


def test_sentence_groups_are_the_general_ones(ruleset, fixture_lines, fixture_text):
    groups = 0
    for text in _variants(fixture_lines, fixture_text):
        index = Evaluator(ruleset, extract(text, "variant.txt")).prose
        joins: dict[str, bool] = {}
        for line in index.lines:
            for fig in line.figures:
                assert sentence_group(line, fig, joins) == _sentence_reference(line, fig)
                groups += 1
        assert all(joined == anchor_lines._joined(between) for between, joined in joins.items())
    assert groups > 1000


def test_placeholders_found_from_the_prefix_are_matches(ruleset, fixture_lines, fixture_text):
    compared = found = 0
    rng = random.Random(5)
    for text in _variants(fixture_lines, fixture_text)[:5]:
        index = Evaluator(ruleset, extract(text, "variant.txt")).prose
        for line in index.lines:
            if not line.figures or not _ascending(line.starts):
                continue
            templates = ["originated {} loans", "Approximately {} of the loan volume", "{} of such loan balance",
                         "was {}", "was {} million", "was {}, an", "to {}", "of {} (", "( {} )", "RMB{}"]
            for start, end in zip(line.starts, line.ends):  # the words either side of a figure
                before, after = line.text[:start].split(), line.text[end:].split()
                if before:
                    templates.append(" ".join(before[-rng.randint(1, 3):]) + " {} " + " ".join(after[:rng.randint(0, 2)]))
            for template in templates:
                prefix, suffix = (part.strip() for part in " ".join(template.split()).split("{}", 1))
                if not prefix:
                    continue
                option = n.Text(template, _SPAN)
                for offset in (0, 1, line.starts[0], line.ends[0], len(line.text) // 2):
                    fast = _after_prefix(prefix, suffix, line, offset)
                    assert fast == list(_matches(option, line, offset)), (template, line.text, offset)
                    compared += 1
                    found += len(fast)
    assert compared > 5000 and found > 500


def test_next_anchors_found_from_every_match_are_the_first_after(ruleset, fixture_lines, fixture_text):
    """ProseIndex._first of a quoted anchor (a search of the stretch, without a generator) is the general
    path's first occurrence."""
    words = ["from", "an increase of", "and", "representing", "up approximately", "was", "million", "RMB",
             "Net income was", "compared to", "(", "year-over-year"]
    compared = found = 0
    rng = random.Random(7)
    for text in _variants(fixture_lines, fixture_text)[::3]:
        index = Evaluator(ruleset, extract(text, "variant.txt")).prose
        reference = Evaluator(ruleset, extract(text, "variant.txt")).prose
        places = [(li, col) for li, line in enumerate(index.lines) for col in (0, len(line.text) // 3, len(line.text))]
        for _ in range(3):
            for word in words:
                anchor = n.Label((n.Text(word, _SPAN),), _SPAN)
                for at in rng.sample(places, 25):
                    stops = [None] + [p for p in rng.sample(places, 4) if p > at]
                    for stop in stops:
                        fast = index._first(anchor, at, stop)
                        assert fast == next(reference._occurrences(anchor, at, stop), None), (word, at, stop)
                        compared += 1
                        found += fast is not None
    assert compared > 3000 and found > 1000


def test_placeholder_anchors_match_as_figure_by_figure(ruleset, fixture_lines, fixture_text):
    """Every match of an anchor with a placeholder, from the start of a line on (lines without figures
    skipped, the prefix's places searched where a line's figures start in order), is what _matches finds
    in each line from there."""
    templates = ["originated {} loans", "Approximately {} of the loan volume", "{} of such loan balance",
                 "Including {} loans across", "and {} loans across other products", "was {}", "of {} (", "{}"]
    compared = found = 0
    for text in _variants(fixture_lines, fixture_text)[::2]:
        index = Evaluator(ruleset, extract(text, "variant.txt")).prose
        for template in templates:
            anchor = n.Label((n.Text(template, _SPAN),), _SPAN)
            for first in (0, len(index.lines) // 3, len(index.lines) - 1):
                fast = list(index._occurrences(anchor, (first, 0)))
                general = [(li, *m) for li in range(first, len(index.lines))
                           for m in _matches(anchor.options[0], index.lines[li], 0)]
                assert fast == general, (template, first)
                compared += 1
                found += len(fast)
    assert compared > 100 and found > 300
