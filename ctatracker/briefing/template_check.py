"""The secretariat's slide template, checked before a pack is built on it.

A pack is built on the template's masters, so whatever the template carries goes into every pack sent out: macros
(`vbaProject.bin`), embedded OLE objects, and links to outside files or pages (`file://`, `http://`, a linked
picture that loads when the deck opens). A template holding any of them is refused with one plain line saying
what to remove; nothing is written. Hyperlinks to https pages (a logo linking to the organisation's site) are
kept. A layout named 'Title Only' or 'Title Slide' must have a title placeholder, since every slide's title goes
there.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from ctatracker.briefing.content import PackRefused

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""Largest size a template may unpack to (a template with its pictures is a few MB)."""
_EXTERNAL = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*TargetMode=\"External\"[^>]*>")
_ATTR = re.compile(rb"(Type|Target)=\"([^\"]*)\"")
_MACRO_TYPES = (b"macroEnabled", b"vbaProject")
_OLE = re.compile(rb"oleObject|/package\"|activeX", re.IGNORECASE)
_TITLE_TYPES = (1, 3)  # TITLE, CENTER_TITLE
FIX = "Nothing was written."


def _refuse(what: str, how: str) -> PackRefused:
    return PackRefused(f"The template {what}: {how}, then try again. {FIX}")


def _shown(target: bytes) -> str:
    text = target.decode("utf-8", "replace")
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= 80 else text[:77] + "..."


def check_package(template: Path | str | bytes) -> None:
    """Refuse (PackRefused) a template carrying macros, OLE objects or links to outside files or pages."""
    try:
        source = io.BytesIO(template) if isinstance(template, bytes) else Path(template)
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
            if sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
                raise _refuse(f"unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB",
                              "keep only its masters, layouts and logo")
            names = [p.filename for p in parts]
            content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            if any(n.lower().endswith("vbaproject.bin") for n in names) or any(
                    t in content_types for t in _MACRO_TYPES):
                raise _refuse("holds macros (vbaProject.bin)", "save it in PowerPoint as a plain presentation "
                              "(.pptx), not a macro-enabled one (.pptm)")
            if any(n.lower().startswith(("ppt/embeddings/", "ppt/activex/")) for n in names):
                raise _refuse("holds an embedded object (OLE or ActiveX)", "delete the embedded object from its "
                              "masters and layouts")
            for part in parts:
                if not part.filename.endswith(".rels") or part.file_size > 8 << 20:
                    continue
                rels = archive.read(part)
                for tag in _EXTERNAL.findall(rels):
                    attrs = dict(_ATTR.findall(tag))
                    kind, target = attrs.get(b"Type", b""), attrs.get(b"Target", b"")
                    if _OLE.search(kind):
                        raise _refuse("holds an embedded object (OLE or ActiveX)", "delete it from its masters "
                                      "and layouts")
                    if not (kind.endswith(b"/hyperlink") and target.lower().startswith(b"https://")):
                        raise _refuse(f"links to an outside file or page ({_shown(target)})",
                                      "remove the link, or insert the picture itself rather than a link to it")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError) as exc:
        raise PackRefused("The template is not a PowerPoint presentation (.pptx): save it from PowerPoint as "
                          f"a .pptx file and try again. {FIX}") from exc


def check_layouts(prs: Any) -> None:
    """Refuse a template whose 'Title Only' or 'Title Slide' layout has no title placeholder."""
    for layout in prs.slide_layouts:
        if layout.name.casefold() in ("title only", "title slide") and not any(
                ph.placeholder_format.type in _TITLE_TYPES for ph in layout.placeholders):
            raise _refuse(f"layout '{layout.name}' has no title placeholder",
                          "add one to it in PowerPoint's slide master view (Insert Placeholder: Title)")
