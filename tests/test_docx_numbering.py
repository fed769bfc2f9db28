"""Word's automatic numbering is rendered into the text, so the outline sees "I.", "1.", "a)" and bullets."""
from __future__ import annotations

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from pipeline.api import load_plan
from pipeline.reading.ingest import read

ABSTRACT = f"""<w:abstractNum {nsdecls('w')} w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
</w:abstractNum>"""
NUM = f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'


def _numbered(doc, text, level):
    p = doc.add_paragraph(text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
    return p


def make_docx(path):
    doc = docx.Document()
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(ABSTRACT))
    numbering.append(parse_xml(NUM))
    doc.add_paragraph("KẾ HOẠCH")
    doc.add_paragraph("Triển khai phong trào năm 2026")
    for text, level in [("MỤC ĐÍCH, YÊU CẦU", 0), ("Mục đích", 1), ("Nâng cao nhận thức", 2), ("Yêu cầu", 1),
                        ("MỤC TIÊU", 0), ("100% học sinh được trang bị kỹ năng số.", 3),
                        ("TỔ CHỨC THỰC HIỆN", 0), ("Nhà trường", 1)]:
        _numbered(doc, text, level)
    doc.save(path)


def test_numbers_and_bullets_are_rendered(tmp_path):
    make_docx(tmp_path / "n.docx")
    lines = read(tmp_path / "n.docx").pages[0].text.split("\n")
    assert lines[2:] == ["I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "a) Nâng cao nhận thức", "2. Yêu cầu",
                         "II. MỤC TIÊU", "- 100% học sinh được trang bị kỹ năng số.", "III. TỔ CHỨC THỰC HIỆN",
                         "1. Nhà trường"]


def test_outline_of_an_auto_numbered_plan(tmp_path):
    make_docx(tmp_path / "n.docx")
    x = load_plan(tmp_path / "n.docx")
    assert [(s.path, s.kind) for s in x.sections if s.level == 1] == [("I", "purpose"), ("II", "objectives"),
                                                                      ("III", "implementation")]
    assert [t.value for t in x.targets] == [100]


def test_content_controls_are_read(tmp_path):
    doc = docx.Document()
    doc.add_paragraph("KẾ HOẠCH")
    sdt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtContent><w:p><w:r><w:t>I. MỤC TIÊU</w:t></w:r></w:p>'
                    f'</w:sdtContent></w:sdt>')
    doc.element.body.insert(1, sdt)
    doc.save(tmp_path / "c.docx")
    assert read(tmp_path / "c.docx").pages[0].text.split("\n")[:2] == ["KẾ HOẠCH", "I. MỤC TIÊU"]
