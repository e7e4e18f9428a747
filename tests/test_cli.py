"""The `ess-impact` command-line contract (the installed console script, run as a subprocess)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ess_impact import labels

FIXTURES = Path(__file__).parent / "fixtures"
EXE = str(Path(sys.executable).parent / "ess-impact")


def run(*args, check=False):
    return subprocess.run([EXE, *map(str, args)], capture_output=True, text=True, timeout=120, check=check)


@pytest.fixture
def dbfile(tmp_path):
    return tmp_path / "cli.duckdb"


def test_import_valid_file_exits_0_and_writes(dbfile):
    out = run("import", FIXTURES / "ugly_fr.xlsx", "--db", dbfile)
    assert out.returncode == 0, out.stderr
    assert "ugly_fr.xlsx : 6 ajoutées, 0 remplacée (anciennes versions conservées), 0 inchangée." in out.stderr
    # The public tables are prepared after the import by a background process, so that no visitor waits for them;
    # `ess-impact publish` does the same in the foreground (it waits for the background one, then finds it done).
    assert "préparés en arrière-plan" in out.stderr
    published = run("publish", "--db", dbfile)
    assert published.returncode == 0, published.stderr
    from ess_impact.publish import snapshot
    from ess_impact.store import db
    with db.connect(dbfile) as con:
        assert snapshot.current(dbfile).data_version == db.data_version(con)
    again = run("import", FIXTURES / "ugly_fr.xlsx", "--db", dbfile)
    assert again.returncode == 0
    assert "ugly_fr.xlsx : déjà importé, aucun changement." in again.stderr


def test_import_invalid_file_exits_1_one_line_per_problem_and_writes_nothing(dbfile):
    out = run("import", FIXTURES / "errors.xlsx", FIXTURES / "ugly_fr.xlsx", "--db", dbfile)
    assert out.returncode == 1
    errors = [line for line in out.stdout.splitlines() if line.startswith("errors.xlsx:")]
    assert len(errors) == 13
    file, sheet, row, column, message = errors[0].split(":", 4)
    assert (file, sheet, row, column) == ("errors.xlsx", "Données", "2", "NEQ")
    assert message.strip().startswith("« 114111 » n'est pas un NEQ valide")
    summary = run("summary", "--by", "region", "--db", dbfile)
    assert summary.returncode == 1  # nothing was written, not even the valid second file
    assert "Aucune donnée" in summary.stderr


def test_import_messages_in_english(dbfile):
    out = run("import", FIXTURES / "missing_column.xlsx", "--db", dbfile, "--lang", "en")
    assert out.returncode == 1
    assert "missing_column.xlsx:Données:1:Revenus totaux ($): Required column missing: “Revenus totaux ($)”." \
        in out.stdout


def test_warnings_need_confirmation(dbfile):
    out = run("import", FIXTURES / "warnings.xlsx", "--db", dbfile)
    assert out.returncode == 3
    assert out.stdout.count("warnings.xlsx:Données:") == 3
    assert "--accept-warnings" in out.stderr
    assert run("import", FIXTURES / "warnings.xlsx", "--db", dbfile, "--dry-run").returncode == 0
    assert run("summary", "--by", "mrc", "--db", dbfile).returncode == 1  # still nothing written
    ok = run("import", FIXTURES / "warnings.xlsx", "--db", dbfile, "--accept-warnings")
    assert ok.returncode == 0, ok.stderr


def test_dry_run_writes_nothing(dbfile):
    out = run("import", FIXTURES / "excel_fr.csv", "--db", dbfile, "--dry-run")
    assert out.returncode == 0
    assert "excel_fr.csv : 6 lignes valides." in out.stderr
    assert run("summary", "--by", "mrc", "--db", dbfile).returncode == 1


def test_summary_csv_and_json_are_plain_numbers(dbfile):
    run("import", FIXTURES / "ugly_fr.xlsx", "--db", dbfile, check=True)
    out = run("summary", "--by", "mrc", "--year", "2024", "--db", dbfile, check=True)
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [r["code"] for r in rows] == ["01", "371", "54", "56", "66"]
    maskoutains = rows[2]
    assert maskoutains["name"] == "Les Maskoutains"
    assert float(maskoutains["revenue_total"]) == 2345678.9
    assert float(maskoutains["jobs_total"]) == 20
    assert float(maskoutains["population"]) == 94329
    assert float(maskoutains["jobs_per_1000"]) == pytest.approx(20 * 1000 / 94329)
    for column in ("code", "name", "enterprises", "jobs_full_time", "jobs_part_time", "jobs_total", "fte",
                   "revenue_total", "revenue_earned", "volunteers", "volunteer_hours", "volunteer_value"):
        assert column in rows[0]
    data = json.loads(run("summary", "--by", "sector", "--year", "2024", "--db", dbfile, "--format", "json",
                          check=True).stdout)
    agr = next(r for r in data if r["code"] == "AGR")
    assert agr["revenue_total"] == 2345678.9 and agr["enterprises"] == 1
    assert "population" not in agr
    assert agr["volunteer_value"] == pytest.approx(1250 * 15.75)


def test_summary_public_hides_small_groups(dbfile):
    run("import", FIXTURES / "ugly_fr.xlsx", "--db", dbfile, check=True)
    early = run("summary", "--by", "region", "--year", "2024", "--db", dbfile, "--public")
    assert early.returncode == 1 and early.stderr.strip() == labels.t("no_public_year", "fr", year=2024)
    # nothing released yet: each public command says so, in French, instead of an empty or a wrong answer
    nothing = labels.t("nothing_released_cli", "fr")
    latest = run("summary", "--by", "region", "--db", dbfile, "--public")
    assert latest.returncode == 1 and latest.stderr.strip() == nothing
    audited = run("audit", "--db", dbfile)
    assert audited.returncode == 0 and audited.stderr.splitlines()[0] == nothing
    one_year = run("audit", "--db", dbfile, "--year", "2024")
    assert one_year.returncode == 1 and one_year.stderr.strip() == labels.t("no_public_year", "fr", year=2024)
    run("release", "--year", "2024", "--db", dbfile, check=True)
    out = run("summary", "--by", "region", "--year", "2024", "--db", dbfile, "--public", check=True)
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert rows and all(r["revenue_total"] == "" and r["enterprises"] == "" for r in rows)
    assert all("revenue_total" in r["suppressed"] for r in rows)
    data = json.loads(run("summary", "--by", "region", "--db", dbfile, "--public", "--format", "json",
                          check=True).stdout)
    assert all(r["jobs_total"] is None for r in data)


def test_demo_and_template_commands(dbfile, tmp_path):
    out = run("demo", "--db", dbfile)
    assert out.returncode == 0 and "Données fictives de démonstration chargées" in out.stderr
    data = json.loads(run("summary", "--by", "region", "--db", dbfile, "--format", "json", check=True).stdout)
    assert len(data) == 17 and sum(r["enterprises"] for r in data) > 9_000
    template = tmp_path / "gabarit.xlsx"
    assert run("template", template).returncode == 0 and template.stat().st_size > 5_000


def test_the_command_line_speaks_french_first_with_argparse_own_words():
    """argparse's own words (usage, headings, -h help, its errors) follow the language too: no English in French."""
    help_text = run("--help").stdout
    assert help_text.startswith("utilisation : ess-impact") and "arguments positionnels\u00a0:" in help_text
    assert "afficher cette aide et quitter" in help_text
    assert "usage" not in help_text and "show this help" not in help_text
    assert run("summary").stderr.splitlines()[-1] == (
        "ess-impact summary : erreur : les arguments suivants sont obligatoires : --by")
    assert run("summary", "--lang", "en").stderr.splitlines()[-1] == (
        "ess-impact summary: error: the following arguments are required: --by")


def test_argparse_is_put_back_after_reading_the_command_line():
    import argparse

    from ess_impact import cli
    with pytest.raises(SystemExit):
        cli.main(["summary"])
    assert argparse._("usage: ") == "usage: "


def test_the_report_formats_offered_are_the_reports_ones():
    """The command line declares `report --format` without loading the reports (start-up time of every command)."""
    from ess_impact import cli
    from ess_impact.output import reports

    assert cli.REPORT_FORMATS == reports.FORMATS


def test_the_summary_spinoff_columns_are_the_impact_ones():
    from ess_impact import cli
    from ess_impact.publish import impact

    assert cli.SPINOFF_COLUMNS == impact.COLUMNS


def test_the_roles_offered_are_the_accounts_ones():
    """`user add --role` is declared without loading the accounts code (pandas, DuckDB, argon2) at start-up."""
    from ess_impact import cli
    from ess_impact.store import auth

    assert cli.ROLES == auth.ROLES


def test_the_import_command_starts_light():
    """`ess-impact import` forks its reading child before pandas, DuckDB and the rest are loaded (issue 16): the
    command line module loads none of them."""
    code = ("import sys, ess_impact.cli; heavy = [m for m in ('pandas', 'numpy', 'duckdb', 'pyarrow', 'openpyxl') "
            "if m in sys.modules]; print(heavy)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
