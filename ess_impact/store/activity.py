"""The activity log an auditor reads (issue 15): who did what and when, across imports, corrections, merges, undos,
settings and rates, status changes, accounts, logins (failed ones included), links and access requests.

    frame = read(con, admin, since=datetime(2026, 1, 1))   # happened_at, actor, action, target, detail, region_code
    data = csv_bytes(frame, "fr")                            # the export (CSV for French Excel)
    purge(con, now)                                          # retention: activity_retention_days

Nothing is copied: imports, settings changes and status changes are read from their own journals (kept for good);
the table `activity` holds only the events no other table records (auth.log_activity), and those older than the
setting `activity_retention_days` are purged when a session opens. A provincial admin reads everything; a regional
admin reads the events of its regions (its imports wholly in its regions, its enterprises' status changes, the
invitations and requests of its regions) and its own actions.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import duckdb
import pandas as pd

from ess_impact import reference, settings, sql
from ess_impact.labels import N_, t
from ess_impact.store import auth, history
from ess_impact.store.auth import Account

COLUMNS = ["happened_at", "actor", "action", "target", "detail", "region_code"]


def read(con: duckdb.DuckDBPyConnection, actor: Account | None, since: datetime | None = None,
         until: datetime | None = None) -> pd.DataFrame:
    """The events between `since` (included) and `until` (excluded), latest first. Admins only, by region."""
    held = auth.admin_regions(actor)
    frame = con.execute(sql.load("activity_log"), {"since": since, "until": until}).df()
    if held is not None:
        own = frame["actor"] == actor.email
        in_region = frame["region_code"].isin(held)
        imports = frame["source"] == "import"
        allowed = {str(i) for i in history.imports_within(con, actor)}
        frame = frame[own | (in_region & ~imports) | (imports & frame["ref"].isin(allowed))]
    return frame[COLUMNS].reset_index(drop=True)


# Each action as the reader says it (keys marked for the catalogue's extraction); an unknown one as it is stored.
ACTION_KEYS = {
    "access_requested": N_("activity_access_requested"), "account_add": N_("activity_account_add"),
    "account_disable": N_("activity_account_disable"), "account_neqs": N_("activity_account_neqs"),
    "account_password": N_("activity_account_password"), "correction": N_("activity_correction"),
    "deactivate": N_("activity_deactivate"), "import": N_("activity_import"), "invitation": N_("activity_invitation"),
    "login": N_("activity_login"), "login_failed": N_("activity_login_failed"),
    "login_throttled": N_("activity_login_throttled"), "merge": N_("activity_merge"),
    "password_set": N_("activity_password_set"), "reactivate": N_("activity_reactivate"),
    "real_data": N_("activity_real_data"), "release": N_("activity_release"),
    "request_rejected": N_("activity_request_rejected"),
    "reset_link": N_("activity_reset_link"), "reset_requested": N_("activity_reset_requested"),
    "setting": N_("activity_setting"), "undo": N_("activity_undo"),
}


def action_text(action: str, lang: str = "fr") -> str:
    key = ACTION_KEYS.get(action)
    return t(key, lang) if key else action


DETAIL_WORDS = {"admin": N_("role_admin"), "entreprise": N_("role_entreprise")}


def detail_text(detail, lang: str = "fr") -> str:
    """An event's details as the reader reads them: 'neq=1170000003' → 'NEQ 1170000003', 'region=16' → 'région :
    Montérégie', a role in the reader's words; anything else (a count, a file name) as stored."""
    if detail is None or (isinstance(detail, float) and pd.isna(detail)):
        return ""
    regions = reference.regions().set_index("code")["name"]
    words = []
    for word in str(detail).split(" "):
        key, equals, value = word.partition("=")
        if equals and key == "neq":
            words.append(f"NEQ {value}")
        elif equals and key == "region":
            words.append(t("activity_detail_region", lang, region=regions.get(value, value)))
        elif word in DETAIL_WORDS:
            words.append(t(DETAIL_WORDS[word], lang))
        else:
            words.append(word)
    return " ".join(words)


def table(frame: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """The log as the reader sees it (and exports it): when, who, what, on what, details, region (by name)."""
    regions = reference.regions().set_index("code")["name"]
    return pd.DataFrame({
        t("activity_col_when", lang): pd.to_datetime(frame["happened_at"]).dt.strftime("%Y-%m-%d %H:%M:%S"),
        t("activity_col_who", lang): frame["actor"],
        t("activity_col_what", lang): [action_text(a, lang) for a in frame["action"]],
        t("activity_col_target", lang): frame["target"],
        t("activity_col_detail", lang): [detail_text(d, lang) for d in frame["detail"]],
        t("region", lang): [regions.get(code, code) if isinstance(code, str) else "" for code in frame["region_code"]],
    })


def csv_bytes(frame: pd.DataFrame, lang: str = "fr") -> bytes:
    """The export: French Excel's CSV (';', UTF-8 with BOM) in French, plain CSV in English."""
    buffer = io.StringIO()
    table(frame, lang).to_csv(buffer, sep=";" if lang == "fr" else ",", index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8-sig" if lang == "fr" else "utf-8")


def purge(con: duckdb.DuckDBPyConnection, now: datetime | None = None) -> int:
    """Erase the `activity` events older than the retention setting; how many went."""
    days = settings.read(con).activity_retention_days
    before = (now or datetime.now()) - timedelta(days=days)
    return con.execute(sql.load("purge_activity"), {"before": before}).fetchone()[0]
