"""The JSON document's summary list of checks not run, as the findings and the verdict say it, and a
figure's byte offset, as the filing gives it (one route)."""
from __future__ import annotations

import dataclasses

from audit.check.findings import CAUSES, EARLIER, NOT_APPLICABLE
from audit.report.json import verdict_dict
from audit.report.json_findings import _Memo


def _missing(result) -> list[str]:
    """The general route: every skipped finding the verdict counts as missing, by cause and id."""
    return sorted({f"{f.cause}: {f.rule.id}" for f in result.findings if f.status == "skip" and f.missing})


def _with_skips(result, causes, severity):
    """The result with its first findings skipped for `causes`, their rules of `severity`."""
    findings = list(result.findings)
    for i, cause in enumerate(causes):
        rule = dataclasses.replace(findings[i].rule, severity=severity)
        findings[i] = findings[i]._replace(rule=rule, status="skip", cause=cause, actual=None, expected=None)
    return result._replace(findings=tuple(findings))


def test_checks_not_run_are_listed_as_the_findings_say(clean_result):
    cases = [clean_result]
    for severity in ("error", "warning"):
        for causes in ([CAUSES[0]], [NOT_APPLICABLE, EARLIER], list(CAUSES), [None, CAUSES[1], CAUSES[1]]):
            cases.append(_with_skips(clean_result, causes, severity))
    counted = 0
    for result in cases:
        v = result.verdict
        counted += v.missing > 0
        assert verdict_dict(result, v)["incomplete"] == list(v.problems) + _missing(result)
        assert verdict_dict(result) == verdict_dict(result, v)
    assert counted >= 3  # (verdicts with checks not run, and without)


def test_a_figure_s_offset_is_the_filing_s(clean_result):
    filing = clean_result.filing
    memo, bare = _Memo(filing), _Memo(None)
    figures = {id(g): g for f in clean_result.findings for g in f.figures}.values()
    layout = memo.layout(None)
    for g in figures:
        offset = filing.offset(g.span)
        assert memo.figure(g)["offset"] == offset and bare.figure(g)["offset"] is None
        assert f'"offset":{offset},' in memo.figure_text(g, layout)
