"""Streamlit glue of the upload flow shared by the enterprise page and the admin bulk import: file → check → problems
(table and annotated copy) → preview → warnings to accept → confirm → receipt. The logic is in ess_impact.uploads."""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from ess_impact import errors
from ess_impact.fields import FIELDS, header
from ess_impact.intake import importer, template, uploads
from ess_impact.store import db
from ess_impact.web import ui

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LARGE_FILE_BYTES = 1 << 20


def template_step(text: str, rows) -> None:
    """Step 1 of an upload page: the template, built when its button is clicked; `rows()` gives the rows to pre-fill
    it with (history.enterprise_figures rows), or None for a blank one."""
    st.subheader(ui.tr("upload_template_heading"))
    st.write(text)

    def built() -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            out = template.write_template(Path(folder) / "gabarit.xlsx", ui.lang(), dt.date.today(), rows=rows())
            return out.read_bytes()

    st.download_button(ui.tr("upload_template_button"), built, file_name="gabarit-ess-impact.xlsx", mime=XLSX_MIME,
                       icon=":material/download:", on_click="ignore")


def _check(actor, name: str, data: bytes, progress=None) -> importer.FileCheck:
    with tempfile.TemporaryDirectory(prefix="ess_upload_") as folder, db.connect() as con:
        return uploads.check_upload(con, actor, name, data, Path(folder), progress=progress)


def run(actor, key: str) -> None:
    """The whole flow for `actor` (an entreprise account or an admin); `key` keeps two pages' states apart."""
    lang = ui.lang()
    receipt = st.session_state.pop(f"{key}_receipt", None)
    if receipt:
        st.success(receipt, icon=":material/task_alt:")
    with db.connect() as con:
        max_mb = uploads.max_upload_mb(con)
    # The widget refuses a larger file in the browser; check_upload refuses it again on the server.
    upload = st.file_uploader(ui.tr("upload_file_label"), type=["xlsx", "xlsm", "xls", "ods", "csv"],
                              key=f"{key}_file_{st.session_state.get(f'{key}_round', 0)}", max_upload_size=max_mb)
    if upload is None:
        return
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    kept = st.session_state.get(f"{key}_check")
    if kept is None or kept[0] != digest:
        if len(data) > LARGE_FILE_BYTES:  # a bulk file: a bar with the stage of the check
            bar = st.progress(0.0, text=ui.tr("upload_checking"))
            check = _check(actor, upload.name, data, lambda fraction, key: bar.progress(fraction, text=ui.tr(key)))
            bar.empty()
        else:
            with st.spinner(ui.tr("upload_checking")):
                check = _check(actor, upload.name, data)
        kept = (digest, check, data)
        st.session_state[f"{key}_check"] = kept
    _, check, data = kept

    errors, warnings = len(check.errors), len(check.warnings)
    if check.problems:
        (st.error if errors else st.warning)(ui.tr(
            "upload_problems", file=check.file_name, errors=ui.counted("count_errors", "count_errors_plural", errors),
            warnings=ui.counted("count_warnings", "count_warnings_plural", warnings)))
        ui.dataframe(uploads.problems_table(check, lang), hide_index=True, width="stretch",
                     height=min(len(check.problems) + 1, 15) * 35 + 3)
        marked = uploads.marked_copy(data, check, lang)
        if marked:
            stem = Path(check.file_name).stem
            st.download_button(ui.tr("upload_marked_copy"), marked, file_name=f"{stem}-annoté.xlsx", mime=XLSX_MIME,
                               icon=":material/download:", key=f"{key}_marked", on_click="ignore")
    if errors:
        st.info(ui.tr("upload_errors_block"))
        return
    _preview(actor, check, key)


def _preview(actor, check: importer.FileCheck, key: str) -> None:
    lang = ui.lang()
    with db.connect() as con:
        shown = uploads.preview(con, actor, check)
    st.subheader(ui.tr("upload_preview_heading"))
    counts = shown["status"].value_counts()
    st.write(ui.tr("upload_preview_text", rows=ui.counted("count_valid_rows", "count_valid_rows_plural", len(shown)),
                   new=ui.counted("count_new", "count_new_plural", counts.get("new", 0)),
                   changed=ui.counted("count_changed", "count_changed_plural", counts.get("changed", 0)),
                   same=ui.counted("count_same", "count_same_plural", counts.get("same", 0))))
    names = {f.key: header(f, lang) for f in FIELDS}
    table = shown.copy()
    table["status"] = [ui.tr(ui.STATUS_KEYS[s]) for s in table["status"]]
    table = table.rename(columns={"status": ui.tr("col_status"), **names,
                                  **{f"{k}_before": ui.tr("before_value", field=v) for k, v in names.items()}})
    ui.dataframe(table, hide_index=True, width="stretch", height=min(len(table) + 1, 15) * 35 + 3)
    accepted = True
    if check.warnings:
        accepted = st.checkbox(ui.tr("upload_accept_warnings"), key=f"{key}_accept")
    if st.button(ui.tr("upload_confirm"), type="primary", disabled=not accepted, key=f"{key}_confirm",
                 icon=":material/save:"):
        try:
            with db.connect() as con:
                (result,) = importer.commit(con, [check], actor, channel="app", accept_warnings=accepted)
        except errors.EssError as refused:
            st.error(refused.message(lang))
            return
        ui.wrote()
        st.session_state.pop(f"{key}_check", None)
        st.session_state[f"{key}_round"] = st.session_state.get(f"{key}_round", 0) + 1  # a fresh, empty uploader
        st.session_state[f"{key}_receipt"] = receipt(result, check, lang)
        st.rerun()


def receipt(result, check: importer.FileCheck, lang: str) -> str:
    if result.import_id is None:
        return ui.tr("upload_nothing_new")
    when = pd.Timestamp.now()
    return ui.tr("upload_receipt",
                 rows=ui.counted("count_rows_recorded", "count_rows_recorded_plural", result.inserted + result.replaced),
                 when=when.strftime("%Y-%m-%d %H:%M"), import_id=result.import_id, file=check.file_name,
                 sha=check.sha256, inserted=ui.counted("count_new", "count_new_plural", result.inserted),
                 replaced=ui.counted("count_replaced", "count_replaced_plural", result.replaced),
                 unchanged=ui.counted("count_unchanged", "count_unchanged_plural", result.unchanged)) \
        + " " + ui.tr("upload_public_when_released")  # store/releases.py
