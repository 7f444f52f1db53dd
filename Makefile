# The two commands of the README: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST := 127.0.0.1
PORT := 8000

.PHONY: run test install install-dev migrate lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@ $(VENV)/.base-installed

install: $(VENV)/.base-installed

install-dev: $(VENV)/.dev-installed

migrate: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py createcachetable

run: migrate
	$(BIN)/python manage.py seed_demo --if-empty
	@echo ""
	@echo "Portail Plan Marshall : http://$(HOST):$(PORT)/  (administration : http://$(HOST):$(PORT)/admin/)"
	@echo "Un worker exécute les tâches de fond (e-mails) à côté du serveur."
	@echo ""
	@$(BIN)/python manage.py db_worker --no-startup-delay & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles test-artifacts

# Regional-scale benchmark (docs/performance.md): against DATABASE_URL, one base per scale,
# filled once by `generer_volume` (a base already filled is kept as it is); DEBUG off and
# persistent connections, as in production. Each scale's figures are kept in
# bench/resultats/; at a scale other than 1 the table compares them with those of scale 1:
#   make bench ECHELLE=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/portail_bench1
#   make bench ECHELLE=10 DATABASE_URL=postgres://postgres@127.0.0.1:5432/portail_bench10
# The command checks the base holds that scale's candidates. At scale 10 a page's five
# timed requests keep the run under a quarter of an hour.
ECHELLE ?= 1
REQUETES ?= $(if $(filter 1,$(ECHELLE)),20,5)
# Past scale 1, only the cohorts running or ended within 90 days get their attendance:
# the 150 million rows of scale 10 would take the generation past an hour.
PRESENCES_JOURS ?= $(if $(filter 1,$(ECHELLE)),,90)
.PHONY: bench
bench: install
	$(BIN)/python manage.py generer_volume --echelle $(ECHELLE) \
		$(if $(PRESENCES_JOURS),--presences-jours $(PRESENCES_JOURS))
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	DJANGO_DEBUG=False DJANGO_CONN_MAX_AGE=60 $(BIN)/python manage.py bench \
		--echelle $(ECHELLE) --requetes $(REQUETES)

# Load test on loopback (gunicorn, 2 workers; wrk, 30 s per page) against DATABASE_URL.
.PHONY: bench-charge
bench-charge: install
	bench/charge.sh
