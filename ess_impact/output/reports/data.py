"""What a report says about one territory and year, gathered from the public (protected) cube only.

A report goes to elected officials: every value in it follows the confidentiality rules exactly like the public
pages (suppressed values are "x", with the footnote). Nothing here reads the admin cube.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from ess_impact import errors, formatting, labels, reference
from ess_impact.labels import INDICATORS, N_, t
from ess_impact.output import story, tables
from ess_impact.publish import impact, indicators, slices, snapshot, weight
from ess_impact.publish.indicators import Filters
from ess_impact.store import db, notes

# The headline figures, in the order the report shows them.
# The indicator the report's charts draw (the one elected officials ask about first).
CHART_KEY = "jobs_total"
CHART_RATE = slices.per_1000_key(CHART_KEY)
TREND_COLUMNS = ["enterprises", "jobs_total", "fte", "revenue_total", "volunteer_hours", "volunteer_value"]
MIX_COLUMNS = ["enterprises", "jobs_total", "revenue_total", "volunteer_hours"]
MRC_COLUMNS = ["enterprises", "jobs_total", "revenue_total", "volunteer_hours", "jobs_per_1000", "revenue_per_1000"]

ORG_NAME_ENV = "ESS_IMPACT_ORG_NAME"
ORG_LOGO_ENV = "ESS_IMPACT_ORG_LOGO"


class ReportError(errors.NotFound):
    """A report that cannot be made (unknown territory, year without data); `message(lang)` says why, in French
    or English."""

    def __init__(self, key: str, suggestion: str | None = None, **params):
        super().__init__(key, **params)
        self.suggestion = suggestion

    def message(self, lang: str = "fr") -> str:
        text = t(self.key, lang, **self.params)
        return f"{text} {t('did_you_mean', lang, suggestion=self.suggestion)}" if self.suggestion else text


@dataclass(frozen=True)
class Territory:
    level: str            # "mrc" | "region"
    code: str
    name: str             # usual name, as the cube names it
    kind: str             # "MRC" | "TE" | "region"
    region_code: str
    region_name: str
    population: float

    def filters(self, year: int | None = None) -> Filters:
        return Filters(year=year, mrc=self.code) if self.level == "mrc" else Filters(year=year, region=self.code)

    def label(self, lang: str) -> str:
        """What the territory is: 'MRC — Montérégie', 'Territoire équivalent — …', 'Région administrative'."""
        if self.level == "region":
            return t("report_level_region", lang)
        return t(N_("report_level_te") if self.kind == "TE" else N_("report_level_mrc"), lang, region=self.region_name)


@dataclass(frozen=True)
class Organisation:
    """The pôle that signs the report: its name and logo (PNG or JPEG), from ESS_IMPACT_ORG_NAME and
    ESS_IMPACT_ORG_LOGO unless given."""
    name: str | None = None
    logo: Path | None = None

    @classmethod
    def from_env(cls, name: str | None = None, logo: str | Path | None = None) -> "Organisation":
        name = name or os.environ.get(ORG_NAME_ENV) or None
        logo = logo or os.environ.get(ORG_LOGO_ENV) or None
        path = Path(logo).expanduser() if logo else None
        if path is not None and not path.is_file():
            raise ReportError("report_logo_missing", path=str(path))
        if path is not None and not path.read_bytes()[:8].startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
            raise ReportError("report_logo_not_image", path=str(path))
        return cls(name.strip() if name else None, path)


def territory(level: str, code: str) -> Territory:
    """An MRC or a region by code (or name, tolerant of accents and case: '54', 'Les Maskoutains', '16')."""
    if level == "mrc":
        match = reference.mrc_matcher().match(code)
        if match.code is None:
            raise ReportError("report_unknown_mrc", match.suggestion, code=code)
        row = reference.mrcs().set_index("code").loc[match.code]
        regions = reference.regions().set_index("code")
        return Territory("mrc", match.code, str(row["usual_name"]), str(row["type"]), str(row["region_code"]),
                         str(regions.loc[row["region_code"], "name"]), float(row["population"]))
    if level == "region":
        match = reference.region_matcher().match(code)
        if match.code is None:
            raise ReportError("report_unknown_region", match.suggestion, code=code)
        row = reference.regions().set_index("code").loc[match.code]
        return Territory("region", match.code, str(row["name"]), "region", match.code, str(row["name"]),
                         float(row["population"]))
    raise ValueError(level)


def region_mrcs(region: str) -> list[Territory]:
    """Every MRC of a region, by name."""
    mrcs = reference.mrcs()
    codes = mrcs.loc[mrcs["region_code"] == territory("region", region).code].sort_values("usual_name")["code"]
    return [territory("mrc", code) for code in codes]


# --- the public cube, computed once per run -----------------------------------------------------------------

def public_cubes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The protected cube of every year (stored in the database by data version: recomputed only after a change)."""
    return indicators.public_cubes(con)


def public_panel(con: duckdb.DuckDBPyConnection, year_from: int, year_to: int) -> pd.DataFrame:
    """The protected cubes of two years at constant sample (enterprises that reported both), stored likewise."""
    return indicators.public_panels(con, year_from, year_to)


@dataclass
class Context:
    """What every report of a run shares: the protected cubes, the settings, the rates, the demo flag."""
    cubes: pd.DataFrame
    settings: indicators.Settings
    rates: pd.DataFrame
    is_demo: bool
    years: list[int]
    organisation: Organisation = field(default_factory=Organisation)
    generated: date = field(default_factory=date.today)
    panels: dict[tuple[int, int], pd.DataFrame] = field(default_factory=dict)
    # issue 14: the multipliers in force (their load) and the employment reference table (empty: none loaded); the
    # cubes carry the spin-offs and the shares computed from them
    multipliers_load: dict | None = None
    employment: pd.DataFrame | None = None

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection, organisation: Organisation | None = None,
             cubes: pd.DataFrame | None = None) -> "Context":
        """The report inputs: from the published snapshot when it is the database's version (nothing computed
        here, as on the pages), otherwise computed from the database (and stored there)."""
        organisation = organisation or Organisation.from_env()
        if cubes is None:
            published = cls.published(con, organisation)
            if published is not None:
                return published
        employment = weight.table(con)
        cubes = public_cubes(con) if cubes is None else weight.add_shares(cubes, employment)
        return cls(cubes, indicators.settings(con), indicators.volunteer_rates(con), db.is_demo(con),
                   sorted(int(y) for y in cubes["year"].unique()), organisation,
                   multipliers_load=impact.last_load(con), employment=employment)

    @classmethod
    def published(cls, con: duckdb.DuckDBPyConnection, organisation: Organisation) -> "Context | None":
        found = snapshot.in_force(con)
        if found is None:
            return None
        manifest = found.manifest
        years = sorted(int(y) for y in found.public["year"].unique())
        context = cls(found.public, found.settings, found.rates, found.is_demo, years, organisation,
                      multipliers_load=manifest.multipliers_load, employment=found.employment)
        for pair in manifest.panels:
            first, last = (int(y) for y in pair.split("-"))
            context.panels[(first, last)] = found.panel(first, last)
        return context

    def panel(self, con: duckdb.DuckDBPyConnection | None, year_from: int, year_to: int) -> pd.DataFrame | None:
        """The constant-sample cubes of two years, computed once per run (None without a connection)."""
        key = (year_from, year_to)
        if key not in self.panels and con is not None:
            self.panels[key] = public_panel(con, year_from, year_to)
        return self.panels.get(key)


@dataclass
class ReportData:
    """Everything a report shows, already protected: the renderers only lay it out."""
    territory: Territory
    year: int
    previous: int | None
    lang: str
    context: Context
    headline: pd.DataFrame           # key, value, before, hidden, before_hidden, change, change_constant (+ texts)
    comparison: pd.DataFrame         # cube rows: the territory, its region (for an MRC), Québec
    ranks: dict[str, tuple[int | None, int]]
    sectors: pd.DataFrame            # cube rows by sector
    legal_forms: pd.DataFrame        # cube rows by legal form
    trend: pd.DataFrame              # cube rows of the territory, every year
    mrcs: pd.DataFrame               # cube rows of the region's MRCs
    messages: list = field(default_factory=list)   # story.Message: the key messages, from published values only
    note: str | None = None          # the pôle's local paragraph for this territory (plain text), if any

    @property
    def place(self) -> str:
        return self.territory.name

    @property
    def is_demo(self) -> bool:
        return self.context.is_demo

    def t(self, key: str, **params) -> str:
        return t(key, self.lang, **params)

    def source_line(self) -> str:
        return self.t(N_("source_line_demo") if self.is_demo else N_("source_line"))

    def suppressed_note(self) -> str:
        return tables.suppressed_note(self.context.settings, self.lang)

    def other_rules_note(self) -> list[str]:
        """The years released before a change of the rules, as a line (none when there are none)."""
        other = tables.other_rules_note(self.context.settings, self.lang)
        return [other] if other else []

    def rate_note(self) -> str | None:
        rates = self.context.rates
        rates = rates[rates["year"] <= self.year]
        if rates.empty:
            return None
        r = rates.iloc[-1]
        return self.t("volunteer_rate_note", rate=formatting.money(r["rate"], self.lang, 2), year=int(r["year"]),
                      source=labels.rate_source(r["source"], self.lang))

    def generated_text(self) -> str:
        from babel.dates import format_date

        when = format_date(self.context.generated, format="long", locale="en_CA" if self.lang == "en" else "fr_CA")
        return self.t("report_generated", date=when)

    def notes(self) -> list[str]:
        """The lines that go with every table and into the workbook's notes sheet."""
        return [self.source_line(), self.suppressed_note(), *self.other_rules_note()]

    def methodology(self) -> list[tuple[str, list[str]]]:
        """(heading, paragraphs) of the methodology section: definitions, settings in force, confidentiality,
        sources."""
        s = self.context.settings
        colon = " : " if self.lang == "fr" else ": "
        definitions = [INDICATORS[k].label(self.lang) + colon + INDICATORS[k].definition(self.lang)
                       for k in slices.HEADLINE + ["jobs_per_1000"]]
        settings = [self.t("fte_basis_note", hours=formatting.number(s.fte_basis_hours, self.lang))]
        if self.rate_note():
            settings.append(self.rate_note())
        settings.append(self.t(N_("report_change_note") if self.previous else N_("report_no_previous"),
                               year=self.previous or ""))
        return [
            (self.t("indicators_heading"), definitions),
            (self.t("settings_heading"), settings),
            (self.t("confidentiality_heading"), [
                self.t("confidentiality_text", min_count=s.min_count,
                       share=formatting.percent(s.dominance_share, self.lang, 0)),  # the "x" note: every footer
                *self.other_rules_note()]),
            (self.t("sources_heading"), [self.t("sources_text"), self.source_line()]),
        ]


def report_data(con: duckdb.DuckDBPyConnection | None, territory: Territory, year: int | None, lang: str = "fr",
                context: Context | None = None, note: str | None = None) -> ReportData:
    """Gather a report. `context` carries the protected cubes of a run (computed from `con` when not given), so
    that many reports share one computation. `note`: the local paragraph (read from `con` when not given)."""
    if context is None:
        context = Context.load(con)
    cubes = context.cubes
    if not context.years:
        raise ReportError("empty_database")
    year = context.years[-1] if year is None else int(year)
    if year not in context.years:
        raise ReportError("report_no_year", year=year, years=_years_text(context.years))
    f = territory.filters(year)
    now = slices.row(cubes, f, lang)
    if now is None:
        raise ReportError("no_data_here", place=territory.name, year=year)
    previous = year - 1 if year - 1 in context.years else None
    before = slices.row(cubes, replace(f, year=previous), lang) if previous else None
    panel = context.panel(con, previous, year) if previous else None
    headline = slices.headline(now, before, panel, f, previous, lang)
    region = Filters(year, region=territory.region_code)
    quebec = Filters(year)
    places = [f] + ([region] if territory.level == "mrc" else []) + [quebec]
    comparison = pd.concat([slices.row(cubes, x, lang).to_frame().T for x in places
                            if slices.row(cubes, x, lang) is not None], ignore_index=True)
    comparison.loc[comparison["geo_level"] == "all", "name"] = "Québec"
    if territory.level == "mrc":  # 'Montérégie (région)': an MRC and its region may share a name (Montréal)
        regions = comparison["geo_level"] == "region"
        comparison.loc[regions, "name"] = comparison.loc[regions, "name"] + f" ({t('region', lang).lower()})"
    ranks = {key: slices.rank(cubes, year, territory.code, key) for key in slices.PER_1000_KEYS} \
        if territory.level == "mrc" else {}
    trend = indicators.select(cubes, "all", replace(f, year=None), lang).sort_values("year").reset_index(drop=True)
    mrcs = indicators.select(cubes, "mrc", Filters(year, region=territory.region_code), lang)
    return ReportData(
        territory=territory, year=year, previous=previous, lang=lang, context=context, headline=headline,
        comparison=comparison, ranks=ranks,
        sectors=indicators.select(cubes, "sector", f, lang),
        legal_forms=indicators.select(cubes, "legal_form", f, lang),
        trend=trend, mrcs=mrcs.sort_values("name").reset_index(drop=True),
        messages=story.key_messages(cubes, panel, f, lang, place=territory.name),
        note=note if note is not None or con is None else notes.get(con, territory.level, territory.code, lang))


def _years_text(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


