# Two commands for a fresh machine:
#   make run    install, then start the app on http://localhost:8501
#   make test   install (with Debian's chromium, LibreOffice and poppler for the browser, template and PDF tests),
#               then run the whole test suite
#   make check  the everyday subset: the core tests, without the app, the browser, subprocesses or LibreOffice
#   make catalogue  after adding or changing a text: extract the keys the code uses, update both catalogues
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check install run-deps system-deps catalogue compile-catalogue demo-patterns

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

# The text catalogues (issue 10): ess_impact/locale/{fr_CA,en_CA}/LC_MESSAGES/ess_impact.po, one msgid per key.
# Extraction finds every key the code passes to these functions (a key held in a table is marked with N_), so that
# an update never drops a key in use; tests/test_catalogue.py checks that the extraction finds exactly the keys of
# the catalogues. A new key arrives in both .po files with an empty text: write it in French and in English.
LOCALE_DIR := ess_impact/locale
CATALOGUE_KEYWORDS := t tr N_ tn:1,2 counted:1,2 EssError Invalid Refused NotFound Busy CellError ReportError \
	InvalidAccount InvalidSetting RegistryError Finding Forbidden UnreadableFile UndoRefused LoginFailed \
	UnsupportedView ImportRefused DemoInForce NothingToRelease AlreadyReleased BackupDamaged UnknownLicence LinkInvalid DatabaseBusy MultipliersInvalid EmploymentInvalid \
	Problem:2
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(LOCALE_DIR)/*/LC_MESSAGES/*.po))

$(LOCALE_DIR)/%.mo: $(LOCALE_DIR)/%.po | $(STAMP)
	$(BIN)/pybabel --quiet compile -i $< -o $@ -l $(word 1,$(subst /, ,$*))

compile-catalogue: $(MO_FILES)

catalogue: install
	mkdir -p build
	$(BIN)/pybabel --quiet extract --no-default-keywords $(addprefix -k ,$(CATALOGUE_KEYWORDS)) --no-location \
		--omit-header -o build/ess_impact.pot ess_impact
	$(BIN)/pybabel --quiet update -i build/ess_impact.pot -d $(LOCALE_DIR) -D ess_impact --no-fuzzy-matching \
		--no-wrap --previous
	$(MAKE) compile-catalogue

install: $(STAMP) compile-catalogue

# The demo's published patterns, shipped in ess_impact/data/ (publish/demo_patterns.py): after a change of the demo
# generator, the cube or the protection engine (tests/test_demo.py fails until they are made again).
demo-patterns: install
	$(BIN)/python -m ess_impact.publish.demo_patterns

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
