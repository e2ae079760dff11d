"""Plotly figures to PNG through kaleido and Debian's chromium, one export server at a time per process."""

from __future__ import annotations

import logging
import os
import shutil
import threading
import warnings
from typing import Any

IMAGE_SCALE = 2
"""Pixels per layout pixel in exported PNGs (sharp on a projector)."""
BROWSER_HINT = ("The charts of a briefing pack are drawn with the Chromium browser, which is not installed on "
                "this server: run `apt-get install -y chromium` (or `make run`, which installs it), then try again.")
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_EXPORT_LOCK = threading.Lock()  # kaleido's sync server is one per process: one pack exports at a time


def browser_missing() -> str | None:
    """The one line saying what to install when no browser for the chart export is found (kaleido looks at
    BROWSER_PATH, then for Chromium or Chrome on the PATH), None when one is there."""
    given = os.environ.get("BROWSER_PATH")
    if given and os.access(given, os.X_OK):
        return None
    return None if any(shutil.which(name) for name in BROWSERS) else BROWSER_HINT


class Exporter:
    """Plotly figures to PNG through one kaleido server (Debian's chromium).

    The server starts on entry unless it is already running, and stops on exit unless `keep` is set. The app keeps
    one running once the Briefing page has been opened (`warm_up`), so a pack there skips the browser start (about
    3 s on a two-core machine); the command line starts one per pack.
    """

    _running = False  # kaleido's sync server is one per process; only this class starts and stops it

    def __init__(self, keep: bool = False) -> None:
        self.keep = keep

    @classmethod
    def _start(cls) -> None:
        import kaleido

        if not cls._running:
            kaleido.start_sync_server(mathjax=False, silence_warnings=True)  # the browser starts in the background
            cls._running = True

    @classmethod
    def _stop(cls) -> None:
        import kaleido

        quiet = logging.getLogger("choreographer")
        level = quiet.level
        quiet.setLevel(logging.CRITICAL)  # the browser's last message on shutdown is logged as a JSON error
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                kaleido.stop_sync_server(silence_warnings=True)
        finally:
            quiet.setLevel(level)
            cls._running = False

    @classmethod
    def warm_up(cls) -> None:
        """Start the export server in the background, unless a pack is being exported (it is running then) or no
        browser is installed."""
        if browser_missing() is None and _EXPORT_LOCK.acquire(blocking=False):
            try:
                cls._start()
            finally:
                _EXPORT_LOCK.release()

    def __enter__(self) -> Exporter:
        _EXPORT_LOCK.acquire()
        try:
            self._start()
        except BaseException:
            _EXPORT_LOCK.release()
            raise
        return self

    def png(self, fig: Any, width: int, height: int) -> bytes:
        """The figure as PNG at width x height layout pixels (times IMAGE_SCALE); one retry on a fresh server."""
        import kaleido

        fig.update_layout(width=width, height=height)
        opts = {"format": "png", "width": width, "height": height, "scale": IMAGE_SCALE}
        try:
            return kaleido.calc_fig_sync(fig, opts=opts)
        except Exception:  # a server kept running may have lost its browser: start a new one once
            self._stop()
            self._start()
            return kaleido.calc_fig_sync(fig, opts=opts)

    def __exit__(self, *exc: object) -> None:
        try:
            if not self.keep:
                self._stop()
        finally:
            _EXPORT_LOCK.release()
