# budget-lod — two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test
STORE  ?= build/store
DUMPS  ?= build/dumps
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install extract clean bench reliability

# serving needs only the package; the test extras (browser driver, OCR, reportlab …) are
# installed for `make test` alone
$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $(STAMP)

$(TESTSTAMP): $(STAMP) pyproject.toml setup.py
	$(BIN)/pip install -q -e '.[test]'
	touch $(TESTSTAMP)

install: $(STAMP)

# The main job: convert + validate + load the bundled corpus into the embedded store
# (idempotent: re-loading replaces each document's named graph), publish the bulk dumps,
# then serve both (the dumps at /dumps/).
run: $(STAMP)
	$(BIN)/budgetlod load corpus/ --store $(STORE)
	$(BIN)/budgetlod dump --store $(STORE) -o $(DUMPS) --keep 3
	@echo "budget-lod: open http://$(HOST):$(PORT)/ (search, canned queries, SPARQL at /sparql, dumps at /dumps/)"
	$(BIN)/budgetlod serve --store $(STORE) --dumps $(DUMPS) --host $(HOST) --port $(PORT)

# Coverage and reconciliation report of every bundled document.
extract: $(STAMP)
	$(BIN)/budgetlod extract corpus/

# two pytest-xdist workers, a test file per worker at a time (its module fixtures built once)
test: $(TESTSTAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile

# Scale benchmark (issue 7; hours at N = 10,000, never run by pytest/CI): one table per N of
# throughput, peak memory, store size, validation time and query latency, beside baselines.
# Quick run: make bench SIZES="100 1000"
SIZES ?= 100 1000 10000
bench: $(TESTSTAMP)
	$(BIN)/python -m bench.scale --sizes $(SIZES)

# Reliability table (issue 15; about 15 minutes on 2 cores): load held with and without
# hostile queries, faults survived, bad inputs, nothing lost (README, Benchmarks).
reliability: $(TESTSTAMP)
	PYTHONPATH=. $(BIN)/python -m bench.reliability --json build/reliability.json

clean:
	rm -rf $(VENV) build .pytest_cache
