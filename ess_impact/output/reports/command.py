"""`ess-impact report`: one report (an MRC or a region), or one per MRC of a region (--all-mrc), in one format.

The protected cubes are read from the published snapshot (or computed when it is not current) once per run, and
one browser draws every chart of the run; it starts while the data are gathered. The database is released before the files are drawn.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from ess_impact import formatting
from ess_impact.labels import t
from ess_impact.output.reports import build, file_name
from ess_impact.output.reports.data import (
    Context,
    Organisation,
    ReportError,
    region_mrcs,
    report_data,
    territory,
)
from ess_impact.output.reports.images import ChartRenderer
from ess_impact.publish import snapshot
from ess_impact.store import db

EXIT_OK, EXIT_INVALID = 0, 1


def run(args) -> int:
    lang = args.lang
    renderer = ChartRenderer(tabs=2 if args.all_mrc else 1)
    try:
        territories = _territories(args)
        organisation = Organisation.from_env(args.org_name, args.logo)
        if args.format != "xlsx":  # the browser starts while the data are gathered
            threading.Thread(target=_start_quietly, args=(renderer,), daemon=True).start()
        with db.connect(args.db) as con:
            context = _published_context(args.db or db.db_path(), db.data_version(con), organisation) or \
                Context.load(con, organisation)
            reports = []
            for place in territories:
                try:
                    reports.append(report_data(con, place, args.year, lang, context))
                except ReportError as exc:
                    if not args.all_mrc or exc.key != "no_data_here":
                        raise
                    print(t("report_skipped", lang, place=place.name, reason=exc.message(lang)), file=sys.stderr)
        written = _write(args, reports, renderer)
    except ReportError as exc:
        print(exc.message(lang), file=sys.stderr)
        return EXIT_INVALID
    finally:
        renderer.close()
    if args.all_mrc:
        print(t("report_all_written", lang, path=args.out,
                count=formatting.counted("count_reports_written", "count_reports_written_plural", len(written), lang)), file=sys.stderr)
    else:
        print(t("report_written", lang, path=written[0]), file=sys.stderr)
    return EXIT_OK


def _published_context(path, version: int, organisation: Organisation) -> Context | None:
    """The report inputs from the published snapshot when it is the database's version (no protection computed
    here); None otherwise (then computed from the database)."""
    manifest = snapshot.current(path)
    if manifest is None or manifest.data_version != version:
        return None
    found = snapshot.load(path, manifest)
    years = sorted(int(y) for y in found.public["year"].unique())
    context = Context(found.public, found.settings, found.rates, found.is_demo, years, organisation,
                      multipliers_load=manifest.multipliers_load, employment=found.employment)
    for pair in manifest.panels:
        first, last = (int(y) for y in pair.split("-"))
        context.panels[(first, last)] = found.panel(first, last)
    return context


def _territories(args) -> list:
    if args.all_mrc:
        if not args.region:
            raise ReportError("report_all_needs_region")
        return region_mrcs(args.region)
    if args.mrc:
        return [territory("mrc", args.mrc)]
    if args.region:
        return [territory("region", args.region)]
    raise ReportError("report_need_territory")


def _start_quietly(renderer: ChartRenderer) -> None:
    try:
        renderer.start()
    except Exception:  # noqa: BLE001 - reported by the first render, in the main thread
        pass


def _write(args, reports: list, renderer: ChartRenderer) -> list[Path]:
    from tqdm import tqdm

    written = []
    if args.all_mrc:
        args.out.mkdir(parents=True, exist_ok=True)
    steps = tqdm(reports, desc=t("report_progress", args.lang), unit="", file=sys.stderr, disable=not args.all_mrc,
                 bar_format="{desc} {n_fmt}/{total_fmt} |{bar}| {elapsed}{postfix}")
    for data in steps:
        steps.set_postfix_str(data.territory.name)
        path = args.out / file_name(data, args.format) if args.all_mrc else args.out
        content = build(data, args.format, renderer)
        if args.format == "png" and not args.all_mrc and path.suffix.lower() != ".zip":
            path = _unzip(content, path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        written.append(path)
    return written


def _unzip(content: bytes, folder: Path) -> Path:
    import io
    import zipfile

    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(folder)
    return folder
