"""How the web app is started: the Streamlit command and its server options, in one place for `ess-impact run`,
the tests and the benchmarks. The options are passed on the command line (not read from a .streamlit/config.toml
of the current folder), so an installed package behaves the same from any folder."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

from ess_impact.settings import UPLOAD_CEILING_MB

OPTIONS = {
    "server.headless": "true",
    # Streamlit's own ceiling; the app refuses files over its `max_upload_mb` setting (10 MB) itself.
    "server.maxUploadSize": str(UPLOAD_CEILING_MB),
    "server.runOnSave": "false",
    "server.fileWatcherType": "none",  # production: no file watching (it costs every run)
    # No full garbage collection after every page run (Streamlit's default: tens of ms per run with the published
    # tables and the built figures in memory); Python's own generational collector still runs.
    "runner.postScriptGC": "false",
    "browser.gatherUsageStats": "false",
    # ess_impact/web/static/ (the map's boundaries, fetched once by the browser instead of sent with every map)
    "server.enableStaticServing": "true",
    "theme.primaryColor": "#1F4E79",
    "theme.base": "light",
    "client.toolbarMode": "viewer",
    # No CSV download nor clipboard copy in st.dataframe's toolbar: it writes text cells as they are (a name such as
    # =cmd|' /C calc'!A0 would run in a spreadsheet); the app's own downloads neutralise such text (tables.to_csv).
    "client.disableDataExport": "true",
    # An error outside the pages' catch-all (ui.guarded) shows no traceback either: details go to the server log.
    "client.showErrorDetails": "none",
}


def app_script() -> Path:
    return Path(str(resources.files("ess_impact.web").joinpath("app.py")))


def command(port: int = 8501, address: str | None = None, script: Path | None = None) -> list[str]:
    """`python -m streamlit run <app> --option value ...`"""
    out = [sys.executable, "-m", "streamlit", "run", str(script or app_script()), "--server.port", str(port)]
    if address:
        out += ["--server.address", address]
    for key, value in OPTIONS.items():
        out += [f"--{key}", value]
    return out


WARM_UP_PAGES = ("", "territoires", "comparer")  # the overview first: what most first visitors open


def wait_healthy(url: str, timeout: float = 120.0) -> bool:
    """True once the server answers its health check (False after `timeout` seconds)."""
    import time
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    return False


def warm_up(url: str, pages=WARM_UP_PAGES, timeout: float = 300.0) -> None:
    """One visit of the main pages over Streamlit's own websocket protocol, right after start-up, so that the first
    real visitor finds the modules imported, the published snapshot read and the default figures built."""
    import asyncio

    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async def visit() -> None:
        stream = url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
        async with websockets.connect(stream, subprotocols=["streamlit"], max_size=None, origin=url.rstrip("/"),
                                      open_timeout=timeout) as socket:
            for page in pages:
                message = BackMsg()
                message.rerun_script.page_name = page
                await socket.send(message.SerializeToString())
                while True:
                    raw = await asyncio.wait_for(socket.recv(), timeout)
                    if isinstance(raw, bytes):
                        forward = ForwardMsg()
                        forward.ParseFromString(raw)
                        if forward.WhichOneof("type") == "script_finished":
                            break

    asyncio.run(visit())
