"""Document metadata from the header block, the preamble and the closing block."""
from __future__ import annotations

import pytest

from conftest import SAMPLES, SEEDS, doc_from_text
from pipeline.api import load_plan
from pipeline.understand.extract import extract


def meta_of(text):
    return extract(doc_from_text(text)).metadata


HEADER = """UBND TỈNH ĐẮK LẮK
SỞ GIÁO DỤC VÀ ĐÀO
TẠO
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 215/KH-SGDĐT
Buôn Ma Thuột, ngày 05 tháng 9 năm 2025
KẾ HOẠCH
Triển khai Phong trào “Bình dân học vụ số”
năm học 2025-2026
Căn cứ Kế hoạch số 76/KH-UBND ngày 13/3/2026 của UBND tỉnh;
I. MỤC ĐÍCH
Nội dung.
Nơi nhận:
- UBND tỉnh;
- Lưu: VT.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Trần Văn An
"""


def test_header_block_metadata():
    m = meta_of(HEADER)
    assert (m.doc_type, m.doc_number, m.place, m.issued_date) == ("Kế hoạch", "215/KH-SGDĐT", "Buôn Ma Thuột",
                                                                  "2025-09-05")
    assert m.title == "Triển khai Phong trào “Bình dân học vụ số” năm học 2025-2026"
    assert (m.issuer, m.parent_issuer) == ("Sở Giáo dục và Đào tạo tỉnh Đắk Lắk", "UBND tỉnh Đắk Lắk")
    assert (m.signer_title, m.signer_name) == ("Phó Giám đốc", "Trần Văn An")
    assert m.recipients == ["UBND tỉnh", "Lưu: VT"]
    assert (m.unit_level, m.school_level, m.province) == ("province", None, "Đắk Lắk")
    assert (str(m.scope_start), str(m.scope_end)) == ("2025-09-01", "2026-05-31")


def test_partial_and_blank_dates_and_numbers():
    m = meta_of("Số: /KH-UBND\nTân Kỳ, ngày tháng 4 năm 2026\nKẾ HOẠCH\nVề chuyển đổi số\nI. MỤC TIÊU\n")
    assert (m.doc_number, m.place, m.issued_date) == (None, "Tân Kỳ", "2026-04")
    m = meta_of("KẾ HOẠCH\nVề chuyển đổi số\nI. MỤC TIÊU\n")
    assert (m.doc_number, m.place, m.issued_date, m.signer_name) == (None, None, None, None)


@pytest.mark.parametrize("issuer_sentence, issuer, level, school", [
    ("Trường Mầm non Hoa Sen xây dựng kế hoạch như sau:", "Trường Mầm non Hoa Sen", "school", "mầm non"),
    ("Trường THPT Lê Quý Đôn xây dựng Kế hoạch như sau:", "Trường THPT Lê Quý Đôn", "school", "THPT"),
    ("Trường TH&THCS Tân Hòa xây dựng kế hoạch như sau:", "Trường TH&THCS Tân Hòa", "school", "liên cấp"),
    ("Ủy ban nhân dân phường Bến Thành ban hành Kế hoạch như sau:", "Ủy ban nhân dân phường Bến Thành",
     "commune", None),
    ("Bộ Giáo dục và Đào tạo ban hành Kế hoạch như sau:", "Bộ Giáo dục và Đào tạo", "ministry", None),
])
def test_issuer_from_the_preamble_and_levels(issuer_sentence, issuer, level, school):
    m = meta_of(f"KẾ HOẠCH\nVề chuyển đổi số\nCăn cứ tình hình thực tế, {issuer_sentence}\nI. MỤC TIÊU\n")
    assert (m.issuer, m.unit_level, m.school_level) == (issuer, level, school)


def test_ambiguous_province_is_left_empty_with_candidates():
    m = meta_of("KẾ HOẠCH\nPhối hợp giữa tỉnh Gia Lai và tỉnh Đắk Lắk\nI. MỤC TIÊU\n")
    assert m.province is None and m.province_candidates == ["Gia Lai", "Đắk Lắk"]


def test_old_province_names_map_to_the_new_ones():
    m = meta_of("KẾ HOẠCH\nCủa trường tại tỉnh Quảng Bình\nI. MỤC TIÊU\n")
    assert m.province == "Quảng Trị"


def test_seed_and_fixture_metadata_agree():
    a = load_plan(SEEDS / "003_cde70750019bb95c.txt").metadata
    b = load_plan(SAMPLES / "003_cde70750019bb95c.docx").metadata
    for field in ("doc_type", "doc_number", "issuer", "issued_date", "place", "signer_name", "signer_title",
                  "unit_level", "province"):
        assert getattr(a, field) == getattr(b, field), field
    assert b.parent_issuer is None and a.signer_title == "Phó Chủ tịch"


def test_district_bodies_and_place_pieced_from_the_header():
    m = meta_of("UBND HUYỆN CHƯ SÊ\nPHÒNG GIÁO DỤC VÀ ĐÀO TẠO\nKẾ HOẠCH\nVề chuyển đổi số\n"
                "Phòng Giáo dục và Đào tạo xây dựng Kế hoạch như sau:\nI. MỤC TIÊU\n")
    assert (m.issuer, m.unit_level) == ("Phòng Giáo dục và Đào tạo huyện Chư Sê", "other")


def test_place_when_number_and_date_columns_share_a_line():
    m = meta_of("TRƯỜNG THCS A\nSố: 126/KH-NVN Quận 12, ngày 11 tháng 10 năm 2025\nKẾ HOẠCH\nVề số\nI. MỤC TIÊU\n")
    assert (m.doc_number, m.place, m.issued_date) == ("126/KH-NVN", "Quận 12", "2025-10-11")


def test_issuer_from_the_letterhead_not_the_basis_list():
    text = ("|\n**UỶ BAN NHÂN\nDÂN**\nTỈNH LAI CHÂU\n--------\n|\n**CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM**\n|\n"
            "Số:\n7360/KH-UBND\n|\n*Lai Châu, ngày\n19 tháng 11 năm 2025*\n|\n\n**KẾ HOẠCH**\n\nTriển khai Luật\n\n"
            "*Căn cứ Quyết định số 3531/QĐ-BTC ngày 17 tháng 10 năm 2025 của Bộ trưởng Bộ Tài chính về ban hành "
            "Kế hoạch triển khai;*\n\nỦy ban nhân dân tỉnh ban hành Kế hoạch như sau:\n\n**I. MỤC ĐÍCH**\n\nNội dung.\n")
    m = meta_of(text)
    assert (m.issuer, m.doc_number, m.place, m.issued_date, m.unit_level) == (
        "Ủy ban nhân dân tỉnh Lai Châu", "7360/KH-UBND", "Lai Châu", "2025-11-19", "province")


def test_letters_one_line_titles_and_school_names():
    letter = meta_of("ỦY BAN NHÂN DÂN\nXÃ TÂN AN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                     "Số: 45/UBND-VX\nV/v triển khai phong trào Bình dân học vụ số\nTân An, ngày 05 tháng 3 năm 2026\n"
                     "Kính gửi: Các trường học trên địa bàn xã.\nUBND xã đề nghị các trường thực hiện.\n")
    assert (letter.doc_type, letter.issuer, letter.issued_date, letter.title) == (
        "Công văn", "Ủy ban nhân dân xã Tân An", "2026-03-05", "triển khai phong trào Bình dân học vụ số")
    plan = meta_of("TRƯỜNG THCS LÊ LỢI\nSố: 12/KH-THCS\nLê Lợi, ngày 10 tháng 9 năm 2025\n"
                   "KẾ HOẠCH HOẠT ĐỘNG NĂM HỌC 2025 - 2026\nI. MỤC TIÊU\n- 100% học sinh được học kỹ năng số.\n")
    assert (plan.doc_type, plan.issuer, plan.title, plan.school_level) == (
        "Kế hoạch", "Trường THCS Lê Lợi", "HOẠT ĐỘNG NĂM HỌC 2025 - 2026", "THCS")


def test_a_news_style_summary_names_its_issuer():
    m = meta_of("Sở Giáo dục và Đào tạo tỉnh Lào Cai vừa ban hành kế hoạch triển khai phong trào năm 2026. "
                "Theo đó, phấn đấu có 100% giáo viên được bồi dưỡng.")
    assert m.issuer == "Sở Giáo dục và Đào tạo tỉnh Lào Cai"


@pytest.mark.parametrize("line", ["Tân Kỳ, ngày 05 tháng 3 năm 2026", "Tan Ky, ngay 05 thang 3 nam 2026",
                                  "Tân Kỳ, ngảy 05 thảng 3 năm 2026"])
def test_the_date_line_survives_lost_or_swapped_tone_marks(line):
    m = meta_of(f"ỦY BAN NHÂN DÂN\nXÃ TÂN KỲ\nSố: 12/KH-UBND\n{line}\nKẾ HOẠCH\nTriển khai năm 2026\nI. MỤC TIÊU\nNội dung.\n")
    assert m.issued_date == "2026-03-05"


def test_letterhead_columns_run_together_by_ocr():
    """OCR of a fax ran the unit's first line and the national motto into one line, the motto garbled:
    the unit's line stands before "CỘNG HÒA XÃ HỘI"."""
    m = meta_of("TRƯỜNG TIỂU HỌC ĐOÀN CỘNG HÒA XÃ HỘI CHỦ NGHĨA Việt kàĐá. —\nLẬP\n"
                "__ - _———Độclập: Tự do - Hạnh phúc...\nKẾ HOẠCH\nPhong trào “Bình dân học vụ số” năm 2026\n"
                "Căn cứ tình hình thực tế của nhà trường.\nI. MỤC ĐÍCH, YÊU CẦU\n- Nâng cao nhận thức.\n")
    assert (m.issuer, m.unit_level, m.school_level) == ("Trường Tiểu học Đoàn Lập", "school", "tiểu học")


def test_a_school_year_scope_only_for_education_plans():
    """Issued in November with no year in its title: a school's or an education body's plan covers the school
    year that starts then; a province's plan on elections covers the calendar year; 'giai đoạn 2026 - 2030'
    is its own range."""
    from conftest import doc_from_text
    from pipeline.understand.extract import extract

    def scope(issuer, title):
        text = (f"{issuer}\nSố: 12/KH-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHà Nội, ngày 18 tháng 11 năm 2025\n"
                f"KẾ HOẠCH\n{title}\nI. MỤC ĐÍCH\n1. Thực hiện tốt.\n")
        m = extract(doc_from_text(text)).metadata
        return str(m.scope_start), str(m.scope_end)
    assert scope("TRƯỜNG TIỂU HỌC AN BÌNH", "Hoạt động ngoại khóa") == ("2025-09-01", "2026-05-31")
    assert scope("ỦY BAN NHÂN DÂN TỈNH AN GIANG", "Phát động thi đua bầu cử") == ("2025-01-01", "2025-12-31")
    assert scope("ỦY BAN NHÂN DÂN TỈNH AN GIANG", "Xuất khẩu giai đoạn 2026 - 2030") == ("2026-01-01", "2030-12-31")


def test_a_central_body_has_no_province():
    """Issue 22: a ministry's plan dated "Hà Nội, ngày ..." was given the province Hà Nội, and the audit
    then held it to Hà Nội's mandates. A plan of a provincial body keeps its province."""
    from conftest import doc_from_text
    from pipeline.understand.extract import extract
    head = "{issuer}\nSố: 12/KH-{sym}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHà Nội, ngày 10 tháng 9 năm 2025\nKẾ HOẠCH\n" \
           "Triển khai phong trào Bình dân học vụ số\nI. MỤC ĐÍCH\n- 100% học sinh tham gia.\n"
    ministry = extract(doc_from_text(head.format(issuer="BỘ GIÁO DỤC VÀ ĐÀO TẠO", sym="BGDĐT"))).metadata
    assert (ministry.unit_level, ministry.province) == ("ministry", None)
    city = extract(doc_from_text(head.format(issuer="SỞ GIÁO DỤC VÀ ĐÀO TẠO\nTHÀNH PHỐ HÀ NỘI", sym="SGDĐT"))).metadata
    assert (city.unit_level, city.province) == ("province", "Hà Nội")
    # a body whose name starts "Bộ" but names its province is that province's
    army = extract(doc_from_text(head.format(issuer="BỘ CHỈ HUY QUÂN SỰ\nTỈNH THANH HÓA", sym="BCH")
                                 .replace("Hà Nội, ngày", "Thanh Hóa, ngày"))).metadata
    assert army.province == "Thanh Hóa"


FAXED_HEAD = """_ ỦY BAN NHÂN BẢN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
XÃ TÂN KỲ ˆ— ————— Độc lập - Tự dơ : Hạnh phúc
Số: /KH-UBND
Tân Kỳ, ngày tháng 4 năm 2026
KẾ HOẠCH
Triển khai Phong trào "Bình dân học vụ số" năm 2026
Căn cứ Kế hoạch số 01-KH/BCĐTW ngày 21/3/2025 của Ban Chỉ đạo Trung ương;
"""


def test_a_scanned_letterhead_reads_its_body_name_through_misread_letters():
    """A fax's letterhead: "ỦY BAN NHÂN BẢN" (two letters misread, a speck before it) is the grammar's body
    name "ỦY BAN NHÂN DÂN" on a scanned page, and the unit's second line stands before the motto's second
    line on the same line; typed, the same letters are left as written (a typo is the unit's own)."""
    from pipeline.model import Page, Source
    from pipeline.reading.normalize import normalize

    def meta(ocr: bool):
        src = Source(doc_id="t", path="t.pdf", sha256="0" * 64, pages=[Page(text=FAXED_HEAD, ocr=ocr)], paged=True)
        return extract(normalize(src)).metadata
    scanned, typed = meta(True), meta(False)
    assert (scanned.issuer, scanned.unit_level) == ("Ủy ban nhân dân xã Tân Kỳ", "commune")
    assert typed.unit_level != "commune" and "nhân bản" in typed.issuer.casefold()
    good = meta_of(FAXED_HEAD.replace("_ ỦY BAN NHÂN BẢN", "ỦY BAN NHÂN DÂN"))
    assert (good.issuer, good.unit_level) == ("Ủy ban nhân dân xã Tân Kỳ", "commune")
