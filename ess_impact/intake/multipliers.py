"""Loading Statistics Canada's input-output multipliers (issue 14): the file is parsed in the sandbox child
(`intake/statcan.py`, untrusted bytes), each of our sectors is mapped to one input-output industry
(`ess_impact/data/sector_io_industries.csv`, or an admin's own mapping file), and the Québec multipliers replace the
stored ones in one transaction, logged (who, when, file, SHA-256, reference year).

    loaded = multipliers.load(con, actor, "36100595.csv", data, mapping=None)
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime
from importlib import resources

import pandas as pd

from ess_impact import errors, reference, sql
from ess_impact.intake import sandbox
from ess_impact.intake.statcan import _norm
from ess_impact.store import auth, db
from ess_impact.store.auth import Account


class MultipliersInvalid(errors.Invalid):
    """The file is not Statistics Canada's table 36-10-0595-01 as distributed, or holds no usable Québec row, or a
    sector has no industry in it."""


def default_mapping() -> pd.DataFrame:
    """sector, io_industry_code, io_industry_label (ess_impact/data/sector_io_industries.csv)."""
    with resources.files("ess_impact.data").joinpath("sector_io_industries.csv").open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, comment="#").fillna("")


def read_mapping(data: bytes) -> pd.DataFrame:
    """An admin's own mapping file (same columns as the shipped one). Small and structured: read here, checked."""
    if len(data) > 1048576:
        raise MultipliersInvalid("multipliers_mapping_invalid", detail="> 1 MB")
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=str, comment="#").fillna("")
    except Exception as exc:  # noqa: BLE001 - any parse error is the admin's file
        raise MultipliersInvalid("multipliers_mapping_invalid", detail=str(exc)[:80]) from None
    if not {"sector", "io_industry_code", "io_industry_label"} <= set(frame.columns):
        raise MultipliersInvalid("multipliers_mapping_invalid", detail="sector, io_industry_code, io_industry_label")
    return frame


def resolve(mapping: pd.DataFrame, rows: list) -> tuple[dict[str, str], list[str]]:
    """sector -> industry code of the loaded table (by code, else by label, case and accents ignored); and the
    sectors of the sector list that found no industry."""
    codes = {r[1] for r in rows}
    by_label = {_norm(r[2]): r[1] for r in rows}
    found, missing = {}, []
    wanted = dict(zip(mapping["sector"], zip(mapping["io_industry_code"], mapping["io_industry_label"])))
    for sector in reference.sectors()["code"]:
        code, label = wanted.get(sector, ("", ""))
        if code in codes:
            found[sector] = code
        elif _norm(label) in by_label:
            found[sector] = by_label[_norm(label)]
        else:
            missing.append(sector)
    return found, missing


@dataclass
class Loaded:
    ref_year: int
    industries: int
    rows: int
    skipped: int
    sectors: dict


def load(con, actor: Account | None, file_name: str, data: bytes, mapping: pd.DataFrame | None = None) -> Loaded:
    """Parse `data` in the sandbox child, map every sector to an industry of the file, then replace the stored
    multipliers and mapping in one transaction (admins only). MultipliersInvalid when anything is missing."""
    auth.require_admin(actor)
    found = sandbox.read_multipliers(data)
    if found.problem:
        raise MultipliersInvalid(found.problem[0], **found.problem[1])
    mapping = default_mapping() if mapping is None else mapping
    sectors, missing = resolve(mapping, found.rows)
    if missing:
        raise MultipliersInvalid("multipliers_unmapped", sectors=", ".join(missing))
    now = datetime.now()
    with db.transaction(con):
        con.execute(sql.load("delete_io_multipliers"))
        con.executemany(sql.load("insert_io_multiplier"), [list(r) for r in found.rows])
        con.execute(sql.load("delete_io_sector_map"))
        con.executemany(sql.load("insert_io_sector_map"), [[s, c] for s, c in sorted(sectors.items())])
        con.execute(sql.load("insert_io_multiplier_load"),
                    [now, actor.email, file_name, hashlib.sha256(data).hexdigest(), found.ref_year, len(found.rows)])
        db.bump_impact_version(con)
    return Loaded(found.ref_year, len({r[1] for r in found.rows}), len(found.rows), found.skipped, sectors)
