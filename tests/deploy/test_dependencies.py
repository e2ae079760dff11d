"""Dependencies that can be reproduced: every requirement has an exact, hashed pin in the lock files that
satisfies its floor, the image's lock agrees with the development lock, and the project is installed from
pyproject.toml (its packages import from anywhere, with no sys.path changes in the app)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from ctatracker.config import PROJECT_ROOT

MAKE_LOCK = "run `make lock` and commit requirements.lock and requirements-dev.lock"


def _requirements(name: str) -> list[Requirement]:
    """The requirements a requirements file lists (following -r), comments left out."""
    found = []
    for line in (PROJECT_ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found += _requirements(line[3:].strip())
        elif line:
            found.append(Requirement(line))
    return found


def _lock(name: str) -> dict[str, tuple[str, int]]:
    """Each pinned package of a lock file: (version, how many hashes)."""
    text = (PROJECT_ROOT / name).read_text()
    pins = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9_.\-]+)==([^\s;\\]+)", block)
        if match:
            pins[canonicalize_name(match.group(1))] = (match.group(2), block.count("--hash=sha256:"))
    return pins


@pytest.mark.parametrize(("requirements", "lock"), [("requirements.txt", "requirements.lock"),
                                                    ("requirements-dev.txt", "requirements-dev.lock")])
def test_every_requirement_is_pinned_within_its_floor(requirements: str, lock: str) -> None:
    pins = _lock(lock)
    for req in _requirements(requirements):
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in {lock}: {MAKE_LOCK}"
        assert req.specifier.contains(pins[name][0], prereleases=True), \
            f"{lock} pins {req.name} {pins[name][0]}, outside {req.specifier}: {MAKE_LOCK}"
    unhashed = [n for n, (_, hashes) in pins.items() if not hashes]
    assert not unhashed, f"pins without hashes in {lock}: {unhashed}"


def test_the_image_lock_has_the_development_versions() -> None:
    image, development = _lock("requirements.lock"), _lock("requirements-dev.lock")
    differ = {n: (v, development.get(n, ("missing",))[0]) for n, (v, _) in image.items()
              if development.get(n, (None,))[0] != v}
    assert not differ, f"requirements.lock and requirements-dev.lock disagree: {differ}; {MAKE_LOCK}"
    assert not {"pytest", "ruff", "playwright"} & set(image), "the image has no test tools"


def test_the_project_declares_its_dependencies_and_how_to_build_it() -> None:
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    assert pyproject["build-system"]["build-backend"] == "setuptools.build_meta"
    assert "dependencies" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["dependencies"] == {"file": ["requirements.txt"]}
    assert pyproject["project"]["requires-python"] == ">=3.11"
    for lock in ("requirements.lock", "requirements-dev.lock"):
        assert "--python-version 3.11" in (PROJECT_ROOT / lock).read_text().split("\n", 2)[1]


def test_the_packages_import_from_anywhere_once_installed(tmp_path: Path) -> None:
    app = (PROJECT_ROOT / "dashboard" / "app.py").read_text()
    assert "sys.path" not in app
    done = subprocess.run([sys.executable, "-c", "import ctatracker, dashboard, pipelines; print(ctatracker.__file__)"],
                          cwd=tmp_path, capture_output=True, text=True)  # not the project folder: no help from cwd
    assert done.returncode == 0, f"{done.stderr} (make install runs `pip install --editable .`)"
    assert Path(done.stdout.strip()).is_relative_to(PROJECT_ROOT)
