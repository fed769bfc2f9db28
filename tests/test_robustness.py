"""Extraction holds when the same plans are typed differently (pipeline/dev/robustness.py).

Hard wraps at 70 columns and NFD must change nothing; Roman headings renumbered "1., 2., ..." must keep
the outline. `kehoach robustness` prints the whole table, dropped diacritics included.
"""
from __future__ import annotations

import pytest

from conftest import FIX, GOLD, SEEDS
from pipeline.dev.robustness import PERTURBATIONS, no_diacritics_10, renumbered, score_folder, wrap70

SETS = {"seeds": (SEEDS, GOLD), "devset": (FIX / "devset" / "docs", FIX / "devset" / "gold")}


@pytest.fixture(scope="module")
def baseline():
    return {name: score_folder(d, g, None, jobs=2) for name, (d, g) in SETS.items()}


@pytest.mark.parametrize("perturbation", ["wrap70", "nfd"])
@pytest.mark.parametrize("name", sorted(SETS))
def test_layout_and_normal_form_change_nothing(baseline, name, perturbation):
    d, g = SETS[name]
    assert score_folder(d, g, PERTURBATIONS[perturbation], jobs=2) == baseline[name]


@pytest.mark.parametrize("name", sorted(SETS))
def test_renumbered_headings_keep_the_outline(baseline, name):
    d, g = SETS[name]
    got = score_folder(d, g, renumbered, jobs=2)
    assert got["sections_f1"] >= baseline[name]["sections_f1"] - 0.03, got


def test_perturbations_do_what_they_say():
    assert max(len(ln) for ln in wrap70("chữ " * 100).split("\n")) <= 70
    assert renumbered("**II. MỤC TIÊU**\n1. Mục tiêu chung") == "**2. MỤC TIÊU**\n1. Mục tiêu chung"
    text = "phấn đấu hoàn thành kế hoạch " * 50
    stripped = no_diacritics_10(text)
    changed = sum(a != b for a, b in zip(text.split(), stripped.split()))
    assert 0.04 * len(text.split()) < changed < 0.2 * len(text.split())


LAYOUTS = ["letterhead_flat", "letterhead_table", "no_markdown", "title_case_headings", "as_html", "as_docx", "as_pdf"]
FIGURES = ["sections_f1", "citations_f1", "targets_f1", "targets_macro_f1", "deadlines_f1", "deadline_norm_acc",
           "metadata_acc", "target_unit_acc", "target_population_acc"]


@pytest.mark.parametrize("perturbation", LAYOUTS)
@pytest.mark.parametrize("name", sorted(SETS))
def test_layouts_the_rules_were_not_written_for_stay_within_two_points(baseline, name, perturbation):
    """Issue 22: the letterhead run into one line (43% of the devset's metadata was lost) or laid out as a
    table (77%), markdown taken out (sections 0.92, metadata 0.84), headings in sentence case, the plan
    as a web page, a Word file or a PDF printed by Chromium (devset targets 0.872 and population 0.738
    before table pages were kept from OCR and rows cut by a page break were read): every figure within
    0.02 of the plans as typed."""
    from pipeline.dev.robustness import chromium_path
    if perturbation == "as_pdf" and chromium_path() is None:
        pytest.skip("as_pdf prints with Debian chromium (make venv system-test)")
    d, g = SETS[name]
    got = score_folder(d, g, PERTURBATIONS[perturbation], jobs=2)
    base = baseline[name]
    drops = {k: (base[k], got[k]) for k in FIGURES if base.get(k) is not None and (got.get(k) or 0) < base[k] - 0.02}
    assert not drops, drops


def test_layout_perturbations_change_the_text():
    from pipeline.dev.robustness import letterhead_flat, letterhead_table, no_markdown, title_case_headings
    head = "|\n**ỦY BAN NHÂN DÂN**\n**TỈNH LAI CHÂU**\n|\n**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\nĐộc lập - Tự do - Hạnh phúc\n|\nSố: 12/KH-UBND\n|\n*Lai Châu, ngày 03 tháng 11 năm 2025*\n|\n\n**KẾ HOẠCH**\n\n**I. MỤC ĐÍCH**\n"
    assert letterhead_flat(head).split("\n")[0] == ("ỦY BAN NHÂN DÂN TỈNH LAI CHÂU Số: 12/KH-UBND CỘNG HÒA XÃ HỘI CHỦ NGHĨA "
                                                    "VIỆT NAM Độc lập - Tự do - Hạnh phúc Lai Châu, ngày 03 tháng 11 năm 2025")
    assert letterhead_table(head).split("\n")[0] == "| ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |"
    assert "**" not in no_markdown(head) and "I. Mục đích" in title_case_headings(no_markdown(head))
