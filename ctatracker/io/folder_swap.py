"""Replace a whole output folder at once: a reader, or a process killed at any moment, finds the old folder or the
new one, never a mix (a package without its csv/ folder) and never nothing.

The new content is written into a hidden sibling (`.<name>.export-<pid>-<random>`), then put in place with one
rename: an exchange of the two folders where the system offers it (Linux's renameat2), else a rename of the old
folder aside (`.<name>.old-<pid>`) and of the new one into its place, which the next run undoes if it was killed in
between. Leftovers of killed runs are removed when the next one starts. A folder holding anything but what the
writer writes is never replaced: the caller names what it owns.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class FolderInUse(ValueError):
    """The output folder holds files the writer did not make; nothing was written (the message says which)."""


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        call = libc.renameat2
    except (OSError, AttributeError):
        return False
    call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def _left_by_a_dead_run(path: Path) -> bool:
    """Whether the process named in a sibling's name (`.<name>.export-<pid>-...`, `.<name>.old-<pid>`) has ended."""
    pid = path.name.rsplit(".", 1)[-1].split("-")[1] if "-" in path.name.rsplit(".", 1)[-1] else ""
    if not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return int(pid) == os.getpid()


def recover(out_dir: Path) -> None:
    """Undo what a killed run left: put the old folder back if it was moved aside and the new one never came, and
    remove every temporary or set-aside sibling of an ended run (and the `.export-*` folders an older version
    wrote inside the folder). A run still at work elsewhere keeps its folders."""
    parent, name = out_dir.parent, out_dir.name
    if not parent.is_dir():
        return
    aside = sorted((p for p in parent.glob(f".{name}.old-*") if _left_by_a_dead_run(p)),
                   key=lambda p: p.stat().st_mtime)
    if aside and not out_dir.exists():
        aside.pop().rename(out_dir)
    work = [p for p in parent.glob(f".{name}.export-*") if _left_by_a_dead_run(p)]
    inside = list(out_dir.glob(".export-*")) if out_dir.is_dir() else []
    for stale in [*aside, *work, *inside]:
        shutil.rmtree(stale, ignore_errors=True)


def replace_folder(out_dir: Path, write: Callable[[Path], T], owned: Iterable[str]) -> T:
    """Call `write(folder)` on a fresh sibling folder, then put that folder in place of `out_dir` in one step.

    `owned` names the entries the writer makes; an existing `out_dir` holding anything else is refused with
    FolderInUse (so `--out .` never replaces a working folder). A failed write leaves `out_dir` as it was."""
    out_dir = Path(os.path.abspath(out_dir))
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise FolderInUse(f"{out_dir} is a file, not a folder: give a new or empty folder")
    if out_dir.is_dir():
        others = sorted(p.name for p in out_dir.iterdir() if p.name not in set(owned))
        if others:
            shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
            raise FolderInUse(f"{out_dir} holds other files ({shown}); give a new or empty folder, or the folder "
                              "of an earlier package")
    out_dir.mkdir(exist_ok=True)  # an empty folder until the new content takes its place
    work = out_dir.with_name(f".{out_dir.name}.export-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    work.mkdir()
    try:
        result = write(work)
        if _exchange(work, out_dir):
            shutil.rmtree(work, ignore_errors=True)  # now the old content
        else:
            aside = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
            out_dir.rename(aside)
            work.rename(out_dir)  # a kill between the two renames is undone by the next run's recover()
            shutil.rmtree(aside, ignore_errors=True)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return result
