"""Outline robustness, each from a small hand-made excerpt in the style of these plans."""
from __future__ import annotations

from conftest import doc_from_text
from pipeline.rules import Rules
from pipeline.understand.outline import parse_outline

SECTIONS = Rules.bundled().table("sections")


def outline(text):
    return [(s.path, s.level, s.kind, s.title) for s in parse_outline(doc_from_text(text), SECTIONS)]


def test_levels_paths_and_kinds():
    got = outline("I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\na) Nâng cao nhận thức\nb) Trang bị kỹ năng\n2. Yêu cầu\n"
                  "II. NHIỆM VỤ, GIẢI PHÁP\n1. Truyền thông\n1.1. Tuyên truyền\n1.2. Phát động\n"
                  "III. KINH PHÍ THỰC HIỆN\nIV. TỔ CHỨC THỰC HIỆN\n")
    assert got == [
        ("I", 1, "purpose", "MỤC ĐÍCH, YÊU CẦU"), ("I.1", 2, "purpose", "Mục đích"),
        ("I.1.a", 3, "purpose", "Nâng cao nhận thức"), ("I.1.b", 3, "purpose", "Trang bị kỹ năng"),
        ("I.2", 2, "purpose", "Yêu cầu"), ("II", 1, "tasks", "NHIỆM VỤ, GIẢI PHÁP"), ("II.1", 2, "tasks", "Truyền thông"),
        ("II.1.1", 3, "tasks", "Tuyên truyền"), ("II.1.2", 3, "tasks", "Phát động"),
        ("III", 1, "budget", "KINH PHÍ THỰC HIỆN"), ("IV", 1, "implementation", "TỔ CHỨC THỰC HIỆN")]


def test_repeated_and_skipped_numerals_are_kept_as_printed():
    got = outline("I. MỤC TIÊU\nI. CHỈ TIÊU\nII. NỘI DUNG\n3. Tuyên truyền\n5. Khen thưởng\n")
    assert [(p, t) for p, _, _, t in got] == [("I", "MỤC TIÊU"), ("I", "CHỈ TIÊU"), ("II", "NỘI DUNG"),
                                              ("II.3", "Tuyên truyền"), ("II.5", "Khen thưởng")]


def test_heading_and_first_sentence_on_one_line():
    got = outline("II. NỘI DUNG\n1. Tuyên truyền: Tổ chức tuyên truyền sâu rộng trên cổng thông tin của trường.\n")
    assert got[1][3] == "Tuyên truyền"


def test_heading_broken_over_two_lines():
    got = outline("I. MỤC ĐÍCH\nII. CHỈ TIÊU CỤ THỂ NĂM HỌC\n2025 - 2026\n1. Nội dung\n")
    assert got[1][3] == "CHỈ TIÊU CỤ THỂ NĂM HỌC 2025 - 2026" and got[1][2] == "targets"


def test_markdown_levels_do_not_decide_the_level():
    got = outline("## **III. CÁC NHIỆM VỤ**\n#### **1. Tuyên truyền**\n### **2. Rà soát**\n# **IV. TỔ CHỨC THỰC HIỆN**\n")
    assert [(p, lvl) for p, lvl, _, _ in got] == [("III", 1), ("III.1", 2), ("III.2", 2), ("IV", 1)]


def test_appendix_restarts_numbering_and_table_rows_are_not_headings():
    got = outline("V. TỔ CHỨC THỰC HIỆN\n1. Phòng Văn hóa\nPHỤ LỤC\nDANH MỤC NHIỆM VỤ NĂM 2026\n"
                  "TT\tNội dung\tChủ trì\n1. Truyền thông\t\t\n1\tTuyên truyền\tSở GD&ĐT\n2. Phổ cập\n")
    assert [(p, k) for p, _, k, _ in got] == [("V", "implementation"), ("V.1", "implementation"),
                                             ("PHỤ LỤC", "appendix"), ("PHỤ LỤC.1", "appendix"),
                                             ("PHỤ LỤC.2", "appendix")]
    doc = doc_from_text("PHỤ LỤC\nDANH MỤC NHIỆM VỤ NĂM 2026\n(Kèm theo Kế hoạch)\n")
    assert parse_outline(doc, SECTIONS)[0].subtitle == "DANH MỤC NHIỆM VỤ NĂM 2026"


def test_without_roman_numerals_arabic_is_the_top_level():
    got = outline("1. MỤC ĐÍCH, YÊU CẦU\n- Nâng cao\n2. NỘI DUNG\n2.1. Tuyên truyền\n3. TỔ CHỨC THỰC HIỆN\n")
    assert [(p, lvl, k) for p, lvl, k, _ in got] == [("1", 1, "purpose"), ("2", 1, "tasks"), ("2.1", 2, "tasks"),
                                                    ("3", 1, "implementation")]


def test_ocr_garbled_roman_numerals_and_heading_words():
    got = outline("I. MỤC TIỂU CỦA PHONG TRÀO\n.ILCHỈ TIÊU CỤ THỂ\nHI.CÁC NHIỆM VỤ, GIẢI PHÁP\nHIỆU TRƯỞNG\n"
                  "HE.TỔ CHỨC THỰC HIỆN\n")
    assert [(p, k, t) for p, _, k, t in got] == [("I", "objectives", "MỤC TIÊU CỦA PHONG TRÀO"),
                                                ("II", "targets", "CHỈ TIÊU CỤ THỂ"),
                                                ("III", "tasks", "CÁC NHIỆM VỤ, GIẢI PHÁP"),
                                                ("IV", "implementation", "TỔ CHỨC THỰC HIỆN")]


def test_a_first_roman_numeral_read_as_one():
    got = outline("1. MỤC TIÊU CỦA PHONG TRÀO\n1. Mục tiêu chung\n- Nâng cao\nH.CHỈ TIÊU CỤ THỂ\n1. Năm học 2025\n"
                  "HI,CÁC NHIỆM VỤ, GIẢI PHÁP\nIV TỔ CHỨC THỰC HIỆN\n")
    assert [p for p, lvl, _, _ in got if lvl == 1] == ["I", "II", "III", "IV"]
    assert [p for p, lvl, _, _ in got if lvl == 2] == ["I.1", "II.1"]


def test_long_list_items_inherit_the_section_kind():
    got = outline("II. MỤC TIÊU\n1. Phấn đấu 95% cán bộ được bồi dưỡng kỹ năng số, thực hiện nhiệm vụ và giải pháp "
                  "chuyển đổi số trong toàn ngành giáo dục của tỉnh.\n")
    assert got[1][2] == "objectives"


def test_bullets_are_outline_rows_under_their_heading():
    from pipeline.understand.outline import list_items
    doc = doc_from_text("I. MỤC TIÊU\n1. Chỉ tiêu\n- Chỉ tiêu:\n+ 100% học sinh.\n+ 02 tin/bài.\n"
                        "- Thời gian: Quý II/2026.\nNơi nhận:\n- Lưu: VT.\n")
    items = list_items(doc, parse_outline(doc, SECTIONS))
    assert [(s.path, s.level, s.number, s.title) for s in items] == [
        ("I.1.b1", 3, "-", "Chỉ tiêu"), ("I.1.b1.b1", 4, "+", "100% học sinh."),
        ("I.1.b1.b2", 4, "+", "02 tin/bài."), ("I.1.b2", 3, "-", "Thời gian")]
    assert all(s.kind == "targets" for s in items)        # inherited from "1. Chỉ tiêu"


def test_capital_letters_are_the_top_level_when_there_are_no_roman_numerals():
    got = outline("A. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\nB. NỘI DUNG\nC. TỔ CHỨC THỰC HIỆN\n")
    assert [(p, lvl, k) for p, lvl, k, _ in got] == [("A", 1, "purpose"), ("A.1", 2, "purpose"), ("B", 1, "tasks"),
                                                    ("C", 1, "implementation")]


def test_ocr_h_for_ii_is_a_roman_numeral_not_a_letter():
    got = outline("I. MỤC ĐÍCH, YÊU CẦU\nH. NỘI DUNG\nIII. TỔ CHỨC THỰC HIỆN\n")
    assert [(p, t) for p, _, _, t in got] == [("I", "MỤC ĐÍCH, YÊU CẦU"), ("II", "NỘI DUNG"),
                                             ("III", "TỔ CHỨC THỰC HIỆN")]


def test_mixed_case_appendix_heading_alone_on_its_line():
    got = outline("V. TỔ CHỨC THỰC HIỆN\n1. Các trường\nPhụ lục 01\nDANH MỤC NHIỆM VỤ\n")
    assert [(p, lvl, k, t) for p, lvl, k, t in got][-1] == ("PHỤ LỤC", 1, "appendix", "Phụ lục 01")
    assert outline("- Chi tiết tại Phụ lục 01 kèm theo.\n") == []


def test_ocr_specks_in_headings_and_a_page_number_before_the_appendix():
    got = outline("I. MỤC ĐÍCH, YÊU CẦU\nII. MỤC 'TIÊU\nIV KINH PHÍ THỰC HIỆN\n7 PHỤ LỤC :\nDANH MỤC NHIỆM VỤ\n")
    assert [(p, t) for p, _, _, t in got] == [("I", "MỤC ĐÍCH, YÊU CẦU"), ("II", "MỤC TIÊU"),
                                             ("IV", "KINH PHÍ THỰC HIỆN"), ("PHỤ LỤC", "PHỤ LỤC")]
