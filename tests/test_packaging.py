"""The package as a newcomer installs it: `pip install .` into a fresh virtual environment ships the reference data,
the named queries, the migrations and the web pages, and `ess-impact run` works from any folder (issue 10).

The fresh environment gets the project's dependencies from the development environment's site-packages through a
.pth line (a path listed in a .pth file is not itself scanned for .pth files, so the checkout's editable install does
not leak in): what is tested is the wheel, not the checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from conftest import ROOT, SETTLED, serve

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """bin/ of a fresh venv holding only the built wheel of ess_impact (dependencies through a .pth line)."""
    work = tmp_path_factory.mktemp("packaging")
    wheels = work / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(wheels), str(ROOT)], check=True, cwd=work)
    target = work / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    site = Path(subprocess.run([str(target / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "dev_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    (wheel,) = wheels.glob("ess_impact-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(target / "bin" / "python"), "install", "--quiet",
                    "--no-deps", str(wheel)], check=True, cwd=work)
    return target / "bin"


def _env(tmp_path: Path) -> dict:
    return {**os.environ, "ESS_IMPACT_DB": str(tmp_path / "base.duckdb"), "PYTHONPATH": ""}


def test_the_installed_package_is_the_wheel_not_the_checkout(installed, tmp_path):
    where = subprocess.run([str(installed / "python"), "-c", "import ess_impact, ess_impact.web.router as r; "
                            "print(ess_impact.__file__); print(r.HERE)"],
                           check=True, capture_output=True, text=True, cwd=tmp_path, env=_env(tmp_path)).stdout
    assert str(ROOT) not in where and "site-packages" in where


def test_installed_command_imports_and_summarises_from_another_folder(installed, tmp_path):
    fixture = ROOT / "tests" / "fixtures" / "ugly_fr.xlsx"
    env = _env(tmp_path)
    done = subprocess.run([str(installed / "ess-impact"), "import", str(fixture), "--accept-warnings"],
                          capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    summary = subprocess.run([str(installed / "ess-impact"), "summary", "--by", "region", "--format", "csv"],
                             capture_output=True, text=True, cwd=tmp_path, env=env)
    assert summary.returncode == 0, summary.stderr
    assert "code,name" in summary.stdout.splitlines()[0]


@pytest.mark.e2e
def test_installed_app_runs_from_another_folder(installed, browser, small_db, tmp_path):
    def command(port):
        return [str(installed / "ess-impact"), "run", "--port", str(port), "--address", "127.0.0.1"]

    with serve(small_db, tmp_path, command=command, cwd=tmp_path) as base:
        page = browser.new_page()
        try:
            page.goto(f"{base}/methodologie")
            page.wait_for_function(SETTLED, timeout=120_000)
            body = page.inner_text("body")
        finally:
            page.close()
    assert "Méthodologie" in body and "Page not found" not in body
