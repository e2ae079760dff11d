"""The export server's life: started once, kept or stopped, restarted when its browser is gone (kaleido faked)."""

from __future__ import annotations

from typing import Any

import kaleido
import plotly.graph_objects as go
import pytest

from ctatracker.briefing.figure_export import Exporter


class FakeKaleido:
    """Counts server starts and stops; the first `failures` exports fail as a lost browser would."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, failures: int = 0) -> None:
        self.starts = self.stops = self.exports = 0
        self.failures = failures
        monkeypatch.setattr(kaleido, "start_sync_server", self.start)
        monkeypatch.setattr(kaleido, "stop_sync_server", self.stop)
        monkeypatch.setattr(kaleido, "calc_fig_sync", self.calc)
        monkeypatch.setattr(Exporter, "_running", False)

    def start(self, **_: Any) -> None:
        self.starts += 1

    def stop(self, **_: Any) -> None:
        self.stops += 1

    def calc(self, fig: Any, opts: dict) -> bytes:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("browser closed")
        self.exports += 1
        return b"\x89PNG" + bytes(str(opts["width"]), "ascii")


def test_a_pack_of_its_own_starts_and_stops_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeKaleido(monkeypatch)
    with Exporter() as exporter:
        assert exporter.png(go.Figure(), 800, 500).startswith(b"\x89PNG")
        exporter.png(go.Figure(), 600, 400)
    assert (fake.starts, fake.stops, fake.exports) == (1, 1, 2)
    assert not Exporter._running


def test_the_app_keeps_one_warm_server_for_every_pack(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeKaleido(monkeypatch)
    Exporter.warm_up()
    Exporter.warm_up()  # a second visit to the page starts nothing more
    for _ in range(3):
        with Exporter(keep=True) as exporter:
            exporter.png(go.Figure(), 800, 500)
    assert (fake.starts, fake.stops, fake.exports) == (1, 0, 3)
    with Exporter() as exporter:  # a pack that does not keep it stops it
        exporter.png(go.Figure(), 800, 500)
    assert (fake.starts, fake.stops) == (1, 1)


def test_a_lost_browser_is_replaced_once(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeKaleido(monkeypatch, failures=1)
    with Exporter(keep=True) as exporter:
        assert exporter.png(go.Figure(), 800, 500)
    assert (fake.starts, fake.stops, fake.exports) == (2, 1, 1)
    fake.failures = 2
    with Exporter(keep=True) as exporter, pytest.raises(RuntimeError, match="browser closed"):
        exporter.png(go.Figure(), 800, 500)  # a second failure in a row is reported, not retried for ever


def test_warm_up_waits_for_no_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """While a pack holds the server, opening the page neither blocks nor starts a second one."""
    fake = FakeKaleido(monkeypatch)
    with Exporter(keep=True):
        Exporter.warm_up()
    assert fake.starts == 1


def test_without_a_browser_a_pack_is_refused_with_what_to_install(built_db, tmp_path, monkeypatch) -> None:
    from ctatracker.briefing import figure_export, pack
    from ctatracker.store.database import connect

    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(figure_export.shutil, "which", lambda _name: None)
    con = connect(built_db, read_only=True)
    try:
        with pytest.raises(pack.PackRefused, match=r"apt-get install -y chromium"):
            pack.build_pack(con, countries=["LKA"], action_areas=None, out_pptx=tmp_path / "p.pptx",
                                out_docx=tmp_path / "p.docx")
    finally:
        con.close()
    assert not list(tmp_path.iterdir())
    monkeypatch.setattr(figure_export.shutil, "which", lambda name: "/usr/bin/chromium" if name == "chromium" else None)
    assert figure_export.browser_missing() is None
