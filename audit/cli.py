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
