"""The command line (click). The only place that knows about exit codes and files.

Exit codes: 0 PASS, 1 FAIL (an error-severity check failed or could not be decided), 2 usage, input
or rule-file errors, 3 INCOMPLETE (nothing failed, but the pack expected something the filing, as
read, did not give), 130 interrupted (Ctrl-C).
"""
from __future__ import annotations

import functools
import os
import sys

import click

from . import __version__
from .base.errors import QfinError

EXIT_CLEAN, EXIT_FAILED, EXIT_ERROR, EXIT_INCOMPLETE = 0, 1, 2, 3
EXIT_FOR = {"pass": EXIT_CLEAN, "fail": EXIT_FAILED, "incomplete": EXIT_INCOMPLETE}
EXIT_INTERRUPTED = 130  # Ctrl-C


def _friendly(command):
    """Turn every error into one clear message on stderr and exit code 2; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            try:
                return command(*args, **kwargs)
            finally:
                sys.stdout.flush()  # a full disk shows here, not as a message at exit
        except QfinError as exc:
            click.echo(str(exc), err=True)
            sys.exit(EXIT_ERROR)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(EXIT_ERROR)
        except OSError as exc:  # standard output on a full disk (files give QfinErrors with their names)
            _drop_stdout()
            where = exc.filename or "standard output"
            click.echo(f"qfin-audit: error: cannot write to {where} ({exc.strerror or exc})", err=True)
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt:  # Ctrl-C: the conventional 128 + SIGINT, never "a check failed"
            click.echo("qfin-audit: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except RecursionError:
            click.echo("qfin-audit: error: the input is nested too deeply to process", err=True)
            sys.exit(EXIT_ERROR)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # a bug: still no traceback for users
            if os.environ.get("QFIN_AUDIT_DEBUG"):
                raise
            click.echo(f"qfin-audit: internal error: {type(exc).__name__}: {exc} "
                       "(set QFIN_AUDIT_DEBUG=1 for the traceback)", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper


def _drop_stdout() -> None:
    """Discard what standard output could not take, so that exiting does not try again."""
    try:
        sys.stdout = open(os.devnull, "w")
    except OSError:
        pass


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qfin-audit")
def main() -> None:
    """Tick and tie every figure of an earnings release with declarative rules."""


def _load_filing(path: str, document: str | None = None):
    from .read.extract import extract
    from .read.source import read_text

    return extract(read_text(path), path, document)


_DOCUMENT_HELP = ("In an EDGAR submission (<DOCUMENT> parts), audit the document of this type "
                  "[default: EX-99.1, or the only text document].")


@main.command()
@click.argument("filing", type=click.Path(dir_okay=True))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "text"]), default="table",
              show_default=True, help="table for people, json or csv for machines, text: the text read "
              "(the rendering of an HTML document), the lines and columns that line:col positions refer to.")
@click.option("--document", metavar="TYPE", help=_DOCUMENT_HELP)
@_friendly
def extract(filing: str, fmt: str, document) -> None:
    """Extract every figure of FILING, each with its line, column and exact text."""
    doc = _load_filing(filing, document)
    if fmt == "json":
        from .report.json import dumps, extract_document

        click.echo(dumps(extract_document(doc)), nl=False)
    elif fmt == "text":
        text = "\n".join(doc.lines)  # line n of the output is line n of every line:col
        click.echo(text if text.endswith("\n") else text + "\n", nl=False)
    elif fmt == "csv":
        from .report.csv import figures_csv

        click.echo(figures_csv(doc), nl=False)
    else:
        from .report.text import extraction

        click.echo(extraction(doc), nl=False)


def _load_packs(rules):
    """Every pack under RULES, compiled (from the cache when the same files were compiled before)."""
    from .lang.cache import load_rules
    from .lang.packs import compile_packs

    return compile_packs(list(rules), load_rules)


def _one_ruleset(rules):
    packs = _load_packs(rules)
    if len(packs) > 1:
        names = ", ".join(f"{p.name} ({p.path})" for p in packs)
        raise QfinError(f"{' '.join(rules)} holds {len(packs)} rule packs ({names}); pass one of their folders")
    return packs[0].ruleset


def _write(path: str, text: str) -> None:
    """`-` is standard output; anything else is written atomically."""
    if path == "-":
        click.echo(text, nl=False)
    else:
        from .base.output import write_atomic

        write_atomic(path, text)  # OutputError (exit 2) on a full disk, a directory, ...


def _outputs(filing: str, json_path, html_path, no_html: bool, junit_path, markdown_path) -> list[tuple[str, str]]:
    """The reports `run` writes, as (kind, path); HTML by default to reports/<filing-stem>.html."""
    if html_path and no_html:
        raise click.UsageError("--html and --no-html cannot be used together")
    if not no_html and not html_path:
        from .base.output import same_file

        html_path = os.path.join("reports", os.path.splitext(os.path.basename(filing))[0] + ".html")
        if same_file(html_path, filing):  # reports/x.html audited: never replace the filing
            html_path = html_path[:-len(".html")] + ".report.html"
    wanted = [("json", json_path), ("html", html_path), ("junit", junit_path), ("markdown", markdown_path)]
    outputs = [(kind, path) for kind, path in wanted if path]
    if sum(path == "-" for _, path in outputs) > 1:
        raise click.UsageError("only one output can go to standard output (-)")
    paths = [os.path.abspath(path) for _, path in outputs if path != "-"]
    if len(paths) != len(set(paths)):
        raise click.UsageError("two outputs name the same file")
    return outputs


@main.command()
@click.argument("rules", nargs=-1, required=False, type=click.Path())
@click.argument("filing", type=click.Path())
@click.option("--auto", is_flag=True, help="Also audit with checks suggested from FILING itself (see `suggest`), "
              "after the packs that apply; alone when no RULES are given. Their rule ids start with AUTO-.")
@click.option("--json", "json_path", metavar="PATH|-", help="Write machine-readable results (- for stdout).")
@click.option("--html", "html_path", metavar="PATH|-",
              help="Write the HTML audit report here [default: reports/<filing-stem>.html].")
@click.option("--no-html", is_flag=True, help="Do not write the HTML report.")
@click.option("--junit", "junit_path", metavar="PATH|-", help="Write JUnit XML: one testcase per check and column.")
@click.option("--markdown", "markdown_path", metavar="PATH|-",
              help="Write a short Markdown summary to paste into a review comment.")
@click.option("--document", metavar="TYPE", help=_DOCUMENT_HELP)
@click.option("--pack", "only", metavar="NAME", multiple=True,
              help="Run this pack whatever its condition says (repeatable); the others are skipped.")
@click.option("-v", "--verbose", is_flag=True, help="Also list skipped checks and their reasons.")
@_friendly
def run(rules, filing, auto, json_path, html_path, no_html, junit_path, markdown_path, document, only, verbose):
    """Audit FILING with the rule packs in RULES (folders or rule files) that apply to it.

    Each folder of *.rules files is a pack; a pack's `pack` declaration says which filings it
    applies to. Writes the HTML report to reports/<filing-stem>.html unless --no-html, and any of
    --json, --junit and --markdown; each file is written atomically. Exit code 0 (PASS) when every
    error-severity check that applies ran and held, 1 (FAIL) when one failed or could not be
    decided, 3 (INCOMPLETE) when none failed but the pack expected a table, row, column or anchor
    the filing did not give, 2 for usage, input or rule-file errors, or when no pack applies.
    """
    from .base.output import clean_stale, refuse_inputs
    from .diagnose import audit
    from .lang.cache import load_rules
    from .lang.packs import choose, rules_for
    from .report.outputs import render_audit

    outputs = _outputs(filing, json_path, html_path, no_html, junit_path, markdown_path)
    if not rules and not auto:
        raise click.UsageError("Missing argument 'RULES...' (or --auto to audit with suggested checks alone).")
    packs = _load_packs(rules) if rules else []
    refuse_inputs([path for _, path in outputs], [filing] + [f for p in packs for f in p.files])
    for folder in {os.path.dirname(os.path.abspath(path)) for _, path in outputs if path != "-"}:
        clean_stale(folder)  # temporary files of an earlier run that was killed
    doc = _load_filing(filing, document)
    verdicts = choose(packs, doc, tuple(only))
    ruleset = _with_suggestions(verdicts, doc) if auto else rules_for(verdicts, load_rules, filing)
    result = audit(ruleset, doc)._replace(packs=tuple(verdicts))
    rendered = [(kind, path, render_audit(kind, result)) for kind, path in outputs]  # all or none are written

    def summary() -> str:
        from .report.text import run_summary

        return run_summary(result, verbose=verbose)

    _deliver(rendered, summary, "report")
    sys.exit(EXIT_FOR[result.verdict.status])


def _deliver(rendered, summary, noun: str) -> None:
    """Write the rendered outputs, print the console summary unless an output goes to standard
    output, and name each file written on standard error."""
    for _, path, text in rendered:
        _write(path, text)
    if all(path != "-" for _, path, _ in rendered):
        click.echo(summary(), nl=False)
    for kind, path, _ in rendered:
        if path != "-":
            click.echo(f"{kind} {noun}: {path}", err=True)


def _with_suggestions(verdicts, doc):
    """run --auto: the packs that apply (compiled together), then the checks suggested for `doc`."""
    from .suggest.auto import summary, with_suggestions

    ruleset, drafted = with_suggestions(doc, [v.pack.ruleset for v in verdicts if v.applies])
    click.echo(summary(drafted), err=True)
    return ruleset


@main.command("suggest")
@click.argument("filing", type=click.Path())
@click.option("-o", "--out", type=click.Path(file_okay=False), metavar="DIR",
              help="Write the drafted pack's rule files to this folder [default: print them].")
@click.option("--document", metavar="TYPE", help=_DOCUMENT_HELP)
@_friendly
def suggest_command(filing, out, document):
    """Draft a rule pack for FILING from its own layout: totals and differences, the same row in
    several statements, EPS, per-ADS and US$ translation, and prose figures that restate the tables.

    Each rule's comment gives its evidence, the columns where it holds, and "certain" or "guess".
    The pack passes `lint` and runs with `run`. Exit code 0, or 2 for usage or input errors.
    """
    from .suggest.auto import summary
    from .suggest.draft import draft
    from .suggest.output import write_pack

    drafted = draft(_load_filing(filing, document), folder=out or "suggested")
    if out:
        for path in write_pack(drafted.files, out, filing):
            click.echo(f"wrote {path}", err=True)
    else:
        for stem, text in drafted.files.items():
            click.echo(f"# ---- {stem}.rules ----\n{text}")
    click.echo(summary(drafted), err=True)


@main.command()
@click.argument("rules", nargs=-1, required=True, type=click.Path())
@_friendly
def lint(rules):
    """Check rule packs without a filing: syntax, names, duplicates and cycles, pack by pack."""
    from .lang.packs import condition_text

    for pack in _load_packs(rules):
        rs = pack.ruleset  # the declarations written (not those made for `prior_year.` and the like)
        lets = sum(1 for name in rs.lets if "." not in name)
        tables = sum(1 for decl in rs.tables.values() if decl.release is None)
        across = f" ({len(rs.earlier)} read earlier releases: `qfin-audit series`)" if rs.earlier else ""
        click.echo(f"ok: pack {pack.name} ({pack.path}): {len(rs.files)} rule file(s), {len(rs.rules)} rules{across}, "
                   f"{lets} definitions, {tables} tables; applies to "
                   f"{condition_text(pack.decl.condition if pack.decl else None)}")


@main.command()
@click.argument("rules", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["dot", "json"]), default="dot", show_default=True)
@_friendly
def graph(rules, fmt):
    """Export the rules' dependency graph (tables, figures, definitions, rules)."""
    from .lang.export import to_dot, to_json

    ruleset = _one_ruleset(rules)
    if fmt == "json":
        from .report.json import dumps

        click.echo(dumps(to_json(ruleset)), nl=False)
    else:
        click.echo(to_dot(ruleset), nl=False)


@main.command()
@click.argument("rules", type=click.Path())
@click.argument("filings", nargs=-1, required=True)
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Local worker processes [default: number of cores].")
@click.option("--out", type=click.Path(file_okay=False), help="Report folder [default: reports/batch-<time>/].")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run on Dask distributed: tcp://host:port, local (a LocalCluster of --jobs processes) "
                   "or local:threads. Needs the dask extra.")
@click.option("--no-html", is_flag=True, help="Write JSON reports only.")
@click.option("--document", metavar="TYPE", help=_DOCUMENT_HELP)
@click.option("--pack", "only", metavar="NAME", multiple=True,
              help="Run this pack on every filing whatever its condition says (repeatable).")
@click.option("--timeout", type=click.FloatRange(min=0), default=300, show_default=True, metavar="SECONDS",
              help="Time limit per filing (local runs); a filing over it is an error on its line. 0: none.")
@click.option("--auto", is_flag=True, help="Also audit each filing with the checks suggested from it (see `suggest`), "
              "after the packs that apply; a filing no pack applies to is audited with those alone.")
@_friendly
def batch(rules, filings, jobs, out, scheduler, no_html, document, only, timeout, auto):
    """Audit many FILINGS (files, folders or globs) with the packs in RULES that apply to each.

    Writes one JSON (and HTML) report per filing, summary.jsonl and index.html to --out.
    A filing that cannot be read is reported and the batch goes on. Exit code 0 when every
    filing passed, 1 when one failed an error-severity check or could not be audited, 3 when
    none did but one was INCOMPLETE, 2 for usage or rule-file errors.
    """
    from .batch.runner import run as run_batch

    verdict = run_batch(rules, filings, jobs=jobs, out=out, scheduler=scheduler, html=not no_html,
                       echo=lambda text: click.echo(text, nl=False), document=document, only=tuple(only),
                       timeout=timeout or None, auto=auto)
    sys.exit(EXIT_FOR[verdict])


@main.command()
@click.argument("rules", type=click.Path())
@click.argument("filings", nargs=-1, required=True, type=click.Path())
@click.option("--json", "json_path", metavar="PATH|-", help="Write every match, sum and split as JSON (- for stdout).")
@click.option("--html", "html_path", metavar="PATH|-",
              help="Write the HTML series report here [default: reports/series-<latest release's stem>.html].")
@click.option("--no-html", is_flag=True, help="Do not write the HTML series report.")
@click.option("--junit", "junit_path", metavar="PATH|-", help="Write JUnit XML: one testcase per match and per sum.")
@click.option("--markdown", "markdown_path", metavar="PATH|-", help="Write a Markdown summary for a review comment.")
@click.option("--document", metavar="TYPE", help=_DOCUMENT_HELP)
@click.option("--reports", "reports_dir", type=click.Path(file_okay=False),
              help="Write each release's audit report here (releases a pack applies to); the series report links "
                   "its figures to them [default: <html stem>-releases/ beside the HTML report].")
@click.option("-v", "--verbose", is_flag=True, help="Also list every sum that held and every split-restated figure.")
@_friendly
def series(rules, filings, json_path, html_path, no_html, junit_path, markdown_path, document, reports_dir, verbose):
    """Tie several releases (FILINGS: files, or folders of them) of one issuer together: figures printed
    in two releases for the same period agree within their rounding intervals, year-to-date and full-year
    figures equal the sum of the shorter periods published, splits and restatements are said as such.

    RULES (a rules folder or rule files) gives table names and label alternatives where its packs apply;
    no pack needs to apply. Its rules that read an earlier release (prior_quarter., prior_half.,
    prior_year.) run here, each release against the release of the series that reports the period
    named. Exit code 0 (PASS), 1 (FAIL: two releases disagree, a period sum or a rule across releases
    fails), 3 (INCOMPLETE: nothing was printed in two releases for the same period), 2 for usage or
    input errors.
    """
    from .base.output import clean_stale, refuse_inputs
    from .lang.packs import choose
    from .report.outputs import render_series
    from .series.build import build_series

    if html_path and no_html:
        raise click.UsageError("--html and --no-html cannot be used together")
    twice = sorted({f for f in filings if sum(os.path.abspath(g) == os.path.abspath(f) for g in filings) > 1})
    if twice:
        raise click.UsageError(f"{', '.join(twice)}: given more than once; a series takes each release once")
    if any(os.path.isdir(f) for f in filings):  # a folder of releases: its files, recursively, as batch reads it
        from .batch.runner import expand

        filings = tuple(expand(filings))
    if len(filings) < 2:
        raise click.UsageError("a series needs at least two different releases")
    packs = _load_packs([rules])
    docs = [_load_filing(path, document) for path in filings]
    result = build_series(docs, packs, choose)
    if not no_html and not html_path:
        stem = os.path.splitext(result.releases[-1].name)[0]
        html_path = os.path.join("reports", f"series-{stem}.html")
    outputs = [(k, p) for k, p in (("json", json_path), ("html", html_path), ("junit", junit_path),
                                   ("markdown", markdown_path)) if p]
    if sum(p == "-" for _, p in outputs) > 1:
        raise click.UsageError("only one output can go to standard output (-)")
    if len({os.path.abspath(p) for _, p in outputs if p != "-"}) < sum(p != "-" for _, p in outputs):
        raise click.UsageError("two outputs name the same file")
    refuse_inputs([p for _, p in outputs], list(filings) + [f for p in packs for f in p.files])
    for folder in {os.path.dirname(os.path.abspath(p)) for _, p in outputs if p != "-"}:
        clean_stale(folder)
    links = {}
    if html_path and html_path != "-":
        from .report.series_html import write_release_reports

        folder = reports_dir or os.path.splitext(html_path)[0] + "-releases"
        links = write_release_reports(result, packs, folder, refuse=list(filings))
    rendered = [(kind, path, render_series(kind, result, path, links)) for kind, path in outputs]

    def summary() -> str:
        from .report.series_text import console

        return console(result, verbose=verbose)

    _deliver(rendered, summary, "series report")
    sys.exit(EXIT_FOR[result.status])
