# One command vocabulary. `make run` and `make test` work on a fresh clone.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB := data/tracker.duckdb
PORT ?= 8501

.PHONY: install lock floors plotly-bundle run test lint build bench e2e-deps chart-deps render-deps deploy-deps deck-png clean

# The exact versions in requirements-dev.lock, each checked against its hash, then the project itself (editable,
# so that `streamlit run dashboard/app.py` imports it). A requirement added to requirements*.txt and not locked yet
# is installed too; tests/deploy/test_dependencies.py then asks for `make lock`.
$(BIN)/activate: requirements.txt requirements-dev.txt requirements-dev.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --editable . -r requirements-dev.txt
	touch $(BIN)/activate

install: $(BIN)/activate

# Pin every dependency with its hashes, for every platform and Python 3.11 on: requirements-dev.lock for `make
# install`, requirements.lock (the same versions, without the test tools) for the image. Pins already in the files
# are kept where they still fit; `make lock LOCK_FLAGS=--upgrade` moves everything to the newest versions.
LOCK := $(BIN)/uv pip compile --quiet --universal --generate-hashes --python-version 3.11 $(LOCK_FLAGS)
lock: install
	$(LOCK) requirements-dev.txt -o requirements-dev.lock
	$(LOCK) requirements.txt -c requirements-dev.lock -o requirements.lock

# The unit, pipeline and app tests with every requirement at the lowest version requirements*.txt allows, in a
# virtual environment of its own: a floor the tests fail on is to be raised.
FLOORS := .venv-floors
floors: install
	rm -rf $(FLOORS)
	$(BIN)/uv venv --quiet --python $(PY) $(FLOORS)
	$(BIN)/uv pip install --quiet --python $(FLOORS)/bin/python --resolution lowest-direct \
		-r requirements-dev.txt --editable .
	$(FLOORS)/bin/python -m pytest -n auto tests/unit tests/pipelines tests/app

# The edition's plotly.js: only the chart types its pages draw (the list is in build.js), from the npm registry at the
# versions in package-lock.json. Needs Node.js and npm; run after upgrading plotly (the bundle is committed).
plotly-bundle:
	cd ctatracker/edition/plotly_bundle && npm ci --no-audit --no-fund && node build.js

# Built once; later rebuilds are explicit (`make build`), so edits made in the tracker are never discarded.
$(DB): | install
	$(BIN)/python -m pipelines build

build: install
	$(BIN)/python -m pipelines build

run: $(DB) chart-deps
	$(BIN)/streamlit run dashboard/app.py --server.port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# Programs some tests need, installed when missing if we are root (as on CI). Without root the tests that need
# them are skipped, each saying what to install; on CI (CI set) they are never skipped: a missing one fails here.
define apt_need
	@if ! ($(1)) >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $(strip $(2)); \
		elif [ -n "$$CI" ]; then echo "$(strip $(2)): missing, and installing needs root" >&2; exit 1; \
		else echo "Not installed (needs root): $(strip $(2)). The tests that need it are skipped; to run them:" \
			"sudo apt-get install -y $(strip $(2))"; fi; \
	fi
endef

# Browser tests drive Debian's chromium.
e2e-deps:
	$(call apt_need,test -x /usr/bin/chromium,chromium)

# Briefing-pack charts are exported by kaleido with Debian's chromium; without root the Briefing page says what to
# install instead of failing.
chart-deps:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium) \
		|| echo "Briefing packs need chromium for their charts: apt-get install -y chromium"

# The render test and `make deck-png` convert packs with LibreOffice and poppler, measuring text with Carlito (the
# metric twin of Calibri, the packs' font) so that what fits there fits in PowerPoint and Word.
render-deps:
	$(call apt_need,command -v soffice && command -v pdftotext && command -v pdftoppm && fc-list | grep -qi carlito,\
		libreoffice-impress libreoffice-writer poppler-utils fonts-crosextra-carlito)

# The deployment test runs deploy/nginx.conf with Debian's nginx in front of the app.
deploy-deps:
	$(call apt_need,test -x /usr/sbin/nginx,nginx)

# PNGs of every slide and page of a regional pack and a Sri Lanka pack, for a person to look at.
deck-png: $(DB) e2e-deps render-deps
	$(BIN)/python -m pipelines.render_check --out build/deck-png

# The suite on every core (pytest-xdist, two workers a core: see tests/conftest.py); `-ra` lists each skipped test
# with its reason at the end.
test: install e2e-deps render-deps deploy-deps lint
	$(BIN)/python -m pytest -n auto

bench: $(DB)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(FLOORS) $(DB) .pytest_cache .ruff_cache
