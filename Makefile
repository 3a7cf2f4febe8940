# Two set-up commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= rightsrecord.db
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install dev lint bench clean eval-check

demo: install
	$(BIN)/rightsrecord --db $(DB) demo
	@echo "serving http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/rightsrecord --db $(DB) serve --host $(HOST) --port $(PORT)

test: dev lint
	$(BIN)/python -m pytest -q

install: $(BIN)/.installed

dev: $(BIN)/.installed-dev

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

lint: dev
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy --config-file pyproject.toml

bench: install
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python bench/ingest_bench.py --docs 10000
	$(BIN)/python bench/read_bench.py
	$(BIN)/python bench/extract_bench.py
	$(BIN)/python bench/dates_bench.py
	$(BIN)/python bench/themes_bench.py

# The floors of evaluation/floors.json, on ../shared/eval when it is there (3 min when quiet).
eval-check: install
	@if [ -d ../shared/eval ]; then \
		$(BIN)/rightsrecord eval --check --shared ../shared; \
	else \
		echo "eval-check: ../shared/eval is absent, nothing to measure"; \
	fi

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache
