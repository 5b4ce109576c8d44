# After-sales service suite on Tryton 8.0 LTS.
#   make demo        install, build var/db/demo.sqlite if missing, serve it
#                    (PORT=8000 by default)
#   make demo-reset  rebuild the demo database from nothing, then serve it
#   make test        install (LibreOffice included), run every test on SQLite,
#                    then on PostgreSQL
#   make bench       run the benchmarks in bench/
#   make serve-postgresql  build the demo on PostgreSQL if missing, serve it
#                    under gunicorn (WORKERS processes) with cron and worker

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
CONF := var/trytond.conf
DEMO_DB := var/db/demo.sqlite
PG_URI := postgresql://root@127.0.0.1:5432/
PSQL := psql '$(PG_URI)postgres'
PORT ?= 8000
PG_CONF := var/trytond-postgresql.conf
PG_DEMO_DB ?= aftersales_demo
WORKERS ?= $(shell nproc)
# The demo's e-mail goes to a mailbox on the loopback that keeps each
# message in var/mail (scripts/demo_mailbox.py)
MAIL_PORT ?= 8025
MAILBOX := $(PY) scripts/demo_mailbox.py var/mail $(MAIL_PORT) --

TRYTON := >=8.0,<8.1
# One worker per core, each test file on one worker; the workers share the
# database cache (conftest.py); the slowest 20 steps are listed at the end
PYTEST_ARGS ?= -n $(shell nproc) --dist loadfile --durations=20
SAO_VERSION := 8.0.11
PLAYWRIGHT_VERSION := 1.65.1

# Every addon with a pyproject.toml joins the install on its own.
ADDON_DIRS := $(patsubst %/pyproject.toml,%,$(wildcard addons/*/pyproject.toml))
PY_STAMP := $(VENV)/.installed
SAO_STAMP := var/sao/.installed-$(SAO_VERSION)
PW_STAMP := var/browser/.installed-$(PLAYWRIGHT_VERSION)

# Key of the test database caches: every source the schema or the test
# set-ups come from, plus the installed Tryton versions. Evaluated only when
# a recipe uses it.
SOURCES_HASH = $(shell { \
	find addons demo -type f \( -name '*.py' -o -name '*.xml' -o -name '*.cfg' \
		-o -name '*.po' -o -name '*.fodt' \) \
		-not -path '*/build/*' -not -path '*.egg-info/*' \
		-not -path '*/__pycache__/*' -print0 \
		| LC_ALL=C sort -z | xargs -0 -r sha256sum; \
	$(PY) -c 'import importlib.metadata as m; print(sorted( \
		(d.metadata["Name"], d.version) for d in m.distributions() \
		if "tryton" in d.metadata["Name"].lower() \
		or d.metadata["Name"] == "proteus"))'; \
	} | sha256sum | cut -c1-16)

.PHONY: help install system-packages libreoffice sao browser demo demo-reset \
	serve test test-sqlite test-postgresql postgresql bench \
	serve-postgresql

help:
	@sed -n '2,9p' Makefile | sed 's/^# *//'

# --- installs (stamp files keep re-runs quick) -----------------------------

# Installs the Debian packages listed in the shell variable missing, if any
APT_INSTALL_MISSING = if [ -n "$$missing" ]; then \
	sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	echo "Installing$$missing"; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q \
	&& $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $$missing; \
	fi

# Debian's chromium and CJK fonts for the browser test, when missing
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null \
		|| missing="$$missing python3-venv"; \
	$(APT_INSTALL_MISSING)

# LibreOffice prints the reports as PDF (CJK fonts for the Chinese);
# without it they are ODT, and the demo goes on
libreoffice:
	@missing=""; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-writer-nogui"; \
	dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	$(APT_INSTALL_MISSING); \
	command -v soffice >/dev/null \
		|| echo "Note: LibreOffice is not installed: reports print as ODT."

install: $(PY_STAMP)

# pip >= 24 resolves the addons' dependencies on each other in one call
$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade 'pip>=24'

# One pip run, so that an addon depending on another finds it here; its
# output (setuptools' warnings about editable installs) only on failure.
$(PY_STAMP): $(addsuffix /pyproject.toml,$(ADDON_DIRS)) Makefile | $(PY)
	@mkdir -p var
	$(PIP) install \
		$(foreach d,$(ADDON_DIRS),-e '$(d)[test]') \
		xlsxwriter pytest pytest-xdist 'gunicorn>=27,<28' aiosmtpd \
		'proteus$(TRYTON)' \
		'trytond[postgresql]$(TRYTON)' \
		'trytond_country[data]$(TRYTON)' \
		'trytond_currency[data]$(TRYTON)' \
		> var/pip.log 2>&1 || { cat var/pip.log; exit 1; }
	touch $@

# The web client: unpacked so that its index.html finds its own node_modules.
sao: $(SAO_STAMP)

$(SAO_STAMP):
	rm -rf var/sao
	mkdir -p var/sao
	cd var/sao && npm pack --silent tryton-sao@$(SAO_VERSION) >/dev/null \
		&& tar xzf tryton-sao-$(SAO_VERSION).tgz \
		&& rm tryton-sao-$(SAO_VERSION).tgz
	cd var/sao/package && npm install --omit=dev --legacy-peer-deps \
		--no-audit --no-fund --loglevel=error
	touch $@

# playwright-core drives Debian's chromium: it downloads no browser.
browser: $(PW_STAMP)

$(PW_STAMP):
	mkdir -p var/browser
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix var/browser \
		--no-audit --no-fund --loglevel=error \
		playwright-core@$(PLAYWRIGHT_VERSION)
	touch $@

# --- demo -------------------------------------------------------------------

# trytond.conf with its relative paths made absolute
$(CONF): trytond.conf
	mkdir -p $(@D)
	sed -E 's|^(path\|root)( *= *)([^/ ].*)$$|\1\2$(CURDIR)/\3|' $< > $@

$(DEMO_DB): | $(PY_STAMP) $(CONF)
	$(MAILBOX) $(PY) demo/build.py -c $(CONF) -d demo

demo: libreoffice $(PY_STAMP) $(SAO_STAMP) $(CONF) $(DEMO_DB)
	@$(MAKE) --no-print-directory serve

demo-reset: libreoffice $(PY_STAMP) $(SAO_STAMP) $(CONF)
	rm -f $(DEMO_DB)
	$(MAILBOX) $(PY) demo/build.py -c $(CONF) -d demo
	@$(MAKE) --no-print-directory serve

serve: $(CONF)
	@echo
	@echo "Tryton web client: http://localhost:$(PORT)/"
	@echo "Login: admin / admin (database: demo). Stop with Ctrl-C."
	@echo "E-mail sent by the demo: var/mail/*.eml"
	@echo
	TRYTOND_WEB__LISTEN=localhost:$(PORT) \
		$(MAILBOX) $(VENV)/bin/trytond -c $(CONF) -d demo

# --- production on PostgreSQL ----------------------------------------------

# trytond-postgresql.conf with its relative paths made absolute
$(PG_CONF): trytond-postgresql.conf
	mkdir -p $(@D)
	sed -E 's|^(path\|root)( *= *)([^/ ].*)$$|\1\2$(CURDIR)/\3|' $< > $@

# The demo database PG_DEMO_DB is built once, by the demo builder; then
# gunicorn, trytond-cron and trytond-worker run until Ctrl-C
serve-postgresql: libreoffice $(PY_STAMP) $(SAO_STAMP) $(PG_CONF) postgresql
	@if psql -h 127.0.0.1 -U root -d postgres -Atc \
			"SELECT 1 FROM pg_database WHERE datname = '$(PG_DEMO_DB)'" \
			| grep -q 1; then \
		echo "Database $(PG_DEMO_DB) exists: serving it"; \
	else \
		$(MAILBOX) $(PY) demo/build.py -c $(PG_CONF) -d $(PG_DEMO_DB); \
	fi
	@echo
	@echo "Tryton web client: http://localhost:$(PORT)/"
	@echo "Login: admin / admin (database: $(PG_DEMO_DB)). $(WORKERS) server" \
		"processes, trytond-cron, trytond-worker. Stop with Ctrl-C."
	@echo
	@scripts/serve-postgresql.sh $(PG_CONF) $(PG_DEMO_DB) $(WORKERS) $(PORT)

# --- tests ------------------------------------------------------------------

# Prints the time of each phase at the end, whether the run passed or not
test:
	@phases=""; \
	phase() { \
		local start=$$(date +%s) status; \
		$(MAKE) --no-print-directory "$${@:2}"; status=$$?; \
		phases+=$$(printf '%-18s %5d s' "$$1" $$(($$(date +%s) - start))); \
		phases+=$$'\n'; \
		return $$status; \
	}; \
	phase install system-packages libreoffice install sao browser \
		&& phase "SQLite tests" test-sqlite \
		&& phase "PostgreSQL tests" test-postgresql; \
	status=$$?; \
	echo "== time of each phase"; printf '%s' "$$phases"; \
	exit $$status

test-sqlite: $(PY_STAMP) $(SAO_STAMP) $(PW_STAMP)
	@hash=$(SOURCES_HASH); \
	mkdir -p .cache/db; \
	find .cache/db -mindepth 1 -maxdepth 1 ! -name "$$hash" -exec rm -rf {} +; \
	echo "== tests on SQLite (DB_CACHE=.cache/db/$$hash/sqlite)"; \
	TRYTOND_DATABASE_URI=sqlite:// DB_CACHE=.cache/db/$$hash/sqlite \
		$(PY) -m pytest $(PYTEST_ARGS)

# The browser test builds its own SQLite demo database: it runs once, above.
# The cached databases are template databases (conftest.py): those of older
# sources are dropped first. The test sessions do not wait for their commits to reach the disk
# (synchronous_commit, through libpq's PGOPTIONS): a crash loses only test
# databases.
test-postgresql: $(PY_STAMP) postgresql
	@hash=$(SOURCES_HASH); \
	mkdir -p .cache/db; \
	find .cache/db -mindepth 1 -maxdepth 1 ! -name "$$hash" -exec rm -rf {} +; \
	keep=$$(cat .cache/db/$$hash/postgresql/*.template 2>/dev/null); \
	for db in $$($(PSQL) -Atc "SELECT datname FROM pg_database \
			WHERE datname LIKE 'aftersales-test-cache-%'"); do \
		grep -qxF "$$db" <<< "$$keep" \
			|| $(PSQL) -qc "DROP DATABASE \"$$db\""; \
	done; \
	echo "== tests on PostgreSQL (DB_CACHE=.cache/db/$$hash/postgresql)"; \
	PGOPTIONS='-c synchronous_commit=off' \
	TRYTOND_DATABASE_URI=$(PG_URI) DB_CACHE=.cache/db/$$hash/postgresql \
		$(PY) -m pytest $(PYTEST_ARGS) -m 'not browser'

postgresql:
	@if ! command -v pg_isready >/dev/null; then \
		echo "PostgreSQL is not installed: the tests need a PostgreSQL 15" \
			"server on 127.0.0.1:5432 (role root, trust authentication)" \
			"and its client tools: apt-get install postgresql." >&2; \
		exit 1; \
	fi
	@if ! pg_isready -q -h 127.0.0.1; then \
		if [ ! -d /etc/postgresql ]; then \
			echo "No PostgreSQL server answers on 127.0.0.1 and none is" \
				"installed here: apt-get install postgresql." >&2; \
			exit 1; \
		fi; \
		echo "Starting PostgreSQL"; \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
		for i in $$(seq 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done; \
		pg_isready -h 127.0.0.1; \
	fi

# --- benchmarks -------------------------------------------------------------

# The benchmarks keep their activated databases in a cache of their own, per
# hash of the sources, as the tests do; bench/common.py is what they share
bench: $(PY_STAMP)
	@set -e; hash=$(SOURCES_HASH); \
	find .cache/bench -mindepth 1 -maxdepth 1 ! -name "$$hash" \
		-exec rm -rf {} + 2>/dev/null || true; \
	for f in bench/*.py; do \
		[ -e "$$f" ] || { echo "no benchmark in bench/"; break; }; \
		[ "$$f" != bench/common.py ] || continue; \
		echo "== $$f"; DB_CACHE=.cache/bench/$$hash $(PY) "$$f"; \
	done
