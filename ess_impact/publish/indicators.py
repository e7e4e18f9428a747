"""Indicators by region, MRC, sector, legal form and year, per 1 000 inhabitants, and change between years
(raw and at constant sample), with confidentiality applied to every view that is not for admins.

Everything is cut from one aggregate, the *cube* (sql/cube.sql): every combination of a geography (MRC, region,
all of Québec) and a category (all, each sector, each legal form). The public cube goes through
`confidentiality.suppress` once, over all its additive constraints, so that every slice of it is consistent.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, replace
from datetime import datetime

import duckdb
import numpy as np
import pandas as pd

from ess_impact import errors, sql
from ess_impact.publish import confidentiality, impact, weight
from ess_impact.settings import read as read_settings
from ess_impact.store import auth, db
from ess_impact.store.auth import Account

BY = ("region", "mrc", "sector", "legal_form", "all")

# Additive indicators protected by confidentiality (each with `__max` and `__max2` columns in the cube).
PROTECTED = ["jobs_full_time", "jobs_part_time", "jobs_total", "fte", "payroll", "revenue_total", "revenue_earned",
             "revenue_grants", "volunteers", "volunteer_hours", "members",
             # issue 14: sums over enterprises like the others
             "expenses_total", "people_served"]
# Indicators derived from protected ones: suppressed whenever one of their inputs is.
DERIVED = {
    "paid_hours": ("fte",),
    "volunteer_fte": ("volunteer_hours",),
    "volunteer_value": ("volunteer_hours",),
    "earned_share": ("revenue_earned", "revenue_total"),
    "grant_share": ("revenue_grants", "revenue_total"),
    "jobs_per_1000": ("jobs_total",),
    "revenue_per_1000": ("revenue_total",),
    "volunteer_hours_per_1000": ("volunteer_hours",),
    # issue 14. Value added = payroll + revenue - expenses (sql/cube.sql): a function of three protected columns,
    # hidden whenever one of them is, so it never tells more than they do (the linear identity is never published
    # with one of its terms missing).
    "value_added": ("payroll", "revenue_total", "expenses_total"),
    "volunteer_value_low": ("volunteer_hours",),
    "volunteer_value_high": ("volunteer_hours",),
    "people_served_per_1000": ("people_served",),
    "people_served_enterprises": ("enterprises",),
    "expenses_enterprises": ("enterprises",),
    "payroll_enterprises": ("enterprises",),
}
# Columns protected together (one suppression pattern; their identities are in the attacker's system): full-time +
# part-time = total jobs; earned + grants <= total revenue. A derived column (DERIVED) follows its inputs.
LINKED = [
    confidentiality.Linked(("jobs_full_time", "jobs_part_time", "jobs_total"),
                           sums=(("jobs_total", ("jobs_full_time", "jobs_part_time")),)),
    # earned revenue includes the public service agreements (sql/cube.sql): the import checks earned + agreements
    # + grants <= total, so the identity below still holds
    confidentiality.Linked(("revenue_total", "revenue_earned", "revenue_grants"),
                           at_most=(("revenue_total", ("revenue_earned", "revenue_grants")),)),
]
VALUES = ["enterprises", "jobs_full_time", "jobs_part_time", "jobs_total", "fte", "paid_hours", "payroll",
          "revenue_total", "revenue_earned", "revenue_grants", "earned_share", "grant_share", "volunteers",
          "volunteer_hours", "volunteer_fte", "volunteer_value", "members", "jobs_per_1000", "revenue_per_1000",
          "volunteer_hours_per_1000",
          # issue 14
          "expenses_total", "value_added", "volunteer_value_low", "volunteer_value_high",
          "people_served", "people_served_per_1000", "people_served_enterprises", "expenses_enterprises",
          "payroll_enterprises"]


# Columns of the unprotected cube that hold one contributor's value (the largest, the second largest) or a base.
CONTRIBUTOR_SUFFIXES = ("__max", "__max2", "__m2", "_base")


class UnsupportedView(errors.Invalid):
    """A combination of filters the published tables cannot answer consistently."""


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    region: str | None = None
    mrc: str | None = None
    sector: str | None = None
    legal_form: str | None = None


@dataclass(frozen=True)
class Settings:
    fte_basis_hours: float
    min_count: int
    dominance_share: float
    dominance_n: int = 1
    p_percent: float = 10.0
    # the released years whose rules are not these (`year_rules`): (year, min_count, dominance_share, dominance_n,
    # p_percent), so that the notes and Méthodologie name the rules each year's tables were protected with
    other_rules: tuple = ()

    def __post_init__(self) -> None:  # read back from a manifest (JSON lists)
        object.__setattr__(self, "other_rules", tuple(tuple(r) for r in self.other_rules))

    @property
    def rules(self) -> confidentiality.Rules:
        return confidentiality.Rules(min_count=self.min_count, dominance_share=self.dominance_share,
                                     dominance_n=self.dominance_n, p_percent=self.p_percent)


def settings(con: duckdb.DuckDBPyConnection) -> Settings:
    found = read_settings(con)
    base = Settings(found.fte_basis_hours, found.min_count, found.dominance_share, found.dominance_n, found.p_percent)
    other = tuple((year, r.min_count, r.dominance_share, r.dominance_n, r.p_percent)
                  for year, r in _year_rules(con, base.rules).items() if r != base.rules)
    return replace(base, other_rules=other)


def year_rules(con: duckdb.DuckDBPyConnection) -> dict[int, confidentiality.Rules]:
    """The confidentiality rules of each released year: those it was released with (store/releases.py), not the
    settings in force. A change of the rules then applies to the years released afterwards: protected again under
    new rules, a released year would publish a second suppression pattern of the same figures, and two patterns tell
    a reader more than one."""
    found = read_settings(con)
    return _year_rules(con, confidentiality.Rules(min_count=found.min_count, dominance_share=found.dominance_share,
                                                  dominance_n=found.dominance_n, p_percent=found.p_percent))


def _year_rules(con: duckdb.DuckDBPyConnection, in_force: confidentiality.Rules) -> dict[int, confidentiality.Rules]:
    return {int(year): confidentiality.Rules(**json.loads(text)) if text else in_force
            for year, text in con.execute(sql.load("release_rules")).fetchall()}


def rules_for(con: duckdb.DuckDBPyConnection, year: int) -> confidentiality.Rules:
    """`year_rules` of one year (the settings in force for a year never released)."""
    return year_rules(con).get(int(year)) or settings(con).rules


def volunteer_rates(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(sql.load("volunteer_rates")).df()


def years(con: duckdb.DuckDBPyConnection, live: bool = False) -> pd.DataFrame:
    """year, enterprises (reporting that year): the released years (what the public tables show), or with `live`
    the figures as they are now (the admins' own views)."""
    return con.execute(sql.load("years"), {"live": live}).df()


def latest_year(con: duckdb.DuckDBPyConnection) -> int | None:
    y = years(con)
    return int(y["year"].max()) if len(y) else None


def cube(con: duckdb.DuckDBPyConnection, year: int | None = None, panel: tuple[int, int] | None = None,
         outside: bool = False, live: bool = False) -> pd.DataFrame:
    """Every geography × category cell, for one year (or all), unprotected. Category names come in both languages
    (cat_name_fr, cat_name_en); `select` picks one. With a panel, the enterprises that reported both years (or,
    `outside`, the others: raw − panel). From each year's latest release (store/releases.py: what every public table
    is made of), or with `live` from the figures as they are now (the admins' own views, never published)."""
    params = {"year": year, "fte_basis": read_settings(con).fte_basis_hours,  # not `settings`: no release rules
              "panel_from": panel[0] if panel else None, "panel_to": panel[1] if panel else None,
              "outside": outside, "live": live}
    frame = con.execute(sql.load("cube"), params).df()
    frame["cell"] = _cell_ids(frame)
    return frame


def unprotected(con: duckdb.DuckDBPyConnection, actor: Account | None, region: str | None = None,
                year: int | None = None) -> pd.DataFrame:
    """The unprotected cube (every cell, no suppression) for the pôle that holds the survey: a provincial admin gets
    Québec, every region and MRC (or one region's with `region`); a regional admin gets only a region it holds (its
    region cells and its MRCs' cells; `region` may be left out when it holds one). An enterprise-year counts in the
    region of that year's MRC. Everyone else: Forbidden (they get the public, protected cube)."""
    regions = auth.admin_regions(actor)
    if region is None and regions is not None and len(regions) == 1:
        region = regions[0]
    if region is not None or regions is not None:
        auth.require_region(actor, region)
    frame = cube(con, year, live=True)
    if region is None:
        return frame
    inside = ((frame["geo_level"] == "region") & (frame["geo_code"] == region)) | \
             ((frame["geo_level"] == "mrc") & (frame["region_code"] == region))
    return frame[inside].reset_index(drop=True)


def _cell_ids(frame: pd.DataFrame) -> pd.Series:
    return frame["geo_level"] + ":" + frame["geo_code"] + "|" + frame["cat_kind"] + ":" + frame["cat_code"]


def cube_constraints(frame: pd.DataFrame) -> list[confidentiality.Constraint]:
    """Additive links of one year's cube: MRCs sum to their region, regions to Québec (for every category);
    sectors, and separately legal forms, sum to the 'all' category (for every geography)."""
    cells = set(frame["cell"])
    out = []
    geo = frame[["geo_level", "geo_code", "region_code"]].drop_duplicates()
    cats = frame[["cat_kind", "cat_code"]].drop_duplicates().itertuples(index=False)
    mrcs_of = [(region, sorted(mrcs))
               for region, mrcs in geo[geo.geo_level == "mrc"].groupby("region_code")["geo_code"]]
    regions = sorted(geo[geo.geo_level == "region"].geo_code)
    for kind, code in cats:
        cat = f"{kind}:{code}"
        for region, mrcs in mrcs_of:
            children = tuple(c for c in (f"mrc:{m}|{cat}" for m in mrcs) if c in cells)
            parent = f"region:{region}|{cat}"
            if children and parent in cells:
                out.append(confidentiality.Constraint(parent, children))
        children = tuple(c for c in (f"region:{r}|{cat}" for r in regions) if c in cells)
        if children and f"all:QC|{cat}" in cells:
            out.append(confidentiality.Constraint(f"all:QC|{cat}", children))
    by_category = frame[frame["cat_kind"] != "all"].groupby(["geo_level", "geo_code", "cat_kind"])["cell"]
    for (level, code, _kind), children in by_category:
        parent = f"{level}:{code}|all:ALL"
        if parent in cells:
            out.append(confidentiality.Constraint(parent, tuple(sorted(children))))
    return out


def protect(frame: pd.DataFrame, rules: confidentiality.Rules,
            by_year: dict[int, confidentiality.Rules] | None = None,
            before: dict[int, pd.Series] | None = None) -> pd.DataFrame:
    """Public copy of a cube (one or several years): suppressed values are NaN, `suppressed` lists them. Each year
    with its rules in `by_year` (`year_rules`), else `rules`. `before`: a year's previously published pattern (its
    `suppressed` column by cell): the new one starts from it and hides at least what it hid (`published_year`)."""
    parts = []
    for year, year_frame in frame.groupby("year", sort=True):
        cells = year_frame.set_index("cell").rename(columns={"enterprises": "n"})
        chosen = (by_year or {}).get(int(year), rules)
        earlier = None if before is None or int(year) not in before else _hidden_by(before[int(year)], cells.index)
        status = confidentiality.suppress(cells, PROTECTED, cube_constraints(year_frame), chosen, LINKED,
                                          start=earlier)
        parts.append(_apply_status(year_frame, _at_least(status, earlier)))
    return pd.concat(parts, ignore_index=True) if parts else frame.assign(suppressed="")


def _hidden_by(suppressed: pd.Series, cells: pd.Index) -> pd.DataFrame:
    """A published pattern (the `suppressed` column of a protected frame, by cell) as cells × ["n", *PROTECTED],
    True where hidden; a cell it does not hold is not hidden."""
    found = suppressed.reindex(cells).astype(object).fillna("")
    listed = [set(text.split(",")) for text in found]
    return pd.DataFrame({c: [("enterprises" if c == "n" else c) in names for names in listed]
                         for c in ["n", *PROTECTED]}, index=cells)


def _at_least(status: pd.DataFrame, hidden: pd.DataFrame | None) -> pd.DataFrame:
    """`status` with every value hidden in `hidden` hidden too (as a complement). The engine starts from such a
    pattern already; this makes the guarantee independent of it: hiding more never narrows a reader's interval."""
    if hidden is None:
        return status
    out = status.copy()
    for c in hidden.columns:
        if c in out.columns:
            more = hidden[c].reindex(out.index).fillna(False).to_numpy(bool) & out[c].fillna("").eq("").to_numpy()
            out.loc[more, c] = confidentiality.SECONDARY
    return out


def _status_of(frame: pd.DataFrame) -> pd.DataFrame:
    """The status (cells × ["n", *PROTECTED], '' when published) a protected frame was made with."""
    hidden = _hidden_by(frame.set_index("cell")["suppressed"], pd.Index(frame["cell"]))
    return pd.DataFrame(np.where(hidden.to_numpy(bool), confidentiality.SECONDARY, ""), index=hidden.index,
                        columns=hidden.columns, dtype=object)


def _apply_status(frame: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    hidden = status.reindex(out["cell"]).reset_index(drop=True) != ""
    hidden = hidden.rename(columns={"n": "enterprises"})
    for column, inputs in DERIVED.items():
        hidden[column] = np.logical_or.reduce([hidden[i].to_numpy() for i in inputs])
    for column in hidden.columns:
        out.loc[hidden[column].to_numpy(), column] = np.nan
    names = np.array(VALUES)
    out["suppressed"] = [",".join(names[row]) for row in hidden[VALUES].to_numpy(dtype=bool)]
    # Contributor-level columns (largest and second-largest values: sql/cube.sql names the latter `__m2`) never leave
    # the protected copy: they are one enterprise's figure.
    return out.drop(columns=[c for c in out.columns if c.endswith(CONTRIBUTOR_SUFFIXES)])


def public_cube(con: duckdb.DuckDBPyConnection, year: int | None = None) -> pd.DataFrame:
    """The protected cube of one released year (or all), with the spin-offs and the shares of the territory's jobs
    computed from its published values (publish/impact.py, publish/weight.py)."""
    rules, by_year = settings(con).rules, year_rules(con)
    true = cube(con, year)
    parts = [_public_year(con, frame.reset_index(drop=True), by_year.get(int(y), rules))
             for y, frame in true.groupby("year", sort=True)]
    return with_estimates(con, pd.concat(parts, ignore_index=True) if parts else protect(true, rules))


def with_estimates(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> pd.DataFrame:
    """A cube with issue 14's read-time figures added from its values (for a public cube, its published values
    only), with the reference tables in the database."""
    return add_estimates(frame, impact.sector_multipliers(con), weight.table(con))


def add_estimates(frame: pd.DataFrame, multipliers: dict, employment: pd.DataFrame | None) -> pd.DataFrame:
    """The spin-offs (input-output multipliers) and the shares of the territory's jobs (employment table) added to
    a cube (the database's tables: `with_estimates`; the published snapshot's: snapshot.load)."""
    return weight.add_shares(impact.add_spinoffs(frame, multipliers), employment)


def select(frame: pd.DataFrame, by: str, filters: Filters = Filters(), lang: str = "fr") -> pd.DataFrame:
    """The rows of a cube that answer 'indicators by `by`' under `filters` (year, one geography, one category)."""
    if by not in BY:
        raise ValueError(by)
    if filters.sector and filters.legal_form:
        raise UnsupportedView("unsupported_view", by="sector", category="legal_form")
    # One mask, one copy of the rows (each intermediate selection would copy every column).
    mask = np.ones(len(frame), dtype=bool) if filters.year is None else \
        (frame["year"] == filters.year).to_numpy(dtype=bool, na_value=False, copy=True)
    if filters.sector:
        cat_kind, cat_code = "sector", filters.sector
    elif filters.legal_form:
        cat_kind, cat_code = "legal_form", filters.legal_form
    else:
        cat_kind, cat_code = "all", "ALL"

    def equal(column: str, value) -> np.ndarray:
        return (frame[column] == value).to_numpy(dtype=bool, na_value=False, copy=True)

    if by in ("sector", "legal_form"):
        if cat_kind != "all" and cat_kind != by:
            raise UnsupportedView("unsupported_view", by=by, category=cat_kind)
        mask &= equal("cat_kind", by)
        if cat_kind == by:
            mask &= equal("cat_code", cat_code)
    else:
        mask &= equal("cat_kind", cat_kind) & equal("cat_code", cat_code)
    if by in ("mrc", "region"):
        mask &= equal("geo_level", by)
        if filters.region:
            mask &= equal("region_code", filters.region)
        if filters.mrc and by == "mrc":
            mask &= equal("geo_code", filters.mrc)
    else:
        level, code = ("mrc", filters.mrc) if filters.mrc else ("region", filters.region) if filters.region \
            else ("all", "QC")
        mask &= equal("geo_level", level) & equal("geo_code", code)
    rows = frame[mask]
    cat_name = "cat_name_en" if lang == "en" else "cat_name_fr"
    code_col, name_col = ("cat_code", cat_name) if by in ("sector", "legal_form") else ("geo_code", "geo_name")
    out = rows.rename(columns={code_col: "code", name_col: "name"})
    if by in ("sector", "legal_form"):
        out = out.assign(population=np.nan)
    return out.reset_index(drop=True)


# Columns added to a published cube when it is read, from its published values only (publish/impact.py: the
# spin-offs, from the revenue; publish/weight.py: the shares of the territory's jobs and employment income): each is
# "x" where the published value it rests on is.
FOLLOWS = {**{column: "revenue_total" for column in impact.COLUMNS}, "jobs_share": "jobs_total",
           "payroll_share": "payroll"}


def is_hidden(row: pd.Series, key: str) -> bool:
    """True when `key` is suppressed in one row of a protected frame (its `suppressed` column lists them)."""
    listed = (row.get("suppressed") or "").split(",")
    return key in listed or FOLLOWS.get(key) in listed


def hidden(frame: pd.DataFrame, key: str) -> np.ndarray:
    """`is_hidden` for every row of a protected frame."""
    if "suppressed" not in frame:
        return np.zeros(len(frame), dtype=bool)
    keys = {key, FOLLOWS.get(key, key)}
    return np.array([not keys.isdisjoint((s or "").split(",")) for s in frame["suppressed"]], dtype=bool)


def over_years(cubes: dict[int, pd.DataFrame], by: str, column: str, lang: str = "fr") -> pd.DataFrame:
    """One indicator by group (rows, named) and year (columns), cut from each year's cube."""
    return pd.DataFrame({str(year): select(frame, by, Filters(year=year), lang).set_index("name")[column]
                         for year, frame in sorted(cubes.items())})


def summary(con: duckdb.DuckDBPyConnection, by: str, filters: Filters = Filters(), lang: str = "fr",
            public: bool = False, published: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per group (and year when filters.year is None). `published`: the public cube in force, already
    protected and with its spin-offs and shares (the published snapshot's, what the pages show), read instead of
    protecting the database's figures again."""
    if public:  # the published cube (its spin-offs and shares from published values only)
        return select(public_cube(con, filters.year) if published is None else published, by, filters, lang)
    return select(with_estimates(con, cube(con, filters.year, live=True)), by, filters, lang)


CHANGE_INDICATORS = ["enterprises", "jobs_total", "fte", "payroll", "revenue_total", "revenue_earned", "volunteers",
                     "volunteer_hours", "volunteer_value", "members"]


def change(con: duckdb.DuckDBPyConnection, by: str, year_from: int, year_to: int, filters: Filters = Filters(),
           lang: str = "fr", public: bool = False) -> pd.DataFrame:
    """Change between two years, raw and at constant sample (enterprises that reported both years).
    Long format: code, name, indicator, sample (raw|constant), value_from, value_to, change (ratio − 1)."""
    out = []
    for sample, panel in (("raw", None), ("constant", (year_from, year_to))):
        if public:
            frames = public_panels(con, year_from, year_to) if panel else \
                pd.concat([public_cube(con, year) for year in (year_from, year_to)], ignore_index=True)
        else:
            frames = pd.concat([cube(con, year, panel, live=True) for year in (year_from, year_to)],
                               ignore_index=True)
        per_year = [select(frames, by, replace(filters, year=year), lang).set_index("code")
                    for year in (year_from, year_to)]
        before, after = per_year
        codes = before.index.union(after.index)
        for indicator in CHANGE_INDICATORS:
            part = pd.DataFrame({
                "code": codes,
                "name": after["name"].reindex(codes).fillna(before["name"].reindex(codes)).to_numpy(),
                "indicator": indicator, "sample": sample,
                "value_from": before[indicator].reindex(codes).to_numpy(dtype=float),
                "value_to": after[indicator].reindex(codes).to_numpy(dtype=float),
            })
            part["change"] = part["value_to"] / part["value_from"].replace(0, np.nan) - 1
            out.append(part)
    return pd.concat(out, ignore_index=True)


def public_panel(con: duckdb.DuckDBPyConnection, year_from: int, year_to: int) -> pd.DataFrame:
    """The public cubes of two years at constant sample (enterprises that reported both years), protected so that
    they can be published next to the raw cubes.

    Published: the territories' values (Québec, regions, MRCs; every sector and legal form together), which is what
    the change cards, key messages, reports and open data show. Never published: the cells of sectors and legal
    forms, and the number of enterprises in the sample (its change is 0 by definition; published, it pinned the
    count of a sector's sample in the hostile audit data set, by difference with the raw counts).

    raw − panel is itself a cell an attacker can compute (the enterprises outside the sample: leavers or entrants),
    so each year is protected as one system, raw = panel + outside cell by cell (`_panel_status`): the raw cells keep
    the suppressions of the public cube (frozen), the outside cells are never published (unknowns with their own
    sensitivity: 1 or 2 leavers are sensitive, 60 are not), and complements are taken in the panel only."""
    raw_public = public_cubes(con)
    return pd.concat([public_panel_year(con, year_from, year_to, year, raw_public) for year in (year_from, year_to)],
                     ignore_index=True)


def year_pairs(con: duckdb.DuckDBPyConnection) -> list[tuple[int, int]]:
    """The pairs of consecutive years with data: the constant-sample changes that are published."""
    known = set(years(con)["year"].astype(int))
    return [(y - 1, y) for y in sorted(known) if y - 1 in known]


def earlier_pair(con: duckdb.DuckDBPyConnection, year_from: int, year_to: int, year: int) -> tuple[int, int] | None:
    """The other published pair that holds `year` and is protected before this side of (year_from, year_to):
    (year - 1, year) when `year` is the pair's first year and year - 1 has data. A reader combines the two
    constant samples of one year (raw = sample + outside for each), so the later one is protected with the earlier
    one's published cells in its system."""
    pair = (year_from - 1, year_from)
    return pair if year == year_from and pair in year_pairs(con) else None


def panel_inputs(con: duckdb.DuckDBPyConnection, year_from: int, year_to: int, year: int) -> list[pd.DataFrame]:
    """What one year of a constant-sample pair is protected from: that year's raw, sample and outside cubes (with
    the rules), and those of the earlier pair that holds the same year (`earlier_pair`). A write that leaves them
    unchanged (e.g. new entrants in the later year leave the earlier year's sample alone) leaves that year's
    protection unchanged."""
    out = [cube(con, year), cube(con, year, (year_from, year_to)), cube(con, year, (year_from, year_to), True)]
    earlier = earlier_pair(con, year_from, year_to, year)
    if earlier is not None:
        out += [cube(con, year, earlier), cube(con, year, earlier, True)]
    return out


def public_panel_year(con: duckdb.DuckDBPyConnection, year_from: int, year_to: int, year: int,
                      raw_public: pd.DataFrame | None = None, earlier: pd.DataFrame | None = None,
                      inputs: list[pd.DataFrame] | None = None) -> pd.DataFrame:
    """One year of `public_panel`, with the rules of the pair's later year (`rules_for`). `earlier`: the published
    side of `earlier_pair` for that year, when there is one (computed here when not given); `inputs`:
    `panel_inputs`, when the caller already has them (for its hash)."""
    return published_side(con, year_from, year_to, year, raw_public, earlier, inputs)[0]


def published_side(con: duckdb.DuckDBPyConnection, year_from: int, year_to: int, year: int,
                   raw_public: pd.DataFrame | None = None, earlier: pd.DataFrame | None = None,
                   inputs: list[pd.DataFrame] | None = None) -> tuple[pd.DataFrame, bool]:
    """`public_panel_year`, and whether it was protected here: like `published_year`, the pattern this side was last
    published with when its inputs (the true cubes, the rules, the engine, and the published patterns of its year's
    raw cube and earlier pair) are the same; otherwise protected again from that pattern, and recorded."""
    rules, own = rules_for(con, year_to), rules_for(con, year)
    raw_public = public_cubes(con) if raw_public is None else raw_public
    inputs = panel_inputs(con, year_from, year_to, year) if inputs is None else inputs
    raw, panel, outside = inputs[:3]
    published = raw_public[raw_public["year"] == year].set_index("cell")["suppressed"].reindex(raw["cell"])
    published = published.astype(object).fillna("")
    before = None
    if len(inputs) > 3:  # this year is also in the earlier pair (`earlier_pair`): its sample and outside cubes follow
        if earlier is None:
            earlier = public_panel_year(con, year_from - 1, year_from, year, raw_public)
        before = (inputs[3], inputs[4], earlier.set_index("cell")["suppressed"])
    seen = [_pattern_frame(published)] + ([] if before is None else [_pattern_frame(before[2])])
    part = f"panel:{year_from}-{year_to}:{year}"
    key = _inputs_hash(rules if own == rules else (rules, own), *inputs, *seen)
    found = _pattern(con, part)
    if found is not None and found[0] == key:
        return _apply_pattern(panel, found[1]), False
    status = _panel_status(raw, panel, outside, published.tolist(), rules, before,
                           None if found is None else found[1], own)
    status["n"] = confidentiality.SECONDARY
    out = _apply_status(panel, status)
    _keep_pattern(con, part, key, out)
    return out, True


# Wall-clock budget of one year's constant-sample protection; past it, the groups not yet proven safe are hidden
# entirely in the panel (safe, costly). The joint raw/panel/outside system is the slow part of the engine: 6 to 15 s
# of CPU a year on the demo data (more with the earlier pair of the same year in the system); it runs in the
# background, after a write, while the previous version is served.
PANEL_TIME_BUDGET_S = 90.0


def _panel_status(raw: pd.DataFrame, panel: pd.DataFrame, outside: pd.DataFrame, raw_suppressed: list[str],
                  rules: confidentiality.Rules,
                  earlier: tuple[pd.DataFrame, pd.DataFrame, pd.Series] | None = None,
                  previous: pd.Series | None = None,
                  year_rules: confidentiality.Rules | None = None) -> pd.DataFrame:
    """Status of the territories' panel cells of one year (index: cell; a sector's or legal form's cell gets none:
    it is never published), protected jointly with the whole raw cube (frozen) and the outside cells (unpublished),
    linked by raw = panel + outside.

    The constant-sample cells of sectors and legal forms are never published, but they stay in the reader's system
    as unknowns with their own protection: a reader can still bound them (between 0 and their raw cell, summing to
    their territory's), and when a territory's outside cell is small (zero full-time equivalents among its entrants,
    say), publishing its sample pins the outside cells of its sectors. An engine that left them out (7 s of CPU a
    pair on the demo data instead of 43 s) passed the hostile audit but not one on denser data (docs/benchmarks.md,
    issue 11's third session). The raw cube's
    suppressed cells were proven safe when it was protected on its own: only their components that reach a
    constant-sample or outside cell are solved again (`verified`).

    `earlier`: (sample cube, outside cube, published status by cell) of the same year in the earlier pair that
    holds it. Its cells join the system with their published status (frozen), linked by raw = sample + outside as
    well, so that the two constant samples of one year are safe together.

    `previous`: the pattern this side was last published with (`suppressed` by territory cell): the new one starts
    from it and hides at least what it hid (`published_side`).

    `rules` are the pair's (its later year's, for its sample and outside cells); `year_rules` are those this year
    was released with, which its raw cells and the earlier pair's cells (that pair ends with this year) keep here:
    a raw value hidden under stricter rules stays protected as promised when the pair's rules are looser."""
    columns = ["n", *PROTECTED]
    extra = [c for c in raw.columns if c.endswith(("__max", "__max2")) and c.split("__")[0] in PROTECTED]

    def table(frame: pd.DataFrame, prefix: str, cells: list[str]) -> pd.DataFrame:
        t = frame.rename(columns={"enterprises": "n"}).set_index("cell")[columns + extra].reindex(cells)
        t["n"] = t["n"].fillna(0)
        t.index = [f"{prefix}{c}" for c in cells]
        return t

    cells_all = raw["cell"].tolist()
    territory = (raw["cat_kind"] == "all").to_numpy()
    territories = [c for c, keep in zip(cells_all, territory) if keep]
    R = table(raw, "R/", cells_all)
    samples = [("P/", "O/", panel, outside, None)]
    if earlier is not None:
        samples.insert(0, ("EP/", "EO/", *earlier))
    base = cube_constraints(raw)
    # The outside table's own additivity is implied by the raw and sample ones and raw = sample + outside: it is
    # left out, so that each outside cell links only its raw and sample cells (smaller components, same feasible set).
    constraints = [confidentiality.Constraint("R/" + c.parent, tuple("R/" + k for k in c.children)) for c in base]
    frozen_parts, unpublished, sample_cells, ceilings = [], [], [], []
    raw_of = [f"R/{c}" for c in cells_all]
    hidden = [set(s.split(",")) - {""} for s in raw_suppressed]
    raw_frozen = pd.DataFrame({c: [confidentiality.SECONDARY if ("enterprises" if c == "n" else c) in h else ""
                                   for h in hidden] for c in columns}, index=R.index, dtype=object)
    frozen_parts.append(raw_frozen)
    # A panel or outside cell is at most its raw cell: when that one is published, everyone knows this bound.
    raw_values = R.loc[raw_of, PROTECTED].to_numpy(float)
    raw_shown = raw_frozen.loc[raw_of, PROTECTED].eq("").to_numpy()
    bound = np.where(raw_shown, np.nan_to_num(raw_values), np.nan)
    tables = [R]
    for p_prefix, o_prefix, sample, out_cube, published in samples:
        P, O = table(sample, p_prefix, cells_all), table(out_cube, o_prefix, cells_all)
        tables += [P, O]
        constraints += [confidentiality.Constraint(p_prefix + c.parent, tuple(p_prefix + k for k in c.children))
                        for c in base]
        constraints += [confidentiality.Constraint(f"R/{c}", (f"{p_prefix}{c}", f"{o_prefix}{c}")) for c in cells_all]
        # An empty cell is a zero a reader who knows which enterprises reported can see (as the audit assumes): a
        # sample cell with no enterprise, or nobody outside the sample (then raw = sample), in every category.
        empty_p = P.index[P["n"].to_numpy() == 0]
        empty_o = O.index[O["n"].to_numpy() == 0]
        fz = pd.DataFrame(index=P.index.append(O.index), columns=columns, dtype=object)
        fz.loc[empty_p.append(empty_o), columns] = ""
        if published is not None:  # the earlier pair's territories: as published
            shown = published.reindex(territories).astype(object).fillna("")
            for c in columns:
                name = "enterprises" if c == "n" else c
                fz.loc[[f"{p_prefix}{t}" for t in territories], c] = [
                    confidentiality.SECONDARY if name in set(h.split(",")) else "" for h in shown]
            fz.loc[empty_p, columns] = ""
        frozen_parts.append(fz.dropna(how="all"))
        # never published: every outside cell, and the constant-sample cells of sectors and legal forms
        unpublished += [O.index[~O.index.isin(empty_o)], P.index[~territory & ~P.index.isin(empty_p)]]
        sample_cells.append(P.index[~P.index.isin(empty_p)])
        ceilings += [pd.DataFrame(bound, index=P.index, columns=PROTECTED),
                     pd.DataFrame(bound, index=O.index, columns=PROTECTED)]
    cells = pd.concat(tables)
    frozen = pd.concat(frozen_parts).reindex(cells.index)
    P = tables[-2]  # this pair's sample (the earlier pair's comes first)
    # A panel cell whose raw cell is suppressed starts suppressed: the raw cell's own moves can then be shared
    # between the panel and the outside cells, and far fewer linear programs are needed.
    start = pd.DataFrame(raw_frozen.loc[raw_of, columns].eq(confidentiality.SECONDARY).to_numpy(),
                         index=P.index, columns=columns)
    # So does a panel cell whose outside cell is sensitive (one or two entrants or leavers, or one dominant): with
    # its raw cell published, the panel cell would give the outside cell exactly (outside = raw - sample).
    O_now = tables[-1]
    for c in PROTECTED:
        start[c] |= confidentiality.protection(O_now, c, rules)[0]
    kept = None
    if previous is not None:
        kept = _hidden_by(previous, pd.Index(territories))
        kept.index = [f"P/{c}" for c in territories]
        start = start | kept.reindex(index=start.index, columns=start.columns).fillna(False).astype(bool)
    unpublished = unpublished[0].append(unpublished[1:])
    verified = cells.index[~cells.index.str.startswith(("P/", "O/"))]
    status = confidentiality.suppress(cells, PROTECTED, constraints, rules, LINKED, unpublished=unpublished,
                                      frozen=frozen, time_budget=PANEL_TIME_BUDGET_S, start=start,
                                      ceiling=pd.concat(ceilings), verified=verified,
                                      prior=sample_cells[-1],
                                      other_rules=() if year_rules is None else ((verified, year_rules),))
    out = _at_least(status.loc[P.index[territory]], kept)
    out.index = territories
    return out.reindex(panel["cell"])  # a sector's or legal form's cell: no status, never published


# Bump when the cube's columns or the protection change: stored cubes of an older format are recomputed.
# 3: without `__m2`; 4: each year stored under its inputs' hash; 5: the issue 14 columns; 6: the constant sample
# published for territories only; 7: empty cells of every category known zeros at constant sample.
CUBE_FORMAT = "7"


def _fingerprint(con: duckdb.DuckDBPyConnection, version: int | None = None) -> str:
    rates = volunteer_rates(con)
    parts = [CUBE_FORMAT, str(db.data_version(con) if version is None else version), repr(settings(con)),
             rates.to_csv(index=False) if len(rates) else ""]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _stored(con: duckdb.DuckDBPyConnection, kind: str, compute, fingerprint: str | None = None) -> pd.DataFrame:
    """A protected cube read back from the database when it was computed from the same inputs (by default: the
    same data version, settings and rates); otherwise computed and stored (best effort: a failed write only costs
    the next reader the computation)."""
    fingerprint = fingerprint or _fingerprint(con)
    row = con.execute(sql.load("get_stored_cube"), [kind, fingerprint]).fetchall()
    if row:
        return pd.read_parquet(io.BytesIO(row[0][0]))
    frame = compute()
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    try:
        con.execute(sql.load("put_stored_cube"), [kind, fingerprint, buffer.getvalue(), datetime.now()])
    except duckdb.Error:
        pass
    return frame


def fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """What the stored public cubes in force were computed from (data version, settings, rates, format)."""
    return _fingerprint(con)


def restamp_stored(con: duckdb.DuckDBPyConnection, old_version: int) -> None:
    """After a restore (store/backup.restore): the database holds exactly the figures, settings and rates it held
    under `old_version`, now under a new data version; its stored cubes stay valid and are kept, not recomputed."""
    con.execute(sql.load("restamp_stored_cubes"), [_fingerprint(con), _fingerprint(con, old_version)])


def stable(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame to hash: its floating-point columns to 12 significant digits. DuckDB adds a sum's terms in an order
    that depends on its threads, so a sum of non-integral values (volunteer hours × a rate of 15,10 $) differs in its
    last bits from one run to the next; hashed as such, the same figures would look changed (and be protected again)."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            values = out[column].to_numpy(float)
            with np.errstate(divide="ignore", invalid="ignore"):
                magnitude = np.floor(np.log10(np.abs(values)))
                scale = 10.0 ** (11 - magnitude)
                out[column] = np.where(np.isfinite(magnitude), np.round(values * scale) / scale, values)
    return out


def _inputs_hash(rules: confidentiality.Rules, *frames: pd.DataFrame) -> str:
    """What a protection depends on: the rules, the format and the true cubes it reads (their every value); a write
    that leaves a year's cube unchanged leaves its hash unchanged, so that year is not protected again."""
    digest = hashlib.sha256(f"{CUBE_FORMAT}|{rules!r}".encode())
    for frame in frames:
        ordered = stable(frame.sort_values("cell").reset_index(drop=True))
        digest.update(pd.util.hash_pandas_object(ordered, index=False).to_numpy().tobytes())
        digest.update("|".join(ordered.columns).encode())
    return digest.hexdigest()


def _public_year(con: duckdb.DuckDBPyConnection, true: pd.DataFrame, rules: confidentiality.Rules) -> pd.DataFrame:
    year = int(true["year"].iloc[0])
    return _stored(con, f"public:{year}", lambda: published_year(con, true, rules)[0], _inputs_hash(rules, true))


# --- published patterns (issue 11, versions) ----------------------------------------------------------------------
# A released year's tables are published once (store/releases.py), but they can still be protected again: by a new
# version of the engine (CUBE_FORMAT), or after a setting that changes their values (the FTE basis). Two suppression
# patterns of the same figures tell a reader more than either: each publishes values the other hides. So each part
# of the public tables (a year; one year of a constant-sample pair) keeps the pattern it was last published with
# (table published_patterns), and a new protection starts from it and hides at least what it hid (`_at_least`): the
# cells a later version publishes were published by every earlier one, so keeping the old pages tells nothing more.
# Every public output protects through these two functions, so that the snapshot (publish/snapshot.py) and the
# database's own stored cubes (the command line, open data, the audit) read one pattern.

def _pattern(con: duckdb.DuckDBPyConnection, part: str) -> tuple[str, pd.Series] | None:
    """(inputs, suppressed by cell) of the pattern `part` was last published with, or None."""
    row = con.execute(sql.load("get_pattern"), [part]).fetchall()
    if not row:
        return None
    frame = pd.read_parquet(io.BytesIO(row[0][1]))
    return row[0][0], frame.set_index("cell")["suppressed"]


def _keep_pattern(con: duckdb.DuckDBPyConnection, part: str, inputs: str, frame: pd.DataFrame) -> None:
    """Record the pattern of a protected frame as the one `part` is published with. A read-only connection cannot
    (an audit on a copy): the same engine then finds the same pattern from the same inputs and stored pattern."""
    buffer = io.BytesIO()
    frame[["cell", "suppressed"]].to_parquet(buffer, index=False)
    try:
        con.execute(sql.load("put_pattern"), [part, inputs, buffer.getvalue(), datetime.now()])
    except duckdb.Error:
        pass


def _pattern_frame(suppressed: pd.Series) -> pd.DataFrame:
    """A pattern (suppressed by cell) as plain text columns, whichever way it was read (a Parquet part, a query)."""
    return pd.DataFrame({"cell": [str(c) for c in suppressed.index],
                         "suppressed": ["" if pd.isna(v) else str(v) for v in suppressed]}, dtype=object)


def _apply_pattern(true: pd.DataFrame, suppressed: pd.Series) -> pd.DataFrame:
    return _apply_status(true, _status_of(pd.DataFrame({"cell": true["cell"].to_numpy(),
                                                        "suppressed": suppressed.reindex(true["cell"]).to_numpy()})))


def published_year(con: duckdb.DuckDBPyConnection, true: pd.DataFrame,
                   rules: confidentiality.Rules) -> tuple[pd.DataFrame, bool]:
    """One released year's public cube (`protect`), and whether it was protected here: the pattern it was last
    published with when its inputs (`_inputs_hash`: the true cube, the rules, the engine) are the same; otherwise
    protected again from that pattern, hiding at least what it hid, and recorded."""
    part, inputs = f"year:{int(true['year'].iloc[0])}", _inputs_hash(rules, true)
    found = _pattern(con, part)
    if found is not None and found[0] == inputs:
        return _apply_pattern(true, found[1]), False
    out = protect(true, rules, before=None if found is None else {int(true["year"].iloc[0]): found[1]})
    _keep_pattern(con, part, inputs, out)
    return out, True


def _public_cube_incremental(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The public cube of every year, each year protected (with its own rules: `year_rules`) only when its own
    inputs changed since it was stored."""
    rules, by_year = settings(con).rules, year_rules(con)
    true = cube(con, None)
    parts = [_public_year(con, frame.reset_index(drop=True), by_year.get(int(year), rules))
             for year, frame in true.groupby("year", sort=True)]
    return pd.concat(parts, ignore_index=True) if parts else protect(true, rules)


def public_cubes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The public cube of every year, stored in the database until the data, the settings or the rates change;
    after a change only the years whose own figures changed are protected again. The spin-offs and the shares of the
    territory's jobs (issue 14) are added from the published values at read time."""
    return with_estimates(con, _stored(con, "public", lambda: _public_cube_incremental(con)))


def public_panels(con: duckdb.DuckDBPyConnection, year_from: int, year_to: int) -> pd.DataFrame:
    """`public_panel`, stored like `public_cubes`, each year of the pair on its own: recomputed only when one of its
    inputs (`panel_inputs`: that year's true raw, sample and outside cubes, those of the earlier pair that holds the
    same year, the rules) changed."""
    rules = rules_for(con, year_to)
    return pd.concat([_panel_side(con, (year_from, year_to), year, rules) for year in (year_from, year_to)],
                     ignore_index=True)


def _panel_side(con: duckdb.DuckDBPyConnection, pair: tuple[int, int], year: int,
                rules: confidentiality.Rules) -> pd.DataFrame:
    inputs = panel_inputs(con, *pair, year)

    def compute() -> pd.DataFrame:
        before = (pair[0] - 1, pair[0]) if len(inputs) > 3 else None  # `earlier_pair`, as panel_inputs found it
        earlier = None if before is None else _panel_side(con, before, year, rules_for(con, before[1]))
        return public_panel_year(con, *pair, year, earlier=earlier, inputs=inputs)

    return _stored(con, f"panel:{pair[0]}:{pair[1]}:{year}", compute, _inputs_hash(rules, *inputs))


def prepare_public(con: duckdb.DuckDBPyConnection) -> None:
    """Compute and store, right after a write, what the first visitor would otherwise wait for: the public cube
    of every year and the constant-sample cubes of the latest two years."""
    public_cubes(con)
    known = years(con)["year"].tolist()
    if len(known) >= 2:
        public_panels(con, int(known[-2]), int(known[-1]))


def remember_public(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> None:
    """Store `frame` as the public cube of every year of this data version (one assembled from per-year parts by
    publish/snapshot), so that `public_panel` reads it back instead of protecting every year again."""
    _stored(con, "public", lambda: frame)
