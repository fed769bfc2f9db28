"""Province resolution: names, merged old names, communes that exist in several provinces."""
from __future__ import annotations

from pipeline.gazetteer import communes_named, provinces_named, resolve_province


def test_ambiguous_commune_keeps_every_candidate():
    assert communes_named("Ủy ban nhân dân xã Tân Kỳ") == {"xã Tân Kỳ": {"Nghệ An", "Thái Nguyên", "Hải Phòng"}}
    assert resolve_province(["Ủy ban nhân dân xã Tân Kỳ"], "Kế hoạch của xã") == \
        (None, ["Hải Phòng", "Nghệ An", "Thái Nguyên"])


def test_rest_of_document_decides():
    assert resolve_province(["Ủy ban nhân dân xã Tân Kỳ"], "ngành Giáo dục và Đào tạo thành phố Hải Phòng")[0] == \
        "Hải Phòng"


def test_unique_commune_and_merged_province_names():
    assert communes_named("phường Đồng Hới") == {"phường Đồng Hới": {"Quảng Trị"}}
    assert communes_named("xã Nam Lý") == {"xã Nam Lý": {"Ninh Bình"}}
    assert provinces_named("tỉnh Quảng Bình") == ["Quảng Trị"]
    assert provinces_named("tỉnh Bà Rịa – Vũng Tàu") == ["Hồ Chí Minh"]


def test_old_tone_placement_matches():
    assert provinces_named("tỉnh Khánh Hoà") == ["Khánh Hòa"]
    assert provinces_named("tỉnh Thanh Hoá") == ["Thanh Hóa"]


def test_province_in_own_lines_wins_over_context():
    assert resolve_province(["Sở Giáo dục và Đào tạo tỉnh Đắk Lắk"], "Hà Nội, Huế") == ("Đắk Lắk", ["Đắk Lắk"])
