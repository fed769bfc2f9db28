"""Tables read as tables: the portal's one-cell-per-line layout keeps its empty cells, merged header cells
spread over the columns below them, and each planned-value cell becomes one target with the row's label,
the row's unit (or the column's), and the column's year. The tables here are made up for the tests."""
from __future__ import annotations

from conftest import doc_from_text
from pipeline.understand.extract import extract
from pipeline.understand.extract.grids import blocks, grid_columns, header_unit, read_grid
from pipeline.reading.normalize import normalize_text
from pipeline.reading.normalize.unicode import portal_tables
from pipeline.rules import Rules


def portal(rows: list[list[str]]) -> str:
    """A table as the legal portals print it: each cell after a lone "|", a row closed by one more "|"."""
    out = []
    for r in rows:
        for c in r:
            out += ["|", c] if c else ["|"]
        out.append("|")
    return "\n".join(out)


INDICATORS = portal([
    ["**TT**", "**Chỉ tiêu**", "**ĐVT**", "**Ước TH 2025**", "**Giai đoạn 2026 - 2027**"],
    ["**Năm 2026**", "**Năm 2027**"],
    ["I", "CHĂN NUÔI", "", "", "", ""],
    ["1", "Bò thịt", "", "", "", ""],
    ["-", "Tổng đàn", "Con", "1.200", "1.300", "1.450"],
    ["-", "Sản lượng thịt hơi", "Tấn", "300", "", "360"],
    ["", "Tỷ lệ hộ được hỗ trợ kỹ thuật", "%", "40", "60", "80"],
])


def test_portal_layout_keeps_empty_cells_in_place():
    rows = [r.split("\t") for r in portal_tables(INDICATORS).split("\n")]
    assert rows[0] == ["**TT**", "**Chỉ tiêu**", "**ĐVT**", "**Ước TH 2025**", "**Giai đoạn 2026 - 2027**"]
    assert rows[1] == ["**Năm 2026**", "**Năm 2027**"]
    assert rows[5] == ["-", "Sản lượng thịt hơi", "Tấn", "300", "", "360"]   # 2026 left empty, 2027 in its column
    assert rows[6][0] == "" and rows[6][-1] == "80"


def test_merged_header_spreads_over_the_year_columns():
    text = normalize_text("PHỤ LỤC\n" + INDICATORS + "\n")
    (a, b), = blocks(text)
    grid = read_grid(text, a, b, grid_columns(Rules.bundled()))
    assert grid.roles == ["stt", "label", "unit", "actual", "value", "value"]
    assert grid.headers[4].endswith("Năm 2026") and grid.headers[5].endswith("Năm 2027")


def test_indicator_table_cells_become_targets():
    x = extract(doc_from_text("KẾ HOẠCH\nPhát triển chăn nuôi năm 2026\nPHỤ LỤC\n" + INDICATORS + "\n"))
    got = [(t.value, t.unit, t.period, t.population) for t in x.targets]
    assert got == [
        (1300, "con", "2026", "Bò thịt (tổng đàn)"), (1450, "con", "2027", "Bò thịt (tổng đàn)"),
        (360, "tấn", "2027", "Bò thịt (sản lượng thịt hơi)"),
        (60, "%", "2026", "hộ"), (80, "%", "2027", "hộ")]
    # the estimate column (Ước TH 2025) gives none; a table target's sentence is its row's cells
    assert all(t.value != 1200 for t in x.targets)
    assert x.targets[2].sentence == "- | Sản lượng thịt hơi | Tấn | 300 | 360"
    assert str(x.targets[0].deadline_start) == "2026-01-01" and str(x.targets[1].deadline_end) == "2027-12-31"


def test_merged_object_cell_and_total_row():
    """A row shorter than the table sits under the object cell merged from the row above; a total row
    names what its column counts."""
    table = portal([
        ["TT", "Đối tượng", "Thông số", "Thời gian", "Số lượng mẫu/lần", "Tổng số (mẫu)"],
        ["1", "Nước cấp: 5 vị trí", "pH, DO", "02 tháng", "5", "10"],
        ["Kim loại nặng", "01 tháng", "5", "5"],
        ["", "Tổng cộng", "", "", "", "15"],
    ])
    x = extract(doc_from_text("KẾ HOẠCH\nQuan trắc\nPHỤ LỤC\n" + table + "\n"))
    cells = [(t.value, t.unit, t.population) for t in x.targets if "|" in t.sentence and t.unit.startswith("mẫu")]
    assert cells == [(5, "mẫu/lần", "Nước cấp"), (10, "mẫu", "Nước cấp"), (5, "mẫu/lần", "Nước cấp"),
                     (5, "mẫu", "Nước cấp"), (15, "mẫu", "Tổng cộng (tổng số)")]
    assert not any(t.text == "02" for t in x.targets)      # a time column holds no targets


def test_coordinates_are_not_targets():
    table = "TT\tĐịa điểm\tTọa độ\n\t\tX\tY\n1\tCửa sông A (vị trí)\t2210567\t606959\n2\tCửa sông B\t2209277\t603812\n"
    x = extract(doc_from_text("KẾ HOẠCH\nQuan trắc\nPHỤ LỤC\n" + table))
    assert not x.targets


def test_header_units():
    assert header_unit("Kế hoạch 2026 Lượng (Tấn)") == "tấn"
    assert header_unit("Giá trị xuất khẩu (Nghìn USD)") == "nghìn usd"
    assert header_unit("Số lượng mẫu/lần") == "mẫu/lần"
    assert header_unit("Tỷ lệ (%)") == "%"
    assert header_unit("Năm 2026 (dự kiến)") is None


def test_tables_are_rows_of_their_own_in_the_output(tmp_path):
    """Every table of a plan is written row by row (table_rows: kind, cells, the column roles on its first
    row, provenance), and kehoach explain lists them."""
    from click.testing import CliRunner

    from pipeline.cli import main
    from pipeline.store.export import read_tables
    from pipeline.options import Options
    from pipeline.runner import run
    plan = tmp_path / "plan.txt"
    plan.write_text("KẾ HOẠCH\nPhát triển chăn nuôi năm 2026\nPHỤ LỤC\n" + INDICATORS + "\n", encoding="utf-8")
    run([plan], tmp_path / "out", Options(progress=False, jobs=1, formats=("csv",)))
    rows = read_tables(tmp_path / "out")["table_rows"].to_dict("records")   # the CSV's formula guard undone
    assert [r["kind"] for r in rows] == ["header", "header", "group", "group", "body", "body", "body"]
    assert rows[0]["column_roles"] == "stt | label | unit | actual | value | value"
    assert rows[4]["cells"] == "- | Tổng đàn | Con | 1.200 | 1.300 | 1.450"
    res = CliRunner().invoke(main, ["explain", str(plan), "--only", "tables"])
    assert res.exit_code == 0 and "table 1 row 1 [header] columns: stt | label | unit | actual | value | value" in res.output
