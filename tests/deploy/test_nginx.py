"""deploy/nginx.conf, run by Debian's nginx in front of two viewers and the editor on this machine.

The template is filled in as the nginx image fills it (tests/deploy/stack.py) and served with a self-signed
certificate made here. One test, in steps, because the stack (three Streamlit processes and nginx) is started once:
routing by host name, stickiness by nginx's cookie (not by address: every request here comes from 127.0.0.1),
the websocket upgrade, TLS and the redirect, the upload size, and the rate limits (429 beyond a burst, from
addresses of their own so the other steps are not limited). Which process served a request is read from nginx's
access log, which names the upstream of each request.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import socket
import ssl
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from ctatracker.store.publish import publish_file
from tests.conftest import require
from tests.deploy.stack import (
    EDITOR_HOST,
    PUBLIC_HOST,
    Nginx,
    copy_db,
    launch_app,
    nginx_missing,
    start_nginx,
    stop,
    stop_nginx,
    wait_ready,
    wait_until,
)


@dataclass
class Stack:
    nginx: Nginx
    viewers: tuple[int, int]
    editor: int
    snapshot: Path


@pytest.fixture(scope="module")
def stack(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    require(nginx_missing())
    folder = tmp_path_factory.mktemp("deploy")
    snapshot = publish_file(built_db, folder / "published" / "tracker-snapshot.duckdb").path
    editor_db = copy_db(built_db, folder / "data" / "tracker.duckdb")
    apps = [launch_app(snapshot, folder, viewer=True), launch_app(snapshot, folder, viewer=True),
            launch_app(editor_db, folder, viewer=False)]
    nginx = None
    try:
        wait_ready(*apps)
        nginx = start_nginx(folder / "nginx", [apps[0].port, apps[1].port], apps[2].port)
        yield Stack(nginx, (apps[0].port, apps[1].port), apps[2].port, snapshot)
    finally:
        if nginx:
            stop_nginx(nginx)
        for app in apps:
            stop(app.proc)


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    probe: str


def _context(stack: Stack) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(stack.nginx.cert))  # the certificate is checked, not ignored
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _request(stack: Stack, host: str = PUBLIC_HOST, path: str = "/", cookie: str | None = None,
             method: str = "GET", body: bytes | None = None, source: str = "127.0.0.1",
             connection: http.client.HTTPSConnection | None = None) -> Reply:
    """One HTTPS request to nginx; a unique probe in its query string finds it in the access log."""
    probe = uuid.uuid4().hex
    conn = connection or http.client.HTTPSConnection("127.0.0.1", stack.nginx.https_port, timeout=60,
                                                     context=_context(stack), source_address=(source, 0))
    headers = {"Host": host, **({"Cookie": cookie} if cookie else {})}
    try:
        conn.request(method, f"{path}{'&' if '?' in path else '?'}probe={probe}", body=body, headers=headers)
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read(), probe)
    finally:
        if connection is None:
            conn.close()


def _upstream(stack: Stack, probe: str) -> int | None:
    """The port of the process that served the request carrying `probe` (None: answered by nginx itself)."""
    def line() -> str | None:
        return next((x for x in stack.nginx.log_lines() if f"probe={probe}" in x), None)

    found = wait_until(line, f"the access log line of {probe}", timeout=30)
    address = found.split("upstream=", 1)[1].split()[0]
    return None if address == "-" else int(address.rsplit(":", 1)[1])


def _viewer_cookie(reply: Reply) -> str:
    cookies = reply.headers.get_all("Set-Cookie") or []
    mine = [c for c in cookies if c.startswith("cta_viewer=")]
    assert len(mine) == 1, f"nginx sets its cookie on a first visit: {cookies}"
    attributes = {a.strip().split("=")[0].lower() for a in mine[0].split(";")[1:]}
    assert {"path", "secure", "httponly", "samesite"} <= attributes, mine[0]
    return mine[0].split(";")[0]


def _websocket_upgrade(stack: Stack, cookie: str) -> tuple[str, str]:
    """Open Streamlit's websocket through nginx as a browser does; (status line, probe)."""
    probe = uuid.uuid4().hex
    key = base64.b64encode(os.urandom(16)).decode()
    raw = socket.create_connection(("127.0.0.1", stack.nginx.https_port), timeout=60)
    with _context(stack).wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        tls.sendall((f"GET /_stcore/stream?probe={probe} HTTP/1.1\r\nHost: {PUBLIC_HOST}\r\n"
                     f"Origin: https://{PUBLIC_HOST}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                     f"Sec-WebSocket-Protocol: streamlit\r\nCookie: {cookie}\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = tls.recv(4096)
            if not chunk:
                break
            head += chunk
    lines = head.decode(errors="replace").split("\r\n")
    accept = base64.b64encode(hashlib.sha1(f"{key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11".encode()).digest()).decode()
    assert lines[0].startswith("HTTP/1.1 101"), f"the websocket upgrade passes through nginx: {lines[0]}"
    headers = {name.lower(): value.strip() for name, _, value in (x.partition(":") for x in lines[1:] if x)}
    assert headers.get("sec-websocket-accept") == accept, lines
    return lines[0], probe


def _hammer(stack: Stack, path: str, count: int, source: str) -> list[Reply]:
    """`count` requests at once (16 connections kept open) from the address `source`."""
    def worker(n: int) -> list[Reply]:
        conn = http.client.HTTPSConnection("127.0.0.1", stack.nginx.https_port, timeout=60,
                                           context=_context(stack), source_address=(source, 0))
        try:
            return [_request(stack, path=path, source=source, connection=conn) for _ in range(n)]
        finally:
            conn.close()

    with ThreadPoolExecutor(16) as pool:
        return [s for part in pool.map(worker, [count // 16 + (i < count % 16) for i in range(16)]) for s in part]


def test_nginx_in_front_of_two_viewers_and_the_editor(stack: Stack) -> None:
    viewers, editor = set(stack.viewers), stack.editor

    # routing: the public name (or any other) reaches a viewer, the editor's name the editor
    public = _request(stack)
    assert public.status == 200 and b"<html" in public.body.lower()
    assert _upstream(stack, public.probe) in viewers
    assert _upstream(stack, _request(stack, host="other.example").probe) in viewers
    staff = _request(stack, host=EDITOR_HOST)
    assert staff.status == 200 and _upstream(stack, staff.probe) == editor
    assert not [c for c in staff.headers.get_all("Set-Cookie") or [] if c.startswith("cta_viewer=")]

    # stickiness by cookie: fresh browsers, all from one address, are spread over both viewers; each browser
    # then stays on its viewer, and nginx sets its cookie only once
    first = [_request(stack) for _ in range(24)]
    landed = {r.probe: _upstream(stack, r.probe) for r in first}
    assert set(landed.values()) == viewers, f"one address, spread over both viewers: {Counter(landed.values())}"
    for reply in first[:8]:
        cookie = _viewer_cookie(reply)
        again = [_request(stack, cookie=cookie) for _ in range(3)]
        assert {_upstream(stack, r.probe) for r in again} == {landed[reply.probe]}, "a browser stays on its viewer"
        assert not [c for c in again[0].headers.get_all("Set-Cookie") or [] if c.startswith("cta_viewer=")]
    forged = _request(stack, cookie="cta_viewer=../../x; other=1")
    _viewer_cookie(forged)  # a cookie not of nginx's making is replaced

    # the websocket (a Streamlit session) goes through, to the browser's own viewer
    by_viewer = {landed[r.probe]: _viewer_cookie(r) for r in first}
    for port, cookie in by_viewer.items():
        _, probe = _websocket_upgrade(stack, cookie)
        assert _upstream(stack, probe) == port

    # TLS: HTTPS with the mounted certificate (checked above by every request), HSTS, plain HTTP redirected
    assert public.headers["Strict-Transport-Security"].startswith("max-age=")
    plain = http.client.HTTPConnection("127.0.0.1", stack.nginx.http_port, timeout=30)
    plain.request("GET", "/methodology?x=1", headers={"Host": PUBLIC_HOST})
    moved = plain.getresponse()
    assert moved.status == 301 and moved.headers["Location"] == f"https://{PUBLIC_HOST}/methodology?x=1"
    plain.close()
    with socket.create_connection(("127.0.0.1", stack.nginx.https_port), timeout=30) as raw, \
            _context(stack).wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        assert tls.version() in ("TLSv1.2", "TLSv1.3")

    # uploads: the editor takes a 2 MB workbook; the viewers take no uploads larger than nginx's default
    upload = b"x" * 2_000_000
    assert _request(stack, host=EDITOR_HOST, path="/_stcore/upload_file/s/f", method="PUT", body=upload).status != 413
    assert _request(stack, path="/_stcore/upload_file/s/f", method="PUT", body=upload).status == 413

    # rate limits, each from an address of its own: a burst of new sessions (websocket opens) beyond 100 ...
    refused = _hammer(stack, "/_stcore/stream", 260, source="127.0.0.2")
    sessions = Counter(r.status for r in refused)
    assert sessions[429] >= 1, f"sessions beyond the burst are refused: {sessions}"
    assert sessions.total() - sessions[429] >= 101, f"the burst itself passes: {sessions}"
    busy = next(r for r in refused if r.status == 429)
    assert b"busy" in busy.body and _upstream(stack, busy.probe) is None, "nginx answers, in words"
    # ... and requests beyond 400 at once
    pages = Counter(r.status for r in _hammer(stack, "/_stcore/health", 700, source="127.0.0.3"))
    assert pages[429] >= 1 and pages.total() - pages[429] >= 401, pages
    # static files are not counted, and the limited addresses do not limit anyone else
    assert _request(stack, path="/_stcore/health").status == 200
    static = [line for line in public.body.decode(errors="replace").split('"') if line.startswith("./static/")]
    if static:
        assert all(_request(stack, path=static[0][1:], source="127.0.0.3").status == 200 for _ in range(5))
    assert not [line for line in stack.nginx.error_log.read_text(errors="replace").splitlines()
                if "[emerg]" in line or "[crit]" in line]
