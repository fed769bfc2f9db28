"""Write a corpus of hostile inputs into a folder (nothing large is committed; run it to get them).

usage: python tests/hostile/make_hostile.py OUT_DIR

Each file is named for what it tries: a decompression bomb, an XML entity bomb, a FIFO, a symbolic link
loop, a broken link, file names that are not UTF-8 or carry a CR or a leading dash, a poster-sized PDF
page, a CR/formula injection, an empty file, binary bytes with a .txt name, a stray byte in UTF-8.
"""
from __future__ import annotations

import io
import os
import sys
import zipfile
from pathlib import Path

PLAN = ("KẾ HOẠCH\nTriển khai phong trào năm 2026\nI. MỤC TIÊU\n- 100% học sinh được tiếp cận kỹ năng số.\n"
        "II. TỔ CHỨC THỰC HIỆN\nThường xuyên kiểm tra.\n")


def _docx_bytes(document_xml: bytes, extra: dict | None = None, level: int = 6) -> bytes:
    """A minimal Word package around document_xml."""
    ct = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          b'<Default Extension="xml" ContentType="application/xml"/>'
          b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          b'wordprocessingml.document.main+xml"/></Types>')
    rels = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'officeDocument" Target="word/document.xml"/></Relationships>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def zip_bomb(path: Path, unpacked_mb: int = 300) -> None:
    """A .docx whose document.xml is hundreds of MiB of empty paragraphs (a few hundred KiB packed)."""
    head = b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + W + b'><w:body>'
    body = b"<w:p/>" * (unpacked_mb * 1024 * 1024 // 6)
    path.write_bytes(_docx_bytes(head + body + b"</w:body></w:document>", level=1))


def xml_bomb(path: Path) -> None:
    """A .docx whose document.xml defines nested entities (billion laughs)."""
    ents = b'<!ENTITY a0 "lol">' + b"".join(b'<!ENTITY a%d "&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;">'
                                             % ((i,) + (i - 1,) * 10) for i in range(1, 10))
    xml = (b'<?xml version="1.0"?><!DOCTYPE w:document [' + ents + b']><w:document ' + W +
           b'><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>')
    path.write_bytes(_docx_bytes(xml))


def poster_pdf(path: Path) -> None:
    """One blank page 200 x 200 inches: rendering it at 300 dpi would need 3.6 gigapixels."""
    pdf = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
           b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
           b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 14400 14400]>>endobj\n")
    xref = pdf.find(b"1 0 obj"), pdf.find(b"2 0 obj"), pdf.find(b"3 0 obj")
    tail = b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % x for x in xref)
    path.write_bytes(pdf + tail + b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % len(pdf))


def make(out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    made = {}

    def put(key, name, data: bytes):
        p = out / name if isinstance(name, str) else Path(os.fsdecode(bytes(out) + b"/" + name))
        p.write_bytes(data)
        made[key] = p

    put("plan", "plan.txt", PLAN.encode())
    put("cr_injection", "cr_injection.txt",
        PLAN.replace("100% học sinh", "100% học sinh&#13;=cmd|' /C calc'!A0").encode())
    put("non_utf8_name", b"k\xe9_ho\xe1ch.txt", PLAN.replace("2026", "2027").encode())
    put("cr_in_name", "line\rbreak.txt", PLAN.replace("2026", "2028").encode())
    put("dash_name", "-rf.txt", PLAN.replace("2026", "2029").encode())
    put("empty", "empty.txt", b"")
    put("binary", "binary.txt", bytes(range(256)) * 64)
    put("stray_byte", "stray_byte.txt", PLAN.replace("2026", "2030").encode()[:40] + b"\xff" +
        PLAN.replace("2026", "2030").encode()[40:])
    zip_bomb(out / "zip_bomb.docx")
    made["zip_bomb"] = out / "zip_bomb.docx"
    xml_bomb(out / "xml_bomb.docx")
    made["xml_bomb"] = out / "xml_bomb.docx"
    sample = Path(__file__).resolve().parents[2] / "data" / "samples" / "002_2c6c9c28ea1c9f52.pdf"
    if sample.exists():
        put("truncated_pdf", "truncated.pdf", sample.read_bytes()[: sample.stat().st_size // 3])
    put("fake_docx", "fake.docx", PLAN.encode())
    put("html_as_pdf", "page.pdf", b"<html><body>404 Not Found</body></html>")
    poster_pdf(out / "poster.pdf")
    made["poster"] = out / "poster.pdf"
    fifo = out / "fifo.txt"
    os.mkfifo(fifo)
    made["fifo"] = fifo
    loop = out / "loop"
    os.symlink(out, loop)
    made["symlink_loop"] = loop
    broken = out / "broken.pdf"
    os.symlink(out / "nowhere.pdf", broken)
    made["broken_link"] = broken
    return made


if __name__ == "__main__":
    for key, p in make(Path(sys.argv[1])).items():
        print(f"{key:15s} {p}")
