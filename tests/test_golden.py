"""Seed plans against their gold annotations (SPEC section 3 scoring); floors are the issues' targets."""
from __future__ import annotations

import pytest

from conftest import GOLD, SEEDS
from pipeline.options import Options
from pipeline.runner import run
from pipeline.score import citation_key, evaluate, match_deadline, report


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds")
    run([SEEDS], out, Options(progress=False, jobs=1))
    return evaluate(out, GOLD)


def test_citation_f1(scores):
    assert scores["citations"].f1 >= 0.97


def test_target_f1(scores):
    assert scores["targets"].f1 >= 0.93


def test_deadline_f1_and_normalization(scores):
    s = scores["deadlines"]
    assert s.f1 >= 0.93 and s.extra["norm_ok"] / s.matched >= 0.95


def test_sections_and_kinds(scores):
    s = scores["sections"]
    assert s.f1 >= 0.97 and s.extra["kind_ok"] / s.matched >= 0.95


def test_metadata_accuracy(scores):
    s = scores["metadata"]
    assert s.matched / s.gold >= 0.90


def test_report_lists_every_table(scores):
    text = report(scores)
    for table in ("citations", "targets", "deadlines", "sections", "metadata"):
        assert table in text


@pytest.mark.parametrize("pred, gold, ok", [
    ("Quý II/2026", "Quý II/2026", True),
    ("trong năm 2026", "năm 2026", True),
    ("năm 2026", "Tháng 12/2026", False),
    ("vào ngày 11/10 hằng năm", "ngày 11/10 hằng năm", True),
    ("10/10", "ngày 10/10 hằng năm", False),
    ("THƯỜNG XUYÊN", "Thường xuyên", True),
])
def test_deadline_matching_rule(pred, gold, ok):
    assert match_deadline(pred, gold) is ok


def test_citation_key_rule():
    assert citation_key("574/KH – GDTĐ") == citation_key("574/KH-GDTĐ")
    assert citation_key("89-CTr/TU") == citation_key("89-Ctr/TU")
