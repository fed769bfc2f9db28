"""Write a corpus of hostile inputs into a folder (nothing large is committed; run it to get them).

usage: python tests/hostile/make_hostile.py OUT_DIR

Each file is named for what it tries: a decompression bomb, an XML entity bomb, a FIFO, a symbolic link
loop, a broken link, file names that are not UTF-8 or carry a CR or a leading dash, a poster-sized PDF
page, a CR/formula injection, an empty file, binary bytes with a .txt name, a stray byte in UTF-8; and
(issue 20) UTF-16 without a BOM or with an odd byte count, a Word table without its grid, a task table
inside a layout table's cell, 100 KB of "100%", a .doc that holds a .docx, a photo that is no image,
styles based on each other, a package whose parts are flagged encrypted.
"""
from __future__ import annotations

import io
import os
import sys
import zipfile
from pathlib import Path

PLAN = ("KẾ HOẠCH\nTriển khai phong trào năm 2026\nI. MỤC TIÊU\n- 100% học sinh được tiếp cận kỹ năng số.\n"
        "II. TỔ CHỨC THỰC HIỆN\nThường xuyên kiểm tra.\n")


def _docx_bytes(document_xml: bytes, extra: dict | None = None, level: int = 6, types: bytes = b"") -> bytes:
    """A minimal Word package around document_xml (`types`: more content-type overrides)."""
    ct = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          b'<Default Extension="xml" ContentType="application/xml"/>'
          b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          b'wordprocessingml.document.main+xml"/>' + types + b'</Types>')
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


def _paragraphs(text: str) -> bytes:
    return b"".join(b"<w:p><w:r><w:t>" + line.encode() + b"</w:t></w:r></w:p>" for line in text.split("\n") if line)


def _table(rows: list[list[str]], grid: bool = True) -> bytes:
    cols = max(len(r) for r in rows)
    head = (b"<w:tblGrid>" + b"<w:gridCol w:w=\"2000\"/>" * cols + b"</w:tblGrid>") if grid else b""
    body = b"".join(b"<w:tr>" + b"".join(b"<w:tc>" + _paragraphs(c or " ") + b"</w:tc>" for c in r) + b"</w:tr>"
                    for r in rows)
    return b"<w:tbl><w:tblPr/>" + head + body + b"</w:tbl>"


def _document(body: bytes) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ' + W + b"><w:body>" + body + \
        b"</w:body></w:document>"


TASKS = [["TT", "Nhiệm vụ", "Thời gian"], ["1", "Tập huấn kỹ năng số cho giáo viên", "Quý II/2026"],
         ["2", "Tuyên truyền trên cổng thông tin", "Thường xuyên"]]


def based_on_loop(path: Path) -> None:
    """Two styles based on each other: a style chain that never ends."""
    styles = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles ' + W + b">"
              b'<w:style w:type="paragraph" w:styleId="A"><w:name w:val="A"/><w:basedOn w:val="B"/></w:style>'
              b'<w:style w:type="paragraph" w:styleId="B"><w:name w:val="B"/><w:basedOn w:val="A"/></w:style></w:styles>')
    rels = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'styles" Target="styles.xml"/></Relationships>')
    body = '<w:p><w:pPr><w:pStyle w:val="A"/></w:pPr><w:r><w:t>KẾ HOẠCH năm 2031</w:t></w:r></w:p>'.encode() + \
        _paragraphs(PLAN.replace("2026", "2031"))
    styles_type = (b'<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
                   b'officedocument.wordprocessingml.styles+xml"/>')
    path.write_bytes(_docx_bytes(_document(body), {"word/styles.xml": styles, "word/_rels/document.xml.rels": rels},
                                 types=styles_type))
    # the same package with the styles part left untyped: styles cannot be read, the text still can
    path.with_name("untyped_styles.docx").write_bytes(
        _docx_bytes(_document(body.replace(b"2031", b"2039")), {"word/styles.xml": styles,
                                                                "word/_rels/document.xml.rels": rels}))


def encrypted_member(path: Path) -> None:
    """A Word package whose parts are flagged as encrypted (a password-protected ZIP)."""
    data = bytearray(_docx_bytes(_document(_paragraphs(PLAN.replace("2026", "2032")))))
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(sig)
        while at != -1:
            data[at + flag_at] |= 0x01
            at = data.find(sig, at + 4)
    path.write_bytes(bytes(data))


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
    # issue 20: cases the first corpus did not have
    put("utf16be_nobom", "utf16be.txt", PLAN.replace("2026", "2033").encode("utf-16-be"))
    put("utf16_odd", "utf16_odd.txt", b"\xff\xfe" + PLAN.replace("2026", "2034").encode("utf-16-le") + b"\x00")
    put("no_tblgrid", "no_tblgrid.docx", _docx_bytes(_document(_paragraphs(PLAN.replace("2026", "2035"))
                                                               + _table(TASKS, grid=False))))
    put("nested_layout", "nested_layout.docx", _docx_bytes(_document(
        _paragraphs(PLAN.replace("2026", "2036")) + b"<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w=\"9000\"/></w:tblGrid>"
        b"<w:tr><w:tc>" + _paragraphs("PHỤ LỤC NHIỆM VỤ") + _table(TASKS) + b"<w:p/></w:tc></w:tr></w:tbl>")))
    put("percent_flood", "percent_flood.txt", (PLAN.replace("2026", "2037") + "100% " * 20_000).encode())
    put("doc_is_docx", "renamed.doc", _docx_bytes(_document(_paragraphs(PLAN.replace("2026", "2038")))))
    put("broken_photo", "trang1.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    based_on_loop(out / "based_on_loop.docx")
    made["based_on_loop"] = out / "based_on_loop.docx"
    made["untyped_styles"] = out / "untyped_styles.docx"
    encrypted_member(out / "encrypted_member.docx")
    made["encrypted_member"] = out / "encrypted_member.docx"
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
