"""Normalizers: case tables and hypothesis properties."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.reading.ingest.text import decode_bytes
from pipeline.reading.normalize import normalize_text
from pipeline.vi import tone_key
from pipeline.reading.normalize.layout import unwrap
from pipeline.reading.normalize.legacy import detect_legacy, legacy_decode
from pipeline.reading.normalize.unicode import clean_chars, strip_markup


@pytest.mark.parametrize("raw, expected", [
    ("**KẾ HOẠCH**", "KẾ HOẠCH"),
    ("### **III. CÁC NHIỆM VỤ, GIẢI PHÁP**", "III. CÁC NHIỆM VỤ, GIẢI PHÁP"),
    ("địa phương<sup>3</sup>, các cơ sở", "địa phương, các cơ sở"),
    ("GD&amp;ĐT", "GD&ĐT"),
    ('<a href="https://x.vn/">https://x.vn/</a> phù hợp', "https://x.vn/ phù hợp"),
    ("<b>1. Truyền thông</b>\t\t", "1. Truyền thông\t\t"),
    ("trang web: <http://binhdanhocvuso.gov.vn/> nhằm", "trang web: http://binhdanhocvuso.gov.vn/ nhằm"),
    ("***Nơi nhận:***", "Nơi nhận:"),
    ("* mục một", "- mục một"),
    ("<html><head><style>p{x:1}</style></head><body><p>Kế hoạch</p><script>var a=1;</script></body></html>",
     " Kế hoạch\n\n"),                          # a paragraph ends its line, as in text
    ("<html><p>2. Mục tiêu cụ thể</p><p>2</p><p>- 100% học sinh</p>", " 2. Mục tiêu cụ thể\n\n 2\n\n - 100% học sinh\n\n"),
    ("<html><table><tr><td><p>TT</p></td><td><div>Nội dung</div></td></tr></table>", "\n TT \t Nội dung \n"),
    ("1\tMô hình:</p> <p>(1) Gia đình số\tThường xuyên", "1\tMô hình:   (1) Gia đình số\tThường xuyên"),  # debris in a text row
    ("<table><tr><td>TT</td><td>Nội dung</td></tr><tr><td>1</td><td>Tuyên truyền</td></tr></table>",
     "\nTT\tNội dung\n\n1\tTuyên truyền\n"),
    ("| TT | Nội dung |\n|---|---|\n| 1 | Tuyên truyền |", "TT\tNội dung\n1\tTuyên truyền"),
])
def test_strip_markup(raw, expected):
    assert strip_markup(raw) == expected


def test_nfd_becomes_nfc_and_eth_becomes_dj():
    nfd = unicodedata.normalize("NFD", "Việt Nam")
    assert clean_chars(nfd) == "Việt Nam"
    assert clean_chars("BGD\u00d0T") == "BGDĐT"
    assert clean_chars("a\u00a0b\u200bc\r\nd") == "a bc\nd"


@pytest.mark.parametrize("a, b", [("hoà bình", "hòa bình"), ("thuỷ lợi", "thủy lợi"), ("Khánh Hoà", "khánh hòa"),
                                  ("Uỷ ban", "ủy ban")])
def test_tone_key_unifies_old_and_new_placement(a, b):
    assert tone_key(a) == tone_key(b)


def test_tone_key_keeps_medial_tones():
    assert tone_key("hoàn thành") == "hoàn thành"
    assert tone_key("quý") == "quý"


def test_hard_wrapped_lines_are_joined_but_headings_and_items_kept():
    text = ("I. MỤC TIÊU\n\n1. Mục tiêu chung\n\n- Nâng cao nhận thức về tầm quan trọng của chuyển đổi số và kiến\n\n"
            "thức cho học sinh, phụ huynh và cộng đồng.\n\n- Trang bị kiến thức\n")
    out = normalize_text(text)
    assert out.split("\n") == [
        "I. MỤC TIÊU", "1. Mục tiêu chung",
        "- Nâng cao nhận thức về tầm quan trọng của chuyển đổi số và kiến thức cho học sinh, phụ huynh và cộng đồng.",
        "- Trang bị kiến thức"]


def test_year_range_broken_at_dash_is_rejoined():
    assert normalize_text("thực hiện từ năm học 2025-\n2026;") == "thực hiện từ năm học 2025-2026;"


def test_lone_page_number_is_dropped():
    out = normalize_text("2. Mục tiêu cụ thể\n\n\n\n2\n\n\n- 100% học sinh của trường")
    assert out == "2. Mục tiêu cụ thể\n- 100% học sinh của trường"


def test_page_numbers_and_running_headers_on_pages():
    pages = [f"KẾ HOẠCH BDHVS\nnội dung trang {i}.\n{i}" for i in range(1, 5)]
    text, starts = unwrap(pages, paged=True)
    assert "KẾ HOẠCH BDHVS" not in text
    assert text.count("\f") == 3 and len(starts) == 4
    assert text.split("\f")[2] == "nội dung trang 3."


def test_tab_table_rows_keep_their_own_lines():
    text = "TT\tNội dung\tChủ trì\n1\tTổ chức tuyên truyền\tCác trường\n\t(4) tiếp theo\t\n"
    assert normalize_text(text) == "TT\tNội dung\tChủ trì\n1\tTổ chức tuyên truyền\tCác trường\n\t(4) tiếp theo\t"


def test_all_caps_heading_broken_over_two_lines_is_joined():
    assert normalize_text("II. CHỈ TIÊU CỤ THỂ NĂM HỌC\n2025 - 2026 CỦA NHÀ TRƯỜNG\n1. Nội dung") == \
        "II. CHỈ TIÊU CỤ THỂ NĂM HỌC 2025 - 2026 CỦA NHÀ TRƯỜNG\n1. Nội dung"


# --- encodings ---------------------------------------------------------------------------------

def _to_legacy(text: str, name: str) -> str:
    from viparse.normalize.encodings import get_charmap
    pairs = sorted(get_charmap(name).pairs, key=lambda p: -len(p[1]))
    out, i = [], 0
    while i < len(text):
        for legacy, uni in pairs:
            if text.startswith(uni, i):
                out.append(legacy)
                i += len(uni)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


SENTENCE = "kế hoạch triển khai phong trào bình dân học vụ số năm học 2025-2026 của nhà trường"


@pytest.mark.parametrize("name", ["tcvn3", "vni"])
def test_legacy_text_is_detected_and_converted(name):
    legacy = _to_legacy(SENTENCE, name)
    assert legacy != SENTENCE
    assert detect_legacy(legacy) == name
    assert legacy_decode(legacy, name) == SENTENCE


def test_unicode_text_is_not_taken_for_legacy():
    assert detect_legacy("Cộng hòa xã hội chủ nghĩa Việt Nam, kế hoạch năm 2026") is None


def test_font_name_decides_legacy_encoding():
    assert detect_legacy("abc", fonts=[".VnTime"]) == "tcvn3"


@pytest.mark.parametrize("data", [
    "Kế hoạch số 12".encode("utf-8"),
    b"\xef\xbb\xbf" + "Kế hoạch số 12".encode("utf-8"),
    "Kế hoạch số 12".encode("utf-16"),
])
def test_decode_unicode_encodings(data):
    assert decode_bytes(data) == "Kế hoạch số 12"


def _cp1258(text: str) -> bytes:
    """Windows-1258 stores vowel + quality mark precomposed and the tone as a combining mark."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            tone = [m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323"]
            quality = [m for m in marks if m not in tone]
            out.append((unicodedata.normalize("NFC", base + "".join(quality)) + "".join(tone)).encode("cp1258"))
    return b"".join(out)


def test_decode_windows_1258():
    raw = _cp1258("Việt Nam kế hoạch")
    assert unicodedata.normalize("NFC", decode_bytes(raw)) == "Việt Nam kế hoạch"


def test_decode_tcvn3_bytes():
    raw = _to_legacy(SENTENCE, "tcvn3").encode("cp1252")
    assert decode_bytes(raw) == SENTENCE


# --- properties ----------------------------------------------------------------------------------

_alphabet = st.sampled_from(list("aăâeêioôơuưyđAĐ ạảấầờữỹ0123456789.,;:-–()%/“”\n\t\f*#<>")
                            + ["\u0301", "\u0323", "  ", "\n\n", "- ", "1. ", "II. "])
texts = st.lists(_alphabet, max_size=120).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_normalize_is_idempotent_and_nfc(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert unicodedata.is_normalized("NFC", once)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, min_size=1, max_size=5))
def test_page_count_kept_and_page_starts_point_after_breaks(pages):
    text, starts = unwrap(pages, paged=True)
    assert text.count("\f") == len(pages) - 1
    assert len(starts) == len(pages)
    assert starts[0] == 0 and all(text[s - 1] == "\f" for s in starts[1:])


@settings(max_examples=200, deadline=None)
@given(texts)
def test_normalize_invents_no_letters(text):
    out = normalize_text(text)
    letters_in = {c for c in unicodedata.normalize("NFC", text) if c.isalpha()}
    assert {c for c in out if c.isalpha()} <= letters_in


def test_tab_after_a_list_marker_is_a_space():
    assert normalize_text("I.\tMỤC ĐÍCH\n1.\tMục đích\n-\tNâng cao nhận thức\nTT\tNội dung") == \
        "I. MỤC ĐÍCH\n1. Mục đích\n- Nâng cao nhận thức\nTT\tNội dung"


def test_table_row_with_numbered_first_cell_keeps_its_cells():
    assert normalize_text("1.\tTuyên truyền\tSở GD&ĐT") == "1.\tTuyên truyền\tSở GD&ĐT"


@pytest.mark.parametrize("raw, expected", [
    ("**I. MỤC\nĐÍCH, YÊU CẦU**\n\n**1.\nMục đích: **Xác định số lượng", "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích: Xác định số lượng"),
    ("**V. THỜI GIAN VÀ TRÁCH NHIỆM THỰC\nHIỆN**\n-\nPhân công nhiệm vụ.", "V. THỜI GIAN VÀ TRÁCH NHIỆM THỰC HIỆN\n- Phân công nhiệm vụ."),
    ("*1.1.\nTrưởng Ban Chỉ đạo*\n- Phụ trách chung.", "1.1. Trưởng Ban Chỉ đạo\n- Phụ trách chung."),
    ("|\n**ỦY BAN NHÂN\nDÂN **\nTỈNH LAI CHÂU\n|\nSố:\n7360/KH-UBND\n|\n*Lai Châu, ngày\n19 tháng 11 năm 2025*\n|",
     "ỦY BAN NHÂN DÂN\nTỈNH LAI CHÂU\nSố: 7360/KH-UBND\nLai Châu, ngày 19 tháng 11 năm 2025"),
    ("** **\n\n**QUYẾT ĐỊNH**", "QUYẾT ĐỊNH"),
    ("giai đoạn 2021\n- 2025”;", "giai đoạn 2021 - 2025”;"),
    ("1. Năm học 2025 -2026\n- 95% cán bộ", "1. Năm học 2025 -2026\n- 95% cán bộ"),
])
def test_markdown_hard_wraps_undone(raw, expected):
    assert normalize_text(raw) == expected


def test_tcvn3_keeps_its_quotes_and_dashes():
    raw = _to_legacy(SENTENCE, "tcvn3").encode("cp1252")
    assert decode_bytes(b"\x93" + raw + b"\x94 \x96 x") == f"“{SENTENCE}” – x"


def test_a_stray_byte_in_utf8_is_replaced_and_reported():
    text = "Kế hoạch triển khai phong trào năm 2026 của nhà trường, " * 3
    data = text.encode("utf-8")
    warnings: list = []
    got = decode_bytes(data[:30] + b"\xff" + data[30:], warnings)
    assert got.replace("\ufffd", "") == text and warnings and "byte 30" in warnings[0]


def test_portal_tables_become_tab_rows_and_the_letterhead_stays_lines():
    from pipeline.reading.normalize.unicode import portal_tables
    head = "|\n**ỦY BAN NHÂN DÂN**\nTỈNH X\n|\nCỘNG HÒA\n|\n|\nSố: 1/KH\n|\nX, ngày 1 tháng 1 năm 2026\n|"
    assert portal_tables(head) == head
    table = "|\n**TT**\n|\n**Chỉ tiêu**\n|\n**ĐVT**\n|\n|\n1\n|\nDiện tích\ncà phê\n|\nHa\n|\n"
    assert portal_tables(table) == "**TT**\t**Chỉ tiêu**\t**ĐVT**\n1\tDiện tích cà phê\tHa\n"
    assert normalize_text(table) == "TT\tChỉ tiêu\tĐVT\n1\tDiện tích cà phê\tHa"


def test_a_stray_asterisk_from_ocr_joins_no_lines():
    """An opening quote OCR read as '*' opens no emphasis span: the signature block after it keeps its lines."""
    text = normalize_text("thực hiện Phong trào *Bình dân học vụ số”\nhiệu quả phong trào.\nNơi nhận:\n"
                          "HIỆU TRƯỞNG\nPhòng VH-XH xã (b/c);\nLưu: VT\nVũ Thị Minh")
    assert text.split("\n")[-5:] == ["Nơi nhận:", "HIỆU TRƯỞNG", "Phòng VH-XH xã (b/c);", "Lưu: VT", "Vũ Thị Minh"]


def test_an_asterisk_between_blanks_opens_no_span():
    """A quote OCR read as '*' with blanks on both sides is not emphasis, even when a later stray '*'
    could close it: the title and the 'Căn cứ' paragraph under it stay apart."""
    text = normalize_text("Phong trào * Bình dân học vụ số” với chủ đề “Cùng em\nvững bước” năm 2026\n"
                          "Căn cứ Công văn số 61/SGDĐT-VP về chủ đề “Cùng em vững bước”*\nsố”")
    assert text.split("\n")[0].endswith("năm 2026")


def test_a_page_number_is_not_a_list_marker_for_the_next_page():
    """Issue 24: a page number at the top of a page ("2") was joined to the bullet under it as a list
    marker, and "2 - 100% học sinh" became a range target 2-100%."""
    from pipeline.reading.normalize import normalize_pages
    text, _ = normalize_pages(["II. MỤC TIÊU\n- 100% giáo viên được tập huấn.", "2\n- 100% học sinh được trang bị kỹ năng số."])
    assert text.split("\f")[1].strip() == "- 100% học sinh được trang bị kỹ năng số."
    assert "2.\n- 1" not in text
    text, _ = normalize_pages(["Nội dung:\n2.\nTuyên truyền, phổ biến."])
    assert "2. Tuyên truyền, phổ biến." in text               # a numbered item keeps its number


@pytest.mark.parametrize("head", [
    "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU Số: 12/KH-UBND CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
    "Lai Châu, ngày 03 tháng 11 năm 2025",
    "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU Số: CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc 12/KH-UBND "
    "Lai Châu, ngày 03 tháng 11 năm 2025",
    "| ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI |\n|---|---|\n| TỈNH LAI CHÂU | CHỦ NGHĨA VIỆT NAM |\n"
    "| Số: 12/KH-UBND | Độc lập - Tự do - Hạnh phúc |\n| | Lai Châu, ngày 03 tháng 11 năm 2025 |",
])
def test_a_letterhead_run_together_or_in_a_table_is_put_back_in_its_lines(head):
    """Issue 22: the form of every administrative document (Decree 30/2020/ND-CP): issuer and number on the
    left, motto, slogan, place and date on the right."""
    from pipeline.reading.normalize import normalize_text
    lines = normalize_text(head + "\n\nKẾ HOẠCH\nTriển khai năm 2026").split("\n")
    assert lines[:5] == ["ỦY BAN NHÂN DÂN TỈNH LAI CHÂU", "Số: 12/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                         "Độc lập - Tự do - Hạnh phúc", "Lai Châu, ngày 03 tháng 11 năm 2025"]


def test_a_heading_wrapped_before_letters_of_a_roman_numeral_is_one_heading():
    from pipeline.reading.normalize import normalize_text
    assert normalize_text("III. NHIỆM\nVỤ TRỌNG TÂM\nNội dung.").split("\n")[0] == "III. NHIỆM VỤ TRỌNG TÂM"
    # "VI, ..." reads as an OCR-garbled numeral ("HI.CÁC", "IL MỤC"): it stays a line of its own
    assert normalize_text("III. PHẠM\nVI, ĐỐI TƯỢNG\nNội dung.").split("\n")[0] == "III. PHẠM"
    assert normalize_text("I. MỤC ĐÍCH\nII. YÊU CẦU\nNội dung.").split("\n")[:2] == ["I. MỤC ĐÍCH", "II. YÊU CẦU"]
