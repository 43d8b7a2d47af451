"""A cell reference whose table or rows are absent is said again from the Evaluator's memo (_absent), and
one whose column is absent from the column's cached Skip, without the lookups: the compiled reference
gives what the tree walk (Evaluator.eval, the general path) gives, value or Skip with the same reason
and cause, the first time and every later time, on the seed and on the XPeng and Buckle filings (many
optional references there are absent); and a whole audit's findings are those of an audit without the memo."""
from __future__ import annotations

from pathlib import Path

import pytest

from audit.check import engine
from audit.check.compiled import expr
from audit.diagnose import audit
from audit.lang import nodes as n
from audit.lang.graph import load
from audit.read.extract import extract

ROOT = Path(__file__).resolve().parent.parent
FILINGS = ROOT.parent / "shared" / "filings"
CASES = [("xpeng-6k-2024q4-ex99-1-d829413dex991.htm", "xpeng"), ("xpeng-6k-2025q2-ex99-2-d59478dex992.htm", "xpeng"),
         ("buckle-8k-ex99-1-2024-11-22.htm", "buckle"), ("", "qfin")]


def _said(fn, *args) -> tuple:
    try:
        val = fn(*args)
    except (engine.Skip, engine.EvalError) as exc:
        return type(exc).__name__, exc.reason, getattr(exc, "cause", None)
    return str(val.iv.lo), str(val.iv.hi), val.figs


def _load(name: str, pack: str):
    path = FILINGS / name if name else ROOT / "fixtures" / "qfin-2023q1-6k.txt"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    return load([str(ROOT / "rules" / pack)]), path.read_text(encoding="utf-8"), str(path)


@pytest.mark.parametrize("name, pack", CASES)
def test_compiled_references_say_what_the_tree_walk_says(name, pack):
    ruleset, text, path = _load(name, pack)
    result = audit(ruleset, extract(text, path))
    compiled_ev = engine.Evaluator(ruleset, result.filing)  # (its memo filled as the compiled references ask)
    walked_ev = engine.Evaluator(ruleset, result.filing)
    compared = skipped = 0
    for f in result.findings:
        if f.instance is None:
            continue
        check = f.rule.check
        for option in check.options if isinstance(check, n.Either) else (check,):
            sides = (option.left, option.right) if isinstance(option, n.Compare) else (option.expr,)
            for node in (x for side in sides for x in n.walk(side) if type(x) is n.CellRef):
                walked = _said(walked_ev.eval, node, f.instance.ctx)
                for _ in range(2):  # (found, then said from what was kept)
                    assert _said(expr(node), compiled_ev, f.instance.ctx) == walked, (f.rule.id, node)
                compared += 1
                skipped += walked[0] == "Skip"
    assert compared > 30 and (skipped > 10 or pack != "xpeng"), (compared, skipped)


class _Forgetful(dict):
    def __setitem__(self, key, value):  # (nothing kept: every reference looked up again)
        pass


@pytest.mark.parametrize("name, pack", CASES)
def test_findings_as_without_the_memo(name, pack, monkeypatch):
    ruleset, text, path = _load(name, pack)
    fast = audit(ruleset, extract(text, path))
    init = engine.Evaluator.__init__

    def without_memo(self, *args):
        init(self, *args)
        self._absent = _Forgetful()

    monkeypatch.setattr(engine.Evaluator, "__init__", without_memo)
    slow = audit(ruleset, extract(text, path))
    assert [(f.rule.id, f.status, f.cause, f.reason, f.message) for f in fast.findings] == \
        [(f.rule.id, f.status, f.cause, f.reason, f.message) for f in slow.findings]
