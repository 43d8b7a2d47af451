"""`python -m audit` runs the qfin-audit command line."""
from .cli import main

main(prog_name="qfin-audit")
