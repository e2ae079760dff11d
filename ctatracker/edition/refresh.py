"""The edition written again after every change to published data, in the background: one build at a time, and
changes made while one runs lead to exactly one more build after it (never one per change, never a lost one)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)


class Refresher:
    """Runs `build` in a background thread when asked; asks made during a build are folded into one more build."""

    def __init__(self, build: Callable[[], object]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._pending = False
        self._running = False
        self._idle = threading.Event()
        self._idle.set()
        self.builds = 0
        self.last_error: BaseException | None = None

    def request(self) -> None:
        """Ask for a new edition (returns at once)."""
        with self._lock:
            self._pending = True
            if self._running:
                return
            self._running = True
            self._idle.clear()
        threading.Thread(target=self._run, name="edition-refresh", daemon=True).start()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    self._running = False
                    self._idle.set()
                    return
                self._pending = False
            try:
                self._build()
                self.builds += 1
                self.last_error = None
            except Exception as exc:  # the live edition stays as it was; the next change tries again
                self.last_error = exc
                log.exception("the public edition could not be written; the previous one stays in place")

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no build runs or waits; False on timeout."""
        return self._idle.wait(timeout)


_refreshers: dict[Path, Refresher] = {}
_refreshers_lock = threading.Lock()


def refresher(out: Path, build: Callable[[], object]) -> Refresher:
    """The one refresher of an output folder in this process (created with `build` on first use)."""
    key = Path(out).resolve()
    with _refreshers_lock:
        if key not in _refreshers:
            _refreshers[key] = Refresher(build)
        return _refreshers[key]
