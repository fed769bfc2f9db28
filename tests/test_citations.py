"""Citation forms plans use, OCR noise included, and the non-citations."""
from __future__ import annotations

from datetime import date

import pytest

from conftest import doc_from_text
from pipeline.understand.extract.citations import citation_rules
from pipeline.rules import Rules
from pipeline.understand.extract.citations import find_citations, find_mentions

BUNDLED = Rules.bundled()
CR = citation_rules(BUNDLED)

CITED = [
    ("Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị", "57-NQ/TW"),
    ("theo Quyết định số 146/QĐ-TTg ngày 28/01/2022", "146/QĐ-TTg"),
    ("Thông tư số 02/2025/TT-BGDĐT ngày 24/01/2025", "02/2025/TT-BGDĐT"),
    ("Kế hoạch số 01-KH/BCĐTW, ngày 21/3/2025", "01-KH/BCĐTW"),
    ("Chương trình hành động số 89-Ctr/TU", "89-Ctr/TU"),
    ("Kế hoạch số 574/KH – GDTĐ của Báo giáo dục", "574/KH-GDTĐ"),
    ("công văn số 6312 /SGDĐT-VP ngày 07/1/2026", "6312/SGDĐT-VP"),
    ("Kế hoạch số 953/KHBGDĐT ngày 10/7/2025", "953/KHBGDĐT"),
    ("Căn cứ Công văn số 01/ VHXH của Phòng VHXH", "01/VHXH"),
    ("Kế hoạch số 127/KH-UBND-VHXH ngày 13 tháng 10 năm 2025", "127/KH-UBND-VHXH"),
    ("Thực hiện Kế hoạch 1866/KH-SGDĐT, ngày 31/03/2026", "1866/KH-SGDĐT"),
    ("Căn cứ công văn số 972/GDTĐ ngày 24/12/2025", "972/GDTĐ"),
    ("Nghị định số 13/2023/NĐ-CP ngày 17/4/2023", "13/2023/NĐ-CP"),
    ("Chỉ thị số 29-CT/TW ngày 05/01/2024", "29-CT/TW"),
    ("Luật Giáo dục số 43/2019/QH14", "43/2019/QH14"),
    ("Hướng dẫn số 4126/BGDĐT-GDPT", "4126/BGDĐT-GDPT"),
    ("Thông báo số 02-TB/BCĐTW", "02-TB/BCĐTW"),
    ("Quyết định số 1315/QĐ-TTg ngày 09/11/2023 của Thủ tướng Chính phủ", "1315/QĐ-TTg"),
    ("Kế hoạch hành động số 459-KH/TU ngày 21 tháng 5 năm 2025", "459-KH/TU"),
    ("Nghị quyết 71/NQ-CP", "71/NQ-CP"),
    ("Đề án ban hành kèm theo Quyết định số 131/QĐ-TTg", "131/QĐ-TTg"),
    ("Văn bản hợp nhất số 03/VBHN-BGDĐT", "03/VBHN-BGDĐT"),
    ("Thông tư liên tịch số 07/2015/TTLT-BGDĐT-BNV", "07/2015/TTLT-BGDĐT-BNV"),
    ("Quyết định số 749/QĐ-TTg phê duyệt Chương trình", "749/QĐ-TTg"),
    ("Kết luận số 91-KL/TW của Bộ Chính trị", "91-KL/TW"),
    ("Quy định số 01-QĐi/TW", "01-QĐi/TW"),
    ("Công điện số 12/CĐ-TTg", "12/CĐ-TTg"),
    ("Kế hoạch số 15/KH-UBND triển khai", "15/KH-UBND"),
    ("số 229-QĐ/BCĐ của Ban Chỉ đạo", "229-QĐ/BCĐ"),
    ("Nghị quyết số 57–NQ/TW", "57-NQ/TW"),
    ("Nghị quyết số 57 - NQ/TW", "57-NQ/TW"),
    # OCR noise
    ("Quyết đinh số 146/QĐ-TTG ngày 28/01/2022", "146/QĐ-TTG"),
    ("Nghị quyết số57/NQ-TW", "57/NQ-TW"),
    ("Kế hoạch số 574/KH —~ GDTĐ", "574/KH-GDTĐ"),
    ("Thông tư số 02/2025/TT-\nBGDĐT", "02/2025/TT-BGDĐT"),
    ("Kế hoạch số 3546/KH-\nSGDĐT ngày 6/6/2025", "3546/KH-SGDĐT"),
    ("Thông tư 09/2021/TT-BGDÐT", "09/2021/TT-BGDĐT"),
    ("Quyết định số l46/QĐ-TTg", "146/QĐ-TTg"),
    ("Kế hoạch số 1O5/KH-UBND", "105/KH-UBND"),
    ("Quyết định số 146/QĐ-TTg.", "146/QĐ-TTg"),
    ("(theo Kế hoạch số 734/KH-UBND ngày 15 tháng 02 năm 2024)", "734/KH-UBND"),
    ("Kế hoạch số 76/KH-UBND ngày 13/3/2026 của UBND tỉnh", "76/KH-UBND"),
]

NOT_CITED = [
    "Kế hoạch số /KH-UBND, ngày /4/2026 của UBND xã",
    "ngày 10/10/2025",
    "năm học 2025-2026",
    "tối thiểu 02 tin/bài/tháng",
    "Quý II/2026",
    "giáo dục STEAM/STEM",
    "từ 3–5 thành viên",
    "Ngày Chuyển đổi số (10/10)",
    "100% các xã, phường",
    "Phòng VH-XH xã",
    "hỗ trợ 24/7",
    "Kế hoạch phối hợp triển khai phong trào",
]


def _keys(text):
    return [m.key for m in find_mentions(text, CR)]


@pytest.mark.parametrize("text, key", CITED)
def test_citation_forms(text, key):
    from pipeline.reading.normalize import normalize_text
    assert _keys(normalize_text(text)) == [key]


@pytest.mark.parametrize("text", NOT_CITED)
def test_not_citations(text):
    assert _keys(text) == []


def test_fields_date_issuer_subject_and_roles():
    doc = doc_from_text(
        "Số: 12/KH-THCS\nKẾ HOẠCH\nTriển khai phong trào\n"
        "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học;\n"
        "Căn cứ Công văn số 61/SGDĐT-VP, công văn số 6312 /SGDĐT-VP ngày 07/1/2026 V/v phối hợp triển khai;\n"
        "I. MỤC ĐÍCH\n- Thực hiện Quyết định số 146/QĐ-TTg ngày 28 tháng 01 năm 2022 của Thủ tướng Chính phủ.\n"
        "- Gắn với Nghị quyết số 57-NQ/TW.\n")
    from pipeline.understand.outline import parse_outline, preamble_end
    cites = {c.key: c for c in find_citations(doc, preamble_end(parse_outline(doc, BUNDLED.table("sections")), doc.text), CR)}
    assert set(cites) == {"57-NQ/TW", "61/SGDĐT-VP", "6312/SGDĐT-VP", "146/QĐ-TTg"}   # not the own 12/KH-THCS
    nq = cites["57-NQ/TW"]
    assert (nq.doc_type, nq.issued_date, nq.issuer, nq.role, nq.mentions) == \
        ("Nghị quyết", date(2024, 12, 22), "Bộ Chính trị", "basis", 2)
    assert nq.subject.startswith("đột phá phát triển")
    assert cites["61/SGDĐT-VP"].issued_date is None            # the date belongs to the number it follows
    assert cites["6312/SGDĐT-VP"].issued_date == date(2026, 1, 7)
    qd = cites["146/QĐ-TTg"]
    assert (qd.role, qd.issued_date, qd.issuer) == ("body", date(2022, 1, 28), "Thủ tướng Chính phủ")
    for c in cites.values():
        assert doc.text[c.start:c.end] == c.text


def test_case_variants_are_one_citation():
    doc = doc_from_text("I. NỘI DUNG\nChương trình số 89-Ctr/TU và Chương trình số 89-CTr/TU.")
    cites = find_citations(doc, 0, CR)
    assert [(c.key, c.mentions) for c in cites] == [("89-Ctr/TU", 2)]


def test_numbered_legal_basis_section_is_the_preamble():
    from pipeline.understand.extract import extract
    x = extract(doc_from_text("KẾ HOẠCH\nVề chuyển đổi số năm 2026\nI. CĂN CỨ XÂY DỰNG KẾ HOẠCH\n"
                              "- Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị;\n"
                              "- Kế hoạch số 15/KH-UBND năm 2025 của UBND xã đạt 100% chỉ tiêu;\n"
                              "II. MỤC TIÊU\n- 90% học sinh biết dùng máy tính, thực hiện Quyết định số 146/QĐ-TTg.\n"))
    assert [(c.key, c.role) for c in x.citations] == [("57-NQ/TW", "basis"), ("15/KH-UBND", "basis"),
                                                       ("146/QĐ-TTg", "body")]
    assert [t.value for t in x.targets] == [90]
    assert [d.text for d in x.deadlines] == ["năm 2026"]


def test_lookalike_characters_do_not_break_keys_or_numbers():
    """A non-breaking hyphen, a Cyrillic Т and full-width digits are read as what they look like; the
    offsets still point into the text as printed."""
    from conftest import doc_from_text
    from pipeline.understand.extract import extract
    printed = ("KẾ HOẠCH\nCăn cứ Nghị quyết số 57\u2011NQ/TW ngày 22/12/2024 và Quyết định số 146/QĐ-T\u0422g;\n"
               "I. MỤC TIÊU\n1. Phấn đấu \uff11\uff10\uff10\uff05 học sinh được trang bị kỹ năng số.\n")
    x = extract(doc_from_text(printed))
    assert {c.key for c in x.citations} == {"57-NQ/TW", "146/QĐ-TTg"}
    (t,) = x.targets
    assert (t.value, t.unit) == (100, "%")
    assert x.document.text[t.start:t.end] == "\uff11\uff10\uff10\uff05"
