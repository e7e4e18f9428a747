"""Published tables: one description (`Table`) shown on screen, downloaded as CSV and as an Excel workbook,
with the same confidentiality marks ("x") and the same source/notes lines everywhere.

A `Table` holds raw numbers (so that the screen can sort them and the workbook can compute with them) and a mask
of the suppressed cells. Nothing here decides what is confidential: `indicators.protect` did that; a table only
carries its result to the reader.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ess_impact import formatting
from ess_impact.labels import INDICATORS, N_, t
from ess_impact.publish import indicators
from ess_impact.publish.peers import PEER_INDICATORS, SCOPES, Peers

# Characters that make a spreadsheet treat a cell as a formula (CSV / formula injection, OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Keys of a change between two years (not indicators): a relative change (+2,7 %), or percentage points (+0,7 pt)
# for an indicator that is itself a ratio.
CHANGE, CHANGE_POINTS = "change", "change_points"


@dataclass
class Table:
    frame: pd.DataFrame                      # label columns, then value columns (raw numbers, NaN when not shown)
    keys: dict[str, str]                     # value column -> indicator key (gives its unit)
    title: str = ""
    notes: list[str] = field(default_factory=list)
    hidden: pd.DataFrame | None = None       # True where a value column is suppressed (shown "x")
    cell_keys: pd.DataFrame | None = None    # per-cell key overriding the column's (rows that are indicators)

    @property
    def label_columns(self) -> list[str]:
        return [c for c in self.frame.columns if c not in self.keys]

    def is_hidden(self, column: str) -> np.ndarray:
        if self.hidden is None or column not in self.hidden:
            return np.zeros(len(self.frame), dtype=bool)
        return self.hidden[column].to_numpy(dtype=bool)

    def key_at(self, column: str, row: int) -> str:
        """The indicator key (hence the unit) of one cell."""
        if self.cell_keys is not None and column in self.cell_keys:
            key = self.cell_keys[column].iloc[row]
            if isinstance(key, str) and key:
                return key
        return self.keys[column]

    def cell_text(self, column: str, lang: str) -> list[str]:
        """The value column as the reader sees it: Québec formats, 'x' where suppressed, '—' where missing."""
        return [formatting.SUPPRESSED if h else value_text(self.key_at(column, i), v, lang)
                for i, (v, h) in enumerate(zip(self.frame[column], self.is_hidden(column)))]


def change_key(key: str) -> str:
    """The key a change of `key` between years is shown with: points for a ratio, else a relative change."""
    return CHANGE_POINTS if INDICATORS[key].unit == "ratio" else CHANGE


def value_text(key: str, value, lang: str) -> str:
    """One value in its unit; a change between years with its sign (+2,7 %, −0,7 pt)."""
    if key not in (CHANGE, CHANGE_POINTS) or value is None or (isinstance(value, float) and np.isnan(value)):
        return formatting.indicator(key, value, lang)
    text = formatting.percent(value, lang) if key == CHANGE else \
        t("points", lang, value=formatting.number(value, lang, 1))
    shown = round(value * 100 if key == CHANGE else value, 1)
    return "+" + text if shown > 0 else text


def _hidden_mask(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: indicators.hidden(frame, c) for c in columns}, index=frame.index)


def published(frame: pd.DataFrame, columns: list[str], lang: str, title: str = "", notes: list[str] | None = None,
              label_columns: tuple[str, ...] = ("code", "name")) -> Table:
    """A table of selected rows of a (protected) cube: label columns renamed to the reader's language, one column
    per indicator, headers labelled."""
    headers = {c: INDICATORS[c].label(lang) if c in INDICATORS else t(c, lang) for c in (*label_columns, *columns)}
    out = frame[list(label_columns) + columns].reset_index(drop=True).rename(columns=headers)
    hidden = _hidden_mask(frame.reset_index(drop=True), columns).rename(columns=headers)
    return Table(out, {headers[c]: c for c in columns}, title, list(notes or []), hidden)


def pivot(frame: pd.DataFrame, rows: str, columns: str, key: str, row_header: str, title: str = "",
          notes: list[str] | None = None) -> Table:
    """One indicator as a matrix (e.g. sector × region), keeping the suppression marks cell by cell."""
    data = frame.assign(_hidden=indicators.hidden(frame, key))
    values = data.pivot_table(index=rows, columns=columns, values=key, aggfunc="first", dropna=False, sort=False)
    hidden = data.pivot_table(index=rows, columns=columns, values="_hidden", aggfunc="first", dropna=False,
                              sort=False).reindex_like(values).fillna(False).astype(bool)
    out = values.rename_axis(index=row_header, columns=None).reset_index()
    return Table(out, {c: key for c in values.columns}, title, list(notes or []),
                 hidden.reset_index(drop=True))


def styled(table: Table, lang: str):
    """A pandas Styler for st.dataframe: the numbers stay numbers (sortable), shown in Québec formats."""
    if table.cell_keys is not None:  # rows in different units (one indicator per row): shown as text
        shown = table.frame.assign(**{c: table.cell_text(c, lang) for c in table.keys})
        return shown.style.hide(axis="index")
    styler = table.frame.style
    for column, key in table.keys.items():
        hide = table.is_hidden(column)
        rows = table.frame.index
        if hide.any():
            styler = styler.format(lambda _v: formatting.SUPPRESSED, subset=pd.IndexSlice[rows[hide], [column]])
        if (~hide).any():
            styler = styler.format(lambda v, k=key: formatting.indicator(k, v, lang),
                                   subset=pd.IndexSlice[rows[~hide], [column]])
    return styler.hide(axis="index")


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _footer(table: Table) -> list[str]:
    return [n for n in table.notes if n]


def to_csv(table: Table, lang: str) -> bytes:
    """CSV that opens correctly in Excel: French → `;` and decimal comma, English → `,` and point; UTF-8 with BOM.
    Suppressed cells are 'x'; the notes follow the table after an empty line."""
    delimiter, decimal = (",", ".") if lang == "en" else (";", ",")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if table.title:
        writer.writerow([neutralise(table.title)])
    writer.writerow([neutralise(c) for c in table.frame.columns])
    hidden = {c: table.is_hidden(c) for c in table.keys}
    for i, row in enumerate(table.frame.itertuples(index=False)):
        out = []
        for column, value in zip(table.frame.columns, row):
            if column in table.keys:
                if hidden[column][i]:
                    out.append(formatting.SUPPRESSED)
                elif value is None or (isinstance(value, float) and np.isnan(value)):
                    out.append("")
                else:
                    out.append(_plain_number(value, decimal))
            else:
                out.append(neutralise("" if value is None or (isinstance(value, float) and np.isnan(value))
                                      else str(value)))
        writer.writerow(out)
    footer = _footer(table)
    if footer:
        writer.writerow([])
        for note in footer:
            writer.writerow([neutralise(note)])
    return buffer.getvalue().encode("utf-8-sig")


def _plain_number(value, decimal: str) -> str:
    number = float(value)
    text = str(int(number)) if number.is_integer() else f"{number:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", decimal)


def _excel_format(key: str, lang: str) -> str:
    if key == CHANGE:
        return "+0.0%;-0.0%;0.0%"
    if key == CHANGE_POINTS:
        return '+0.0" pt";-0.0" pt";0.0" pt"' if lang != "en" else '+0.0" pts";-0.0" pts";0.0" pts"'
    unit = INDICATORS[key].unit if key in INDICATORS else "count"
    if unit == "money":
        return '#,##0 "$"' if lang != "en" else '"$"#,##0'
    if unit == "ratio":
        return "0.0%"
    if unit in ("fte", "per_1000"):
        return "#,##0.0"
    return "#,##0"


def to_xlsx(tables: list[Table], lang: str, sheet_names: list[str] | None = None,
            notes_sheet: list[str] | None = None) -> bytes:
    """An Excel workbook: one formatted sheet per table (title, bold frozen header, widths, number formats, 'x'
    for suppressed cells, notes under the table), and an optional notes sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    used: set[str] = set()
    for index, table in enumerate(tables):
        name = _sheet_name(sheet_names[index] if sheet_names else table.title or f"Table {index + 1}", used)
        sheet = book.create_sheet(name)
        row = 1
        if table.title:
            sheet.cell(row=1, column=1, value=neutralise(table.title)).font = Font(bold=True, size=13)
            row = 3
        header_row = row
        for col, header in enumerate(table.frame.columns, start=1):
            cell = sheet.cell(row=row, column=col, value=neutralise(str(header)))
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        hidden = {c: table.is_hidden(c) for c in table.keys}
        for i, values in enumerate(table.frame.itertuples(index=False)):
            for col, (column, value) in enumerate(zip(table.frame.columns, values), start=1):
                cell = sheet.cell(row=header_row + 1 + i, column=col)
                if column in table.keys:
                    if hidden[column][i]:
                        cell.value = formatting.SUPPRESSED
                        cell.alignment = Alignment(horizontal="right")
                    elif not (value is None or (isinstance(value, float) and np.isnan(value))):
                        cell.value = float(value)
                        cell.number_format = _excel_format(table.key_at(column, i), lang)
                else:
                    cell.value = neutralise(None if value is None or (isinstance(value, float) and np.isnan(value))
                                            else str(value))
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
        for col, column in enumerate(table.frame.columns, start=1):
            width = max([len(str(column))] + [len(s) for s in (table.cell_text(column, lang) if column in table.keys
                                                                  else table.frame[column].astype(str))])
            sheet.column_dimensions[get_column_letter(col)].width = min(max(10, width + 2), 60)
        row = header_row + len(table.frame) + 2
        for note in _footer(table):
            sheet.cell(row=row, column=1, value=neutralise(note)).font = Font(italic=True, size=9)
            row += 1
    if notes_sheet:
        sheet = book.create_sheet(_sheet_name(t("notes", lang), used))
        sheet.column_dimensions["A"].width = 120
        for i, note in enumerate(notes_sheet, start=1):
            cell = sheet.cell(row=i, column=1, value=neutralise(note))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(name: str, used: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique."""
    clean = "".join("-" if ch in "[]:*?/\\" else ch for ch in name).strip()[:31] or "Table"
    candidate, n = clean, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = clean[:31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def peers_table(peers: Peers, lang: str = "fr") -> Table:
    """The comparison as a published table: one row per indicator, the enterprise then each territory's median and the
    number of enterprises it rests on; 'x' where a median is withheld."""
    n = peers.names
    places = {"mrc": "MRC", "region": t("peers_region", lang), "quebec": "Québec"}
    columns = {"self": t("peers_self", lang)}
    for scope in SCOPES:
        columns[scope] = t("peers_median_of", lang, place=places[scope])
        columns[f"{scope}_n"] = t("peers_n_of", lang, place=places[scope])
    label = t("peers_indicator", lang)
    frame = pd.DataFrame({label: [INDICATORS[k].label(lang) for k in PEER_INDICATORS]})
    for column, title in columns.items():
        frame[title] = peers.values[column].to_numpy()
    keys = {title: ("enterprises" if column.endswith("_n") else "jobs_total") for column, title in columns.items()}
    cell_keys = pd.DataFrame({title: list(PEER_INDICATORS) for column, title in columns.items()
                              if not column.endswith("_n")})
    hidden = pd.DataFrame({columns[s]: peers.hidden[s].to_numpy() for s in SCOPES})
    notes = [t("peers_note", lang, sector=n["sector"], year=peers.year, min_count=peers.min_count)]
    return Table(frame, keys, t("peers_title", lang, sector=n["sector"], year=peers.year), notes, hidden,
                        cell_keys)


def suppressed_note(settings: indicators.Settings, lang: str) -> str:
    """The "x" footnote under every published table, naming the rules in force (settings) and complementary
    suppression."""
    top = t(N_("suppressed_note_top_2") if settings.dominance_n >= 2 else N_("suppressed_note_top_1"), lang)
    return t("suppressed_note", lang, min_count=settings.min_count,
             p=formatting.percent(settings.p_percent / 100, lang, 0), top=top,
             share=formatting.percent(settings.dominance_share, lang, 0))


DOMINANCE_TOP_KEYS = {1: N_("dominance_top_1"), 2: N_("dominance_top_2")}


def other_rules_paragraphs(settings: indicators.Settings, lang: str) -> list[str]:
    """Méthodologie's paragraphs on the years released before a change of the rules: one per set of rules, with its
    years (they keep those rules: indicators.year_rules)."""
    older: dict[tuple, list[int]] = {}
    for year, *rules in settings.other_rules:
        older.setdefault(tuple(rules), []).append(year)
    return [t("confidentiality_year_rules", lang, years=formatting.words(released, lang), min_count=min_count,
              p=formatting.number(p_percent, lang, 0), top=t(DOMINANCE_TOP_KEYS[n], lang),
              share=formatting.percent(share, lang, 0))
            for (min_count, share, n, p_percent), released in older.items()]


def other_rules_note(settings: indicators.Settings, lang: str) -> str | None:
    """The line that goes with `suppressed_note` when some years were released before a change of the rules (they
    keep theirs: indicators.year_rules); None otherwise."""
    if not settings.other_rules:
        return None
    return t("suppressed_note_other_rules", lang, years=formatting.words([r[0] for r in settings.other_rules], lang))
