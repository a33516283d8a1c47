# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint messages bench load audit

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_maturity_model
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "IM Assess runs on http://127.0.0.1:8000 (Ctrl+C stops it)"
	@echo "  beheer@demo.local     / im-assess-demo (administrator)"
	@echo "  consultant@demo.local / im-assess-demo"
	@echo "  manager@demo.local    / im-assess-demo"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py load_maturity_model --check
	$(BIN)/pytest

# Needs GNU gettext; the compiled catalogs are committed, so `run` and `test` do not.
messages: install
	$(BIN)/python manage.py makemessages --locale nl --locale en --ignore ".venv/*" --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore ".venv/*"

# Speed, side by side with a floor measured in the same run; writes docs/benchmarks.md.
bench: install
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/scale.py

# 200 respondents against gunicorn: spread over 60 s, a 5-second burst, and kill -9
# mid-way; SQLite and (when it answers) PostgreSQL. Writes docs/load.md.
load: install
	$(BIN)/python benchmarks/load.py --all

# Known vulnerabilities in the installed packages (pip-audit); says plainly when the
# vulnerability service cannot be reached. AUDIT_REQUIRED=1 makes that an error.
audit: install
	$(BIN)/python tools/audit.py
