# budget-lod — two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STORE  ?= build/store
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install extract clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The main job: convert + validate + load the bundled corpus into the embedded store
# (idempotent: re-loading replaces each document's named graph), then serve it.
run: $(STAMP)
	$(BIN)/budgetlod load corpus/ --store $(STORE)
	$(BIN)/budgetlod serve --store $(STORE) --host $(HOST) --port $(PORT)

# Coverage and reconciliation report of every bundled document.
extract: $(STAMP)
	$(BIN)/budgetlod extract corpus/

test: $(STAMP)
	$(BIN)/python -m pytest

# Scale benchmark (issue 7; hours at N = 10,000, never run by pytest/CI): one table per N of
# throughput, peak memory, store size, validation time and query latency, beside baselines.
# Quick run: make bench SIZES="100 1000"
SIZES ?= 100 1000 10000
bench: $(STAMP)
	$(BIN)/python -m bench.scale --sizes $(SIZES)

clean:
	rm -rf $(VENV) build .pytest_cache
