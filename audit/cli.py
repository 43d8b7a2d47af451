"""The command line (click). The only place that knows about exit codes and files.

Exit codes: 0 clean, 1 an error-severity check failed, 2 usage, input or rule-file errors.
"""
from __future__ import annotations

import functools
import os
import sys

import click

from . import __version__
from .errors import QfinError

EXIT_CLEAN, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def _friendly(command):
    """Turn every error into one clear message on stderr and exit code 2; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except QfinError as exc:
            click.echo(str(exc), err=True)
            sys.exit(EXIT_ERROR)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(EXIT_ERROR)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug: still no traceback for users
            if os.environ.get("QFIN_AUDIT_DEBUG"):
                raise
            click.echo(f"qfin-audit: internal error: {type(exc).__name__}: {exc} "
                       "(set QFIN_AUDIT_DEBUG=1 for the traceback)", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qfin-audit")
def main() -> None:
    """Tick and tie every figure of an earnings release with declarative rules."""


def _load_filing(path: str):
    from .extract import extract
    from .source import read_text

    return extract(read_text(path), path)


@main.command()
@click.argument("filing", type=click.Path(dir_okay=True))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="table for people, json or csv for machines.")
@_friendly
def extract(filing: str, fmt: str) -> None:
    """Extract every figure of FILING, each with its line, column and exact text."""
    doc = _load_filing(filing)
    if fmt == "json":
        from .report.json import dumps, extract_document

        click.echo(dumps(extract_document(doc)), nl=False)
    elif fmt == "csv":
        from .report.csv import figures_csv

        click.echo(figures_csv(doc), nl=False)
    else:
        from .report.text import extraction

        click.echo(extraction(doc), nl=False)


def _load_rules(rules):
    from .graph import load

    return load(list(rules))


def _write(path: str, text: str) -> None:
    """`-` is standard output; anything else is written atomically."""
    if path == "-":
        click.echo(text, nl=False)
    else:
        from .output import write_atomic

        write_atomic(path, text)


@main.command()
@click.argument("rules", nargs=-1, required=True, type=click.Path())
@click.argument("filing", type=click.Path())
@click.option("--json", "json_path", metavar="PATH|-", help="Write machine-readable results (- for stdout).")
@click.option("-v", "--verbose", is_flag=True, help="Also list skipped checks and their reasons.")
@_friendly
def run(rules, filing, json_path, verbose):
    """Audit FILING with the rules in RULES (a directory or rule files).

    Exit code 0 when no error-severity check failed, 1 when one did, 2 for usage, input or
    rule-file errors.
    """
    from .engine import audit

    ruleset = _load_rules(rules)
    doc = _load_filing(filing)
    result = audit(ruleset, doc)
    if json_path:
        from .report.json import dumps, result_document

        _write(json_path, dumps(result_document(result)))
    if json_path != "-":
        from .report.text import run_summary

        click.echo(run_summary(result, verbose=verbose), nl=False)
    sys.exit(EXIT_FAILED if result.failed else EXIT_CLEAN)


@main.command()
@click.argument("rules", nargs=-1, required=True, type=click.Path())
@_friendly
def lint(rules):
    """Check rule files without a filing: syntax, names, duplicates and cycles."""
    ruleset = _load_rules(rules)
    click.echo(f"ok: {len(ruleset.files)} rule file(s), {len(ruleset.rules)} rules, "
               f"{len(ruleset.lets)} definitions, {len(ruleset.tables)} tables")


@main.command()
@click.argument("rules", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["dot", "json"]), default="dot", show_default=True)
@_friendly
def graph(rules, fmt):
    """Export the rules' dependency graph (tables, figures, definitions, rules)."""
    from .graph import to_dot, to_json

    ruleset = _load_rules(rules)
    if fmt == "json":
        from .report.json import dumps

        click.echo(dumps(to_json(ruleset)), nl=False)
    else:
        click.echo(to_dot(ruleset), nl=False)
