"""`ess-impact` command line: import, summary, template, demo, run. A thin layer over the core.

Exit codes: 0 done (or valid, with --dry-run); 1 invalid input (nothing written); 3 warnings to confirm with
--accept-warnings (nothing written); 4 database busy.
"""

from __future__ import annotations

import argparse
import getpass
import json
import math
import os
import subprocess
import sys
from pathlib import Path

from . import db, demo, importer, indicators, template
from .labels import t

EXIT_OK, EXIT_INVALID, EXIT_CONFIRM, EXIT_BUSY = 0, 1, 3, 4

SUMMARY_COLUMNS = ["code", "name", "year", "enterprises", "jobs_full_time", "jobs_part_time", "jobs_total", "fte",
                   "payroll", "revenue_total", "revenue_earned", "revenue_grants", "earned_share", "volunteers",
                   "volunteer_hours", "volunteer_value", "members"]
POPULATION_COLUMNS = ["population", "jobs_per_1000"]


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except db.DatabaseBusy:
        print(t("database_busy", getattr(args, "lang", "fr")), file=sys.stderr)
        return EXIT_BUSY


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ess-impact", description="Impact de l'économie sociale — ess_impact")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp, lang=True):
        sp.add_argument("--db", type=Path, help="fichier DuckDB (défaut : $ESS_IMPACT_DB ou data/ess_impact.duckdb)")
        if lang:
            sp.add_argument("--lang", choices=["fr", "en"], default="fr")

    sp = sub.add_parser("import", help="importer des fichiers (.xlsx, .xlsm, .xls, .ods, .csv)")
    sp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    sp.add_argument("--dry-run", action="store_true", help="valider seulement, ne rien écrire")
    sp.add_argument("--accept-warnings", action="store_true", help="confirmer les avertissements")
    sp.add_argument("--actor", default=None, help="qui importe (défaut : l'utilisateur du système)")
    common(sp)
    sp.set_defaults(func=cmd_import)

    sp = sub.add_parser("summary", help="indicateurs par groupe")
    sp.add_argument("--by", choices=["mrc", "region", "sector", "legal_form"], required=True)
    sp.add_argument("--year", type=int)
    sp.add_argument("--format", choices=["csv", "json"], default="csv")
    sp.add_argument("--public", action="store_true", help="appliquer les règles de confidentialité")
    common(sp)
    sp.set_defaults(func=cmd_summary)

    sp = sub.add_parser("template", help="écrire le gabarit Excel à remplir")
    sp.add_argument("out", type=Path, metavar="OUT.xlsx")
    sp.add_argument("--lang", choices=["fr", "en"], default="fr")
    sp.set_defaults(func=cmd_template)

    sp = sub.add_parser("demo", help="charger les données fictives de démonstration")
    common(sp)
    sp.set_defaults(func=cmd_demo)

    sp = sub.add_parser("run", help="démarrer l'application web (Streamlit)")
    sp.add_argument("--port", type=int, default=8501)
    sp.set_defaults(func=cmd_run)
    return p


def cmd_import(args) -> int:
    lang = args.lang
    with db.connect(args.db) as con:
        checks = importer.check_files(args.files, con)
        for check in checks:
            for problem in check.problems:
                print(problem.line(lang))
        if any(c.errors for c in checks):
            for check in checks:
                if check.errors:
                    print(t("import_blocked", lang, file=check.file_name, errors=len(check.errors)), file=sys.stderr)
            return EXIT_INVALID
        warnings = sum(len(c.warnings) for c in checks)
        if args.dry_run:
            for check in checks:
                print(t("import_valid", lang, file=check.file_name, rows=len(check.records)), file=sys.stderr)
            return EXIT_OK
        if warnings and not args.accept_warnings:
            print(t("import_needs_confirmation", lang, warnings=warnings), file=sys.stderr)
            return EXIT_CONFIRM
        results = importer.commit(con, checks, actor=args.actor or _whoami(), channel="cli",
                                  accept_warnings=args.accept_warnings)
    if any(r.demo_removed for r in results):
        print(t("demo_removed", lang), file=sys.stderr)
    for r in results:
        key = "import_done" if r.import_id else "import_nothing_new"
        print(t(key, lang, file=r.file_name, inserted=r.inserted, replaced=r.replaced, unchanged=r.unchanged),
              file=sys.stderr)
    return EXIT_OK


def _whoami() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "cli"


def cmd_summary(args) -> int:
    with db.connect(args.db) as con:
        year = args.year or indicators.latest_year(con)
        if year is None:
            print(t("no_data_year", args.lang), file=sys.stderr)
            return EXIT_INVALID
        frame = indicators.summary(con, args.by, indicators.Filters(year=year), args.lang, public=args.public)
    columns = SUMMARY_COLUMNS + (POPULATION_COLUMNS if args.by in ("mrc", "region") else [])
    columns += ["suppressed"] if args.public else []
    frame = frame[columns].copy()
    if args.public:  # name only the suppressed columns this output has
        frame["suppressed"] = [",".join(c for c in s.split(",") if c in columns) for s in frame["suppressed"]]
    if args.format == "csv":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        records = [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    return EXIT_OK


def _plain(value):
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else value
    if hasattr(value, "item"):  # numpy scalar
        return _plain(value.item())
    return value


def cmd_template(args) -> int:
    template.write_template(args.out, lang=args.lang)
    print(t("template_written", args.lang, path=args.out), file=sys.stderr)
    return EXIT_OK


def cmd_demo(args) -> int:
    with db.connect(args.db) as con:
        result = demo.load(con)
    if result is None:
        print(t("demo_refused", args.lang), file=sys.stderr)
        return EXIT_INVALID
    print(t("demo_loaded", args.lang, rows=result.inserted + result.replaced + result.unchanged,
            enterprises=result.enterprises), file=sys.stderr)
    return EXIT_OK


def cmd_run(args) -> int:
    app = Path(__file__).resolve().parent.parent / "app.py"
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port)]
    return subprocess.call(command, env={**os.environ, "OPENBLAS_NUM_THREADS": os.environ["OPENBLAS_NUM_THREADS"]})


def main_exit() -> None:
    sys.exit(main())


if __name__ == "__main__":
    main_exit()
