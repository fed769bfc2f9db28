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
