"""An attack that `ess-impact audit` does not make: two published versions of one year's tables, before and after a
write (a reader who saved the pages on two days). Every other attack (and the audit) works on one data version.

Why the app publishes each year once (store/releases.py): until the seventh session of issue 11 it published a new
version after every write, and this attack read each upload back. The public tables now read each year as released
and a released year is not released again, so a write changes no public output (tests/test_releases.py checks every
one); this script measures what a second release of a year, protected on its own, would disclose.

    .venv/bin/python benchmarks/attack_versions.py [--db PATH] [--enterprises 30] [--seed 11]

The latest year of the database (without --db: a fresh demo database; the database given is copied) is protected
as the snapshot protects it (`indicators.protect`), then `--enterprises` new enterprises are written to that year
(`demo.generate`, as `bench_protection.py` does) and the year is protected again. The reader is assumed to know which
cells the write touched (the new enterprises' MRC, sector and legal form: an enterprise's existence is no secret),
hence which cells kept their figures. Two attacks, each with a linear program per sensitive value (the audit's own
code: `audit._group_system`, `audit._solve`, `audit.levels`):

- **learnt values**: each version's own system, plus the values the other version publishes of the cells that kept
  their figures (hidden here, published there);
- **joint**: both versions' systems at once, linked by after = before + the new enterprises' cells (an unpublished
  table, whose values are sensitive by the new enterprises' own counts and shares, as the audit judges any cell).
  A total published in both versions then gives the new enterprises' part of it: after one enterprise's upload,
  Québec's totals before and after give its own figures.

Prints, per attack and version, the sensitive values attacked and those short of their protection level (with the
tightest ones), and exits 1 when any is short. A finding, not a benchmark of speed: see docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from _common import scratch_database

from ess_impact.publish import audit, indicators
from ess_impact.store import auth, db, demo, history


NAMES = {"outside": "added"}  # the added enterprises' table: "outside" for the audit's rules


def _kept(true_a: pd.DataFrame, true_b: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """cells x columns: True where the cell is in both versions with the same enterprises count and value."""
    common = true_a.index.intersection(true_b.index)
    same_n = true_a.loc[common, "enterprises"].to_numpy() == true_b.loc[common, "enterprises"].to_numpy()
    out = {}
    for column in columns:
        a = true_a.loc[common, column].fillna(0).to_numpy(float)
        b = true_b.loc[common, column].fillna(0).to_numpy(float)
        out[column] = same_n & np.isclose(a, b, rtol=1e-12, atol=1e-9)
    return pd.DataFrame(out, index=common)


def _with_learnt(pub: pd.DataFrame, other: pd.DataFrame, true: pd.DataFrame, kept: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """`pub` with the values `other` publishes of the kept cells it hides."""
    pub = pub.copy()
    pub["suppressed"] = pub["suppressed"].astype(object).fillna("")
    other_hidden = other["suppressed"].astype(object).fillna("").reindex(pub.index).fillna("")
    learnt = 0
    for cell in kept.index:
        hidden = set(pub.at[cell, "suppressed"].split(",")) - {""}
        shown_there = set(kept.columns) - set(other_hidden.at[cell].split(","))
        for column in sorted(hidden & shown_there):
            if kept.at[cell, column]:
                hidden.discard(column)
                pub.at[cell, column] = true.at[cell, column]
                learnt += 1
        pub.at[cell, "suppressed"] = ",".join(sorted(hidden))
    return pub, learnt


def _short(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=audit.COLUMNS)
    return frame[~frame["ok"].astype(bool)]


def _joint(pubs: dict, trues: dict, added: pd.DataFrame, rules: audit.AuditRules, year: int) -> list[dict]:
    """Both versions and the added enterprises' table in one system per group of columns: after = before + added.
    The added table is never published ("outside" for the audit: its count of enterprises is not confidential)."""
    union = trues["before"].index.union(trues["after"].index)
    structure = pd.concat([trues["before"].reset_index(), trues["after"].reset_index()]).drop_duplicates("cell")
    hierarchy = audit._hierarchy(structure)
    tables = {("before", None): (pubs["before"], trues["before"]), ("after", None): (pubs["after"], trues["after"]),
              ("outside", None): (None, added)}
    out = []
    for group in audit.GROUPS:
        system, known, targets = audit._group_system(tables, hierarchy, union, [], group, rules)
        for column in group:
            for cell in union:
                system.add(known, [(("after", cell, column, None), 1.0), (("before", cell, column, None), -1.0),
                                   (("outside", cell, column, None), -1.0)])
        open_targets = []
        for key, value, lo, hi, readable in targets:
            if readable:
                out.append(audit._row(year, f"joint {NAMES.get(key[0], key[0])}", key, value, value, value, lo, hi, False))
            else:
                system.term(known, key)
                open_targets.append((key, value, lo, hi))
        intervals = audit._solve(system, [(k, lo, hi) for k, _, lo, hi in open_targets])
        for key, value, lo, hi in open_targets:
            low, high = intervals.get(key, (0.0, np.inf))
            out.append(audit._row(year, f"joint {NAMES.get(key[0], key[0])}", key, value, low, high, lo, hi,
                                  audit._meets(value, low, high, lo, hi)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--enterprises", type=int, default=30)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    path = scratch_database(args.db, folder, "versions.duckdb")
    with db.connect(path) as con:
        year = int(indicators.years(con)["year"].iloc[-1])
        rules, protect_rules = audit._rules(con, year), indicators.rules_for(con, year)
        trues, pubs = {}, {}
        trues["before"] = indicators.cube(con, year, live=True)
        pubs["before"] = indicators.protect(trues["before"], protect_rules)
        extra = demo.generate(seed=args.seed, years=(year,), n_enterprises=args.enterprises)
        stored = {neq for (neq,) in con.execute("SELECT neq FROM annual_figures WHERE year = ?", [year]).fetchall()}
        if stored & set(extra["neq"]):
            raise SystemExit("the generated enterprises are not all new: choose another --seed")
        history.write_imports(con, [("attack", "attack", extra.assign(source_row=None))], auth.SYSTEM, "attack",
                              is_demo=db.is_demo(con))
        trues["after"] = indicators.cube(con, year, live=True)  # what a second release would publish
        pubs["after"] = indicators.protect(trues["after"], protect_rules)
    with db.connect(folder / "added.duckdb") as con:  # the added enterprises alone: their cells and shares
        history.write_imports(con, [("attack", "attack", extra.assign(source_row=None))], auth.SYSTEM, "attack",
                              is_demo=True)
        added = indicators.cube(con, year, live=True).set_index("cell")
    shutil.rmtree(folder, ignore_errors=True)
    trues = {k: v.set_index("cell") for k, v in trues.items()}
    pubs = {k: v.set_index("cell") for k, v in pubs.items()}
    columns = [c for group in audit.GROUPS for c in group]
    kept = _kept(trues["before"], trues["after"], columns)
    print(f"# Two versions of {year}'s tables, before and after {args.enterprises} new enterprises\n")
    print(f"Cell values kept by the write: {int(kept.to_numpy().sum())} of {kept.size}\n")
    print("| attack | version | values learnt from the other version | sensitive values attacked | short |")
    print("|---|---|---|---|---|")
    shorts = []
    for version, other in (("before", "after"), ("after", "before")):
        pub, learnt = _with_learnt(pubs[version], pubs[other], trues[version], kept)
        rows = audit._attack({("raw", None): (pub, trues[version])}, rules, year, f"learnt {version}")
        short = _short(rows)
        shorts.append(short)
        print(f"| learnt values | {version} | {learnt} | {len(rows)} | {len(short)} |")
    rows = _joint(pubs, trues, added, rules, year)
    short = _short(rows)
    shorts.append(short)
    print(f"| joint | both | — | {len(rows)} | {len(short)} |")
    found = pd.concat(shorts, ignore_index=True)
    if len(found):
        found = found.assign(width=(found["high"] - found["low"]) / (found["required_high"] - found["required_low"]))
        print("\nTightest (interval width / required width):\n")
        print(found.sort_values("width")[["system", "cell", "column", "value", "low", "high", "required_low",
                                          "required_high"]].head(15).to_string(index=False))
    return 1 if len(found) else 0


if __name__ == "__main__":
    sys.exit(main())
