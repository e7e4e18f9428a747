#!/bin/sh
# Copy the screenshots the README shows from test-artifacts/, where the Chromium tour of the pages writes them
# (tests/test_e2e.py::test_every_page_in_the_browser, full page, demo data, 1280×800 and 390×844), and the admin
# pages (tests/test_e2e_admin.py). docs/screenshots/mes-donnees-fr.png was taken by hand on the demo data (an
# enterprise account of a large sector group, window 1280×2000).
#
#   docs/screenshots/update.sh          copy the screenshots of the last test run
#   docs/screenshots/update.sh --run    run the tour first (about a minute), then copy
set -eu
cd "$(dirname "$0")/../.."

if [ "${1:-}" = "--run" ]; then
    .venv/bin/python -m pytest -q tests/test_e2e.py -k test_every_page_in_the_browser
    .venv/bin/python -m pytest -q tests/test_e2e_admin.py
fi

copy() {  # test-artifacts/<name> → docs/screenshots/<name in the README>
    if [ ! -f "test-artifacts/$1" ]; then
        echo "test-artifacts/$1 is missing: run $0 --run" >&2
        exit 1
    fi
    cp "test-artifacts/$1" "docs/screenshots/$2"
    echo "docs/screenshots/$2 <- test-artifacts/$1"
}

copy overview-fr-desktop.png overview-fr.png          # Vue d'ensemble, laptop
copy territories-fr-desktop.png territoires-mrc-fr.png  # Territoires: an MRC's profile
copy sectors-fr-desktop.png secteurs-fr.png           # Secteurs: a sector in a region
copy compare-fr-desktop.png comparer-fr.png           # Comparer: 3 MRCs and their region
copy overview-en-desktop.png overview-en.png          # Overview, in English
copy overview-fr-mobile.png overview-fr-phone.png     # Vue d'ensemble on a phone
# Admin pages (tests/test_e2e_admin.py, small data set; run it to refresh them)
copy admin-completude-fr-desktop.png admin-completude-fr.png      # Complétude: one enterprise to remind
copy admin-registry-edited-fr-desktop.png admin-registre-fr.png   # Registre: a correction just saved
