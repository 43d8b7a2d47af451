# Two commands are the whole set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
FIXTURE := fixtures/qfin-2023q1-6k.txt

.PHONY: run test sweeps bench bench-extract bench-sweep clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dask]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/qfin-audit run rules/ $(FIXTURE)

# Lint (ruff), the stage layers (import-linter), then the suite on every core; the 10 slowest tests are shown.
test: $(STAMP)
	$(BIN)/ruff check audit tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n auto --dist worksteal --durations=10

# Pipeline figures against their targets (in process, cold CLI, batch scaling, growth); ~10 minutes.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_pipeline.py

# Every mutation of the seed's table cells and prose figures (the suite runs a fixed part of each sweep).
sweeps: $(STAMP)
	QFIN_FULL_SWEEP=1 $(BIN)/python -m pytest -q -n auto --dist worksteal tests/test_rule_pack.py tests/test_narrative.py

# The full transposition sweep of diagnosis (the tests run a fixed-seed sample of it).
bench-sweep: $(STAMP)
	$(BIN)/python benchmarks/bench_diagnose_sweep.py

bench-extract: $(STAMP)
	$(BIN)/python benchmarks/bench_extract.py

# Growth of time and peak memory with the input (issue 20): 5 input shapes at 4 sizes each, each size in a
# fresh process; the log-log growth exponent next to its target (<= 1.2), and a 50 MB filing's peak memory.
.PHONY: bench-growth
bench-growth: $(STAMP)
	$(BIN)/python benchmarks/bench_growth.py

# The reader against hand-written truth for the real releases in ../shared/filings (issue 14):
# figures right in every field, table-cell recall, statement titles, read time. Always exits 0.
.PHONY: bench-reader
bench-reader: $(STAMP)
	$(BIN)/python benchmarks/bench_reader.py

clean:
	rm -rf $(VENV) build *.egg-info
