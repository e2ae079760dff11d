"""The files pages load (styles, scripts, plotly.js, the map's topology, the generic card), copied under names that
hold a hash of their content (`assets/site.3f2a9c01be.css`, `assets/topojson.8d41e0a2c7/asia_50m.json`): a changed
file gets a new address, so a server may tell browsers to keep every file under `assets/` for a year, unchanged."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterable
from pathlib import Path

HASH_LENGTH = 10
"""Hex digits of a file's SHA-256 kept in its name."""
FOLDER = "assets"
TOPOJSON_KEY = "topojson/"
"""The key of the map's topology folder (plotly.js asks for `<folder>/<name>.json`, so the folder is hashed)."""


def digest(paths: Iterable[Path]) -> str:
    """The first HASH_LENGTH hex digits of the SHA-256 of the files' contents, in the order given."""
    h = hashlib.sha256()
    for path in paths:
        h.update(path.read_bytes())
    return h.hexdigest()[:HASH_LENGTH]


def hashed_name(name: str, hash_: str) -> str:
    """'plotly.min.js' -> 'plotly.min.<hash>.js'; 'LICENSE' -> 'LICENSE.<hash>'."""
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{hash_}.{suffix}" if dot and stem else f"{name}.{hash_}"


def copy_assets(source: Path, root: Path, topojson: Path, topojson_files: Iterable[str]) -> dict[str, str]:
    """Copy every file of `source` (no .gz, no caches) and the topology files into `root`/assets under hashed
    names; returns each one's plain name ('site.css', 'topojson/') -> its path in the edition."""
    target = root / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    out: dict[str, str] = {}
    for path in sorted(source.iterdir()):
        if not path.is_file() or path.suffix == ".gz":
            continue
        name = hashed_name(path.name, digest([path]))
        shutil.copy2(path, target / name)
        out[path.name] = f"{FOLDER}/{name}"
    files = [topojson / n for n in topojson_files]
    folder = f"topojson.{digest(files)}"
    (target / folder).mkdir()
    for path in files:
        shutil.copy2(path, target / folder / path.name)
    out[TOPOJSON_KEY] = f"{FOLDER}/{folder}/"
    return out
