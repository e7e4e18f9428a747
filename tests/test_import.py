"""Import of real fixture files (tests/fixtures/, written by make_fixtures.py): every format, every ugly layout,
every failure mode with its exact message."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from fixtures.make_fixtures import EXPECTED  # noqa: E402  (tests/ is on sys.path through conftest)

from ess_impact.intake import importer
from ess_impact.store import auth, db

ADMIN = auth.system("test")  # the command line's actor

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = ["ugly_fr.xlsx", "ugly_fr.xlsm", "ugly_fr.xls", "ugly_fr.ods", "excel_fr.csv", "english_bom.csv"]


@pytest.fixture
def con():
    connection = db.open_database(":memory:")
    yield connection
    connection.close()


def _records(check) -> list[dict]:
    rows = []
    for rec in check.records.drop(columns=["sheet", "source_row"]).to_dict(orient="records"):
        rows.append({k: (None if v is None or (isinstance(v, float) and math.isnan(v)) else v) for k, v in rec.items()})
    return sorted(rows, key=lambda r: (r["neq"], r["year"]))


def _expected() -> list[dict]:
    return sorted(EXPECTED, key=lambda r: (r["neq"], r["year"]))


@pytest.mark.parametrize("name", GOOD)
def test_good_files_import_to_the_same_values(name, con):
    check = importer.check_file(FIXTURES / name, con, actor=ADMIN)
    assert check.errors == [] and check.warnings == []
    got, want = _records(check), _expected()
    assert len(got) == len(want)
    for g, w in zip(got, want):
        for key, value in w.items():
            if isinstance(value, float) or isinstance(g[key], float):
                assert g[key] == pytest.approx(value), (name, key)
            else:
                assert g[key] == value, (name, key)


@pytest.mark.parametrize("name", ["ugly_fr.xlsx", "ugly_fr.ods", "ugly_fr.xls"])
def test_ugly_layout_notes_use_spreadsheet_rows(name, con):
    lines = [p.line("fr") for p in importer.check_file(FIXTURES / name, con, actor=ADMIN).problems]
    assert lines == [
        f"{name}:Données 2024:4:Commentaires: Colonne non reconnue : elle est ignorée.",
        f"{name}:Données 2024:12:: Ligne de total ignorée.",
    ]


def test_rows_keep_their_spreadsheet_row_numbers(con):
    check = importer.check_file(FIXTURES / "ugly_fr.xlsx", con, actor=ADMIN)
    # header on row 4, six enterprises with a blank row after the third one
    assert sorted(check.records["source_row"]) == [5, 6, 7, 9, 10, 11]


def test_merged_cells_fill_every_row(con):
    check = importer.check_file(FIXTURES / "merged_cells.xlsx", con, actor=ADMIN)
    assert check.errors == []
    assert list(check.records["neq"]) == ["1147654321", "1147654321"]
    assert list(check.records["mrc"]) == ["01", "01"]
    assert list(check.records["year"]) == [2023, 2024]


ERROR_LINES = [
    "errors.xlsx:Données:2:NEQ: « 114111 » n'est pas un NEQ valide ; attendu : 10 chiffres (ex. 1141234567).",
    "errors.xlsx:Données:3:Emplois à temps plein: « 12,5 » n'est pas un nombre entier ; attendu : un nombre entier "
    "positif ou nul (ex. 12).",
    "errors.xlsx:Données:4:Revenus totaux ($): « -500 » est négatif ; attendu : un montant en dollars, positif ou nul "
    "(ex. 1 234,50).",
    "errors.xlsx:Données:5:Revenus totaux ($): « 12,5 % » est un pourcentage ; attendu : un montant en dollars, "
    "positif ou nul (ex. 1 234,50).",
    "errors.xlsx:Données:6:MRC: MRC inconnue : « Maskoutin ». Vouliez-vous dire « Les Maskoutains (54) » ?",
    "errors.xlsx:Données:7:Secteur: Secteur inconnu : « Aéronautique ». Secteurs acceptés : Habitation, Santé et "
    "conditions de vie, Loisirs et tourisme, Arts, culture et médias, Éducation, formation et services de garde, "
    "Agroalimentaire, Environnement et matières résiduelles, Commerce de détail, Services aux entreprises et "
    "technologies, Finance et assurances, Ressources naturelles, fabrication et construction, Transport, Insertion "
    "socioprofessionnelle, Autre.",
    "errors.xlsx:Données:8:Forme juridique: Forme juridique inconnue : « SARL ». Attendu : Coopérative, OBNL ou "
    "Mutuelle.",
    "errors.xlsx:Données:9:Année: « 1999 » est hors limites ; attendu : une année de 2000 à 2026.",
    "errors.xlsx:Données:10:Heures de bénévolat: Valeur manquante : cette colonne est obligatoire ; attendu : un "
    "nombre d'heures positif ou nul (ex. 1 820).",
    # an Excel error value (#REF!) reaches us as an empty cell: python-calamine does not expose error cells
    "errors.xlsx:Données:11:Revenus totaux ($): Valeur manquante : cette colonne est obligatoire ; attendu : un "
    "montant en dollars, positif ou nul (ex. 1 234,50).",
    "errors.xlsx:Données:12:Revenus totaux ($): « 3,2 M$ » : indiquez le montant complet en dollars "
    "(ex. 3 200 000 plutôt que 3,2 M$).",
    "errors.xlsx:Données:14:NEQ: L'entreprise 1141111122 a déjà une ligne pour 2024 (ligne 13 de Données) : une "
    "seule ligne par entreprise et par année.",
    "errors.xlsx:Données:15:Année: « 2023-2024 » n'est pas une année ; attendu : l'année de l'exercice, de 2000 à "
    "2026 (ex. 2024).",
]


def test_every_error_is_reported_with_its_exact_message(con):
    import datetime as dt

    check = importer.check_files([FIXTURES / "errors.xlsx"], con, actor=ADMIN, today=dt.date(2026, 11, 23))[0]
    assert [p.line("fr") for p in check.problems] == ERROR_LINES
    assert all(p.severity == "error" for p in check.problems)


def test_messages_in_english(con):
    import datetime as dt

    check = importer.check_files([FIXTURES / "errors.xlsx"], con, actor=ADMIN, today=dt.date(2026, 11, 23))[0]
    english = [p.line("en") for p in check.problems]
    assert english[0] == ("errors.xlsx:Données:2:NEQ: “114111” is not a valid NEQ; expected: 10 digits "
                          "(e.g. 1141234567).")
    assert english[4] == "errors.xlsx:Données:6:MRC: Unknown MRC: “Maskoutin”. Did you mean “Les Maskoutains (54)”?"
    assert "one row per enterprise and year" in english[11]


@pytest.mark.parametrize("name, line", [
    ("missing_column.xlsx", "missing_column.xlsx:Données:1:Revenus totaux ($): Colonne obligatoire absente : "
                            "« Revenus totaux ($) »."),
    ("scientific_neq.csv", "scientific_neq.csv:CSV:2:NEQ: « 1,14123E+09 » : le tableur a converti le NEQ en notation "
                           "scientifique ; formatez la colonne en texte et saisissez les 10 chiffres."),
    ("empty.csv", "empty.csv:::: Le fichier est vide."),
    ("image_renamed.xlsx", "image_renamed.xlsx:::: Format de fichier non reconnu : seuls les fichiers .xlsx, .xlsm, "
                           ".xls, .ods et .csv sont acceptés."),
    ("zip_not_workbook.xlsx", "zip_not_workbook.xlsx:::: Fichier illisible ou endommagé (Cannot detect file format). "
                              "Ouvrez-le et enregistrez-le de nouveau en .xlsx."),
])
def test_file_level_failures(name, line, con):
    check = importer.check_file(FIXTURES / name, con, actor=ADMIN)
    assert [p.line("fr") for p in check.errors] == [line]
    assert len(check.records) == 0


def test_no_header_names_the_required_columns(con):
    (problem,) = importer.check_file(FIXTURES / "no_header.csv", con, actor=ADMIN).errors
    assert problem.code == "no_header"
    assert "« NEQ »" in problem.message() and "« Heures de bénévolat »" in problem.message()


def test_warnings_are_reported_and_block_without_confirmation(con):
    check = importer.check_file(FIXTURES / "warnings.xlsx", con, actor=ADMIN)
    assert check.errors == []
    assert [p.line("fr") for p in check.warnings] == [
        "warnings.xlsx:Données:3:Revenus autonomes ($): Revenus autonomes (1\u00a0600\u00a0000\u00a0$) supérieurs "
        "aux revenus totaux (1\u00a0500\u00a0000\u00a0$) : vérifiez.",
        "warnings.xlsx:Données:3:Revenus totaux ($): Revenus totaux de 1\u00a0500\u00a0000\u00a0$, soit 15,0 fois "
        "ceux de 2023 (100\u00a0000\u00a0$) : vérifiez l'unité (dollars, pas milliers).",
        "warnings.xlsx:Données:4:Revenus totaux ($): Revenus de 2\u00a0500\u00a0000\u00a0$ par emploi (plus de 1 M$) : "
        "vérifiez les emplois et les revenus.",
    ]
    with pytest.raises(importer.ImportRefused):
        importer.commit(con, [check], actor=ADMIN)
    assert db.first(con, "SELECT count(*) FROM annual_figures")[0] == 0
    importer.commit(con, [check], actor=ADMIN, accept_warnings=True)
    assert db.first(con, "SELECT count(*) FROM annual_figures")[0] == 3


def test_revenue_jump_against_the_stored_previous_year(con, tmp_path):
    first = importer.check_file(FIXTURES / "ugly_fr.xlsx", con, actor=ADMIN)
    importer.commit(con, [first], actor=ADMIN)
    frame = pd.DataFrame([{
        "NEQ": "1147654321", "Nom de l'entreprise": "Café-coop L'Escale", "Forme juridique": "Coopérative",
        "Secteur": "LOI", "MRC": "01", "Année": 2025, "Emplois à temps plein": 2, "Emplois à temps partiel": 7,
        "Revenus totaux ($)": 4_450_000, "Heures de bénévolat": 10}])
    path = tmp_path / "jump.xlsx"
    frame.to_excel(path, index=False)
    check = importer.check_file(path, con, actor=ADMIN)
    assert [p.code for p in check.warnings] == ["revenue_jump"]
    assert "10,0 fois ceux de 2024" in check.warnings[0].message("fr")


def test_errors_block_the_whole_file(con):
    check = importer.check_file(FIXTURES / "errors.xlsx", con, actor=ADMIN)
    assert len(check.records) == 1  # the one good row is not written either
    with pytest.raises(importer.ImportRefused):
        importer.commit(con, [check], actor=ADMIN)
    assert db.first(con, "SELECT count(*) FROM annual_figures")[0] == 0
    assert db.first(con, "SELECT count(*) FROM imports")[0] == 0


def test_duplicates_across_files_are_errors(con):
    checks = importer.check_files([FIXTURES / "ugly_fr.xlsx", FIXTURES / "excel_fr.csv"], con, actor=ADMIN)
    assert checks[0].errors == []
    assert len(checks[1].errors) == 6
    assert checks[1].errors[0].message("fr").endswith(
        "(ligne 5 de ugly_fr.xlsx:Données 2024) : une seule ligne par entreprise et par année.")
