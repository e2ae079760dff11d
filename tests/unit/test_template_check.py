"""The secretariat's slide template: macros, embedded objects and links to outside files or pages never go into a
pack, and a title layout without a title placeholder gets one plain line (it was a traceback)."""

from __future__ import annotations

import io
import zipfile

import pytest
from pptx import Presentation

from ctatracker.briefing.content import PackRefused
from ctatracker.briefing.layout import open_template

MASTER_RELS = "ppt/slideMasters/_rels/slideMaster1.xml.rels"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def _plain() -> bytes:
    buffer = io.BytesIO()
    Presentation().save(buffer)
    return buffer.getvalue()


def _with(data: bytes, add: dict[str, bytes] | None = None, rel: tuple[str, str] | None = None,
          content_type: bytes | None = None) -> bytes:
    """The template with parts added, an external relationship (type, target) in its master, or a content type."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if rel and item.filename == MASTER_RELS:
                content = content.replace(b"</Relationships>", (
                    f'<Relationship Id="rId99" Type="{rel[0]}" Target="{rel[1]}" TargetMode="External"/>'
                    "</Relationships>").encode())
            if content_type and item.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", content_type + b"</Types>")
            archive.writestr(item.filename, content)
        for name, content in (add or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


VBA = b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'


@pytest.mark.parametrize(("case", "template", "said"), [
    ("macros", lambda: _with(_plain(), {"ppt/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}, content_type=VBA),
     "holds macros (vbaProject.bin)"),
    ("a linked picture on disk", lambda: _with(_plain(), rel=(IMAGE, "file:///C:/Users/secretariat/logo.png")),
     "links to an outside file or page (file:///C:/Users/secretariat/logo.png)"),
    ("a picture loaded from the web", lambda: _with(_plain(), rel=(IMAGE, "http://tracker.example/pixel.gif")),
     "links to an outside file or page (http://tracker.example/pixel.gif)"),
    ("an http hyperlink", lambda: _with(_plain(), rel=(HYPERLINK, "http://example.org/")), "links to an outside"),
    ("an OLE object", lambda: _with(_plain(), {"ppt/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"}),
     "holds an embedded object (OLE or ActiveX)"),
])
def test_a_template_carrying_what_would_go_into_every_pack_is_refused(case: str, template, said: str) -> None:
    with pytest.raises(PackRefused, match=r"Nothing was written\.$") as caught:
        open_template(template())
    assert said in str(caught.value) and "\n" not in str(caught.value)


def test_a_template_with_an_https_link_to_its_organisation_is_kept() -> None:
    prs = open_template(_with(_plain(), rel=(HYPERLINK, "https://www.asialeds.org/")))
    assert len(prs.slide_layouts) > 0


def test_a_title_only_layout_without_its_title_placeholder_gets_one_line() -> None:
    prs = Presentation()
    layout = next(lay for lay in prs.slide_layouts if lay.name == "Title Only")
    for ph in list(layout.placeholders):
        if ph.placeholder_format.type in (1, 3):
            ph._element.getparent().remove(ph._element)
    buffer = io.BytesIO()
    prs.save(buffer)
    with pytest.raises(PackRefused, match="layout 'Title Only' has no title placeholder"):
        open_template(buffer.getvalue())
