"""Writing an edition safely: into a sibling temporary folder, flushed to disk, then swapped with the live one in one
step (Linux's renameat2 exchange; elsewhere two renames), so a reader sees the old edition or the new one, never a
part of one. A folder that is not an edition is never replaced."""

from __future__ import annotations

import ctypes
import errno
import gzip
import os
import shutil
import time
from pathlib import Path

MARKER = ".cta-edition"
"""A file every edition holds: only a folder with it (or an empty one) is replaced."""
GZIP_SUFFIXES = (".js", ".json", ".css", ".html", ".xml", ".txt", ".svg")
GZIP_MIN_BYTES = 20_000
"""Files at least this big get a .gz sibling (for servers that serve precompressed files, e.g. nginx gzip_static)."""
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class NotAnEdition(RuntimeError):
    """The output folder holds something else than an edition: it is left alone."""


def temporary(out: Path) -> Path:
    """A new folder beside `out`, on the same file system, named after this process."""
    tmp = out.with_name(f".{out.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    tmp.mkdir(parents=True)
    (tmp / MARKER).write_text("A public edition of the Clean Transport Asia Tracker (python -m pipelines site).\n",
                              encoding="utf-8")
    return tmp


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(out: Path) -> int:
    """Delete the temporary folders of builds that were killed (their process is gone); never a running one's."""
    removed = 0
    for stale in out.parent.glob(f".{out.name}.*.tmp"):
        first = stale.name[len(out.name) + 2:].split(".")[0]
        pid = int(first) if first.isdigit() else -1
        if pid == os.getpid() or not _alive(pid):
            shutil.rmtree(stale, ignore_errors=True)
            removed += 1
    return removed


def check_replaceable(out: Path) -> None:
    """Refuse an output that is a file, or a non-empty folder without the edition's marker."""
    if out.exists() and not out.is_dir():
        raise NotAnEdition(f"{out} is a file, not a folder: give a folder for the edition.")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise NotAnEdition(f"{out} holds other files and no edition: give an empty or new folder (an edition is only "
                           "ever replaced by a newer edition).")


def gzip_siblings(root: Path) -> int:
    """Write a .gz beside every large text file (same modification time); returns how many."""
    n = 0
    for path in root.rglob("*"):
        if path.is_file() and path.suffix in GZIP_SUFFIXES and path.stat().st_size >= GZIP_MIN_BYTES:
            target = path.with_name(path.name + ".gz")
            with path.open("rb") as src, gzip.GzipFile(target, "wb", compresslevel=6, mtime=0) as dst:
                shutil.copyfileobj(src, dst)
            n += 1
    return n


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def flush(root: Path) -> None:
    """Flush every file and folder of `root` to disk."""
    for path in sorted(root.rglob("*"), key=lambda p: -len(p.parts)):
        _fsync(path)
    _fsync(root)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap_in(tmp: Path, out: Path) -> None:
    """Put the finished edition `tmp` at `out` in one step; the old edition is removed afterwards."""
    if not out.exists():
        os.rename(tmp, out)
    elif _exchange(tmp, out):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old edition
    else:
        old = out.with_name(f".{out.name}.{os.getpid()}.{time.monotonic_ns()}.old.tmp")
        os.rename(out, old)
        os.rename(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
    _fsync(out.parent)
