"""`ess-impact` command line: import, summary, audit, template, demo, run, user, report. A thin layer over the core.

Whoever runs it holds the database file, so it acts as an admin (auth.SYSTEM), recorded under the OS user name.

Exit codes: 0 done (or valid, with --dry-run); 1 invalid input (nothing written; `audit`: a value is not protected);
3 warnings to confirm with --accept-warnings (nothing written); 4 database busy; 70 internal error (a bug: logged with a
reference number).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from ess_impact import errors
from ess_impact.intake import importer, template
from ess_impact.intake import multipliers as io_multipliers
from ess_impact.labels import t
from ess_impact.output.reports import command as report_command
from ess_impact.publish import impact, indicators
from ess_impact.store import auth, db, history
from ess_impact.web import server

EXIT_OK, EXIT_INVALID, EXIT_CONFIRM, EXIT_BUSY, EXIT_BUG = 0, 1, 3, 4, 70

SUMMARY_COLUMNS = ["code", "name", "year", "enterprises", "jobs_full_time", "jobs_part_time", "jobs_total", "fte",
                   "payroll", "revenue_total", "revenue_earned", "revenue_grants", "earned_share", "volunteers",
                   "volunteer_hours", "volunteer_value", "members",
                   # issue 14 (appended: the columns above keep their places)
                   "expenses_total", "expenses_enterprises", "value_added",
                   "volunteer_value_low", "volunteer_value_high", "people_served", "people_served_enterprises",
                   *impact.COLUMNS]
POPULATION_COLUMNS = ["population", "jobs_per_1000", "people_served_per_1000"]


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    lang = getattr(args, "lang", "fr")
    try:
        return args.func(args)
    except errors.Busy as busy:
        print(busy.message(lang), file=sys.stderr)
        return EXIT_BUSY
    except errors.EssError as refused:
        print(refused.message(lang), file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:  # the reader of stdout stopped early (e.g. `| head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes at exit
        return EXIT_OK
    except Exception as exc:  # a bug: its details go to the log (stderr), the reader gets a reference number
        print(t("internal_error", lang, reference=errors.report_bug(exc)), file=sys.stderr)
        return EXIT_BUG


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

    sp = sub.add_parser("audit", help="attaquer les chiffres publics (programmes linéaires) et vérifier la protection")
    sp.add_argument("--year", type=int, help="une seule année (défaut : toutes, et les paires d'années consécutives)")
    sp.add_argument("--format", choices=["csv", "json"], default="csv")
    common(sp)
    sp.set_defaults(func=cmd_audit)

    sp = sub.add_parser("template", help="écrire le gabarit Excel à remplir")
    sp.add_argument("out", type=Path, metavar="OUT.xlsx")
    sp.add_argument("--lang", choices=["fr", "en"], default="fr")
    sp.set_defaults(func=cmd_template)

    sp = sub.add_parser("demo", help="charger les données fictives de démonstration")
    common(sp)
    sp.set_defaults(func=cmd_demo)

    sp = sub.add_parser("real-data", help="passer aux données réelles : retirer les données fictives pour de bon")
    sp.add_argument("--yes", action="store_true", help="confirmer (sans cette option, dit seulement ce qui serait fait)")
    common(sp)
    sp.set_defaults(func=cmd_real_data)

    sp = sub.add_parser("multipliers", help="multiplicateurs d'entrées-sorties de Statistique Canada (36-10-0595-01)")
    msub = sp.add_subparsers(dest="multipliers_command", required=True)
    mp = msub.add_parser("import", help="charger le fichier CSV de Statistique Canada (lignes du Québec)")
    mp.add_argument("file", type=Path, metavar="FILE")
    mp.add_argument("--mapping", type=Path, help="correspondance secteur -> industrie (défaut : celle fournie)")
    mp.add_argument("--actor", default=None, help="qui charge (défaut : l'utilisateur du système)")
    common(mp)
    mp.set_defaults(func=cmd_multipliers_import)
    mp = msub.add_parser("show", help="les multiplicateurs en vigueur, par secteur (CSV)")
    common(mp)
    mp.set_defaults(func=cmd_multipliers_show)

    _user_parser(sub, common)
    report_command.add_parser(sub, common)

    sp = sub.add_parser("run", help="démarrer l'application web (Streamlit)")
    sp.add_argument("--port", type=int, default=8501)
    sp.add_argument("--address", default=None, help="adresse d'écoute (ex. 127.0.0.1 derrière un mandataire inverse)")
    sp.set_defaults(func=cmd_run)
    return p


def cmd_import(args) -> int:
    lang = args.lang
    actor = auth.system(args.actor)
    with db.connect(args.db) as con:
        with _progress_bar(lang) as progress:  # files up to filesafety.MAX_FILE_MB (the app's limit is lower)
            checks = importer.check_files(args.files, con, actor=actor, progress=progress)
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
        try:
            results = importer.commit(con, checks, actor=actor, channel="cli", accept_warnings=args.accept_warnings)
        except history.DemoInForce as refused:
            print(refused.message(lang), t("demo_in_force_cli", lang), sep="\n", file=sys.stderr)
            return EXIT_INVALID
        if any(r.import_id for r in results):
            _prepare_public(con, lang)
    for r in results:
        key = "import_done" if r.import_id else "import_nothing_new"
        print(t(key, lang, file=r.file_name, inserted=r.inserted, replaced=r.replaced, unchanged=r.unchanged),
              file=sys.stderr)
    return EXIT_OK


@contextlib.contextmanager
def _progress_bar(lang: str):
    """A progress callback drawing a bar on stderr when it is a terminal (else None: nothing is drawn, so that
    scripts reading stderr get only the messages). The bar is cleared when the check ends."""
    if not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except OSError:
        size = os.terminal_size((80, 24))
    # A terminal that reports no size (0 x 0) would make tqdm draw nothing: assume 80 x 24 there.
    with tqdm(total=100, file=sys.stderr, leave=False, ncols=min(size.columns or 80, 100), nrows=size.lines or 24,
              bar_format="{desc} {bar} {percentage:3.0f} %") as bar:
        def progress(fraction: float, key: str) -> None:  # check_files calls it at most every 0.5 %
            bar.set_description_str(t(key, lang), refresh=False)
            bar.n = round(fraction * 100, 1)
            bar.refresh()

        yield progress


def cmd_multipliers_import(args) -> int:
    lang = args.lang
    data = args.file.read_bytes()
    mapping = io_multipliers.read_mapping(args.mapping.read_bytes()) if args.mapping else None
    with db.connect(args.db) as con:
        loaded = io_multipliers.load(con, auth.system(args.actor), args.file.name, data, mapping)
    print(t("multipliers_loaded", lang, year=loaded.ref_year, industries=loaded.industries, rows=loaded.rows,
            skipped=loaded.skipped), file=sys.stderr)
    return EXIT_OK


def cmd_multipliers_show(args) -> int:
    with db.connect(args.db) as con:
        found = impact.sector_multipliers(con)
        last = impact.last_load(con)
    if last is None:
        print(t("multipliers_missing", args.lang), file=sys.stderr)
        return EXIT_INVALID
    rows = [{"sector": s, "multiplier": m, "variable": v, "value": value, "ref_year": last["ref_year"]}
            for s, values in sorted(found.items()) for (m, v), value in sorted(values.items())]
    pd.DataFrame(rows).to_csv(sys.stdout, index=False, lineterminator="\n")
    return EXIT_OK


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


def _prepare_public(con, lang: str) -> None:
    print(t("preparing_public", lang), file=sys.stderr, flush=True)
    indicators.prepare_public(con)


def cmd_audit(args) -> int:
    """Each sensitive value the public cannot read directly, with the tightest interval a reader can derive from
    everything published and whether it reaches the protection level; exit 1 when one does not."""
    from ess_impact.publish import (
        audit,  # highspy and scipy only for this command (start-up of the others)
    )

    with db.connect(args.db) as con:
        frame = audit.run(con, args.year)
    if args.format == "csv":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        records = [{k: _plain(v) if not (isinstance(v, float) and math.isinf(v)) else str(v) for k, v in row.items()}
                   for row in frame.to_dict(orient="records")]
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    failed = int((~frame["ok"].astype(bool)).sum())
    print(t("audit_result", args.lang, values=len(frame), failed=failed), file=sys.stderr)
    return EXIT_INVALID if failed else EXIT_OK


def cmd_demo(args) -> int:
    with db.connect(args.db) as con:
        result = history.load_demo(con)
        if result is not None:
            _prepare_public(con, args.lang)
    if result is None:
        print(t("demo_refused", args.lang), file=sys.stderr)
        return EXIT_INVALID
    print(t("demo_loaded", args.lang, rows=result.inserted + result.replaced + result.unchanged,
            enterprises=result.enterprises), file=sys.stderr)
    return EXIT_OK


def cmd_real_data(args) -> int:
    """Switch the instance to real data (history.retire_demo); without --yes, only say what would happen (exit 3)."""
    with db.connect(args.db) as con:
        figures, enterprises = history.demo_counts(con)
        if not args.yes:
            print(t("real_data_text", args.lang, figures=figures, enterprises=enterprises), file=sys.stderr)
            print(t("demo_in_force_cli", args.lang), file=sys.stderr)
            return EXIT_CONFIRM
        done = history.retire_demo(con, auth.system(getattr(args, "actor", None)))
        _prepare_public(con, args.lang)
    print(t("real_data_done", args.lang, figures=done.figures, enterprises=done.enterprises), file=sys.stderr)
    return EXIT_OK


def _user_parser(sub, common) -> None:
    sp = sub.add_parser("user", help="comptes : ajouter, changer le mot de passe, désactiver, lister")
    users = sp.add_subparsers(dest="user_command", required=True)
    add = users.add_parser("add", help="créer un compte (le mot de passe est demandé deux fois)")
    add.add_argument("email", metavar="EMAIL")
    add.add_argument("--role", choices=auth.ROLES, required=True)
    add.add_argument("--neq", action="append", default=[], metavar="NEQ",
                     help="NEQ de l'entreprise (compte entreprise ; répéter pour un groupe)")
    passwd = users.add_parser("passwd", help="réinitialiser le mot de passe d'un compte")
    passwd.add_argument("email", metavar="EMAIL")
    for command in (add, passwd):
        command.add_argument("--password-stdin", action="store_true",
                             help="lire le mot de passe sur l'entrée standard (scripts)")
    disable = users.add_parser("disable", help="désactiver un compte (il ne peut plus se connecter)")
    disable.add_argument("email", metavar="EMAIL")
    listing = users.add_parser("list", help="lister les comptes")
    for command, func in ((add, cmd_user_add), (passwd, cmd_user_passwd), (disable, cmd_user_disable),
                          (listing, cmd_user_list)):
        common(command)
        command.set_defaults(func=func)


def _read_password(args) -> str | None:
    """From stdin with --password-stdin, else typed twice without echo; None when the two do not match."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(t("password_prompt", args.lang, min=auth.MIN_PASSWORD_LENGTH))
    if getpass.getpass(t("password_confirm", args.lang)) != first:
        print(t("password_mismatch", args.lang), file=sys.stderr)
        return None
    return first


def _account_command(args, action) -> int:
    """Run action(con) as auth.SYSTEM; an invalid input is reported in the reader's language, exit 1."""
    with db.connect(args.db) as con:  # an invalid input raises errors.Invalid: main() reports it, exit 1
        action(con)
    return EXIT_OK


def cmd_user_add(args) -> int:
    password = _read_password(args)
    if password is None:
        return EXIT_INVALID
    status = _account_command(args, lambda con: auth.add_account(con, auth.SYSTEM, args.email, args.role, password,
                                                                 args.neq))
    if status == EXIT_OK:
        print(t("account_added", args.lang, email=auth.normalize_email(args.email), role=args.role), file=sys.stderr)
    return status


def cmd_user_passwd(args) -> int:
    password = _read_password(args)
    if password is None:
        return EXIT_INVALID
    status = _account_command(args, lambda con: auth.set_password(con, auth.SYSTEM, args.email, password))
    if status == EXIT_OK:
        print(t("password_changed", args.lang, email=auth.normalize_email(args.email)), file=sys.stderr)
    return status


def cmd_user_disable(args) -> int:
    status = _account_command(args, lambda con: auth.disable_account(con, auth.SYSTEM, args.email))
    if status == EXIT_OK:
        print(t("account_disabled", args.lang, email=auth.normalize_email(args.email)), file=sys.stderr)
    return status


def cmd_user_list(args) -> int:
    with db.connect(args.db) as con:
        frame = auth.list_accounts(con, auth.SYSTEM)
    if frame.empty:
        print(t("no_accounts", args.lang), file=sys.stderr)
        return EXIT_OK
    frame.to_csv(sys.stdout, index=False, lineterminator="\n")
    return EXIT_OK


def cmd_run(args) -> int:
    return subprocess.call(server.command(args.port, args.address), env={**os.environ, "OPENBLAS_NUM_THREADS": os.environ["OPENBLAS_NUM_THREADS"]})


def main_exit() -> None:
    sys.exit(main())


if __name__ == "__main__":
    main_exit()
