# One command vocabulary. `make run` and `make test` work on a fresh clone.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB := data/tracker.duckdb
PORT ?= 8501

.PHONY: install run test lint build bench e2e-deps clean

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(BIN)/activate

install: $(BIN)/activate

# Built once; later rebuilds are explicit (`make build`), so edits made in the tracker are never discarded.
$(DB): | install
	$(BIN)/python -m pipelines build

build: install
	$(BIN)/python -m pipelines build

run: $(DB)
	$(BIN)/streamlit run dashboard/app.py --server.port $(PORT)

lint: install
	$(BIN)/ruff check .

# Browser tests drive Debian's chromium; install it when missing (needs root, as on CI).
e2e-deps:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

test: install e2e-deps lint
	$(BIN)/python -m pytest

bench: $(DB)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(DB) .pytest_cache .ruff_cache
