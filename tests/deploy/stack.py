"""The deployment's pieces on this machine, without a container engine: Streamlit viewers and an editor on free
ports, and deploy/nginx.conf run by Debian's nginx in front of them with a self-signed certificate; and
deploy/edition-nginx.conf serving a public edition.

Used by tests/deploy/test_nginx.py and by the load bench (bench/load.py). Every wait is on a condition (a port
answering, a log line written) with a deadline, never a fixed sleep.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ctatracker.config import PROJECT_ROOT

TEMPLATE = PROJECT_ROOT / "deploy" / "nginx.conf"
EDITION_TEMPLATE = PROJECT_ROOT / "deploy" / "edition-nginx.conf"
MIME_TYPES = Path("/etc/nginx/mime.types")
NGINX = "/usr/sbin/nginx"
PUBLIC_HOST = "tracker.test"
EDITOR_HOST = "edit.tracker.test"
PLACEHOLDER = re.compile(r"\$\{(CTA_[A-Z0-9_]+)\}")


def nginx_missing() -> str | None:
    """Why nginx cannot be run here, or None."""
    return None if os.access(NGINX, os.X_OK) else "Debian's nginx is missing: apt-get install -y nginx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition: Callable[[], object], what: str, timeout: float = 90, poll: float = 0.1) -> object:
    """Poll `condition` until it returns something true (returned), or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(poll)
    raise TimeoutError(f"waited {timeout:.0f} s for {what}")


def render(values: dict[str, str], template: Path = TEMPLATE) -> str:
    """A template (deploy/nginx.conf) with each ${CTA_...} filled in, as envsubst does in the official nginx image
    (only the names given; a name the template uses and `values` lacks is an error, as a missing setting would
    be)."""
    text = template.read_text()
    missing = set(PLACEHOLDER.findall(text)) - values.keys()
    if missing:
        raise KeyError(f"deploy/{template.name} needs {', '.join(sorted(missing))}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def make_certificate(folder: Path, names: tuple[str, ...] = (PUBLIC_HOST, EDITOR_HOST)) -> tuple[Path, Path]:
    """A self-signed certificate for `names` and 127.0.0.1, and its key (openssl); (certificate, key)."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "tls_cert.pem", folder / "tls_key.pem"
    alt = ",".join([*(f"DNS:{n}" for n in names), "IP:127.0.0.1"])
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "2", "-subj", f"/CN={names[0]}", "-addext", f"subjectAltName={alt}",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


@dataclass
class App:
    """A `streamlit run` of the tracker on a port."""

    proc: subprocess.Popen
    port: int
    log: Path


def launch_app(db: Path, log_dir: Path, *, viewer: bool, port: int | None = None) -> App:
    """Start the app on `db` (a viewer of a snapshot when `viewer`) without waiting for it; see `wait_ready`."""
    port = port or free_port()
    env = {**os.environ, "CTA_DB_PATH": str(db)}
    env.pop("CTA_VIEWER", None)
    if viewer:
        env["CTA_VIEWER"] = "1"
    log = log_dir / f"streamlit-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    return App(proc, port, log)


def _healthy(app: App) -> bool:
    if app.proc.poll() is not None:
        raise RuntimeError(f"streamlit on port {app.port} exited: {app.log.read_text(errors='replace')}")
    if f"127.0.0.1:{app.port}" not in app.log.read_text(errors="replace"):  # not some other server's answer
        return False
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{app.port}/_stcore/health", timeout=5) as r:
            return r.status == 200
    except OSError:
        return False


def wait_ready(*apps: App, timeout: float = 180) -> None:
    """Wait until every app answers its health check on its own port."""
    for app in apps:
        wait_until(lambda app=app: _healthy(app), f"streamlit on port {app.port}", timeout)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Nginx:
    """deploy/nginx.conf running in front of the apps."""

    proc: subprocess.Popen
    http_port: int
    https_port: int
    access_log: Path
    error_log: Path
    cert: Path | None

    def log_lines(self) -> list[str]:
        return self.access_log.read_text(errors="replace").splitlines() if self.access_log.exists() else []


def _main_config(folder: Path, site: Path) -> str:
    """The `events` and `http` frame around the site (what /etc/nginx/nginx.conf is in the nginx image: the file
    types by name included), with every file nginx writes kept in `folder`."""
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                             "uwsgi", "scgi"))
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers write the temp folders made by this user
    return (f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'} warn;\n"
            "events { worker_connections 1024; }\n"
            f"http {{\n{temp}\n    include {MIME_TYPES};\n    default_type application/octet-stream;\n"
            f"    include {site};\n}}\n")


def start_nginx(folder: Path, viewers: list[int], editor: int | None = None) -> Nginx:
    """Run deploy/nginx.conf (Debian's nginx, in the foreground) over the viewers' and the editor's ports on
    127.0.0.1, with a self-signed certificate made here; returns once it answers. Without an editor, the editor's
    host name is sent to the first viewer."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = make_certificate(folder / "secrets")
    access_log = folder / "access.log"

    def site(http_port: int, https_port: int) -> str:
        return render({
            "CTA_HTTP_PORT": f"127.0.0.1:{http_port}", "CTA_HTTPS_PORT": f"127.0.0.1:{https_port}",
            "CTA_TLS_CERT": str(cert), "CTA_TLS_KEY": str(key),
            "CTA_VIEWER_SERVERS": " ".join(f"server 127.0.0.1:{p};" for p in viewers),
            "CTA_EDITOR_SERVER": f"127.0.0.1:{editor or viewers[0]}", "CTA_EDITOR_HOST": EDITOR_HOST,
            "CTA_ACCESS_LOG": str(access_log)})

    proc, http_port, https_port = _run_nginx(folder, site)
    return Nginx(proc, http_port, https_port, access_log, folder / "error.log", cert)


def start_edition_nginx(folder: Path, edition: Path) -> Nginx:
    """Run deploy/edition-nginx.conf (Debian's nginx) over the edition in `edition`, on plain HTTP on 127.0.0.1;
    returns once it answers (its port is `http_port`)."""
    folder.mkdir(parents=True, exist_ok=True)
    access_log = folder / "access.log"

    def site(http_port: int, _: int) -> str:
        return render({"CTA_EDITION_LISTEN": f"127.0.0.1:{http_port}", "CTA_SITE_DIR": str(edition),
                       "CTA_ACCESS_LOG": str(access_log)}, EDITION_TEMPLATE)

    proc, http_port, _ = _run_nginx(folder, site)
    return Nginx(proc, http_port, 0, access_log, folder / "error.log", None)


def _run_nginx(folder: Path, site_of: Callable[[int, int], str]) -> tuple[subprocess.Popen, int, int]:
    """Start nginx with the site `site_of(http port, https port)` on free ports (others when one is taken
    meanwhile); (process, http port, https port) once it answers."""
    for attempt in range(3):
        http_port, https_port = free_port(), free_port()
        site = folder / "site.conf"
        site.write_text(site_of(http_port, https_port))
        conf = folder / "nginx.conf"
        conf.write_text(_main_config(folder, site))
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (folder / kind).mkdir(exist_ok=True)
        error_log = folder / "error.log"
        command = [NGINX, "-p", str(folder), "-c", str(conf), "-e", str(error_log)]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if checked.returncode:
            raise RuntimeError(f"nginx refuses the configuration:\n{checked.stderr}")
        proc = subprocess.Popen([*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        try:
            wait_until(lambda proc=proc, port=http_port: proc.poll() is not None or _answers(port),
                       "nginx to answer", timeout=30)
        except TimeoutError:
            stop(proc)
            raise
        if proc.poll() is None:
            return proc, http_port, https_port
        said = proc.stderr.read() if proc.stderr else ""
        if "Address already in use" not in said or attempt == 2:  # a port taken meanwhile: try others
            raise RuntimeError(f"nginx did not start: {said}")
    raise AssertionError("unreachable")


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def stop_nginx(nginx: Nginx) -> None:
    stop(nginx.proc)
    if nginx.proc.stderr:
        nginx.proc.stderr.close()


def copy_db(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target
