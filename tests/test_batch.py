"""The batch command end to end (real processes, real Dask), and the compiled-rules cache.

A tmp folder holds variants of the fixture: clean copies, a copy with one mutated figure and
unreadable files. Every summary line is compared with a direct in-process audit of the file.
"""
from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from audit.batch.runner import expand, report_names
from audit.diagnose import audit
from audit.lang.graph import load
from audit.read.extract import extract
from audit.report.json import result_document, suspect_dict

ROOT = Path(__file__).resolve().parent.parent
RULES = str(ROOT / "rules" / "qfin")


def replace_on_line(text: str, line: int, old: str, new: str) -> str:
    lines = text.split("\n")
    assert old in lines[line - 1], f"{old!r} not on line {line}"
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines)


def qfin(*args, cache: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "QFIN_AUDIT_CACHE_DIR": str(cache)}
    env.pop("QFIN_AUDIT_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "audit", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture()
def corpus(tmp_path, fixture_text):
    """name -> path of each filing in tmp/corpus (one in a subfolder)."""
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    mutated = replace_on_line(fixture_text, 262, "5,128,335", "5,128,353")
    files = {
        "clean-a.txt": fixture_text,
        "sub/clean-b.txt": fixture_text.replace("\n", "\r\n"),
        "mutated.txt": mutated,
    }
    paths = {}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
        paths[name] = folder / name
    (folder / "binary.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "latin1.txt").write_bytes("Net revenue was RMB3,599.2 million, café\n".encode("latin-1"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / ".hidden").write_text("not a filing")
    for name in ("binary.bin", "latin1.txt", "empty.txt"):
        paths[name] = folder / name
    return paths


def summary_lines(out: Path) -> dict[str, dict]:
    lines = [json.loads(t) for t in (out / "summary.jsonl").read_text(encoding="utf-8").splitlines()]
    by_path = {line["path"]: line for line in lines}
    assert len(by_path) == len(lines), "one line per filing"
    return by_path


def check_against_direct_audit(line: dict, path: Path, out: Path, ruleset, html: bool = True) -> None:
    """The summary line and the per-filing JSON agree with auditing the file here."""
    text = path.read_bytes().decode("utf-8-sig")
    result = audit(ruleset, extract(text, line["path"]))
    expected = json.loads(json.dumps(result_document(result)))
    assert line["error"] is None
    assert line["sha256"] == result.filing.sha256
    assert line["counts"] == result.counts()
    assert line["verdict"] == ("fail" if result.failed else "pass")
    assert line["coverage"]["tables"] == expected["summary"]["coverage"]["tables"]
    assert line["top_suspect"] == (suspect_dict(result.suspects[0]) if result.suspects else None)
    document = json.loads((out / line["json"]).read_text(encoding="utf-8"))
    packs = document.pop("packs")  # which packs applied, and why; the direct audit chose none
    assert [p["name"] for p in packs if p["applied"]] == line["packs"] and line["packs"]
    expected.pop("packs")
    for doc in (document, expected):  # rule paths are as given on each command line
        doc["rules"] = sorted(os.path.basename(f) for f in doc["rules"]["files"])
        for finding in doc["results"]:
            finding["rule"]["file"] = os.path.basename(finding["rule"]["file"])
    assert document == expected
    if not html:
        assert line["html"] is None
    else:
        assert line["html"] and (out / line["html"]).is_file()


def test_batch_local_pool(tmp_path, corpus):
    out = tmp_path / "out"
    done = qfin("batch", "rules/qfin/", tmp_path / "corpus", tmp_path / "missing.txt", "--jobs", "2", "--out", out,
                cache=tmp_path / "cache")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr == "", "no progress bar when stderr is not a terminal"
    lines = summary_lines(out)
    assert set(lines) == {str(p) for p in corpus.values()} | {str(tmp_path / "missing.txt")}
    ruleset = load([RULES])

    for name in ("clean-a.txt", "sub/clean-b.txt"):
        line = lines[str(corpus[name])]
        check_against_direct_audit(line, corpus[name], out, ruleset)
        assert line["verdict"] == "pass" and line["failures"] == 0 and line["top_suspect"] is None

    line = lines[str(corpus["mutated.txt"])]
    check_against_direct_audit(line, corpus["mutated.txt"], out, ruleset)
    assert line["verdict"] == "fail" and line["failures"] >= 1 and line["counts"]["fail"] >= 1
    document = json.loads((out / line["json"]).read_text(encoding="utf-8"))
    failing = [r for r in document["results"] if r["status"] == "fail"]
    assert any(f["line"] == 262 and f["text"] == "5,128,353" for r in failing for f in r["figures"])

    for name, words in (("binary.bin", "binary"), ("latin1.txt", "not UTF-8"), ("empty.txt", "empty")):
        line = lines[str(corpus[name])]
        assert line["verdict"] == "error" and words in line["error"] and str(corpus[name]) in line["error"]
        assert line["counts"] is None and line["json"] is None and line["sha256"]
    assert "no such file" in lines[str(tmp_path / "missing.txt")]["error"]

    reports = sorted(p.name for p in (out / "filings").iterdir())
    assert [r for r in reports if r.endswith(".json")] == ["clean-a.json", "clean-b.json", "mutated.json"]

    index = (out / "index.html").read_text(encoding="utf-8")
    for path in corpus.values():
        assert str(path) in index
    for line in lines.values():
        if line["json"]:
            assert f'href="{line["html"] or line["json"]}"' in index
    assert "<script src" not in index and "<link" not in index  # self-contained
    assert 'id="by-failures"' in index

    assert "mutated.txt" in done.stdout and "binary.bin" in done.stdout
    assert "pass" in done.stdout and "verdict" in done.stdout


def test_batch_clean_glob_exits_0_and_names_are_unique(tmp_path, fixture_text):
    for folder in ("q1", "q2"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "filing.txt").write_text(fixture_text, encoding="utf-8")
    out = tmp_path / "out"
    done = qfin("batch", RULES, str(tmp_path / "q*" / "*.txt"), "--jobs", "2", "--out", out, "--no-html",
                cache=tmp_path / "cache")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = summary_lines(out)
    assert len(lines) == 2 and all(line["verdict"] == "pass" and line["html"] is None for line in lines.values())
    assert sorted(line["json"] for line in lines.values()) == ["filings/filing-2.json", "filings/filing.json"]


def test_batch_index_escapes_names(tmp_path, fixture_text):
    name = tmp_path / "<b>&\"odd'.txt"
    name.write_text(fixture_text, encoding="utf-8")
    out = tmp_path / "out"
    done = qfin("batch", RULES, name, "--jobs", "1", "--out", out, "--no-html", cache=tmp_path / "cache")
    assert done.returncode == 0, done.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<b>&" not in index and "&lt;b&gt;&amp;" in index


def test_batch_rule_errors_and_usage_exit_2(tmp_path, fixture_path):
    bad = tmp_path / "bad.rules"
    bad.write_text('rule R-1 "broken":\n    nosuch["x"] = 1\n', encoding="utf-8")
    done = qfin("batch", bad, fixture_path, "--out", tmp_path / "out", cache=tmp_path / "cache")
    assert done.returncode == 2 and "bad.rules" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists(), "nothing is written before the rules compile"
    done = qfin("batch", RULES, cache=tmp_path / "cache")
    assert done.returncode == 2
    done = qfin("batch", RULES, fixture_path, "--jobs", "0", cache=tmp_path / "cache")
    assert done.returncode == 2


def test_expand_and_report_names(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("x")
    (tmp_path / "a" / ".skip").write_text("x")
    (tmp_path / "b.txt").write_text("x")
    paths = expand([str(tmp_path / "a"), str(tmp_path / "*.txt"), str(tmp_path / "b.txt"), "nothing-*.txt"])
    assert paths == [str(tmp_path / "a" / "x.txt"), str(tmp_path / "b.txt"), "nothing-*.txt"]
    assert expand([str(tmp_path)], skip=str(tmp_path / "a")) == [str(tmp_path / "b.txt")]  # its own reports
    assert report_names(["a/x.txt", "b/x.txt", "c/X.txt", "../../..", "d/ü ber.txt"]) == \
        ["x", "x-2", "X-3", "filing", "ber"]


# -- Dask ------------------------------------------------------------------------------------

distributed = pytest.importorskip("distributed")


def test_batch_on_dask_local_cluster(tmp_path, corpus):
    """--scheduler local:threads: a LocalCluster (one worker, two threads) does the same work."""
    out = tmp_path / "out"
    done = qfin("batch", RULES, corpus["clean-a.txt"], corpus["mutated.txt"], corpus["binary.bin"],
                "--scheduler", "local:threads", "--jobs", "2", "--out", out, "--no-html", cache=tmp_path / "cache")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = summary_lines(out)
    assert len(lines) == 3
    ruleset = load([RULES])
    for name in ("clean-a.txt", "mutated.txt"):
        check_against_direct_audit(lines[str(corpus[name])], corpus[name], out, ruleset, html=False)
    assert lines[str(corpus["mutated.txt"])]["verdict"] == "fail"
    assert "binary" in lines[str(corpus["binary.bin"])]["error"]
    assert "Dask local:threads" in done.stdout


def test_batch_on_dask_scheduler_address(tmp_path, corpus):
    """--scheduler tcp://...: the command connects to a running cluster (here, in this process)."""
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp",
                                  dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://")
        out = tmp_path / "out"
        done = qfin("batch", RULES, corpus["clean-a.txt"], corpus["mutated.txt"], "--scheduler",
                    cluster.scheduler_address, "--out", out, "--no-html", cache=tmp_path / "cache")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = summary_lines(out)
    assert lines[str(corpus["clean-a.txt"])]["verdict"] == "pass"
    assert lines[str(corpus["mutated.txt"])]["verdict"] == "fail"


def test_batch_without_dask_says_how_to_install(tmp_path, fixture_path):
    code = ("import sys; sys.modules['distributed'] = None; from audit.cli import main; "
            "main(['batch', 'rules/qfin', sys.argv[1], '--scheduler', 'local', '--out', sys.argv[2]])")
    done = subprocess.run([sys.executable, "-c", code, str(fixture_path), str(tmp_path / "out")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QFIN_AUDIT_CACHE_DIR": str(tmp_path / "cache")})
    assert done.returncode == 2 and "qfin-audit[dask]" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_batch_bad_scheduler_address_is_a_usage_error(tmp_path, fixture_path):
    done = qfin("batch", RULES, fixture_path, "--scheduler", "nowhere", "--out", tmp_path / "out",
                cache=tmp_path / "cache")
    assert done.returncode == 2 and "tcp://host:port" in done.stderr and not (tmp_path / "out").exists()


# -- the compiled-rules cache ----------------------------------------------------------------

def test_cache_hit_needs_neither_pyparsing_nor_networkx(tmp_path):
    cache = tmp_path / "cache"
    code = ("import sys; from audit.lang.cache import load_rules; rs = load_rules(['rules/qfin']); "
            "print(len(rs.rules), 'networkx' in sys.modules, 'pyparsing' in sys.modules, "
            "rs.graph.number_of_edges())")
    env = {**os.environ, "QFIN_AUDIT_CACHE_DIR": str(cache)}
    first = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert len(list(cache.glob("rules-*.pickle"))) == 1
    code_hit = code.replace("rs.graph.number_of_edges()", "0")
    second = subprocess.run([sys.executable, "-c", code_hit], cwd=ROOT, env=env, capture_output=True, text=True)
    count, nx_loaded, pp_loaded, _ = second.stdout.split()
    assert count == first.stdout.split()[0] and nx_loaded == "False" and pp_loaded == "False"


def test_cache_is_keyed_by_content_and_survives_corruption(tmp_path, monkeypatch):
    from audit.lang import cache

    monkeypatch.setenv("QFIN_AUDIT_CACHE_DIR", str(tmp_path / "cache"))
    rules = tmp_path / "rules"
    rules.mkdir()
    source = (ROOT / "rules" / "qfin" / "00-tables.rules").read_text(encoding="utf-8")
    (rules / "t.rules").write_text(source, encoding="utf-8")
    first = cache.load_rules([str(rules)])
    entries = list((tmp_path / "cache").glob("rules-*.pickle"))
    assert len(entries) == 1
    assert pickle.loads(entries[0].read_bytes()).tables.keys() == first.tables.keys()

    entries[0].write_bytes(b"not a pickle")
    again = cache.load_rules([str(rules)])  # falls back to compiling, and repairs the entry
    assert again.tables.keys() == first.tables.keys()
    assert pickle.loads(entries[0].read_bytes()).tables.keys() == first.tables.keys()

    (rules / "t.rules").write_text(source + "\nlet extra_cache_test = 1\n", encoding="utf-8")
    changed = cache.load_rules([str(rules)])
    assert "extra_cache_test" in changed.lets
    assert len(list((tmp_path / "cache").glob("rules-*.pickle"))) == 2

    monkeypatch.setenv("QFIN_AUDIT_CACHE", "off")
    assert "extra_cache_test" in cache.load_rules([str(rules)]).lets


def _lines_then(error):
    line = {"path": "a.txt", "verdict": "pass", "failures": 0, "counts": {}, "error": None}
    yield line
    raise error


def test_a_pool_error_stops_the_batch_as_the_pools_not_as_the_summarys(tmp_path):
    """An OSError while the workers' lines are awaited is not a failed write of summary.jsonl:
    the error says the worker processes failed, and the lines already in stay written."""
    import errno

    from audit.base.errors import QfinError
    from audit.base.output import OutputError
    from audit.batch.runner import Tally, stream

    summary = tmp_path / "summary.jsonl"
    with pytest.raises(QfinError) as caught:
        stream(_lines_then(OSError(errno.EPIPE, "Broken pipe")), str(summary), Tally())
    assert not isinstance(caught.value, OutputError)
    assert str(caught.value) == "the worker processes failed (Broken pipe); the batch stopped"
    assert [json.loads(t)["path"] for t in summary.read_text().splitlines()] == ["a.txt"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_summary_that_cannot_be_written_is_an_output_error_naming_it():
    from audit.base.output import OutputError
    from audit.batch.runner import Tally, stream

    with pytest.raises(OutputError) as caught:
        stream(iter([{"path": "a.txt", "verdict": "pass", "failures": 0, "counts": {}, "error": None}]),
               "/dev/full", Tally())
    assert str(caught.value) == "/dev/full: cannot write (No space left on device); the batch stopped"
