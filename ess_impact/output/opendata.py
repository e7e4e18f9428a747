"""The open-data package: every public table as CSV and Parquet, a data dictionary and a Frictionless Data Package
descriptor (`datapackage.json`), under the licence the pôle chooses.

    package = opendata.build(con)                  # from the public (protected) cubes only
    opendata.write(package, Path("donnees-ouvertes"))
    opendata.zip_bytes(package)                    # the same files in one .zip (Méthodologie's download)

Every figure comes from `indicators.public_cubes` / `indicators.public_panels`, the protected cubes every page,
report and `summary --public` read, so the package holds exactly what the pages show: a value suppressed there is
"x" in the CSV files and null in the Parquet files (the `suppressed` column of each row names them, as in `summary
--public`), and the contributor-level columns of the unprotected cube never reach it (only the columns listed here
are written). Changes between years are computed as `slices.change_value` does for the dashboard's cards (on whole
columns; tests/test_opendata.py compares them).

CSV files are UTF-8, comma-separated, with a dot as decimal separator (machine-readable; the app's table downloads
keep the French-Excel format). The licence is the pôle's choice: ESS_IMPACT_DATA_LICENCE (an SPDX identifier among
LICENCES, default CC-BY-4.0) or `--licence`; the publisher is ESS_IMPACT_ORG_NAME or `--org-name`.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from ess_impact import errors, labels, sql
from ess_impact.labels import INDICATORS, t
from ess_impact.output import tables as published_tables
from ess_impact.publish import indicators, slices
from ess_impact.store import db

LICENCE_ENV = "ESS_IMPACT_DATA_LICENCE"
ORG_NAME_ENV = "ESS_IMPACT_ORG_NAME"
DEFAULT_LICENCE = "CC-BY-4.0"
LICENCES = {  # SPDX identifier: (title, address)
    "CC-BY-4.0": ("Creative Commons Attribution 4.0 International", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("Creative Commons Attribution-ShareAlike 4.0 International",
                     "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC0-1.0": ("Creative Commons Zero v1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-By-1.0": ("Open Data Commons Attribution License v1.0", "https://opendatacommons.org/licenses/by/1-0/"),
    "ODbL-1.0": ("Open Data Commons Open Database License v1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
    "OGL-Canada-2.0": ("Open Government Licence - Canada 2.0",
                       "https://open.canada.ca/en/open-government-licence-canada"),
}
SUPPRESSED = "x"  # a confidential value in the CSV files (null in Parquet)
PACKAGE_NAME = "ess-impact-donnees-ouvertes"
STORE_KIND = "opendata"  # the zip kept in cube_store until the data, the settings or the rates change

INTEGER = {"enterprises", "jobs_full_time", "jobs_part_time", "jobs_total", "volunteers", "members", "year",
           "year_from", "year_to", "population"}
VALUES = list(indicators.VALUES)
CHANGE_KEYS = list(slices.HEADLINE)


class UnknownLicence(errors.Invalid):
    """A licence identifier the package does not know."""


@dataclass(frozen=True)
class Package:
    files: dict[str, bytes]         # relative path -> content, datapackage.json included
    descriptor: dict
    frames: dict[str, pd.DataFrame] = field(repr=False, default_factory=dict)  # each table, suppressed values NaN


def licence(identifier: str | None = None) -> str:
    """The licence in force: `identifier`, else ESS_IMPACT_DATA_LICENCE, else CC-BY-4.0 (UnknownLicence if unknown)."""
    chosen = (identifier or os.environ.get(LICENCE_ENV) or DEFAULT_LICENCE).strip()
    known = {key.lower(): key for key in LICENCES}
    if chosen.lower() not in known:
        raise UnknownLicence("opendata_licence_unknown", value=chosen, known=", ".join(LICENCES))
    return known[chosen.lower()]


# --- the tables -------------------------------------------------------------------------------------------------
def _units(lang: str) -> dict[str, str]:
    return {"count": t("unit_count", lang), "jobs": t("unit_jobs", lang), "fte": t("unit_fte", lang),
            "money": t("unit_money", lang), "hours": t("unit_hours", lang), "ratio": t("opendata_unit_share", lang),
            "per_1000": t("unit_per_1000", lang)}


def _hidden_frame(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: indicators.hidden(frame, c) for c in columns}, index=frame.index)


def _cut(cubes: pd.DataFrame, level: str | None, kind: str) -> pd.DataFrame:
    rows = cubes[cubes["cat_kind"] == kind]
    if level is not None:
        rows = rows[rows["geo_level"] == level]
    return rows


def _geo_order(frame: pd.DataFrame) -> pd.DataFrame:
    level = frame["geo_level"].map({"all": 0, "region": 1, "mrc": 2})
    return frame.assign(_l=level).sort_values(["year", "_l", "geo_code", "cat_code"]).drop(columns="_l")


def _tables(cubes: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """name -> rows (values NaN where suppressed, `suppressed` naming them) with their published columns."""
    cubes = _geo_order(cubes)
    out = {}
    quebec = _cut(cubes, "all", "all")
    out["quebec"] = quebec[["year", "population", *VALUES, "suppressed"]]
    regions = _cut(cubes, "region", "all").rename(columns={"geo_code": "code", "geo_name": "name"})
    out["regions"] = regions[["year", "code", "name", "population", *VALUES, "suppressed"]]
    mrc = _cut(cubes, "mrc", "all").rename(columns={"geo_code": "code", "geo_name": "name"})
    out["mrc"] = mrc[["year", "code", "name", "region_code", "population", *VALUES, "suppressed"]]
    for name, kind in (("secteurs", "sector"), ("formes_juridiques", "legal_form")):
        rows = _cut(cubes, None, kind).rename(columns={"cat_code": f"{kind}_code", "cat_name_fr": f"{kind}_name_fr",
                                                       "cat_name_en": f"{kind}_name_en"})
        out[name] = rows[["year", "geo_level", "geo_code", "geo_name", "region_code", f"{kind}_code",
                          f"{kind}_name_fr", f"{kind}_name_en", *VALUES, "suppressed"]]
    return {name: frame.reset_index(drop=True) for name, frame in out.items()}


KEYS = ["geo_level", "geo_code", "cat_kind", "cat_code"]
NAMES = ["geo_name", "region_code", "cat_name_fr", "cat_name_en"]


def _side(frame: pd.DataFrame, year: int, prefix: str) -> pd.DataFrame:
    """One year of a protected cube, keyed by cell: each headline value (NaN where suppressed) and whether it is."""
    rows = frame[frame["year"] == year]
    out = rows[KEYS].copy()
    for key in dict.fromkeys([*CHANGE_KEYS, "enterprises"]):
        hidden = indicators.hidden(rows, key)
        out[f"{prefix}{key}"] = np.where(hidden, np.nan, rows[key].to_numpy(dtype=float))
        out[f"{prefix}{key}__hidden"] = hidden
    return out


def _change(key: str, now: np.ndarray, before: np.ndarray) -> np.ndarray:
    """slices.change_value on columns: now ÷ before − 1, or the difference in points for a share; NaN where either
    side is not published (suppressed values are NaN here)."""
    if INDICATORS[key].unit == "ratio":
        return (now - before) * 100
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(before != 0, now / np.where(before != 0, before, 1) - 1, np.nan)


def _changes(cubes: pd.DataFrame, panels: dict[tuple[int, int], pd.DataFrame]) -> pd.DataFrame:
    """Every territory x category, each year against the year before: raw change and change at constant sample of
    the dashboard's headline indicators (the computation of slices.change_value: a ratio, or percentage points for a
    share; tests/test_opendata.py compares them with the dashboard's cards)."""
    parts = []
    for (year_from, year_to), panel in sorted(panels.items()):
        now = cubes[cubes["year"] == year_to][KEYS + NAMES]
        table = (now.merge(_side(cubes, year_to, "to_"), on=KEYS, how="left")
                 .merge(_side(cubes, year_from, "from_"), on=KEYS, how="left")
                 .merge(_side(panel, year_to, "pto_"), on=KEYS, how="left")
                 .merge(_side(panel, year_from, "pfrom_"), on=KEYS, how="left"))
        flag = {c: table[c].fillna(False).to_numpy(dtype=bool) for c in table.columns if c.endswith("__hidden")}
        for key in CHANGE_KEYS:
            part = table[KEYS + NAMES].copy()
            part.insert(0, "year_to", year_to)
            part.insert(0, "year_from", year_from)
            part["indicator"] = key
            part["change_unit"] = "points" if INDICATORS[key].unit == "ratio" else "ratio"
            values = {name: table[f"{prefix}{key}"].to_numpy(dtype=float)
                      for name, prefix in (("value_from", "from_"), ("value_to", "to_"),
                                           ("constant_value_from", "pfrom_"), ("constant_value_to", "pto_"))}
            part["value_from"], part["value_to"] = values["value_from"], values["value_to"]
            part["change"] = _change(key, values["value_to"], values["value_from"])
            part["constant_value_from"] = values["constant_value_from"]
            part["constant_value_to"] = values["constant_value_to"]
            part["constant_change"] = _change(key, values["constant_value_to"], values["constant_value_from"])
            hidden = {"value_from": flag[f"from_{key}__hidden"], "value_to": flag[f"to_{key}__hidden"],
                      "constant_value_from": flag[f"pfrom_{key}__hidden"],
                      "constant_value_to": flag[f"pto_{key}__hidden"]}
            hidden["change"] = hidden["value_from"] | hidden["value_to"]
            hidden["constant_change"] = hidden["constant_value_from"] | hidden["constant_value_to"]
            names = np.array(list(hidden))
            matrix = np.column_stack(list(hidden.values()))
            part["suppressed"] = [",".join(names[row]) for row in matrix]
            part["_order"] = CHANGE_KEYS.index(key)
            parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["year_from", "year_to", *KEYS, *NAMES, "indicator", "change_unit", "value_from",
                                     "value_to", "change", "constant_value_from",
                                     "constant_value_to", "constant_change", "suppressed"])
    frame = pd.concat(parts, ignore_index=True)
    frame["_level"] = frame["geo_level"].map({"all": 0, "region": 1, "mrc": 2})
    frame = frame.sort_values(["year_from", "_level", "geo_code", "cat_kind", "cat_code", "_order"])
    first = ["year_from", "year_to", "geo_level", "geo_code", "geo_name", "region_code", "cat_kind", "cat_code",
             "cat_name_fr", "cat_name_en"]
    frame = frame[first + [c for c in frame.columns if c not in first and not c.startswith("_")]]
    return frame.reset_index(drop=True)


# --- the descriptor and the dictionary ----------------------------------------------------------------------------
TABLE_TITLES = {  # name: (French, English)
    "quebec": ("Ensemble du Québec, par année", "All of Québec, by year"),
    "regions": ("Par région administrative et par année", "By administrative region and year"),
    "mrc": ("Par MRC (ou territoire équivalent) et par année", "By MRC (or equivalent territory) and year"),
    "secteurs": ("Par secteur, pour le Québec, chaque région et chaque MRC, par année",
                 "By sector, for Québec, each region and each MRC, by year"),
    "formes_juridiques": ("Par forme juridique, pour le Québec, chaque région et chaque MRC, par année",
                          "By legal form, for Québec, each region and each MRC, by year"),
    "changements": ("Variation d'une année à la suivante, brute et à échantillon constant",
                    "Change from one year to the next, raw and at constant sample"),
    "taux_benevolat": ("Taux horaire du bénévolat par année et sa source",
                       "Volunteer hourly rate by year and its source"),
}


def _column_texts(lang: str) -> dict[str, tuple[str, str]]:
    """Title and definition of every column that is not an indicator (literal catalogue keys)."""
    return {
        "year": (t("opendata_col_year", lang), t("opendata_def_year", lang)),
        "code": (t("opendata_col_code", lang), t("opendata_def_code", lang)),
        "name": (t("opendata_col_name", lang), t("opendata_def_name", lang)),
        "region_code": (t("opendata_col_region_code", lang), t("opendata_def_region_code", lang)),
        "population": (t("opendata_col_population", lang), t("opendata_def_population", lang)),
        "suppressed": (t("opendata_col_suppressed", lang), t("opendata_def_suppressed", lang)),
        "geo_level": (t("opendata_col_geo_level", lang), t("opendata_def_geo_level", lang)),
        "geo_code": (t("opendata_col_geo_code", lang), t("opendata_def_geo_code", lang)),
        "geo_name": (t("opendata_col_geo_name", lang), t("opendata_def_geo_name", lang)),
        "sector_code": (t("opendata_col_sector_code", lang), t("opendata_def_sector_code", lang)),
        "sector_name_fr": (t("opendata_col_sector_name_fr", lang), t("opendata_def_sector_name_fr", lang)),
        "sector_name_en": (t("opendata_col_sector_name_en", lang), t("opendata_def_sector_name_en", lang)),
        "legal_form_code": (t("opendata_col_legal_form_code", lang), t("opendata_def_legal_form_code", lang)),
        "legal_form_name_fr": (t("opendata_col_legal_form_name_fr", lang), t("opendata_def_legal_form_name_fr", lang)),
        "legal_form_name_en": (t("opendata_col_legal_form_name_en", lang), t("opendata_def_legal_form_name_en", lang)),
        "year_from": (t("opendata_col_year_from", lang), t("opendata_def_year_from", lang)),
        "year_to": (t("opendata_col_year_to", lang), t("opendata_def_year_to", lang)),
        "cat_kind": (t("opendata_col_cat_kind", lang), t("opendata_def_cat_kind", lang)),
        "cat_code": (t("opendata_col_cat_code", lang), t("opendata_def_cat_code", lang)),
        "cat_name_fr": (t("opendata_col_cat_name_fr", lang), t("opendata_def_cat_name_fr", lang)),
        "cat_name_en": (t("opendata_col_cat_name_en", lang), t("opendata_def_cat_name_en", lang)),
        "indicator": (t("opendata_col_indicator", lang), t("opendata_def_indicator", lang)),
        "change_unit": (t("opendata_col_change_unit", lang), t("opendata_def_change_unit", lang)),
        "value_from": (t("opendata_col_value_from", lang), t("opendata_def_value_from", lang)),
        "value_to": (t("opendata_col_value_to", lang), t("opendata_def_value_to", lang)),
        "change": (t("opendata_col_change", lang), t("opendata_def_change", lang)),
        "constant_value_from": (t("opendata_col_constant_value_from", lang),
                                t("opendata_def_constant_value_from", lang)),
        "constant_value_to": (t("opendata_col_constant_value_to", lang), t("opendata_def_constant_value_to", lang)),
        "constant_change": (t("opendata_col_constant_change", lang), t("opendata_def_constant_change", lang)),
        "rate": (t("opendata_col_rate", lang), t("opendata_def_rate", lang)),
        "source": (t("opendata_col_source", lang), t("opendata_def_source", lang)),
        "paid_hours": (t("opendata_col_paid_hours", lang), t("opendata_def_paid_hours", lang)),
        # issue 14: how many enterprises of the cell reported each optional figure
        "payroll_enterprises": (t("opendata_col_payroll_enterprises", lang), t("opendata_def_reported", lang)),
        "expenses_enterprises": (t("opendata_col_expenses_enterprises", lang), t("opendata_def_reported", lang)),
        "people_served_enterprises": (t("opendata_col_people_served_enterprises", lang),
                                      t("opendata_def_reported", lang)),
    }


def _column_text(column: str, lang: str) -> tuple[str, str, str]:
    """title, definition, unit key of one column."""
    if column in INDICATORS:
        i = INDICATORS[column]
        return i.label(lang), i.definition(lang), i.unit
    title, definition = _column_texts(lang)[column]
    unit = "hours" if column == "paid_hours" else "money" if column == "rate" else ""
    return title, definition, "count" if column == "population" or column.endswith(
        "_enterprises") else unit


def _field_type(column: str, frame: pd.DataFrame) -> str:
    if column in INTEGER:
        return "integer"
    if column in frame and pd.api.types.is_numeric_dtype(frame[column]):
        return "number"
    return "string"


def _source(column: str) -> str:
    if column in ("population",):
        return t("opendata_source_population", "fr")
    if column in ("code", "name", "region_code", "geo_code", "geo_name"):
        return t("opendata_source_territories", "fr")
    if column.startswith(("sector_", "cat_")):
        return t("opendata_source_sectors", "fr")
    if column in ("rate", "source"):
        return t("opendata_source_rates", "fr")
    return t("opendata_source_figures", "fr")


PRIMARY_KEYS = {
    "quebec": ["year"], "regions": ["year", "code"], "mrc": ["year", "code"],
    "secteurs": ["year", "geo_level", "geo_code", "sector_code"],
    "formes_juridiques": ["year", "geo_level", "geo_code", "legal_form_code"],
    "changements": ["year_from", "year_to", "geo_level", "geo_code", "cat_kind", "cat_code", "indicator"],
    "taux_benevolat": ["year"],
}


# --- building and writing -----------------------------------------------------------------------------------------
def build(con: duckdb.DuckDBPyConnection, licence_id: str | None = None, organisation: str | None = None,
          now: datetime | None = None) -> Package:
    """The package of the public figures in force (computing the constant-sample cubes not stored yet: up to a
    minute per pair of years on the demo data, then stored)."""
    licence_id = licence(licence_id)
    organisation = organisation or os.environ.get(ORG_NAME_ENV) or ""
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    cubes = indicators.public_cubes(con)
    panels = {pair: indicators.public_panels(con, *pair) for pair in indicators.year_pairs(con)}
    frames = _tables(cubes)
    frames["changements"] = _changes(cubes, panels)
    rates = indicators.volunteer_rates(con)
    frames["taux_benevolat"] = pd.DataFrame({
        "year": rates["year"].astype(int), "rate": rates["rate"].astype(float),
        "source": [published_tables.neutralise(_rate_source(s)) for s in rates["source"]]})
    s = indicators.settings(con)
    is_demo = db.is_demo(con)
    files: dict[str, bytes] = {}
    resources, dictionary = [], []
    for name, frame in frames.items():
        frame = frame.copy()
        columns = [c for c in frame.columns if c != "suppressed"] + (["suppressed"] if "suppressed" in frame else [])
        frame = frame[columns]
        for column in frame.columns:
            if column in INTEGER:
                frame[column] = pd.array(np.round(frame[column].to_numpy(dtype=float)), dtype="Int64")
        text_columns = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
        for column in text_columns:
            frame[column] = [published_tables.neutralise(v) if isinstance(v, str) else v for v in frame[column]]
        frames[name] = frame
        csv_name, parquet_name = f"{name}.csv", f"{name}.parquet"
        files[csv_name] = _csv(frame)
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        files[parquet_name] = buffer.getvalue()
        fields = []
        for column in frame.columns:
            (title_fr, def_fr, unit), (title_en, def_en, _) = _column_text(column, "fr"), _column_text(column, "en")
            unit_fr = _units("fr").get(unit, "")
            fields.append({"name": column, "type": _field_type(column, frame), "title": title_fr,
                           "description": f"{def_fr} — {def_en}" if def_en else def_fr,
                           **({"unit": unit_fr} if unit_fr else {})})
            dictionary.append({"table": name, "column": column, "type": _field_type(column, frame),
                               "title_fr": title_fr, "title_en": title_en, "definition_fr": def_fr,
                               "definition_en": def_en, "unit_fr": unit_fr, "unit_en": _units("en").get(unit, ""),
                               "source": _source(column), "licence": licence_id,
                               "suppressed_mark": SUPPRESSED if column in _suppressible(frame) else ""})
        title_fr, title_en = TABLE_TITLES[name]
        schema = {"fields": fields, "missingValues": ["", SUPPRESSED], "primaryKey": PRIMARY_KEYS[name]}
        resources.append({"name": name, "path": csv_name, "profile": "tabular-data-resource", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8", "title": title_fr,
                          "description": f"{title_fr} — {title_en}. {t('opendata_x_convention', 'fr')}",
                          "dialect": {"delimiter": ",", "doubleQuote": True, "header": True},
                          "schema": schema})
        resources.append({"name": f"{name}-parquet", "path": parquet_name, "profile": "tabular-data-resource",
                          "format": "parquet", "schema": schema,
                          "mediatype": "application/vnd.apache.parquet", "title": f"{title_fr} (Parquet)",
                          "description": t("opendata_parquet_note", "fr")})
    files["dictionnaire.csv"] = _csv(pd.DataFrame(dictionary))
    resources.append({"name": "dictionnaire", "path": "dictionnaire.csv", "profile": "tabular-data-resource",
                      "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                      "title": t("opendata_dictionary_title", "fr"),
                      "schema": {"fields": [{"name": c, "type": "string"} for c in dictionary[0]]}})
    title, licence_title, licence_path = t("opendata_title", "fr"), *LICENCES[licence_id]
    descriptor = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": title,
        "description": "\n\n".join([t("opendata_description", "fr"), t("opendata_description", "en"),
                                    t("opendata_x_convention", "fr"), t("opendata_x_convention", "en"),
                                    published_tables.suppressed_note(s, "fr")]
                                   + [n for n in [published_tables.other_rules_note(s, "fr")] if n]
                                   + ([t("source_line_demo", "fr")] if is_demo else [])),
        "version": f"{db.data_version(con)}",
        "created": now.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "licenses": [{"name": licence_id, "title": licence_title, "path": licence_path}],
        "sources": [{"title": t(key, "fr"), **({"path": path} if path else {})} for key, path in SOURCES],
        "contributors": [{"title": organisation, "role": "publisher"}] if organisation else [],
        "keywords": ["économie sociale", "social economy", "Québec", "MRC", "emplois", "coopératives", "OBNL"],
        "resources": resources,
        "ess_impact": {"fte_basis_hours": s.fte_basis_hours, "min_count": s.min_count,
                       "dominance_share": s.dominance_share, "dominance_n": s.dominance_n, "p_percent": s.p_percent,
                       # years released before a change of the rules keep theirs (indicators.year_rules)
                       "years_with_other_rules": [dict(zip(("year", "min_count", "dominance_share", "dominance_n",
                                                            "p_percent"), r)) for r in s.other_rules],
                       "demo_data": is_demo, "data_version": db.data_version(con)},
    }
    files["LISEZMOI.md"] = _readme(descriptor, organisation, licence_id).encode("utf-8")
    files["datapackage.json"] = json.dumps(descriptor, ensure_ascii=False, indent=1).encode("utf-8")
    return Package(files, descriptor, frames)


SOURCES = [  # (label key, address)
    ("opendata_source_figures", None),
    ("opendata_source_territories", "https://www.donneesquebec.ca/recherche/dataset/decoupages-administratifs"),
    ("opendata_source_population",
     "https://www.donneesquebec.ca/recherche/dataset/repertoire-des-municipalites-du-quebec"),
    ("opendata_source_sectors", None),
    ("opendata_source_rates", None),
]


def _rate_source(source: str) -> str:
    return labels.rate_source(source, "fr")


def _suppressible(frame: pd.DataFrame) -> set[str]:
    if "suppressed" not in frame:
        return set()
    return {c for s in frame["suppressed"].fillna("") for c in s.split(",") if c} | (
        set(VALUES) & set(frame.columns)) | ({"change", "constant_change", "value_from", "value_to",
                                               "constant_value_from", "constant_value_to"}
                                              & set(frame.columns))


def _csv(frame: pd.DataFrame) -> bytes:
    """UTF-8, comma, dot decimals; a suppressed value (named in `suppressed`) is written "x", a missing one empty."""
    out = frame.astype(object).where(frame.notna(), "")
    for column in out.columns:
        if pd.api.types.is_float_dtype(frame[column]):
            out[column] = [_number(v) for v in out[column]]
    if "suppressed" in frame:
        named = [set(s.split(",")) for s in frame["suppressed"].fillna("")]
        for column in out.columns:
            mask = np.fromiter((column in n for n in named), dtype=bool, count=len(named))
            if mask.any():
                out.loc[mask, column] = SUPPRESSED
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _number(value):
    if isinstance(value, str):
        return value
    number = float(value)
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def _readme(descriptor: dict, organisation: str, licence_id: str) -> str:
    lines = [f"# {descriptor['title']}", "", t("opendata_description", "fr"), "", t("opendata_description", "en"), "",
             "## Fichiers / Files", ""]
    for resource in descriptor["resources"]:
        lines.append(f"- `{resource['path']}` — {resource['title']}")
    title, path = LICENCES[licence_id]
    lines += ["", "## Conventions", "", t("opendata_x_convention", "fr"), "", t("opendata_x_convention", "en"), "",
              t("opendata_csv_note", "fr"), "", t("opendata_csv_note", "en"), "",
              "## Licence", "", t("opendata_licence_line", "fr", publisher=organisation or "ess_impact",
                                 licence=f"{title} ({licence_id}), {path}"), "", "## Sources", ""]
    lines += [f"- {s['title']}" + (f" — {s['path']}" if "path" in s else "") for s in descriptor["sources"]]
    return "\n".join(lines) + "\n"


def write(package: Package, folder: Path | str) -> list[Path]:
    """Write every file of the package into `folder` (created); the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in package.files.items():
        (folder / name).write_bytes(content)
        written.append(folder / name)
    return written


def zip_bytes(package: Package) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in package.files.items():
            archive.writestr(f"{PACKAGE_NAME}/{name}", content)
    return buffer.getvalue()


def _stamp(con: duckdb.DuckDBPyConnection, licence_id: str | None, organisation: str | None) -> str:
    """What a stored zip was built from: the public figures in force, the licence and the publisher."""
    parts = [indicators.fingerprint(con), licence(licence_id), organisation or os.environ.get(ORG_NAME_ENV) or ""]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def stored_zip(con: duckdb.DuckDBPyConnection, licence_id: str | None = None,
               organisation: str | None = None) -> bytes | None:
    """The zip built for the public figures in force, if one was stored (by `ess-impact export` or the page)."""
    row = con.execute(sql.load("get_stored_cube"), [STORE_KIND, _stamp(con, licence_id, organisation)]).fetchall()
    return bytes(row[0][0]) if row else None


def build_zip(con: duckdb.DuckDBPyConnection, licence_id: str | None = None, organisation: str | None = None,
              package: Package | None = None) -> bytes:
    """The zip of the package in force, built (or given) and stored for the next reader of the Méthodologie page."""
    data = zip_bytes(package or build(con, licence_id, organisation))
    try:
        con.execute(sql.load("put_stored_cube"), [STORE_KIND, _stamp(con, licence_id, organisation), data,
                                                   datetime.now()])
    except duckdb.Error:
        pass  # best effort, like the stored cubes
    return data
