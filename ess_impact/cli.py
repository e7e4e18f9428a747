"""`ess-impact` command line: import, summary, audit, template, demo, run, user, invite, activity, report, backup,
restore, export, multipliers, employment. A thin layer over the core.

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
from datetime import date, datetime, timedelta
from pathlib import Path

from ess_impact import errors, labels
from ess_impact.labels import N_, t

# Each subcommand loads the modules it needs when it runs (start-up time: `import` needs neither the reports, nor
# the protection code, nor the template writer; and it starts reading its files, in a child process forked before
# pandas, DuckDB and the rest are loaded: see cmd_import).
REPORT_FORMATS = ("pdf", "sheet", "xlsx", "pptx", "png")  # ess_impact.output.reports.FORMATS (a test checks it)

EXIT_OK, EXIT_INVALID, EXIT_CONFIRM, EXIT_BUSY, EXIT_BUG = 0, 1, 3, 4, 70

# publish.impact.COLUMNS, written here so that every command does not load the impact code (a test checks it)
SPINOFF_COLUMNS = [f"spinoff_{v}_{m}" for v in ("jobs", "gdp", "labour_income") for m in ("direct", "indirect", "induced")]
SUMMARY_COLUMNS = ["code", "name", "year", "enterprises", "jobs_full_time", "jobs_part_time", "jobs_total", "fte",
                   "payroll", "revenue_total", "revenue_earned", "revenue_grants", "earned_share", "volunteers",
                   "volunteer_hours", "volunteer_value", "members",
                   # issue 14 (appended: the columns above keep their places)
                   "expenses_total", "expenses_enterprises", "value_added",
                   "volunteer_value_low", "volunteer_value_high", "people_served", "people_served_enterprises",
                   *SPINOFF_COLUMNS]
ROLES = ("admin", "entreprise")  # store.auth.ROLES (a test checks it)
POPULATION_COLUMNS = [N_("population"), "jobs_per_1000", "people_served_per_1000"]  # population: labelled by the catalogue


def main(argv: list[str] | None = None) -> int:
    with _argparse_language(_asked_lang(sys.argv[1:] if argv is None else argv)):
        args = _parser().parse_args(argv)
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


def _asked_lang(argv: list[str]) -> str:
    """The language the command line asks for (`--lang en`), before argparse reads it: its help and its errors."""
    for i, arg in enumerate(argv):
        if arg == "--lang=en" or (arg == "--lang" and argv[i + 1:i + 2] == ["en"]):
            return "en"
    return "fr"


@contextlib.contextmanager
def _argparse_language(lang: str):
    """argparse's own words ("usage:", "options", "show this help message and exit", its errors) in `lang` while
    the command line is read; argparse looks its `_` and `ngettext` up at each call."""
    translations = labels.argparse_translations(lang)
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = translations.gettext, translations.ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


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
    sp.add_argument("--no-publish", action="store_true",
                    help="ne pas préparer les tableaux publics en arrière-plan (plusieurs fichiers de suite : "
                         "ess-impact publish à la fin)")
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

    sp = sub.add_parser("release", help="rendre publics les chiffres d'une année, une fois sa collecte terminée "
                                        "(sans --year : où en est chaque année)")
    sp.add_argument("--year", type=int, action="append", help="l'année à rendre publique (peut être répétée)")
    sp.add_argument("--actor", default=None, help="qui publie (défaut : l'utilisateur du système)")
    common(sp)
    sp.set_defaults(func=cmd_release)

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

    sp = sub.add_parser("employment", help="table de référence de l'emploi total par MRC (part des emplois du territoire)")
    esub = sp.add_subparsers(dest="employment_command", required=True)
    ep = esub.add_parser("import", help="charger le tableau (CSV, Excel, ODS) : MRC, année, personnes occupées "
                                        "[, revenu d'emploi]")
    ep.add_argument("file", type=Path, metavar="FILE")
    ep.add_argument("--source", required=True, help="la source du tableau (ex. « Statistique Canada, Recensement "
                                                    "de 2021, tableau 98-10-… »)")
    ep.add_argument("--actor", default=None, help="qui charge (défaut : l'utilisateur du système)")
    common(ep)
    ep.set_defaults(func=cmd_employment_import)
    ep = esub.add_parser("show", help="le tableau en vigueur (CSV)")
    common(ep)
    ep.set_defaults(func=cmd_employment_show)

    _user_parser(sub, common)

    sp = sub.add_parser("invite", help="inviter des entreprises : une liste NEQ + courriel (.csv, .xlsx, .ods)")
    sp.add_argument("file", type=Path, metavar="FILE")
    common(sp)
    sp.set_defaults(func=cmd_invite)

    sp = sub.add_parser("activity", help="journal d'activité (qui a fait quoi et quand) en CSV")
    sp.add_argument("--since", type=date.fromisoformat, help="depuis cette date (AAAA-MM-JJ), incluse")
    sp.add_argument("--until", type=date.fromisoformat, help="jusqu'à cette date (AAAA-MM-JJ), incluse")
    sp.add_argument("--out", type=Path, help="fichier CSV à écrire (défaut : la sortie standard)")
    common(sp)
    sp.set_defaults(func=cmd_activity)
    _report_parser(sub, common)

    sp = sub.add_parser("publish", help="préparer maintenant les tableaux publics (sinon faits en arrière-plan)")
    common(sp)
    sp.set_defaults(func=cmd_publish)

    sp = sub.add_parser("backup", help="sauvegarder la base (copie cohérente, même pendant que l'application tourne)")
    sp.add_argument("--to", type=Path, metavar="DIR",
                    help="dossier des sauvegardes (défaut : backups/ à côté du fichier de la base)")
    common(sp)
    sp.set_defaults(func=cmd_backup)

    sp = sub.add_parser("restore", help="restaurer une sauvegarde (vérifiée) à la place de la base")
    sp.add_argument("file", type=Path, metavar="FILE", help="la sauvegarde (.duckdb, son manifeste .json à côté)")
    sp.add_argument("--yes", action="store_true", help="confirmer (sans cette option, dit seulement ce qui serait fait)")
    common(sp)
    sp.set_defaults(func=cmd_restore)

    sp = sub.add_parser("export", help="données ouvertes : chaque table publique en CSV et Parquet, dictionnaire, "
                                       "datapackage.json")
    sp.add_argument("--public", action="store_true", required=True,
                    help="les chiffres publics (règles de confidentialité appliquées) ; obligatoire")
    sp.add_argument("--out", type=Path, required=True, metavar="DIR", help="dossier où écrire le paquet")
    sp.add_argument("--licence", default=None,
                    help="identifiant SPDX de la licence (défaut : $ESS_IMPACT_DATA_LICENCE ou CC-BY-4.0)")
    sp.add_argument("--org-name", default=None, help="l'éditeur des données (défaut : $ESS_IMPACT_ORG_NAME)")
    common(sp)
    sp.set_defaults(func=cmd_export)

    sp = sub.add_parser("run", help="démarrer l'application web (Streamlit)")
    sp.add_argument("--port", type=int, default=8501)
    sp.add_argument("--address", default=None, help="adresse d'écoute (ex. 127.0.0.1 derrière un mandataire inverse)")
    sp.add_argument("--lang", choices=["fr", "en"], default="fr")
    sp.set_defaults(func=cmd_run)
    return p


def _report_parser(sub, common) -> None:
    sp = sub.add_parser("report", help="rapport PDF, classeur Excel, présentation ou graphiques d'une MRC ou "
                                       "d'une région")
    where = sp.add_mutually_exclusive_group()
    where.add_argument("--mrc", metavar="CODE", help="code (ex. 54) ou nom de la MRC")
    sp.add_argument("--region", metavar="CODE", help="code (ex. 16) ou nom de la région")
    where.add_argument("--all-mrc", action="store_true", help="un rapport par MRC de la région (--region), dans --out")
    sp.add_argument("--year", type=int, help="année (défaut : la plus récente)")
    sp.add_argument("--format", choices=REPORT_FORMATS, default="pdf",
                    help="pdf, sheet (fiche d'une page, PDF), xlsx, pptx, ou png (graphiques : un dossier, ou un .zip)")
    sp.add_argument("--out", type=Path, required=True, metavar="PATH", help="fichier à écrire (dossier avec --all-mrc)")
    sp.add_argument("--org-name", help="nom du pôle sur le rapport (défaut : $ESS_IMPACT_ORG_NAME)")
    sp.add_argument("--logo", type=Path, help="logo du pôle, PNG ou JPEG (défaut : $ESS_IMPACT_ORG_LOGO)")
    common(sp)
    sp.set_defaults(func=cmd_report)


def cmd_report(args) -> int:
    from ess_impact.output.reports import command as report_command

    return report_command.run(args)


def cmd_import(args) -> int:
    from ess_impact.intake import filesafety, sandbox

    # The files are read first, by children forked while this process is light and has one thread (no second
    # interpreter to start); pandas, DuckDB and the database are loaded and opened while they read.
    started = sandbox.prefetch(args.files, filesafety.MAX_FILE_MB)  # the app's limit is lower
    try:
        return _import(args, started)
    finally:
        for pending in started.values():  # those a refusal left unread (e.g. the database busy)
            pending.close()


def _import(args, started: dict) -> int:
    from ess_impact import formatting
    from ess_impact.intake import importer
    from ess_impact.store import auth, db, history

    lang = args.lang
    actor = auth.system(args.actor)
    with db.connect(args.db) as con:
        with _progress_bar(lang) as progress:
            checks = importer.check_files(args.files, con, actor=actor, progress=progress, started=started)
        for check in checks:
            for problem in check.problems:
                print(problem.line(lang))
        if any(c.errors for c in checks):
            for check in checks:
                if check.errors:
                    print(t("import_blocked", lang, file=check.file_name,
                            errors=formatting.counted("count_errors", "count_errors_plural", len(check.errors), lang)), file=sys.stderr)
            return EXIT_INVALID
        warnings = sum(len(c.warnings) for c in checks)
        if args.dry_run:
            for check in checks:
                print(t("import_valid", lang, file=check.file_name,
                        rows=formatting.counted("count_valid_rows", "count_valid_rows_plural", len(check.records), lang)), file=sys.stderr)
            return EXIT_OK
        if warnings and not args.accept_warnings:
            print(t("import_needs_confirmation", lang,
                    warnings=formatting.counted("count_warnings", "count_warnings_plural", warnings, lang)), file=sys.stderr)
            return EXIT_CONFIRM
        try:
            results = importer.commit(con, checks, actor=actor, channel="cli", accept_warnings=args.accept_warnings)
        except history.DemoInForce as refused:
            print(refused.message(lang), t("demo_in_force_cli", lang), sep="\n", file=sys.stderr)
            return EXIT_INVALID
        if any(r.import_id for r in results) and not args.no_publish:
            _prepare_public(args.db, lang)
    if any(r.import_id for r in results):  # live figures: public once an admin releases their year
        print(t("import_not_public", lang), file=sys.stderr)
    for r in results:
        key = N_("import_done") if r.import_id else N_("import_nothing_new")
        print(t(key, lang, file=r.file_name,
                inserted=formatting.counted("count_added", "count_added_plural", r.inserted, lang),
                replaced=formatting.counted("count_replaced", "count_replaced_plural", r.replaced, lang),
                unchanged=formatting.counted("count_unchanged", "count_unchanged_plural", r.unchanged, lang)),
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
    from ess_impact.store import auth, db
    from ess_impact.intake import multipliers as io_multipliers

    lang = args.lang
    data = args.file.read_bytes()
    mapping = io_multipliers.read_mapping(args.mapping.read_bytes()) if args.mapping else None
    with db.connect(args.db) as con:
        loaded = io_multipliers.load(con, auth.system(args.actor), args.file.name, data, mapping)
    print(t("multipliers_loaded", lang, year=loaded.ref_year, industries=loaded.industries, rows=loaded.rows,
            skipped=loaded.skipped), file=sys.stderr)
    _prepare_public(args.db, lang)  # the published snapshot carries the multipliers in force (its spin-offs)
    return EXIT_OK


def cmd_multipliers_show(args) -> int:
    from ess_impact.store import db
    import pandas as pd

    from ess_impact.publish import impact

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


def cmd_employment_import(args) -> int:
    from ess_impact import formatting
    from ess_impact.store import auth, db
    from ess_impact.intake import employment

    lang = args.lang
    data = args.file.read_bytes()
    with db.connect(args.db) as con:
        loaded = employment.load(con, auth.system(args.actor), args.file.name, data, args.source)
    print(t("employment_loaded", lang, years=", ".join(map(str, loaded.years)),
            rows=formatting.number(loaded.rows, lang), income=formatting.number(loaded.with_income, lang)),
          file=sys.stderr)
    for year, codes in loaded.missing.items():
        if codes:
            print(t("employment_missing_mrcs", lang, year=year, codes=", ".join(codes),
                    mrcs=formatting.counted("count_mrcs", "count_mrcs_plural", len(codes), lang)), file=sys.stderr)
    _prepare_public(args.db, lang)  # the published snapshot carries the table in force (its shares)
    return EXIT_OK


def cmd_employment_show(args) -> int:
    from ess_impact.store import db
    from ess_impact.publish import weight

    with db.connect(args.db) as con:
        found = weight.table(con)
    if found.empty:
        print(t("employment_none", args.lang), file=sys.stderr)
        return EXIT_INVALID
    found.to_csv(sys.stdout, index=False, lineterminator="\n")
    return EXIT_OK


def cmd_summary(args) -> int:
    from ess_impact.store import db
    from ess_impact.publish import indicators

    with db.connect(args.db) as con:
        known = indicators.years(con, live=not args.public)["year"].astype(int).tolist()  # public: the released
        year = args.year or (max(known) if known else None)
        if year is None:
            print(t(N_("nothing_released_cli") if args.public else N_("no_data_year"), args.lang), file=sys.stderr)
            return EXIT_INVALID
        if args.public and year not in known:
            print(t("no_public_year", args.lang, year=year), file=sys.stderr)  # not released: store/releases.py
            return EXIT_INVALID
        published = None
        if args.public:  # the figures the pages show, when the published snapshot is the database's version
            from ess_impact.publish import snapshot

            found = snapshot.in_force(con)
            published = None if found is None else found.public
        frame = indicators.summary(con, args.by, indicators.Filters(year=year), args.lang, public=args.public,
                                   published=published)
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
    from ess_impact.intake import template

    template.write_template(args.out, lang=args.lang)
    print(t("template_written", args.lang, path=args.out), file=sys.stderr)
    return EXIT_OK


def _prepare_public(path: Path | None, lang: str) -> None:
    """After a write: the published snapshot of the new version is prepared by a background process (the command
    returns at once; the pages serve the previous version until it is ready)."""
    from ess_impact.store import db, publication
    print(t("publishing_background", lang), file=sys.stderr, flush=True)
    publication.start(path or db.db_path())


def cmd_publish(args) -> int:
    """Prepare the published snapshot now, in the foreground (what the background process does after a write)."""
    from ess_impact.store import db
    from ess_impact.publish import snapshot

    print(t("preparing_public", args.lang), file=sys.stderr, flush=True)
    path = args.db or db.db_path()
    with db.connect(path):  # a database of an earlier release is brought up to date first, as `run` does
        pass
    snapshot.prepare(path)
    return EXIT_OK


def cmd_audit(args) -> int:
    """Each sensitive value the public cannot read directly, with the tightest interval a reader can derive from
    everything published and whether it reaches the protection level; exit 1 when one does not."""
    from ess_impact.store import db
    from ess_impact.publish import (
        audit,  # highspy and scipy only for this command (start-up of the others)
    )

    def progress(key: str, values: dict) -> None:  # on stderr: stdout carries the CSV or JSON
        print(t(key, args.lang, **values), file=sys.stderr, flush=True)

    from ess_impact.publish import indicators

    with db.connect(args.db) as con:
        released = indicators.years(con)["year"].astype(int).tolist()  # what the public sees: store/releases.py
        if args.year is not None and int(args.year) not in released:
            print(t("no_public_year", args.lang, year=args.year), file=sys.stderr)
            return EXIT_INVALID
        if not released:
            print(t("nothing_released_cli", args.lang), file=sys.stderr)
        frame = audit.run(con, args.year, progress=progress)
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
    from ess_impact.store import db, history
    with db.connect(args.db) as con:
        result = history.load_demo(con)
        if result is not None:
            _prepare_public(args.db, args.lang)
    if result is None:
        print(t("demo_refused", args.lang), file=sys.stderr)
        return EXIT_INVALID
    print(t("demo_loaded", args.lang, rows=result.inserted + result.replaced + result.unchanged,
            enterprises=result.enterprises), file=sys.stderr)
    return EXIT_OK


def cmd_release(args) -> int:
    """Release years (store/releases.py): their public tables then show their figures as they are now. Without
    --year, one line per year: its figures, its release, what changed since."""
    import pandas as pd

    from ess_impact import formatting
    from ess_impact.store import auth, db, releases

    lang = args.lang
    with db.connect(args.db) as con:
        if not args.year:
            for row in releases.status(con, auth.system(args.actor)).itertuples(index=False):
                live = formatting.number(row.live_enterprises, lang)
                if pd.isna(row.released_at):
                    print(t("release_line_unreleased", lang, year=row.year, enterprises=live))
                else:
                    print(t("release_line_released", lang, year=row.year, enterprises=live,
                            date=str(row.released_at)[:10], released=formatting.number(row.released_enterprises, lang),
                            changed=formatting.number(row.changed_enterprises, lang)))
            return EXIT_OK
        done = []
        try:
            for year in args.year:
                done.append(releases.release(con, auth.system(args.actor), year))
        except errors.EssError as refused:
            print(refused.message(lang), file=sys.stderr)
            code = EXIT_INVALID
        else:
            code = EXIT_OK
        if done:
            _prepare_public(args.db, lang)
    for r in done:
        print(t("release_done", lang, year=r.year, enterprises=formatting.number(r.enterprises, lang)),
              file=sys.stderr)
    return code


def cmd_real_data(args) -> int:
    """Switch the instance to real data (history.retire_demo); without --yes, only say what would happen (exit 3)."""
    from ess_impact.store import auth, db, history
    with db.connect(args.db) as con:
        figures, enterprises = history.demo_counts(con)
        if not args.yes:
            print(t("real_data_text", args.lang, figures=figures, enterprises=enterprises), file=sys.stderr)
            print(t("demo_in_force_cli", args.lang), file=sys.stderr)
            return EXIT_CONFIRM
        done = history.retire_demo(con, auth.system(getattr(args, "actor", None)))
        _prepare_public(args.db, args.lang)
    print(t("real_data_done", args.lang, figures=done.figures, enterprises=done.enterprises), file=sys.stderr)
    return EXIT_OK


def cmd_backup(args) -> int:
    from ess_impact.store import backup
    made = backup.take(args.db, args.to)
    m = made.manifest
    print(t("backup_done", args.lang, file=made.path, tables=len(m.tables), rows=m.rows, version=m.data_version,
            sha256=m.sha256), file=sys.stderr)
    if made.removed:
        print(t("backup_pruned", args.lang, keep=made.keep, count=sum(p.suffix == backup.SUFFIX for p in made.removed)),
              file=sys.stderr)
    print(made.path)
    return EXIT_OK


def cmd_restore(args) -> int:
    """Check the backup, then (with --yes) bring it back as the database and prepare its public tables; without
    --yes, say what would happen (exit 3). A damaged backup is refused (exit 1, nothing changed)."""
    from ess_impact.store import backup, db
    database = args.db or db.db_path()
    if not args.yes:
        m = backup.verify(args.file)
        print(t("restore_plan", args.lang, file=args.file, source=m.database, when=m.created_at, version=m.data_version,
                rows=m.rows, database=database), file=sys.stderr)
        return EXIT_CONFIRM
    from ess_impact.publish import indicators

    done = backup.restore(args.file, database, renewed=indicators.restamp_stored)
    _prepare_public(database, args.lang)
    m = done.manifest
    if done.previous is not None:
        print(t("restore_done", args.lang, file=args.file, when=m.created_at, rows=m.rows, previous=done.previous),
              file=sys.stderr)
    else:
        print(t("restore_done_new", args.lang, file=args.file, when=m.created_at, rows=m.rows), file=sys.stderr)
    return EXIT_OK


def cmd_export(args) -> int:
    """Write the open-data package (output/opendata.py) and keep its zip for the Méthodologie page's download."""
    from ess_impact.store import db
    from ess_impact.output import opendata  # pyarrow's Parquet writer only for this command (start-up of the others)
    from ess_impact.publish import indicators

    opendata.licence(args.licence)  # an unknown licence is refused before any work
    with db.connect(args.db) as con:
        pairs = indicators.year_pairs(con)
    for pair in pairs:  # one unit of work per pair of years: the app and an import wait for one at most
        with db.connect(args.db) as con:
            indicators.public_panels(con, *pair)
    with db.connect(args.db) as con:
        package = opendata.build(con, args.licence, args.org_name)
        opendata.build_zip(con, args.licence, args.org_name, package)
    opendata.write(package, args.out)
    print(t("opendata_written", args.lang, folder=args.out, tables=sum(n.endswith(".csv") for n in package.files) - 1,
            licence=package.descriptor["licenses"][0]["name"]), file=sys.stderr)
    return EXIT_OK


def _user_parser(sub, common) -> None:
    sp = sub.add_parser("user", help="comptes : ajouter, changer le mot de passe, désactiver, lister")
    users = sp.add_subparsers(dest="user_command", required=True)
    add = users.add_parser("add", help="créer un compte (le mot de passe est demandé deux fois)")
    add.add_argument("email", metavar="EMAIL")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--neq", action="append", default=[], metavar="NEQ",
                     help="NEQ de l'entreprise (compte entreprise ; répéter pour un groupe)")
    add.add_argument("--region", action="append", default=[], metavar="CODE",
                     help="code de région d'un administrateur régional (répéter pour plusieurs ; sans : provincial)")
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
    from ess_impact.store import auth
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(t("password_prompt", args.lang, min=auth.MIN_PASSWORD_LENGTH))
    if getpass.getpass(t("password_confirm", args.lang)) != first:
        print(t("password_mismatch", args.lang), file=sys.stderr)
        return None
    return first


def _account_command(args, action) -> int:
    """Run action(con) as auth.SYSTEM; an invalid input is reported in the reader's language, exit 1."""
    from ess_impact.store import auth, db
    with db.connect(args.db) as con:  # an invalid input raises errors.Invalid: main() reports it, exit 1
        action(con)
    return EXIT_OK


def cmd_user_add(args) -> int:
    from ess_impact.store import auth
    password = _read_password(args)
    if password is None:
        return EXIT_INVALID
    status = _account_command(args, lambda con: auth.add_account(con, auth.SYSTEM, args.email, args.role, password,
                                                                 args.neq, regions=args.region))
    if status == EXIT_OK:
        print(t("account_added", args.lang, email=auth.normalize_email(args.email), role=args.role), file=sys.stderr)
    return status


def cmd_user_passwd(args) -> int:
    from ess_impact.store import auth
    password = _read_password(args)
    if password is None:
        return EXIT_INVALID
    status = _account_command(args, lambda con: auth.set_password(con, auth.SYSTEM, args.email, password))
    if status == EXIT_OK:
        print(t("password_changed", args.lang, email=auth.normalize_email(args.email)), file=sys.stderr)
    return status


def cmd_user_disable(args) -> int:
    from ess_impact.store import auth
    status = _account_command(args, lambda con: auth.disable_account(con, auth.SYSTEM, args.email))
    if status == EXIT_OK:
        print(t("account_disabled", args.lang, email=auth.normalize_email(args.email)), file=sys.stderr)
    return status


def cmd_user_list(args) -> int:
    from ess_impact.store import auth, db
    with db.connect(args.db) as con:
        frame = auth.list_accounts(con, auth.SYSTEM)
    if frame.empty:
        print(t("no_accounts", args.lang), file=sys.stderr)
        return EXIT_OK
    frame.to_csv(sys.stdout, index=False, lineterminator="\n")
    return EXIT_OK


def cmd_invite(args) -> int:
    """Invitations from a list: e-mailed through ESS_IMPACT_SMTP_*, else the links are printed (CSV) to send."""
    from ess_impact import invitations
    from ess_impact.store import auth, db
    pairs, problems = invitations.read_pairs(args.file.read_bytes(), args.file.name)
    for problem in problems:
        print(problem, file=sys.stderr)
    with db.connect(args.db) as con:
        done = invitations.invite_many(con, auth.SYSTEM, pairs, invitations.mailer_from_env(), args.lang)
    invitations.invited_table(done, args.lang).to_csv(sys.stdout, index=False, lineterminator="\n")
    return EXIT_OK if all(not d.problem for d in done) and not problems else EXIT_INVALID


def cmd_activity(args) -> int:
    from ess_impact import formatting
    from ess_impact.store import activity, auth, db
    midnight = datetime.min.time()
    since = datetime.combine(args.since, midnight) if args.since else None
    until = datetime.combine(args.until + timedelta(days=1), midnight) if args.until else None
    with db.connect(args.db) as con:
        frame = activity.read(con, auth.SYSTEM, since, until)
    data = activity.csv_bytes(frame, args.lang)
    if args.out:
        args.out.write_bytes(data)
        print(labels.tn("activity_written", "activity_written_plural", len(frame), args.lang,
                       n=formatting.number(len(frame), args.lang), path=args.out), file=sys.stderr)
    else:
        sys.stdout.write(data.decode("utf-8-sig"))
    return EXIT_OK


def cmd_run(args) -> int:
    """Start the web app. Before it, at start-up: the schema brought up to date, the demo loaded on a fresh machine,
    and the published snapshot prepared in the background when it is not the database's version (the first visitor
    of a fresh server is answered from the snapshot on disk)."""
    from ess_impact.store import db, history
    from ess_impact.publish import snapshot
    from ess_impact.web import server

    path = db.db_path()
    with db.connect(path) as con:
        history.load_demo_if_empty(con)
        version = db.data_version(con)
    if snapshot.stale(path, version):
        snapshot.start(path)
    process = subprocess.Popen(server.command(args.port, args.address),
                               env={**os.environ, "OPENBLAS_NUM_THREADS": os.environ["OPENBLAS_NUM_THREADS"]})
    try:
        url = f"http://{args.address or '127.0.0.1'}:{args.port}"
        if server.wait_healthy(url) and snapshot.current(path) is not None:
            try:  # one visit of the main pages: the first real visitor finds everything loaded
                server.warm_up(url)
            except Exception as exc:  # noqa: BLE001 - a failed warm-up only costs the first visitor some time
                errors.report_bug(exc)
        print(t("server_ready", args.lang, url=url), file=sys.stderr, flush=True)
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()


def main_exit() -> None:
    sys.exit(main())


if __name__ == "__main__":
    main_exit()
