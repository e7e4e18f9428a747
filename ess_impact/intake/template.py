"""The upload template: a data sheet with the expected headers and drop-down lists (MRC, sector, legal form),
an instructions sheet, and a hidden sheet holding the lists. Written with openpyxl."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ess_impact import reference
from ess_impact.fields import FIELDS, header
from ess_impact.labels import N_, t

LIST_TITLES = {"mrc": N_("tpl_mrc_list"), "sector": N_("tpl_sector_list"),
               "legal_form": N_("tpl_legal_form_list")}

TEMPLATE_ROWS = 2000


def mrc_choices() -> list[str]:
    """'Usual name (code)', the form the importer matches exactly."""
    df = reference.mrcs().sort_values("usual_name", key=lambda s: s.map(reference.normalize))
    return [f"{r.usual_name} ({r.code})" for r in df.itertuples()]


def write_template(out: str | Path, lang: str = "fr", today: dt.date | None = None, rows=None) -> Path:
    """The template; with `rows` (stored figures: one row per enterprise, field keys as columns), the data sheet is
    pre-filled with them (identity and figures), drop-down values written as the lists show them."""
    out = Path(out)
    today = today or dt.date.today()
    wb = Workbook()
    data = wb.active
    data.title = t("tpl_data", lang)
    instructions = wb.create_sheet(t("tpl_instructions", lang))
    lists = wb.create_sheet(t("tpl_lists", lang))
    lists.sheet_state = "hidden"

    sector_col = "label_en" if lang == "en" else "label_fr"
    columns = {
        "mrc": mrc_choices(),
        "sector": list(reference.sectors()[sector_col]),
        "legal_form": list(reference.legal_forms()[sector_col]),
    }
    ranges = {}
    for index, (key, values) in enumerate(columns.items(), start=1):
        letter = get_column_letter(index)
        lists.cell(row=1, column=index, value=t(LIST_TITLES[key], lang))
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=index, value=value)
        ranges[key] = f"'{lists.title}'!${letter}$2:${letter}${len(values) + 1}"

    bold = Font(bold=True, color="FFFFFF")
    required_fill = PatternFill("solid", fgColor="1F4E79")
    optional_fill = PatternFill("solid", fgColor="5B7FA6")
    last = TEMPLATE_ROWS + 1
    for col, f in enumerate(FIELDS, start=1):
        cell = data.cell(row=1, column=col, value=header(f, lang))
        cell.font = bold
        cell.fill = required_fill if f.required else optional_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(col)
        data.column_dimensions[letter].width = 34 if f.kind in ("text", "mrc", "sector") else 18
        area = f"{letter}2:{letter}{last}"
        if f.kind == "neq":
            for row in range(2, last + 1):
                data.cell(row=row, column=col).number_format = "@"  # keep the 10 digits as text
        validation = None
        if f.kind in ranges:
            validation = DataValidation(type="list", formula1=ranges[f.kind], allow_blank=True)
            validation.error = t("tpl_error_list", lang)
        elif f.kind == "year":
            validation = DataValidation(type="whole", operator="between", formula1="2000", formula2=str(today.year),
                                        allow_blank=True)
            validation.error = t("tpl_error_year", lang)
        elif f.kind == "int":
            validation = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
            validation.error = t("tpl_error_int", lang)
        elif f.kind in ("amount", "hours"):
            validation = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
            validation.error = t("tpl_error_number", lang)
            for row in range(2, last + 1):
                data.cell(row=row, column=col).number_format = "#,##0.00" if f.kind == "amount" else "#,##0"
        if validation is not None:
            validation.errorTitle = t("tpl_error_title", lang)
            validation.showErrorMessage = True
            validation.add(area)
            data.add_data_validation(validation)
    if rows is not None:
        _prefill(data, rows, lang)
    data.row_dimensions[1].height = 36
    data.freeze_panes = "C2"

    instructions.column_dimensions["A"].width = 32
    instructions.column_dimensions["B"].width = 14
    instructions.column_dimensions["C"].width = 80
    instructions["A1"] = t("tpl_title", lang)
    instructions["A1"].font = Font(bold=True, size=14)
    instructions["A3"] = t("tpl_intro", lang)
    instructions.merge_cells("A3:C3")
    instructions["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    instructions.row_dimensions[3].height = 75
    for col, key in enumerate((N_("tpl_column"), N_("tpl_required"), N_("tpl_description")), start=1):
        instructions.cell(row=5, column=col, value=t(key, lang)).font = Font(bold=True)
    for row, f in enumerate(FIELDS, start=6):
        instructions.cell(row=row, column=1, value=header(f, lang))
        instructions.cell(row=row, column=2, value=t(N_("tpl_yes") if f.required else N_("tpl_no"), lang))
        instructions.cell(row=row, column=3, value=f.help_en if lang == "en" else f.help_fr)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


IDENTITY_KEYS = ("neq", "name", "legal_form", "sector", "mrc")


def for_next_year(rows: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """The enterprise's last stored rows turned into the rows of its next declaration: its identity (NEQ, name, legal
    form, sector, MRC) kept, the year after the last one (the current year at most: a fiscal year cannot be in the
    future), the figures left empty so that uploading the template never overwrites last year's figures with a copy
    of themselves nor declares them again for the new year."""
    out = rows[[k for k in IDENTITY_KEYS if k in rows]].copy()
    out["year"] = [min(int(year) + 1, today.year) for year in rows["year"]]
    return out.reset_index(drop=True)


def _prefill(sheet, rows, lang: str) -> None:
    label = "label_en" if lang == "en" else "label_fr"
    shown = {
        "mrc": {r.code: f"{r.usual_name} ({r.code})" for r in reference.mrcs().itertuples()},
        "sector": dict(zip(reference.sectors()["code"], reference.sectors()[label])),
        "legal_form": dict(zip(reference.legal_forms()["code"], reference.legal_forms()[label])),
    }
    for index, record in enumerate(rows.to_dict("records"), start=2):
        for col, f in enumerate(FIELDS, start=1):
            value = record.get(f.key)
            if value is None or (not isinstance(value, str) and value != value):  # missing or NaN
                continue
            if f.kind in shown:
                value = shown[f.kind].get(value, value)
            elif f.kind in ("int", "year"):
                value = int(value)
            sheet.cell(row=index, column=col, value=value)
