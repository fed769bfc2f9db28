"""Task tables: every row of the seed-003 appendix from the text, the PDF and the DOCX; unit duties."""
from __future__ import annotations


from conftest import SAMPLES, SEEDS, SHARED_FIXTURES, doc_from_text, need_shared
from pipeline.api import load_plan
from pipeline.understand.extract import extract

# (group number, first words of the task, lead, timeline) for the 13 rows of the appendix
APPENDIX = [
    ("1", "Tổ chức quán triệt", "Các Nhà trường", "Thường xuyên"),
    ("1", "Tuyên truyền, quán triệt", "Phòng VH-XH", "Thường xuyên"),
    ("1", "Tham gia các hoạt động", "Sở GD&ĐT", "Quý IV/2026"),
    ("2", "Khuyến khích các tập thể", "Sở GD&ĐT", "Thường xuyên"),
    ("3", "Tổ chức các chương trình bồi dưỡng", "Sở GD&ĐT", "Thường xuyên"),
    ("3", "Tổ chức khai thác các khoá học", "Sở GD&ĐT", None),
    ("3", "Tích hợp giáo dục kỹ năng số", "Sở GD&ĐT", "Thường xuyên"),
    ("3", "Đẩy mạnh triển khai mô hình", "Sở GD&ĐT", "Thường xuyên"),
    ("3", "Khuyến các cơ sở giáo dục", "Sở GD&ĐT", "Thường xuyên"),
    ("3", "Phát huy vai trò của đoàn viên", "Sở GD&ĐT", "Thường xuyên"),
    ("4", "Triển khai Mô hình “Trường học", "Sở GD&ĐT", "Thường xuyên"),
    ("4", "Triển khai các mô hình cộng đồng", "Các nhà trường", "Thường xuyên"),
    ("4", "Triển khai mô hình “Trung tâm", "Phòng VH-XH xã", "Thường xuyên"),
]


def _check(path):
    x = load_plan(path)
    rows = [t for t in x.tasks if t.source == "table"]
    got = [(t.group.split(".")[0] if t.group else None, t.task, t.lead, t.timeline) for t in rows]
    assert len(got) == len(APPENDIX)
    for (g, task, lead, timeline), (eg, etask, elead, etime) in zip(got, APPENDIX):
        assert (g, lead, timeline) == (eg, elead, etime) and task.startswith(etask)
    model = rows[11]
    assert "(4) Mô hình “Trường học mở" in model.task       # the continuation row is joined to its row
    assert str(rows[2].deadline_start) == "2026-10-01" and str(rows[2].deadline_end) == "2026-12-31"
    assert rows[0].partners == "UBND xã" and rows[0].output.startswith("100% cơ sở GD&ĐT")
    for t in x.tasks:
        assert x.document.text[t.start:t.end].strip()


def test_appendix_from_text():
    _check(SEEDS / "003_cde70750019bb95c.txt")


def test_appendix_from_docx():
    _check(SAMPLES / "003_cde70750019bb95c.docx")


def test_appendix_from_pdf():
    need_shared()
    _check(SHARED_FIXTURES / "003_cde70750019bb95c.pdf")


def test_unit_duties_in_implementation_section():
    x = extract(doc_from_text("KẾ HOẠCH\nVề chuyển đổi số\nIV. TỔ CHỨC THỰC HIỆN\n1. Nhà trường\n"
                              "- Xây dựng kế hoạch cụ thể.\n- Báo cáo kết quả định kỳ về xã.\n2. Giáo viên\n"
                              "- Tham gia đầy đủ các buổi tập huấn.\nNơi nhận:\n- Lưu: VT.\n"))
    duties = [(t.lead, t.task) for t in x.tasks]
    assert duties == [("Nhà trường", "Xây dựng kế hoạch cụ thể."), ("Nhà trường", "Báo cáo kết quả định kỳ về xã."),
                      ("Giáo viên", "Tham gia đầy đủ các buổi tập huấn.")]


def test_a_legal_portal_table_gives_task_rows_with_groups_and_merged_cells():
    from conftest import doc_from_text
    from pipeline.understand.extract import extract
    raw = ("KẾ HOẠCH\nTriển khai năm 2026\nI. NHIỆM VỤ\nNội dung.\n\n**PHỤ LỤC**\n\n|\n**TT**\n|\n**Nhiệm vụ**\n|\n"
           "**Cơ quan chủ trì**\n|\n**Cơ quan phối hợp**\n|\n**Thời gian hoàn thành**\n|\n|\n**I**\n|\n**Hoàn\n"
           "thiện thể chế**\n|\n|\n1\n|\nPhối hợp rà soát, sửa đổi Luật\nQuy hoạch.\n|\nSở Tài chính\n|\n"
           "Các sở, ngành\n|\nQuý IV/2025\n|\n|\nXây dựng hạ tầng dự phòng.\n|\nTrung tâm Chuyển đổi số\n|\n|\n"
           "2\n|\nĐầu tư trang thiết bị.\n|\nSở Tài chính\n|\nCác sở\n|\nQuý IV/2026\n|\n")
    x = extract(doc_from_text(raw))
    rows = [(t.group, t.task, t.lead, t.timeline) for t in x.tasks if t.source == "table"]
    assert rows == [
        ("I. Hoàn thiện thể chế", "Phối hợp rà soát, sửa đổi Luật Quy hoạch.", "Sở Tài chính", "Quý IV/2025"),
        ("I. Hoàn thiện thể chế", "Xây dựng hạ tầng dự phòng.", "Trung tâm Chuyển đổi số", None),
        ("I. Hoàn thiện thể chế", "Đầu tư trang thiết bị.", "Sở Tài chính", "Quý IV/2026"),
    ]
    assert [s.title for s in x.sections if s.level == 1] == ["NHIỆM VỤ", "PHỤ LỤC"]
