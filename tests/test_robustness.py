"""Extraction holds when the same plans are typed differently (pipeline/robustness.py).

Hard wraps at 70 columns and NFD must change nothing; Roman headings renumbered "1., 2., ..." must keep
the outline. `kehoach robustness` prints the whole table, dropped diacritics included.
"""
from __future__ import annotations

import pytest

from conftest import FIX, GOLD, SEEDS
from pipeline.robustness import PERTURBATIONS, no_diacritics_10, renumbered, score_folder, wrap70

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
