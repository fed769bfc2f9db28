"""Province resolution: names, merged old names, communes that exist in several provinces."""
from __future__ import annotations

from pipeline.rules import Rules as _Rules

from pipeline.understand.gazetteer import communes_named, provinces_named, resolve_province

BUNDLED = _Rules.bundled()


def test_ambiguous_commune_keeps_every_candidate():
    assert communes_named("Ủy ban nhân dân xã Tân Kỳ") == {"xã Tân Kỳ": {"Nghệ An", "Thái Nguyên", "Hải Phòng"}}
    assert resolve_province(["Ủy ban nhân dân xã Tân Kỳ"], "Kế hoạch của xã", BUNDLED) == \
        (None, ["Hải Phòng", "Nghệ An", "Thái Nguyên"])


def test_rest_of_document_decides():
    assert resolve_province(["Ủy ban nhân dân xã Tân Kỳ"], "ngành Giáo dục và Đào tạo thành phố Hải Phòng", BUNDLED)[0] == \
        "Hải Phòng"


def test_unique_commune_and_merged_province_names():
    assert communes_named("phường Đồng Hới") == {"phường Đồng Hới": {"Quảng Trị"}}
    assert communes_named("xã Nam Lý") == {"xã Nam Lý": {"Ninh Bình"}}
    assert provinces_named("tỉnh Quảng Bình", BUNDLED) == ["Quảng Trị"]
    assert provinces_named("tỉnh Bà Rịa – Vũng Tàu", BUNDLED) == ["Hồ Chí Minh"]


def test_old_tone_placement_matches():
    assert provinces_named("tỉnh Khánh Hoà", BUNDLED) == ["Khánh Hòa"]
    assert provinces_named("tỉnh Thanh Hoá", BUNDLED) == ["Thanh Hóa"]


def test_province_in_own_lines_wins_over_context():
    assert resolve_province(["Sở Giáo dục và Đào tạo tỉnh Đắk Lắk"], "Hà Nội, Huế", BUNDLED) == ("Đắk Lắk", ["Đắk Lắk"])


def test_old_districts_and_communes_map_to_new_provinces():
    from pipeline.understand.gazetteer import districts_named
    assert districts_named("Phòng GD&ĐT huyện Krông Pắc") == {"huyện Krông Pắc": {"Đắk Lắk"}}
    assert resolve_province(["Trường THCS Nguyễn Vĩnh Nghiệp", "Quận 12"], "", BUNDLED) == ("Hồ Chí Minh", ["Hồ Chí Minh"])
    # "xã Hòa An" is a new commune in some provinces and an old one in others: the text decides
    province, candidates = resolve_province(["Ủy ban nhân dân xã Hòa An"], "Kế hoạch của tỉnh Phú Yên", BUNDLED)
    assert province == "Đắk Lắk" and "Tuyên Quang" in candidates


def test_generated_old_units_table_is_current():
    import pytest
    pytest.importorskip("vietnamadminunits")
    import importlib.util
    from conftest import ROOT
    spec = importlib.util.spec_from_file_location("make_gazetteer", ROOT / "tools" / "make_gazetteer.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.OUT.read_text(encoding="utf-8") == tool.build()


def test_a_rules_folder_with_its_own_provinces_is_honoured(tmp_path):
    """Issue 22: a --rules folder's provinces.yaml passed the check and was ignored."""
    from conftest import doc_from_text
    from pipeline.understand.extract import extract
    from pipeline.rules import RULES_DIR, Rules
    text = (RULES_DIR / "provinces.yaml").read_text(encoding="utf-8")
    (tmp_path / "provinces.yaml").write_text(text.replace("provinces:", "provinces:\n  Hải Đảo Mẫu: [Đảo Mẫu]", 1),
                                             encoding="utf-8")
    assert resolve_province(["Ủy ban nhân dân tỉnh Đảo Mẫu"], "", Rules(tmp_path))[0] == "Hải Đảo Mẫu"
    assert resolve_province(["Ủy ban nhân dân tỉnh Đảo Mẫu"], "", BUNDLED)[0] is None
    doc = doc_from_text("ỦY BAN NHÂN DÂN\nTỈNH ĐẢO MẪU\nSố: 12/KH-UBND\nKẾ HOẠCH\nTriển khai năm 2026\n")
    assert extract(doc, Rules(tmp_path)).metadata.province == "Hải Đảo Mẫu"
    assert extract(doc).metadata.province is None
