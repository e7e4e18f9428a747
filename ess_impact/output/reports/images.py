"""Charts to PNG through kaleido and one headless Chromium, started once and reused for every chart of a run.

Starting Chromium costs a few seconds; a chart then takes a fraction of a second. So a run (one report, or the 13
MRC reports of a region) opens one `ChartRenderer`, and the web app keeps one for the life of the server
(`shared()`). Kaleido is told where Debian's Chromium is (`BROWSER_PATH`, default /usr/bin/chromium) and to load
nothing from the internet (plotly.js from the plotly package, no MathJax): it never downloads a browser.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import shutil
import threading
from pathlib import Path

from ess_impact.output.reports.content import Chart
from ess_impact.output.reports.data import ReportError

DEFAULT_BROWSER = "/usr/bin/chromium"
SCALE = 2          # PNG pixels per layout pixel: sharp on a projector and in print
TABS = 1           # browser tabs: a second one costs more to open than it saves on one report
TIMEOUT_S = 60

# choreographer (kaleido's browser driver) logs, with a traceback, a message from the browser it cannot decode. When
# the browser is closed while it talks (a report command that ends on a French error before its first chart, under
# load), that traceback reached the user's terminal. A real failure still reaches `render` as an exception.
logging.getLogger("choreographer").setLevel(logging.CRITICAL)


def browser_path() -> str:
    """BROWSER_PATH when set (kaleido's own variable), else Debian's chromium, else chromium on the PATH."""
    wanted = os.environ.get("BROWSER_PATH") or DEFAULT_BROWSER
    if Path(wanted).is_file():
        return wanted
    found = shutil.which("chromium") if not os.environ.get("BROWSER_PATH") else None
    if found:
        return found
    raise ReportError("report_browser_missing", path=wanted)


class ChartRenderer:
    """A kaleido browser on its own event-loop thread; `render` may be called from any thread."""

    def __init__(self, scale: float = SCALE, tabs: int = TABS):
        self.scale, self.tabs = scale, tabs
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None
        self._lock = threading.Lock()

    def __enter__(self) -> "ChartRenderer":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def running(self) -> bool:
        return self._kaleido is not None

    def start(self) -> None:
        with self._lock:
            if self._kaleido is not None:
                return
            import kaleido

            path = browser_path()
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="kaleido", daemon=True)
            thread.start()

            async def open_browser():
                k = kaleido.Kaleido(n=self.tabs, timeout=TIMEOUT_S, path=path, mathjax=False)
                await k.open()
                return k

            try:
                self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(TIMEOUT_S)
            except BaseException:
                loop.call_soon_threadsafe(loop.stop)
                thread.join(5)
                raise
            self._loop, self._thread = loop, thread

    def close(self) -> None:
        with self._lock:
            if self._kaleido is None:
                return
            try:
                asyncio.run_coroutine_threadsafe(self._kaleido.close(), self._loop).result(TIMEOUT_S)
            finally:
                self._loop.call_soon_threadsafe(self._loop.stop)
                self._thread.join(10)
                self._kaleido = self._loop = self._thread = None

    def render(self, charts: list[Chart]) -> list[bytes]:
        """PNG bytes of each chart, drawn concurrently in the browser's tabs. A browser that died (the web app
        keeps one for days) is started again once."""
        try:
            return self._render(charts)
        except ReportError:
            raise
        except Exception:  # noqa: BLE001 - a crashed or hung browser: one fresh start, then let errors through
            self.close()
            return self._render(charts)

    def _render(self, charts: list[Chart]) -> list[bytes]:
        self.start()
        k = self._kaleido

        async def draw_all():
            return await asyncio.gather(*(
                k.calc_fig(chart.figure.to_dict(), opts=dict(format="png", width=chart.width, height=chart.height,
                                                              scale=self.scale))
                for chart in charts))

        return list(asyncio.run_coroutine_threadsafe(draw_all(), self._loop).result(TIMEOUT_S * max(1, len(charts))))


_shared: ChartRenderer | None = None
_shared_lock = threading.Lock()


def shared() -> ChartRenderer:
    """One renderer for the whole process (the web app), started on first use and closed at exit."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = ChartRenderer()
            atexit.register(_shared.close)
        return _shared
