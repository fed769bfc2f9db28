"""Deadlines: interpretation case table, finding in context, exclusions, and date-normalizer properties."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import doc_from_text
from pipeline.rules import Rules
from pipeline.understand.extract import extract
from pipeline.understand.extract.deadlines import Scope, interpret_deadline

BUNDLED = Rules.bundled()

Y2026 = Scope(date(2026, 1, 1), date(2026, 12, 31))
SY2526 = Scope(date(2025, 9, 1), date(2026, 5, 31))
D = date

INTERPRET = [
    ("Quý II/2026", Y2026, ("quarter", D(2026, 4, 1), D(2026, 6, 30), None)),
    ("Quý IV/2026", Y2026, ("quarter", D(2026, 10, 1), D(2026, 12, 31), None)),
    ("quý 1 năm 2027", Y2026, ("quarter", D(2027, 1, 1), D(2027, 3, 31), None)),
    ("Quý III - 2026", Y2026, ("quarter", D(2026, 7, 1), D(2026, 9, 30), None)),
    ("Tháng 12/2026", Y2026, ("month", D(2026, 12, 1), D(2026, 12, 31), None)),
    ("tháng 2 năm 2028", Y2026, ("month", D(2028, 2, 1), D(2028, 2, 29), None)),
    ("từ tháng 9/2025", Y2026, ("other", D(2025, 9, 1), None, None)),          # open end
    ("năm 2026", Y2026, ("year", D(2026, 1, 1), D(2026, 12, 31), None)),
    ("đến năm 2030", Y2026, ("year", D(2030, 1, 1), D(2030, 12, 31), None)),
    ("Năm học 2025 -2026", Y2026, ("school_year", D(2025, 9, 1), D(2026, 5, 31), None)),
    ("năm học 2026-2027", Y2026, ("school_year", D(2026, 9, 1), D(2027, 5, 31), None)),
    ("giai đoạn 2026-2030", Y2026, ("period", D(2026, 1, 1), D(2030, 12, 31), None)),
    ("năm 2025 – 2026", Y2026, ("period", D(2025, 1, 1), D(2026, 12, 31), None)),   # calendar years
    ("năm 2026-2030", Y2026, ("period", D(2026, 1, 1), D(2030, 12, 31), None)),
    ("trước 31/12/2025", Y2026, ("by_date", None, D(2025, 12, 31), None)),
    ("trước ngày 15/10/2025", Y2026, ("by_date", None, D(2025, 10, 15), None)),
    ("chậm nhất ngày 30/4/2026", Y2026, ("by_date", None, D(2026, 4, 30), None)),
    ("trước ngày 20/11", SY2526, ("by_date", None, D(2025, 11, 20), None)),
    ("ngày 10/10 hằng năm", Y2026, ("annual", None, None, "--10-10")),
    ("ngày 11/10 hàng năm", Y2026, ("annual", None, None, "--10-11")),
    ("Thường xuyên", Y2026, ("continuous", None, None, None)),
    ("Hằng năm", Y2026, ("annual", None, None, None)),
    ("ngày 20/11/2026", Y2026, ("date", D(2026, 11, 20), D(2026, 11, 20), None)),
    ("ngày 5 tháng 9 năm 2026", Y2026, ("date", D(2026, 9, 5), D(2026, 9, 5), None)),
    ("ngày 10/10", Y2026, ("date", D(2026, 10, 10), D(2026, 10, 10), None)),
    ("ngày 10/10", SY2526, ("date", D(2025, 10, 10), D(2025, 10, 10), None)),
    ("ngày 15/3", SY2526, ("date", D(2026, 3, 15), D(2026, 3, 15), None)),
    ("6 tháng đầu năm 2026", Y2026, ("period", D(2026, 1, 1), D(2026, 6, 30), None)),
    ("6 tháng cuối năm", Y2026, ("period", D(2026, 7, 1), D(2026, 12, 31), None)),
    ("cuối năm học", SY2526, ("period", D(2026, 5, 1), D(2026, 5, 31), None)),
    ("từ ngày 01/9 đến ngày 30/9/2026", Y2026, ("period", D(2026, 9, 1), D(2026, 9, 30), None)),
    ("Quý IV", Y2026, ("quarter", D(2026, 10, 1), D(2026, 12, 31), None)),
    ("Quý IV", SY2526, ("quarter", D(2025, 10, 1), D(2025, 12, 31), None)),
    ("quý 1", SY2526, ("quarter", D(2026, 1, 1), D(2026, 3, 31), None)),
    ("Tháng 12", Y2026, ("month", D(2026, 12, 1), D(2026, 12, 31), None)),
    ("ngày 20 tháng 11", SY2526, ("date", D(2025, 11, 20), D(2025, 11, 20), None)),
    ("tháng 3", SY2526, ("month", D(2026, 3, 1), D(2026, 3, 31), None)),
    # capitals, ranges, open ends and recurrences
    ("GIAI ĐOẠN 2021- 2025", Y2026, ("period", D(2021, 1, 1), D(2025, 12, 31), None)),
    ("NĂM HỌC 2026 - 2027", Y2026, ("school_year", D(2026, 9, 1), D(2027, 5, 31), None)),
    ("Trước ngày 31/5/2026", Y2026, ("by_date", None, D(2026, 5, 31), None)),
    ("đến hết năm 2027", Y2026, ("year", D(2027, 1, 1), D(2027, 12, 31), None)),
    ("Quí III-2026", Y2026, ("quarter", D(2026, 7, 1), D(2026, 9, 30), None)),
    ("từ năm 2026 đến hết năm 2028", Y2026, ("period", D(2026, 1, 1), D(2028, 12, 31), None)),
    ("từ tháng 10 năm 2025 đến hết tháng 3 năm 2026", Y2026, ("period", D(2025, 10, 1), D(2026, 3, 31), None)),
    ("từ tháng 3 đến tháng 10", Y2026, ("period", D(2026, 3, 1), D(2026, 10, 31), None)),
    ("Tháng 11 - 12/2025", Y2026, ("period", D(2025, 11, 1), D(2025, 12, 31), None)),
    ("từ ngày 15/11 đến ngày 15/12", Scope(D(2025, 1, 1), D(2025, 12, 31)), ("period", D(2025, 11, 15), D(2025, 12, 15), None)),
    ("từ ngày 01/9/2026", Y2026, ("other", D(2026, 9, 1), None, None)),
    ("từ tháng 10/2026", Y2026, ("other", D(2026, 10, 1), None, None)),
    ("Từ năm 2025 trở đi", Y2026, ("other", D(2025, 1, 1), None, None)),
    ("Quý IV năm 2025 và các năm tiếp theo", Y2026, ("other", D(2025, 10, 1), None, None)),
    ("hằng quý", Y2026, ("other", None, None, None)),
    ("hằng tháng", Y2026, ("other", None, None, None)),
    ("trước ngày 20 hằng tháng", Y2026, ("other", None, None, "---20")),
    ("trước ngày 10 tháng 6", Y2026, ("by_date", None, D(2026, 6, 10), None)),
    ("trước 17h00 ngày 30/6/2026", Y2026, ("by_date", None, D(2026, 6, 30), None)),
    ("hằng năm (trước ngày 30 tháng 11)", Y2026, ("annual", None, None, "--11-30")),
    ("trước ngày 20/11 hàng năm", Y2026, ("annual", None, None, "--11-20")),
    ("cuối năm 2025", Y2026, ("year", D(2025, 1, 1), D(2025, 12, 31), None)),
]


@pytest.mark.parametrize("text, expected", [
    ("Định kỳ hằng năm (trước ngày 15 tháng 12) báo cáo kết quả.", ("annual", "--12-15")),
    ("Định kỳ 6 tháng (trước ngày 16/6) báo cáo.", ("annual", "--06-16")),
    ("Báo cáo kết quả trước ngày 16/6.", ("by_date", None)),
])
def test_yearless_deadline_recurs_in_a_periodic_sentence(text, expected):
    x = extract(doc_from_text("KẾ HOẠCH\nTriển khai năm 2026\nI. TỔ CHỨC THỰC HIỆN\n" + text + "\n"))
    d = [d for d in x.deadlines if "trước" in d.text][0]
    assert (d.kind, d.recurrence) == expected


@pytest.mark.parametrize("text, absent", [
    ("1. Thí điểm kết nối dữ liệu (2025 - 2026).\n2. Kế hoạch 5 năm (2021 - 2025) theo Nghị quyết.", "2021"),
    ("Theo quy định tại Điều 40 Luật Kế toán năm 2015 thực hiện kiểm kê.", "2015"),
    ("Trẻ sinh năm 2021 được tiếp cận.", "2021"),
    ("Bố trí trong dự toán ngân sách nhà nước hằng năm.", "hằng năm"),
])
def test_time_words_that_name_something(text, absent):
    x = extract(doc_from_text("KẾ HOẠCH\nTriển khai năm 2026\nI. NHIỆM VỤ\n" + text + "\n"))
    assert not [d for d in x.deadlines if absent in d.text], [d.text for d in x.deadlines]


@pytest.mark.parametrize("text, scope, expected", INTERPRET)
def test_interpret(text, scope, expected):
    assert interpret_deadline(text, scope, BUNDLED) == expected


def deadlines_of(body: str, title: str = "Triển khai phong trào năm 2026"):
    x = extract(doc_from_text(f"KẾ HOẠCH\n{title}\nCăn cứ Kế hoạch số 76/KH-UBND ngày 13/3/2026 của UBND tỉnh về "
                              f"triển khai năm 2025;\nI. NỘI DUNG\n{body}\n"))
    for d in x.deadlines:
        assert x.document.text[d.start:d.end] == d.text
    return [(d.text, d.kind) for d in x.deadlines]


FOUND = [
    ("- Thời gian thực hiện: Quý II/2026.", [("Quý II/2026", "quarter")]),
    ("-Thời gian thực hiện: Thường xuyên.", [("Thường xuyên", "continuous")]),
    ("- Tổ chức hoạt động hưởng ứng Ngày Chuyển đổi số (10/10).", [("10/10", "date")]),
    ("- Tham gia “Ngày hội toàn dân học tập số” vào ngày 10/10 hằng năm.", [("ngày 10/10 hằng năm", "annual")]),
    ("- Phấn đấu 100% học sinh đạt trong năm 2027.", [("năm 2027", "year")]),
    ("- Báo cáo kết quả trước ngày 15/12/2026.", [("trước ngày 15/12/2026", "by_date")]),
    ("- Hằng năm có ít nhất 01 sáng kiến.", [("Hằng năm", "annual")]),
    ("- 100% học sinh được tiếp cận trong năm học.", [("năm học", "school_year")]),
]

NOT_FOUND = [
    "- Phong trào gắn với giáo dục thường xuyên.",
    "- Kinh phí chi thường xuyên theo phân cấp.",
    "- Định kỳ báo cáo kết quả về Sở.",
    "- Đề án “Nâng cao nhận thức đến năm 2025, định hướng đến năm 2030” của Chính phủ.",
    "- Thực hiện Kế hoạch số 734/KH-UBND ngày 15 tháng 02 năm 2024 về học tập giai đoạn 2023 – 2030.",
    "- Hưởng ứng Tuần lễ học tập suốt đời năm 2025 tại trường.",
    "- Gắn với nhiệm vụ năm học của ngành.",
    "- Áp dụng trong cuộc sống hằng ngày.",
]


@pytest.mark.parametrize("body, expected", FOUND)
def test_found_in_context(body, expected):
    assert deadlines_of(body)[1:] == expected     # [0] is the title's "năm 2026"


@pytest.mark.parametrize("body", NOT_FOUND)
def test_not_deadlines(body):
    assert deadlines_of(body) == [("năm 2026", "year")]


def test_preamble_dates_and_cited_subjects_are_left_out_but_title_year_kept():
    assert deadlines_of("- Nội dung.") == [("năm 2026", "year")]


def test_distinct_texts_once_case_folded():
    assert deadlines_of("- Thường xuyên.\n- Thực hiện thường xuyên.\n- Hằng năm.\n- hàng năm.")[1:] == \
        [("Thường xuyên", "continuous"), ("Hằng năm", "annual"), ("hàng năm", "annual")]


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4), st.integers(1990, 2098), st.integers(1, 12), st.integers(1, 31))
def test_interpreted_dates_are_valid_ordered_and_stable(q, year, month, day):
    roman = ["I", "II", "III", "IV"][q - 1]
    for text in (f"Quý {roman}/{year}", f"Tháng {month}/{year}", f"năm {year}",
                 f"năm học {year}-{year + 1}", f"trước ngày {day}/{month}/{year}", f"ngày {day}/{month}/{year}"):
        result = interpret_deadline(text, Y2026, BUNDLED)
        assert result is not None
        kind, start, end, _ = result
        if start and end:
            assert start <= end
        assert interpret_deadline(text, Y2026, BUNDLED) == result


def test_short_text_without_headings_keeps_targets_and_deadlines():
    x = extract(doc_from_text("Sở Giáo dục và Đào tạo tỉnh Lào Cai vừa ban hành kế hoạch triển khai phong trào năm 2026. "
                              "Theo đó, phấn đấu đến hết năm 2026 có 100% giáo viên được bồi dưỡng kỹ năng số. Mỗi trường "
                              "tổ chức tối thiểu 02 buổi tập huấn trong Quý II/2026. Báo cáo trước ngày 15/12/2026."))
    assert [(t.value, t.aspirational) for t in x.targets] == [(100, True), (2, False)]
    assert {d.text for d in x.deadlines} >= {"Quý II/2026", "trước ngày 15/12/2026", "đến hết năm 2026"}


def test_past_times_and_comparisons_do_not_schedule():
    x = extract(doc_from_text("KẾ HOẠCH\nTriển khai năm 2026\nI. NHIỆM VỤ\n- Tăng trên 3% so với năm 2025.\n"
                              "- Sơ kết năm học 2024-2025; năm 2024 đạt 85%.\n- Hưởng ứng Ngày Pháp luật 9/11.\n"))
    assert [(d.text, d.start_date) for d in x.deadlines] == [("năm 2026", D(2026, 1, 1)), ("9/11", D(2026, 11, 9))]


def test_an_unclosed_quote_in_a_cell_hides_nothing_after_it():
    # OCR lost the closing ” (read as a speck); the quoted name may not run into the next cells
    x = extract(doc_from_text(
        "KẾ HOẠCH\nTriển khai năm 2026\nPHỤ LỤC\nTT\tNội dung\tChủ trì\tKết quả\tThời gian\n"
        "3\tTham gia “Ngày hội toàn dân học tập sốˆ vào ngày 10/10 hằng năm\tSở GD&ĐT\t"
        "100% các cơ sở có hoạt động phù hợp hàng năm\tQuý IV/2026\n"
        "4\tKhai thác các khoá học trên nền tảng của chính 'phủ\tSở GD&ĐT\tCác cơ sở\tThường xuyên\n"))
    assert {"ngày 10/10 hằng năm", "Quý IV/2026", "Thường xuyên"} <= {d.text for d in x.deadlines}
