# `make run` and `make test` set up everything they need on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export FLASK_APP := wsgi.py

.PHONY: run test check lint format bench stack test-stack translations extract-messages db system-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile -d toekomstplan/translations

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o toekomstplan/translations/messages.pot --no-location --sort-output toekomstplan
	$(BIN)/pybabel update -i toekomstplan/translations/messages.pot -d toekomstplan/translations --no-fuzzy-matching --ignore-obsolete

db: $(STAMP) translations
	$(BIN)/flask db upgrade

run: db
	$(BIN)/flask demo
	scripts/run-dev

system-deps:
	@scripts/ensure-system-deps chromium exiftool poppler pango emoji-font node redis

# The tests' real OpenID provider (npm's oidc-provider), at the version in the lock file.
OIDC_PROVIDER := tests/oidc/node_modules/.package-lock.json
$(OIDC_PROVIDER): tests/oidc/package-lock.json
	@scripts/ensure-system-deps node
	npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python scripts/check_access.py toekomstplan

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: $(STAMP) translations system-deps $(OIDC_PROVIDER) lint
	$(BIN)/pytest $(PYTEST_ARGS)

# The fast loop: lint, types and the unit tests (no browser), in under two minutes.
check: $(STAMP) translations system-deps $(OIDC_PROVIDER) lint
	$(BIN)/pytest -q -m "not e2e" --ignore=tests/e2e $(PYTEST_ARGS)

# The production shape on this machine: PostgreSQL, Redis, SeaweedFS, two app hosts, a
# consumer and nginx at http://127.0.0.1:8080 (scripts/stack.py), with the demo data.
stack: $(STAMP) translations
	@scripts/ensure-system-deps redis nginx postgres exiftool pango
	$(BIN)/python scripts/stack.py

# The tests of that shape, on a stack of their own (tests/stack); .ci/run runs them.
test-stack: $(STAMP) translations
	@scripts/ensure-system-deps redis nginx postgres exiftool pango poppler
	$(BIN)/pytest -q tests/stack $(PYTEST_ARGS)

bench: $(STAMP) translations
	@scripts/ensure-system-deps wrk chromium exiftool poppler pango redis nginx postgres
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
