#!/usr/bin/python3
"""Fill the upload template with LibreOffice itself, the way a person would, and save it as .xlsx and .ods.

Run with the system Python that has LibreOffice's UNO bridge (Debian: python3-uno), not the project's venv:

    /usr/bin/python3 tests/lo_fill_template.py SPEC.json REPORT.json

SPEC (written by tests/test_template.py):
    {"timeout": 60,
     "jobs": [{"name": "fr", "template": "/abs/template_fr.xlsx", "sheet": "Données", "locale": "fr-CA",
               "rows": [[cell, ...], ...],          # typed from A2 on; null = leave the cell empty
               "outputs": [{"path": "/abs/out.xlsx", "filter": "Calc MS Excel 2007 XML"},
                           {"path": "/abs/out.ods", "filter": "calc8"}],
               "controls": [[column index, cell], ...]}]}   # typed in the row under the data, after saving
A cell is a string, typed as is, or a number, typed as a person using the job's locale would: digits without
grouping, the locale's decimal separator (a comma in fr-CA).

For each locale, one headless soffice (private profile with that locale, random free port, its own process
group) serves the jobs of that locale. Each job loads the template and types every value into the cell's
FormulaLocal: the text a person types in the cell, interpreted as on Enter (the locale's number parsing, the
cell's number format: the NEQ column's "@" keeps the digits as text). The view's own typing path
(.uno:GoToCell / .uno:EnterString) cannot be used here: Debian's libreoffice-*-nogui packages ship no .ui files,
and moving the view's cursor makes soffice abort when it builds the formula bar. The job then stores the
document with each filter (storeToURL: the file LibreOffice writes), and only then asks LibreOffice which
cells break the template's data validations (Tools ▸ Detective ▸ Mark Invalid Data), after typing the control
values that must be refused, and closes the document without saving.

The report says, per job, what each typed cell holds in LibreOffice (type, string, value), the invalid cells
(the detective's circles), the sheets and whether LibreOffice shows them, and the files written. soffice is
killed at the end whatever happens; the whole run is bounded by the spec's timeout (exit 2 on timeout, 1 on any
other failure, 0 when the report is written).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

import uno  # Debian: python3-uno
from com.sun.star.beans import PropertyValue
from com.sun.star.lang import Locale

CONNECT_TIMEOUT_S = 30.0
PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def prop(name: str, value) -> PropertyValue:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def kill_group(proc: subprocess.Popen | None) -> None:
    if proc is None:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # soffice (sh) -> oosplash -> soffice.bin share the group
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        pass


class Office:
    """A headless soffice in its own process group, with a private profile, reached through a UNO socket."""

    def __init__(self, locale: str, holder: dict):
        self.profile = tempfile.mkdtemp(prefix="ess_lo_profile_")
        holder["dirs"].append(self.profile)
        os.makedirs(os.path.join(self.profile, "user"))
        with open(os.path.join(self.profile, "user", "registrymodifications.xcu"), "w", encoding="utf-8") as fh:
            fh.write(PROFILE_XCU.format(locale=locale))
        self.log_path = os.path.join(self.profile, "soffice.log")
        self.port = free_port()
        accept = f"socket,host=127.0.0.1,port={self.port};urp;"
        command = ["soffice", "-env:UserInstallation=" + uno.systemPathToFileUrl(self.profile), "--headless",
                   "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck", f"--accept={accept}"]
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        holder["procs"].append(self.proc)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + CONNECT_TIMEOUT_S
        while True:
            try:
                self.ctx = resolver.resolve(f"uno:{accept}StarOffice.ComponentContext")
                break
            except Exception:  # NoConnectException until soffice listens
                if self.proc.poll() is not None:
                    raise RuntimeError(f"soffice exited with {self.proc.returncode} before answering:\n{self.log()}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"soffice did not answer on port {self.port} within {CONNECT_TIMEOUT_S:g} s")
                time.sleep(0.2)
        self.smgr = self.ctx.ServiceManager
        self.desktop = self.create("com.sun.star.frame.Desktop")

    def create(self, service: str):
        return self.smgr.createInstanceWithContext(service, self.ctx)

    def log(self) -> str:
        try:
            with open(self.log_path, "rb") as fh:
                return fh.read().decode(errors="replace")[-3000:]
        except OSError:
            return ""

    def version(self) -> str:
        provider = self.create("com.sun.star.configuration.ConfigurationProvider")
        node = provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationAccess",
                                                    (prop("nodepath", "/org.openoffice.Setup/Product"),))
        return f"{node.getByName('ooName')} {node.getByName('ooSetupVersionAboutBox')}"

    def decimal_separator(self, locale: str) -> str:
        language, _, country = locale.partition("-")
        data = self.create("com.sun.star.i18n.LocaleData")
        return data.getLocaleItem(Locale(language, country, "")).decimalSeparator

    def crashed(self) -> str | None:
        try:
            self.proc.wait(3)
        except subprocess.TimeoutExpired:
            return None
        return f"soffice exited with {self.proc.returncode}:\n{self.log()}"

    def close(self) -> None:
        """Ask soffice to quit, then kill its whole process group anyway; remove the profile."""
        try:
            if self.proc.poll() is None:
                try:
                    self.desktop.terminate()
                except Exception:  # the bridge goes away as soffice quits
                    pass
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    pass
        finally:
            kill_group(self.proc)
            shutil.rmtree(self.profile, ignore_errors=True)


def typed_text(value, decimal: str) -> str:
    """What a person types for this value: numbers without grouping, with the locale's decimal separator."""
    if isinstance(value, bool):
        raise TypeError("booleans are not typed")
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))
    if isinstance(value, float):
        return repr(value).replace(".", decimal)
    return str(value)


def fill(office: Office, job: dict) -> dict:
    decimal = office.decimal_separator(job["locale"])
    # A private copy: a stale lock file (.~lock.NAME#) beside the template would make the headless load fail.
    copy = os.path.join(office.profile, "template" + os.path.splitext(job["template"])[1])
    shutil.copyfile(job["template"], copy)
    doc = office.desktop.loadComponentFromURL(uno.systemPathToFileUrl(copy), "_blank", 0, (prop("Hidden", True),))
    if doc is None:
        raise RuntimeError(f"LibreOffice could not open {job['template']}")
    try:
        sheet = doc.Sheets.getByName(job["sheet"])

        def type_into(address: str, text: str):
            cell = sheet.getCellRangeByName(address)
            cell.FormulaLocal = text  # typed text, interpreted as on Enter
            return cell

        cells = []
        for r, row in enumerate(job["rows"], start=2):
            for c, value in enumerate(row):
                if value is None:
                    continue
                address = f"{column_letter(c)}{r}"
                text = typed_text(value, decimal)
                cell = type_into(address, text)
                cells.append({"cell": address, "row": r, "column": c, "typed": text,
                              "type": cell.Type.value, "string": cell.String, "value": cell.Value})
        outputs = []
        for output in job["outputs"]:
            path = os.path.abspath(output["path"])
            doc.storeToURL(uno.systemPathToFileUrl(path),
                           (prop("FilterName", output["filter"]), prop("Overwrite", True)))
            outputs.append({"path": path, "filter": output["filter"], "bytes": os.path.getsize(path)})
        sheets = [{"name": s.Name, "visible": bool(s.IsVisible)} for s in
                  (doc.Sheets.getByIndex(i) for i in range(doc.Sheets.Count))]

        # LibreOffice's verdict on the template's validations, on the open document only (files already written).
        control_row = len(job["rows"]) + 2
        controls = []
        for c, value in job.get("controls", []):
            address = f"{column_letter(c)}{control_row}"
            type_into(address, typed_text(value, decimal))
            controls.append(address)
        # The detective circles at most 1000 cells: drop every row under the control row first.
        sheet.Rows.removeByIndex(control_row, sheet.Rows.Count - control_row)
        sheet.clearArrows()
        sheet.showInvalid()
        invalid = []
        page = sheet.DrawPage
        for i in range(page.Count):
            anchor = page.getByIndex(i).Anchor
            name = getattr(anchor, "AbsoluteName", "") if anchor is not None else ""
            invalid.append(name.rsplit(".", 1)[-1].replace("$", ""))
        return {"name": job["name"], "locale": job["locale"], "decimal": decimal, "cells": cells,
                "outputs": outputs, "sheets": sheets, "controls": controls, "invalid": invalid}
    finally:
        doc.close(True)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 1
    with open(argv[1], encoding="utf-8") as fh:
        spec = json.load(fh)
    timeout = float(spec.get("timeout", 60))
    holder: dict = {"procs": [], "dirs": []}

    def on_timeout() -> None:
        print(f"lo_fill_template: timed out after {timeout:g} s", file=sys.stderr, flush=True)
        for proc in holder["procs"]:
            kill_group(proc)
        for path in holder["dirs"]:
            shutil.rmtree(path, ignore_errors=True)
        os._exit(2)

    watchdog = threading.Timer(timeout, on_timeout)
    watchdog.daemon = True
    watchdog.start()
    office: Office | None = None
    try:
        report = {"jobs": []}
        locales = list(dict.fromkeys(job["locale"] for job in spec["jobs"]))
        for locale in locales:  # the locale is read from the profile when soffice starts
            office = Office(locale, holder)
            report.setdefault("version", office.version())
            for job in spec["jobs"]:
                if job["locale"] == locale:
                    report["jobs"].append(fill(office, job))
            office.close()
            office = None
        report["jobs"].sort(key=lambda j: [job["name"] for job in spec["jobs"]].index(j["name"]))
        with open(argv[2], "w", encoding="utf-8") as fh:
            json.dump(report, fh, ensure_ascii=False, indent=1)
        return 0
    except Exception:
        traceback.print_exc()
        if office is not None:
            crash = office.crashed()
            if crash:
                print(crash, file=sys.stderr)
        return 1
    finally:
        if office is not None:
            office.close()
        watchdog.cancel()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
