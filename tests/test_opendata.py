"""The open-data package (issue 15): `ess-impact export --public --out DIR` writes every public table as CSV and
Parquet with a dictionary and a datapackage.json that an independent reader (frictionless) validates; its figures are
those of `summary --public`, cell for cell; no confidential value appears anywhere in it; the licence and the
attributions are there; Méthodologie offers the same package as a .zip."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import frictionless
import pandas as pd
import pytest
from conftest import APP

from ess_impact import cli, labels
from ess_impact.output import opendata
from ess_impact.publish import indicators, slices
from ess_impact.publish.indicators import Filters
from ess_impact.store import db

# The package is built once per module on the small-groups data set (about 25 s: the constant-sample cubes of two
# pairs of years), and frictionless reads every file (about 12 s).
pytestmark = pytest.mark.slow

SUMMARY_TABLES = {"region": ("regions", None), "mrc": ("mrc", None), "sector": ("secteurs", "sector_code"),
                  "legal_form": ("formes_juridiques", "legal_form_code")}


@pytest.fixture(scope="module")
def package(small_groups_db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("opendata") / "paquet"
    assert cli.main(["export", "--public", "--out", str(out), "--db", str(small_groups_db),
                     "--org-name", "Pôle d'économie sociale de l'essai"]) == 0
    return out


def read_csv(path: Path) -> pd.DataFrame:
    """As published: text, 'x' kept, codes with their leading zeros."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_the_package_validates_with_frictionless(package):
    report = frictionless.validate(str(package / "datapackage.json"))
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads((package / "datapackage.json").read_text())
    names = {r["name"] for r in descriptor["resources"]}
    for table in ("quebec", "regions", "mrc", "secteurs", "formes_juridiques", "changements", "taux_benevolat"):
        assert {table, f"{table}-parquet"} <= names
        assert (package / f"{table}.csv").exists() and (package / f"{table}.parquet").exists()
    assert "dictionnaire" in names and (package / "LISEZMOI.md").exists()


def test_validation_is_strict(package, tmp_path):
    """Without 'x' among the missing values, the suppressed cells are type errors: the validator really reads."""
    descriptor = json.loads((package / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        if "schema" in resource and resource["name"] == "regions":
            resource["schema"]["missingValues"] = [""]
    copy = tmp_path / "copy"
    copy.mkdir()
    for f in package.iterdir():
        (copy / f.name).write_bytes(f.read_bytes())
    (copy / "datapackage.json").write_text(json.dumps(descriptor))
    report = frictionless.Package(str(copy / "datapackage.json")).get_resource("regions").validate()
    assert not report.valid
    assert {e[0] for e in report.flatten(["type"])} == {"type-error"}


def _summary(db_path: Path, by: str, year: int, capsys) -> list[dict]:
    assert cli.main(["summary", "--by", by, "--year", str(year), "--public", "--format", "json",
                     "--db", str(db_path)]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("by", list(SUMMARY_TABLES))
def test_the_package_holds_the_figures_of_summary_public(package, small_groups_db, capsys, by):
    name, code_column = SUMMARY_TABLES[by]
    rows = frictionless.Resource(str(package / f"{name}.csv"),  # typed by the package's schema, 'x' read as missing
                                 schema=frictionless.Schema.from_descriptor(_schema(package, name))).read_rows()
    text = read_csv(package / f"{name}.csv")
    parquet = pd.read_parquet(package / f"{name}.parquet")
    assert len(rows) == len(text) == len(parquet)
    if code_column:  # the summary by sector / legal form is Québec's
        keep = [i for i, r in enumerate(rows) if r["geo_level"] == "all"]
    else:
        keep = list(range(len(rows)))
    compared = 0
    for year in sorted({rows[i]["year"] for i in keep}):
        expected = {r["code"]: r for r in _summary(small_groups_db, by, year, capsys)}
        got = {rows[i][code_column or "code"]: i for i in keep if rows[i]["year"] == year}
        assert set(got) == set(expected), (by, year)
        for code, i in got.items():
            want = expected[code]
            hidden = set(filter(None, want["suppressed"].split(",")))
            assert set(filter(None, text.loc[i, "suppressed"].split(","))) >= hidden
            for column, value in want.items():
                if column in ("code", "name", "year", "suppressed"):
                    continue
                if column.startswith("spinoff_"):  # model estimates (issue 14) are not part of the open data
                    assert column not in text.columns
                    continue
                if column in hidden:
                    assert text.loc[i, column] == "x" and rows[i][column] is None, (by, code, column)
                    assert pd.isna(parquet.loc[i, column])
                elif value is None:
                    assert text.loc[i, column] == "" and rows[i][column] is None, (by, code, column)
                else:
                    assert float(rows[i][column]) == pytest.approx(value, rel=1e-9), (by, code, column)
                    assert float(parquet.loc[i, column]) == pytest.approx(value, rel=1e-9)
                compared += 1
    assert compared > 100


def _schema(package: Path, name: str) -> dict:
    descriptor = json.loads((package / "datapackage.json").read_text())
    return next(r["schema"] for r in descriptor["resources"] if r["name"] == name)


def _numbers(package: Path) -> set[float]:
    """Every number the package shows anywhere: CSV cells, Parquet values, the descriptor and the read-me."""
    found = set()
    for path in package.iterdir():
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
            for column in frame.columns:
                if pd.api.types.is_numeric_dtype(frame[column]):
                    found |= {float(v) for v in frame[column].dropna()}
        else:
            found |= {float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?", path.read_text())}
    return found


def _secrets(protected: pd.DataFrame, unprotected: pd.DataFrame) -> dict[float, tuple]:
    """The unprotected value of every suppressed amount of a protected cube (distinctive ones: above 10 000; the
    data set's figures are not round), with the unprotected cube's cell it belongs to."""
    values = unprotected.set_index(["year", "cell"])
    found = {}
    for _, row in protected.iterrows():
        for column in filter(None, row["suppressed"].split(",")):
            if column in indicators.PROTECTED:
                value = float(values.loc[(row["year"], row["cell"]), column])
                if value > 10_000:
                    found[round(value, 6)] = (row["year"], row["cell"], column)
    return found


def test_no_confidential_value_appears_in_the_package(package, small_groups_db):
    """Attack: every value the protection suppressed, taken from the unprotected cube, is looked for among all the
    numbers of the package (CSV, Parquet, descriptor, read-me); and no contributor-level column is there."""
    with db.connect(small_groups_db) as con:
        public = indicators.public_cubes(con)
        raw = indicators.cube(con)
        panels = [(indicators.public_panels(con, 2022, 2023), pd.concat([indicators.cube(con, y, (2022, 2023))
                                                                          for y in (2022, 2023)])),
                  (indicators.public_panels(con, 2023, 2024), pd.concat([indicators.cube(con, y, (2023, 2024))
                                                                          for y in (2023, 2024)]))]
    secrets = _secrets(public, raw)
    assert len(secrets) > 50  # the data set has many suppressed, distinctive values
    assert not set(secrets) & {round(v, 6) for v in _numbers(package)}
    # The constant-sample values suppressed are not among the constant-sample values shown. (A panel cell may equal
    # its raw cell, published, when nobody is outside the sample; the reader cannot tell without the sample's count,
    # which the protection hides then: `ess-impact audit` proves those intervals, tests/test_audit.py.)
    changes = pd.read_parquet(package / "changements.parquet")
    shown = {round(float(v), 6) for c in ("constant_value_from", "constant_value_to")
             for v in changes[c].dropna()}
    hidden_panel = {}
    for protected, unprotected in panels:
        hidden_panel |= _secrets(protected, unprotected)
    assert len(hidden_panel) > 10 and not set(hidden_panel) & shown
    for path in package.glob("*.parquet"):
        assert not [c for c in pd.read_parquet(path).columns if c.endswith(indicators.CONTRIBUTOR_SUFFIXES)]
    assert not [c for c in public.columns if c.endswith(indicators.CONTRIBUTOR_SUFFIXES)]  # not even in memory


def test_changes_at_constant_sample_are_those_of_the_dashboard(package, small_groups_db):
    changes = pd.read_parquet(package / "changements.parquet")
    with db.connect(small_groups_db) as con:
        cubes = indicators.public_cubes(con)
        panel = indicators.public_panels(con, 2023, 2024)
    f = Filters(year=2024, region="16")
    now, before = slices.row(cubes, f), slices.row(cubes, Filters(2023, "16"))
    headline = slices.headline(now, before, panel, f, 2023, "fr").set_index("key")
    mine = changes[(changes.year_to == 2024) & (changes.geo_level == "region") & (changes.geo_code == "16")
                   & (changes.cat_kind == "all")].set_index("indicator")
    assert list(mine.index) == list(headline.index)
    for key, row in headline.iterrows():
        for mine_col, theirs in (("change", "change"), ("constant_change", "change_constant")):
            a, b = mine.loc[key, mine_col], row[theirs]
            assert (pd.isna(a) and pd.isna(b)) or a == pytest.approx(b), (key, mine_col, a, b)


def test_licence_publisher_and_attributions(package, small_groups_db, tmp_path, monkeypatch, capsys):
    descriptor = json.loads((package / "datapackage.json").read_text())
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["contributors"] == [{"title": "Pôle d'économie sociale de l'essai", "role": "publisher"}]
    sources = " ".join(s["title"] for s in descriptor["sources"])
    for credit in ("MRNF", "Découpages administratifs", "MAMH", "Répertoire des municipalités", "Données Québec",
                   "CC BY 4.0"):
        assert credit in sources
    readme = (package / "LISEZMOI.md").read_text()
    assert "Pôle d'économie sociale de l'essai" in readme and "CC-BY-4.0" in readme and "« x »" in readme
    dictionary = read_csv(package / "dictionnaire.csv")
    assert set(dictionary.columns) >= {"table", "column", "definition_fr", "definition_en", "unit_fr", "source",
                                       "licence", "suppressed_mark"}
    assert (dictionary["definition_fr"] != "").all() and (dictionary["licence"] == "CC-BY-4.0").all()
    regions = dictionary[dictionary.table == "regions"].set_index("column")
    assert regions.loc["revenue_total", "unit_fr"] == "dollars"
    assert regions.loc["revenue_total", "suppressed_mark"] == "x"

    monkeypatch.setenv("ESS_IMPACT_DATA_LICENCE", "cc0-1.0")
    out = tmp_path / "cc0"
    assert cli.main(["export", "--public", "--out", str(out), "--db", str(small_groups_db)]) == 0
    assert json.loads((out / "datapackage.json").read_text())["licenses"][0]["name"] == "CC0-1.0"
    capsys.readouterr()
    assert cli.main(["export", "--public", "--out", str(tmp_path / "bad"), "--db", str(small_groups_db),
                     "--licence", "MIT-ish"]) == cli.EXIT_INVALID
    assert "Licence inconnue : « MIT-ish »" in capsys.readouterr().err and not (tmp_path / "bad").exists()


def test_the_zip_is_stored_for_the_methodology_page(small_groups_db, tmp_path):
    out = tmp_path / "paquet"
    assert cli.main(["export", "--public", "--out", str(out), "--db", str(small_groups_db),
                     "--org-name", "Pôle A"]) == 0
    with db.connect(small_groups_db) as con:
        stored = opendata.stored_zip(con, None, "Pôle A")
        assert opendata.stored_zip(con, None, "Pôle B") is None  # built for another publisher
        assert opendata.stored_zip(con, "CC0-1.0", "Pôle A") is None  # or under another licence
    assert stored
    with zipfile.ZipFile(io.BytesIO(stored)) as archive:
        inside = {Path(n).name: archive.read(n) for n in archive.namelist()}
    assert set(inside) == {p.name for p in out.iterdir()}
    for name in ("regions.csv", "mrc.parquet", "dictionnaire.csv", "changements.csv"):
        assert inside[name] == (out / name).read_bytes()


def test_methodology_offers_the_open_data(small_groups_db, tmp_path, monkeypatch, downloads):
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "m.duckdb"
    path.write_bytes(small_groups_db.read_bytes())
    monkeypatch.setenv("ESS_IMPACT_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run(timeout=300)
    at.switch_page("ess_impact/web/public/methodology.py").run(timeout=300)
    assert not at.exception and not at.error
    button = [b for b in at.download_button if b.label == labels.t("opendata_download", "fr")]
    assert len(button) == 1
    name, _mime, make = downloads[button[0].proto.deferred_file_id]
    assert name == "ess-impact-donnees-ouvertes.zip"
    with zipfile.ZipFile(io.BytesIO(make())) as archive:
        files = {Path(n).name: archive.read(n) for n in archive.namelist()}
    descriptor = json.loads(files["datapackage.json"])
    assert {r["path"] for r in descriptor["resources"]} == set(files) - {"datapackage.json", "LISEZMOI.md"}
    with db.connect(path) as con:
        assert opendata.stored_zip(con) is not None  # the next reader gets it at once
    assert len(files) == 17  # 7 tables x (CSV, Parquet), the dictionary, datapackage.json, LISEZMOI.md
