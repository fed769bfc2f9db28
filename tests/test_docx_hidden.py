"""Word content that was skipped without a word (issue 20, item 8): a task table inside a layout table's
cell, and a body imported with w:altChunk."""
from __future__ import annotations

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml

from pipeline.reading.ingest import read
from pipeline.reading.normalize import normalize

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def test_a_task_table_inside_a_layout_cell_is_read(tmp_path):
    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH triển khai năm 2026")
    layout = d.add_table(rows=1, cols=1)         # a borderless frame around the whole appendix
    cell = layout.cell(0, 0)
    cell.paragraphs[0].text = "PHỤ LỤC NHIỆM VỤ"
    tasks = cell.add_table(rows=3, cols=3)
    for r, row in enumerate([("TT", "Nhiệm vụ", "Thời gian"), ("1", "Tập huấn kỹ năng số cho giáo viên", "Quý II/2026"),
                             ("2", "Tuyên truyền trên cổng thông tin", "Thường xuyên")]):
        for c, v in enumerate(row):
            tasks.cell(r, c).text = v
    path = tmp_path / "nested.docx"
    d.save(path)
    text = normalize(read(path)).text
    assert "PHỤ LỤC NHIỆM VỤ" in text
    assert "1\tTập huấn kỹ năng số cho giáo viên\tQuý II/2026" in text
    assert "Thường xuyên" in text


def test_an_imported_html_body_is_read_and_an_unknown_one_is_named(tmp_path):
    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH số 12/KH-UBND")
    html = "<html><body><p>100% giáo viên được tập huấn kỹ năng số trong Quý II/2026.</p></body></html>"
    for i, (blob, kind) in enumerate([(html.encode("utf-8"), "text/html"), (b"{\\rtf1 x}", "application/rtf")]):
        part = Part(PackURI(f"/word/chunk{i}.bin"), kind, blob, d.part.package)
        rid = d.part.relate_to(part, RELATIONSHIP_TYPE.A_F_CHUNK)
        d.element.body.append(parse_xml(f'<w:altChunk {W} {R} r:id="{rid}"/>'))
    path = tmp_path / "chunk.docx"
    d.save(path)
    src = read(path)
    assert "100% giáo viên được tập huấn kỹ năng số" in normalize(src).text
    assert any(w.startswith("docx_alt_chunk:") and "rtf" in w for w in src.warnings)
