"""No raw formula text leaves the app: Streamlit's table toolbar has no CSV download nor copy (on the command line
that starts the app, ess_impact.web.server), and every table a page shows goes through ui.dataframe / ui.table, which neutralise
text cells the way the app's own CSV and Excel downloads do. (In Chromium: tests/test_e2e_security.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ess_impact.output import tables
from ess_impact.web import server, ui

ROOT = Path(__file__).resolve().parents[1]
FORMULA = "=cmd|' /C calc'!A0"


def test_the_toolbar_export_is_off_on_the_command_line_that_starts_the_app():
    command = server.command()
    assert command[command.index("--client.disableDataExport") + 1] == "true"


def test_no_page_shows_a_table_around_the_helper():
    web = ROOT / "ess_impact" / "web"
    sources = [ROOT / "app.py", *sorted(p for p in web.rglob("*.py") if p.name != "ui.py")]
    direct = [f"{path.name}:{n}" for path in sources
              for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
              if re.search(r"\bst\.(dataframe|table|data_editor)\(", line)]
    assert direct == []
    calls = re.findall(r"\bst\.(?:dataframe|table|data_editor)\(", (web / "ui.py").read_text(encoding="utf-8"))
    assert len(calls) == 2  # in ui.dataframe and ui.table only


def test_safe_frame_neutralises_text_cells_and_labels():
    frame = pd.DataFrame({"Nom": [FORMULA, "Coop", None], "n": [1, 2, 3], FORMULA: ["+1", "@x", "-"]},
                         index=[FORMULA, "b", "c"])
    shown = ui.safe_frame(frame)
    assert shown["Nom"].tolist()[:2] == ["'" + FORMULA, "Coop"] and pd.isna(shown["Nom"].iloc[2])
    assert shown["n"].tolist() == [1, 2, 3]
    assert shown.iloc[:, 2].tolist() == ["'+1", "'@x", "'-"]
    assert list(shown.columns)[2] == "'" + FORMULA and shown.index[0] == "'" + FORMULA
    assert frame["Nom"].iloc[0] == FORMULA  # the caller's frame is untouched
    styled = ui.safe_frame(frame.style)
    assert styled.data["Nom"].iloc[0] == "'" + FORMULA
    assert all(ui.safe_frame(pd.DataFrame({"x": [v]}))["x"].iloc[0].startswith("'") for v in tables.FORMULA_TRIGGERS)
