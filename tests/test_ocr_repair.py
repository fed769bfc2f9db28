"""The OCR repair stage (pipeline.reading.ingest.repair) never rewrites correct words, changes only words
Tesseract doubted, keeps the raw reading and records every edit (issue 23)."""
from __future__ import annotations

import pytest

from conftest import FIX, SEEDS, SHARED_FIXTURES, need_shared
from pipeline.reading.ingest import read
from pipeline.reading.ingest.lexicon import bigrams, lexicon, toneless
from pipeline.reading.ingest.repair import repair_page, repair_pages
from pipeline.model import Page
from pipeline.reading.normalize import normalize

pytestmark = pytest.mark.skipif(lexicon() is None, reason="underthesea (the nlp extra) is not installed")


def _doubted_page(text: str, conf: float = 0.0) -> Page:
    """A page of OCR text in which Tesseract doubted every word (the worst case for the repair)."""
    return Page(text=text, ocr=True, at_risk=True, words=[(w, conf) for w in text.split()])


# The delivered texts' own misspellings and stray marks: the only places where a word of these correct
# texts is no word in context. Everything else (65,212 words) must come through unchanged.
MISSPELLED = {
    ("000_128bace28e546b8b", "trào ‘", "trào"), ("000_128bace28e546b8b", "‘ Bình", "Bình"),     # one mark
    ("000_128bace28e546b8b", "chuyến", "chuyển"),
    ("000_128bace28e546b8b", "giảo", "giáo"), ("000_128bace28e546b8b", "dân.", "dân"),
    ("laichau_7360kh_luat_tieuchuan_2025", "thị", "thi"), ("laichau_7360kh_luat_tieuchuan_2025", "kính", "kinh"),
    ("nghean_982kh_thidua_daihoi_2025", ".các", "các"), ("sonla_2954qd_xuatkhau_2025", "măt", "mặt"),
    ("sonla_2954qd_xuatkhau_2025", "thuế", "thuê"), ("sonla_2954qd_xuatkhau_2025", "tiên,", "tiện,"),
}


def _correct_texts():
    need_shared()
    for p in sorted(SEEDS.glob("*.txt")) + sorted((FIX / "devset" / "docs").glob("*.txt")):
        yield p.stem, normalize(read(p)).text
    for p in sorted((SHARED_FIXTURES / "truth").glob("*.txt")):
        yield p.stem, p.read_text(encoding="utf-8")


def _pages(text: str, size: int = 4000) -> list[str]:
    """The text cut at line ends into pieces of about a page, as OCR reads it."""
    out, cur = [], []
    for line in text.split("\n"):
        cur.append(line)
        if sum(len(x) + 1 for x in cur) >= size:
            out.append("\n".join(cur))
            cur = []
    return out + (["\n".join(cur)] if cur else [])


def test_repair_over_correct_text_changes_no_correct_word():
    """Issue 23: the first tone repair made 171 changes over this text ("trong đó" -> "tròng đỏ",
    "Hằng năm có" -> "Hằng nằm co"). With every word doubted it may now change only the delivered
    texts' own misspellings."""
    changes, words = set(), 0
    for stem, text in _correct_texts():
        words += len(text.split())
        for chunk in _pages(text):
            page = _doubted_page(chunk)
            for e in repair_page(page, 1):
                changes.add((stem, e.before, e.after))
            assert page.raw_text == chunk
    assert words > 60000
    assert changes <= MISSPELLED, sorted(changes - MISSPELLED)


def test_repair_over_generated_text_changes_nothing():
    """Text the test makes: every two-syllable compound of the word lists that administrative text
    uses, each in a list as a plan writes them ("- chuyển đổi, ..."), every word doubted."""
    index, pairs = lexicon(), bigrams()
    compounds = sorted({" ".join(c) for key, cs in index.items() if isinstance(cs, list) for c in cs
                        if len(c) == 2 and c in pairs})
    assert len(compounds) > 2000
    text = "\n".join("- " + ", ".join(compounds[i:i + 6]) + ";" for i in range(0, len(compounds), 6))
    page = _doubted_page(text)
    assert repair_page(page, 1) == []
    assert page.text == text


@pytest.mark.parametrize("read_as, conf, expected", [
    ("công nghệ, đối mới sáng tạo", 40.0, "công nghệ, đổi mới sáng tạo"),
    ("công nghệ, đối mới sáng tạo", 97.0, "công nghệ, đối mới sáng tạo"),           # read surely: left
    # "chuyến" pairs with no neighbour; "đối" stands only by "đối số": both change, "đổi số" still pairs
    ("nhằm chuyến đối số cho người dân", 40.0, "nhằm chuyển đổi số cho người dân"),
    ("nhằm chuyến đối số cho người dân", 97.0, "nhằm chuyến đối số cho người dân"),  # read surely: left
    ("giải quyết đối số hóa", 40.0, "giải quyết đối số hóa"),       # "đối" pairs with "số": no orphan beside it
    # a neighbour that pairs with its far word as administrative text does ("ban hành", "tư ngay" is
    # no compound but "đối với" is a pair) is held: the orphan beside it stays as read
    ("Các cơ quan tự ban hành quy chế.", 40.0, "Các cơ quan tự ban hành quy chế."),
    ("Tập trung đầu tư ngay.", 40.0, "Tập trung đầu tư ngay."),
    ("Thiết bị điện tử ngay.", 40.0, "Thiết bị điện tử ngay."),
    ("Sử dụng nguồn quỹ đối với hoạt động khen thưởng.", 40.0, "Sử dụng nguồn quỹ đối với hoạt động khen thưởng."),
    ("biên giới biển đối với tàu cá.", 40.0, "biên giới biển đối với tàu cá."),
    # a word one take changed or leant on is not another take's anchor ("hoàng tử" and "trọng lượng" would
    # each be justified by the other's reading as it was, and "tử trọng" is no pair)
    ("hoang tư trong lương", 40.0, "hoang tư trong lương"),
    ("trong đó 100% cán bộ quản lý", 10.0, "trong đó 100% cán bộ quản lý"),
    ("Hằng năm có ít nhất 01 sáng kiến", 10.0, "Hằng năm có ít nhất 01 sáng kiến"),
    ("tham gia các khóa học trực tuyến", 10.0, "tham gia các khóa học trực tuyến"),
    ("đơn vị cấp tỉnh, cấp xã", 10.0, "đơn vị cấp tỉnh, cấp xã"),
    ("Ban Thường vụ Tỉnh ủy", 10.0, "Ban Thường vụ Tỉnh ủy"),
    ("tại xã Trường Văn", 10.0, "tại xã Trường Văn"),                 # a name is left as read
    ("phục vụ công tác qua IOC tỉnh", 10.0, "phục vụ công tác qua IOC tỉnh"),   # an abbreviation
    ("- 100% học. sinh", 30.0, "- 100% học sinh"),
    ("- 100% học. sinh", 97.0, "- 100% học. sinh"),
])
def test_only_doubted_words_change_and_only_where_no_word_stands(read_as, conf, expected):
    page = _doubted_page(read_as, conf)
    repair_page(page, 1)
    assert page.text == expected
    assert page.raw_text == read_as


def test_every_edit_points_into_the_raw_reading_and_says_why():
    raw = "Tố chức thực hiện\n- 100% học. sinh được tập huấn kỳ năng số; tối thiểu Ù1 mô hình\nQuý 1V/2026"
    page = _doubted_page(raw, 50.0)
    page.words[0] = ("Tố", 99.0)                     # read surely: never changed
    edits = repair_page(page, 3)
    assert page.text == "Tố chức thực hiện\n- 100% học sinh được tập huấn kỹ năng số; tối thiểu 01 mô hình\nQuý IV/2026"
    assert [(e.before, e.after) for e in edits] == [("học.", "học"), ("kỳ", "kỹ"), ("Ù1", "01"), ("1V/2026", "IV/2026")]
    for e in edits:
        assert e.page == 3 and raw[e.offset:e.offset + len(e.before)] == e.before
        assert e.why.split(":")[0] in ("speck", "tone") and e.confidence == 50.0
    assert "kỹ năng" in edits[1].why


def test_only_pages_at_risk_are_repaired_and_abbreviations_settle_across_pages():
    sure = Page(text="Sở GD&ĐT; Sở GD&ĐT; Sở GD&ĐT", ocr=True, at_risk=False, words=[])
    risky = _doubted_page("phòng GI&ĐT và Sở GD&ĐT, kỳ năng", 40.0)
    clean = Page(text="kỳ năng số", ocr=True, at_risk=False, words=[("kỳ", 10.0), ("năng", 10.0), ("số", 10.0)])
    repair_pages([sure, risky, clean])
    assert risky.text == "phòng GD&ĐT và Sở GD&ĐT, kỹ năng"
    assert [(e.page, e.before, e.after, e.why.split(":")[0]) for e in risky.edits] == [
        (2, "GI&ĐT", "GD&ĐT", "abbreviation"), (2, "kỳ", "kỹ", "tone")]
    assert clean.text == "kỳ năng số" and clean.edits == [] and sure.edits == []


def test_confusions_read_against_the_word_lists():
    assert toneless("Chuyển") == "chuyên"
    assert ("tối", "thiểu") in bigrams() and ("tròng", "đỏ") not in bigrams()


def test_a_word_read_surely_changes_only_to_a_letter_tesseract_weighed():
    """Tesseract's LSTM choices per character (hOCR, lstm_choice_mode=2): a word read with its top
    confidence may change only where the recognizer weighed the new letter at that place."""
    from pipeline.model import ReadWord

    def page(alts):
        words = [(ReadWord("tối"), 98.0), (ReadWord("thiếu", alts), 98.0), (ReadWord("75%"), 98.0)]
        return Page(text="tối thiếu 75%", ocr=True, at_risk=True, words=words)
    weighed = page({3: "ể"})
    repair_page(weighed, 1)
    assert weighed.text == "tối thiểu 75%"
    assert [(e.before, e.after) for e in weighed.edits] == [("thiếu", "thiểu")]
    for alts in ({}, {3: "ề"}, {1: "ể"}):           # none, another mark, the right mark elsewhere
        sure = page(alts)
        repair_page(sure, 1)
        assert sure.text == "tối thiếu 75%", alts


def test_hocr_choices_become_each_letters_alternatives():
    from pipeline.reading.ingest.ocr import _hocr_alternatives
    hocr = """<span class='ocr_line' id='line_1_1'>
      <span class='ocrx_word' id='word_1_1' title='bbox 1 1 9 9; x_wconf 96'>tối
       <span class='ocrx_cinfo' id='lstm_choices_1_1_1'>
        <span class='ocrx_cinfo' id='choice_1_1_1' title='x_confs 93.8'> </span></span>
       <span class='ocrx_cinfo' id='lstm_choices_1_1_2'>
        <span class='ocrx_cinfo' id='choice_1_1_2' title='x_confs 95.7'>t</span></span>
       <span class='ocrx_cinfo' id='lstm_choices_1_1_3'>
        <span class='ocrx_cinfo' id='choice_1_1_3' title='x_confs 90.1'>ố</span>
        <span class='ocrx_cinfo' id='choice_1_1_4' title='x_confs 40.2'>ổ</span>
        <span class='ocrx_cinfo' id='choice_1_1_5' title='x_confs 0'>ồ</span></span>
       <span class='ocrx_cinfo' id='lstm_choices_1_1_4'>
        <span class='ocrx_cinfo' id='choice_1_1_6' title='x_confs 98.0'>i</span></span>
      </span>
      <span class='ocrx_word' id='word_1_2' title='bbox 1 1 9 9; x_wconf 96'>GD&amp;ĐT
       <span class='ocrx_cinfo' id='lstm_choices_1_2_1'>
        <span class='ocrx_cinfo' id='choice_1_2_1' title='x_confs 93.8'>G</span></span>
      </span>
    </span>"""
    assert _hocr_alternatives(hocr) == [("tối", {1: "ổ"}), ("GD&ĐT", {})]   # a 0 is no choice; choices not one per letter: none
