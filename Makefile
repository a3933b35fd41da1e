# Hub: `make run` serves the demo, `make test` runs the whole suite. Both do all set-up first.
# Every step is idempotent: a second run only checks and moves on.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

# Debian packages: file type detection, PDF rendering, Office conversion, CJK fonts, the test browser.
APT_PACKAGES := libmagic1 poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui \
	libreoffice-impress-nogui fonts-noto-cjk poppler-data python3-uno chromium python3-venv
STAMPS := .make

.PHONY: setup system venv assets translations db demo run serve test test-sqlite test-postgres bench lint clean

setup: system venv assets translations

system:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "Debian packages: present"; fi

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMPS)/venv: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[dev]'
	@mkdir -p $(STAMPS) && touch $@

venv: $(STAMPS)/venv

$(STAMPS)/assets: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/socket.io-client/dist/socket.io.min.js static/vendor/
	@mkdir -p $(STAMPS) && touch $@

assets: $(STAMPS)/assets

translations: venv
	@$(VENV)/bin/pybabel compile -d hub/translations

db: setup
	$(FLASK) db upgrade

demo: db
	@$(FLASK) demo load

run: demo
	@echo "Hub: open http://$(HOST):$(PORT)/"
	$(PY) app.py --host $(HOST) --port $(PORT)

test: setup test-sqlite test-postgres

test-sqlite:
	$(VENV)/bin/pytest -q -n 2 --dist loadfile

# The same suite on the machine's PostgreSQL (browser journeys and LibreOffice runs do not depend on the database).
test-postgres:
	HUB_TEST_DATABASE_URL=$(PG_TEST_URL) $(VENV)/bin/pytest -q -n 2 --dist loadfile -m "not browser and not office" -p no:cacheprovider

bench: setup
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

lint: venv
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(STAMPS) static/vendor node_modules

# Production: gunicorn, one gevent worker per core with HUB_REDIS_URL (one without), each Socket.IO
# session kept on its worker (hub/sticky.py). Needs HUB_SECRET_KEY; see README.
serve: db
	$(VENV)/bin/python -m whitenoise.compress static >/dev/null
	HUB_BIND=$${HUB_BIND:-$(HOST):8000} $(VENV)/bin/gunicorn -c gunicorn.conf.py wsgi:app
