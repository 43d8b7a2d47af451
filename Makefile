# Two commands are the whole set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
FIXTURE := fixtures/qfin-2023q1-6k.txt
FIXTURE_HTML := fixtures/buckle-8k-ex99-1-2024-11-22.htm

.PHONY: run test bench bench-extract clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dask]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/qfin-audit run rules/ $(FIXTURE)
	$(BIN)/qfin-audit run rules/ $(FIXTURE_HTML)

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Pipeline figures against their targets (in process, cold CLI, batch scaling, growth); ~10 minutes.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_pipeline.py

bench-extract: $(STAMP)
	$(BIN)/python benchmarks/bench_extract.py

clean:
	rm -rf $(VENV) build *.egg-info
