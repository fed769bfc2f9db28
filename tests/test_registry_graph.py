"""Registry checks on citations, linking inside a batch, and the citation graph export."""
from __future__ import annotations

from datetime import date

import pandas as pd
from click.testing import CliRunner

from pipeline.understand.extract.registry import registry
from pipeline.rules import Rules
from pipeline.cli import main
from pipeline.understand.extract.registry import check
from pipeline.options import Options
from pipeline.runner import run

REG = registry(Rules.bundled())


def test_registry_fills_and_agrees():
    r = check("146/QĐ-TTg", "Quyết định", date(2022, 1, 28), "Thủ tướng Chính phủ", REG)
    assert r.conflict is None and r.issued_date == date(2022, 1, 28) and "chuyển đổi số" in r.title


def test_registry_flags_wrong_date_type_and_issuer():
    r = check("57-NQ/TW", "Quyết định", date(2024, 12, 12), "Chính phủ", REG)
    assert r.conflict == ("date 2024-12-12 != registry 2024-12-22; type 'Quyết định' != registry 'Nghị quyết'; "
                          "issuer 'Chính phủ' != registry 'Bộ Chính trị'")


def test_registry_aliases_and_unknown_keys():
    assert check("02/2025/TT-BGDĐT", "Thông tư", None, "Bộ GD&ĐT", REG).conflict is None
    assert check("999/KH-XYZ", None, None, None, REG) is None


def test_a_scanned_year_that_cannot_be_is_the_registry_document():
    """A plan cannot cite a document issued after it: on a scanned page, "02/2035/TT-BGDĐT" in a 2025 plan
    is the registry's 02/2025/TT-BGDĐT (one digit of the year apart), with the reading kept; the same key
    typed in a text file, or a year that could be right, is left as written."""
    from pipeline.model import Page, Source
    from pipeline.reading.normalize import normalize
    from pipeline.store.tables import extraction_rows
    from pipeline.understand.extract import extract
    text = ("ỦY BAN NHÂN DÂN\nXÃ TÂN KỲ\nSố: 15/KH-UBND\nTân Kỳ, ngày 10 tháng 9 năm 2025\nKẾ HOẠCH\n"
            "Triển khai năm 2025\nI. MỤC ĐÍCH\nThực hiện Thông tư số 02/2035/TT-BGDĐT của Bộ GD&ĐT và "
            "Quyết định số 15/2034/QĐ-UBND.\n")

    def keys(ocr: bool, body: str = text) -> list[tuple]:
        src = Source(doc_id="t", path="t.pdf", sha256="0" * 64, pages=[Page(text=body, ocr=ocr)], paged=True)
        x = extract(normalize(src), Rules.bundled())
        rows = extraction_rows(x)["citations"]
        assert [r["key_as_read"] for r in rows] == [c.key_as_read for c in x.citations]
        return sorted((c.key, c.year, c.key_as_read, bool(c.registry)) for c in x.citations)

    assert keys(True) == [("02/2025/TT-BGDĐT", 2025, "02/2035/TT-BGDĐT", True),
                          ("15/2034/QĐ-UBND", 2034, None, False)]      # not in the registry: as read
    assert keys(False) == [("02/2035/TT-BGDĐT", 2035, None, False), ("15/2034/QĐ-UBND", 2034, None, False)]
    assert keys(True, text.replace("năm 2025", "năm 2036")) == [("02/2035/TT-BGDĐT", 2035, None, False),
                                                              ("15/2034/QĐ-UBND", 2034, None, False)]


def test_a_scanned_symbol_that_names_no_kind_of_document_is_the_registry_document():
    """"57- BQ/TW" read from a fax: "BQ" is no document kind's code, and one letter from the registry's
    57-NQ/TW, which the page also cites as read: one citation with two mentions, the reading kept. A
    symbol whose code is a kind ("NQ/TV") is left as read, and so is any typed key."""
    from pipeline.model import Page, Source
    from pipeline.reading.normalize import normalize
    from pipeline.understand.extract import extract
    text = ("ỦY BAN NHÂN DÂN\nXÃ TÂN KỲ\nSố: 15/KH-UBND\nTân Kỳ, ngày 10 tháng 9 năm 2025\nKẾ HOẠCH\n"
            "Triển khai năm 2025\nI. MỤC ĐÍCH\nThực hiện Nghị quyết số 57- BQ/TW ngày 22/12/2024 của Bộ Chính trị.\n"
            "II. NHIỆM VỤ\nQuán triệt Nghị quyết số 57-NQ/TW và Nghị quyết số 57-NQ/TV.\n")

    def cited(ocr: bool) -> list[tuple]:
        src = Source(doc_id="t", path="t.pdf", sha256="0" * 64, pages=[Page(text=text, ocr=ocr)], paged=True)
        return sorted((c.key, c.symbol, c.mentions, c.key_as_read) for c in extract(normalize(src), Rules.bundled()).citations)

    assert cited(True) == [("57-NQ/TV", "NQ/TV", 1, None), ("57-NQ/TW", "NQ/TW", 2, "57-BQ/TW")]
    assert cited(False) == [("57-BQ/TW", "BQ/TW", 1, None), ("57-NQ/TV", "NQ/TV", 1, None), ("57-NQ/TW", "NQ/TW", 1, None)]


def test_misread_year_takes_only_one_candidate():
    from pipeline.understand.extract.registry import misread_year
    assert misread_year("02/2035/TT-BGDĐT", 2035, 2025, REG) == ("02/2025/TT-BGDĐT", 2025)
    assert misread_year("02/2025/TT-BGDĐT", 2025, 2025, REG) is None        # a possible year stays
    assert misread_year("02/2035/TT-BGDĐT", 2035, 2024, REG) is None        # 2025 would be after the plan too
    two = {"01/2020/tt-x": {"key": "01/2020/TT-X"}, "01/2021/tt-x": {"key": "01/2021/TT-X"}}
    assert misread_year("01/2029/TT-X", 2029, 2025, two) is None            # two readings: left as read
    four = {"1234/2024/qđ-ubnd": {"key": "1234/2024/QĐ-UBND"}, "2026/qđ-ubnd": {"key": "2026/QĐ-UBND"}}
    assert misread_year("1234/2034/QĐ-UBND", 2034, 2026, four) == ("1234/2024/QĐ-UBND", 2024)
    assert misread_year("2036/QĐ-UBND", 2036, 2026, four) is None            # a number, not a year: as read


def test_a_misread_and_a_right_reading_of_one_document_are_one_citation():
    """02/2025/TT-BGDĐT cited in the preamble as read, and again on the page as "02/2035/TT-BGDĐT": one
    row, two mentions, role basis, the misreading kept."""
    from pipeline.model import Page, Source
    from pipeline.reading.normalize import normalize
    from pipeline.understand.extract import extract
    text = ("ỦY BAN NHÂN DÂN\nXÃ TÂN KỲ\nSố: 15/KH-UBND\nTân Kỳ, ngày 10 tháng 9 năm 2025\nKẾ HOẠCH\n"
            "Triển khai năm 2025\nCăn cứ Thông tư số 02/2025/TT-BGDĐT của Bộ GD&ĐT;\nI. MỤC ĐÍCH\n"
            "Thực hiện Thông tư số 02/2035/TT-BGDĐT về khung năng lực số.\n")
    src = Source(doc_id="t", path="t.pdf", sha256="0" * 64, pages=[Page(text=text, ocr=True)], paged=True)
    cited = extract(normalize(src), Rules.bundled()).citations
    assert [(c.key, c.mentions, c.role, c.key_as_read) for c in cited] == [
        ("02/2025/TT-BGDĐT", 2, "basis", "02/2035/TT-BGDĐT")]


COMMUNE = """Số: 15/KH-UBND
Tân Kỳ, ngày 02 tháng 4 năm 2026
KẾ HOẠCH
Triển khai Phong trào “Bình dân học vụ số” năm 2026
Thực hiện Nghị quyết số 57-NQ/TW ngày 12/12/2024 của Bộ Chính trị;
Ủy ban nhân dân xã Tân Kỳ ban hành Kế hoạch như sau:
I. MỤC TIÊU
- 100% học sinh được trang bị kỹ năng số.
"""
SCHOOL = """Số: 03/KH-THCS
KẾ HOẠCH
Triển khai Phong trào “Bình dân học vụ số” năm 2026
Căn cứ Kế hoạch số 15/KH-UBND ngày 02/4/2026 của UBND xã Tân Kỳ;
Trường THCS Tân Kỳ xây dựng Kế hoạch như sau:
I. MỤC TIÊU
- 90% học sinh được trang bị kỹ năng số.
"""


def test_batch_links_school_plan_to_commune_plan_and_graph(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "commune.txt").write_text(COMMUNE, encoding="utf-8")
    (tmp_path / "in" / "school.txt").write_text(SCHOOL, encoding="utf-8")
    out = tmp_path / "out"
    run([tmp_path / "in"], out, Options(progress=False, jobs=1))
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig").set_index("doc_number")
    cites = pd.read_csv(out / "citations.csv", encoding="utf-8-sig")
    link = cites[cites["key"] == "15/KH-UBND"].iloc[0]
    assert link["resolved_doc_id"] == docs.loc["15/KH-UBND", "doc_id"]
    assert link["doc_id"] == docs.loc["03/KH-THCS", "doc_id"]
    nq = cites[cites["key"] == "57-NQ/TW"].iloc[0]
    assert nq["conflict"] == "date 2024-12-12 != registry 2024-12-22"
    result = CliRunner().invoke(main, ["graph", str(out)])
    assert result.exit_code == 0
    mmd = (out / "graph.mmd").read_text(encoding="utf-8")
    school, commune = docs.loc["03/KH-THCS", "doc_id"], docs.loc["15/KH-UBND", "doc_id"]
    assert f"d_{school} -->|basis| d_{commune}" in mmd
    assert "<graphml" in (out / "graph.graphml").read_text(encoding="utf-8")
