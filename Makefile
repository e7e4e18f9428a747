# Two commands for a fresh machine:
#   make run    install, then start the app on http://localhost:8501
#   make test   install (with Debian's chromium, LibreOffice and poppler for the browser, template and PDF tests),
#               then run the whole test suite
#   make check  the everyday subset: the core tests, without the app, the browser, subprocesses or LibreOffice
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check install run-deps system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: run-deps install
	$(BIN)/ess-impact run

# Debian packages: chromium draws the report charts (and runs the browser tests), DejaVu is the reports' font;
# LibreOffice (+ its Python bridge) and poppler check the template and the reports in the tests.
RUN_PACKAGES := chromium:chromium fonts-dejavu-core:/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
TEST_PACKAGES := libreoffice-calc-nogui:soffice libreoffice-impress-nogui:/usr/lib/libreoffice/program/libsdlo.so poppler-utils:pdftoppm

define install_missing
	@missing=""; \
	for entry in $(1); do \
	  package=$${entry%%:*}; probe=$${entry#*:}; \
	  if [ -e "$$probe" ] || command -v "$$probe" >/dev/null; then :; else missing="$$missing $$package"; fi; \
	done; \
	$(2) \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

run-deps:
	$(call install_missing,$(RUN_PACKAGES),)

system-deps:
	$(call install_missing,$(RUN_PACKAGES) $(TEST_PACKAGES),/usr/bin/python3 -c 'import uno' 2>/dev/null || missing="$$missing python3-uno";)

# Two processes (pytest-xdist), a test file kept on one of them (its module-scoped app server and browser pages are
# shared); timings in docs/benchmarks.md (test suite duration).
test: system-deps install
	$(BIN)/python -m pytest -n 2 --dist loadfile

# The core tests only (markers set in tests/conftest.py from what each test calls, and on the tests over 5 s): about a
# minute on 2 CPUs.
check: install
	$(BIN)/python -m pytest -n 2 -q -m "not e2e and not slow and not app"
