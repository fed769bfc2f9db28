"""The shared fixtures: normalized text against the true text, and extraction scores per format.

Thresholds are the ones the issues set: >= 0.99 character similarity for PDF and DOCX,
>= 0.97 for the 300-dpi scans; the 150-dpi scans are measured and printed, not asserted.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from edit_judge import judge
from conftest import GOLD, SAMPLES, SHARED_FIXTURES, need_shared
from pipeline.reading.ingest import read
from pipeline.reading.normalize import normalize
from pipeline.options import Options
from pipeline.runner import run
from pipeline.dev.score import evaluate
from pipeline.reading.similarity import char_similarity

STEMS = ["000_128bace28e546b8b", "001_a741927c18dd7b11", "002_2c6c9c28ea1c9f52", "003_cde70750019bb95c"]


def _truth(stem: str) -> str:
    return (SHARED_FIXTURES / "truth" / f"{stem}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("stem", STEMS)
@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_born_digital_text_matches_truth(stem, suffix):
    need_shared()
    doc = normalize(read(SHARED_FIXTURES / f"{stem}{suffix}"))
    assert char_similarity(doc.text, _truth(stem)) >= 0.99


@pytest.mark.ocr
@pytest.mark.parametrize("stem", STEMS)
def test_scans_match_truth(stem):
    need_shared()
    src = read(SHARED_FIXTURES / f"{stem}_scan.pdf")
    assert all(p.ocr for p in src.pages)
    assert char_similarity(normalize(src).text, _truth(stem)) >= 0.97


@pytest.mark.ocr
@pytest.mark.parametrize("stem", ["000_128bace28e546b8b", "003_cde70750019bb95c"])
def test_low_quality_scans_read_within_the_error_goal(stem, capsys):
    """150 dpi, 2-3 degree skew, heavy noise and specks: character error rate at most 0.08 (issue 12).
    Measured: 000 0.979, 003 0.952 similarity (0.925 and 0.810 before deskew, despeckling and the ruled
    table found again on noisy pages); 0.978 and 0.966 with the doubtful pages read line by line too
    (issue 23: 0.978 and 0.9656 before); 0.9803 and 0.9703 once an orphan syllable may take its
    neighbour along ("chuyến đối số" -> "chuyển đổi số"): the goal, 0.97, on each."""
    need_shared()
    src = read(SHARED_FIXTURES / f"{stem}_lowq_scan.pdf")
    text = normalize(src).text
    sim = char_similarity(text, _truth(stem))
    right, wrong = judge(src, _truth(stem))
    with capsys.disabled():
        print(f"\n  low-quality scan {stem}: similarity {sim:.4f}, repairs right {right} wrong {wrong}")
    assert sim >= 0.97
    # issue 23: repairs are right at least ten times as often as wrong; the raw reading is kept
    assert right >= 10 * wrong and right > 0
    assert all(p.raw_text is not None for p in src.pages)
    if stem == "003_cde70750019bb95c":       # the first repair wrote "tròng đỏ" and "Hằng nằm co" here
        assert "trong đó 100% cán bộ quản lý" in text and "Hằng năm có ít nhất 01 sáng kiến" in text


def _scores(files, out: Path) -> dict:
    run(files, out, Options(progress=False))
    return evaluate(out, GOLD)


@pytest.fixture(scope="module")
def pdf_scores(tmp_path_factory):
    need_shared()
    return _scores([SHARED_FIXTURES / f"{s}.pdf" for s in STEMS], tmp_path_factory.mktemp("pdf"))


def test_pdf_fixture_scores(pdf_scores):
    s = pdf_scores
    assert s["sections"].f1 >= 0.97 and s["sections"].extra["kind_ok"] / s["sections"].matched >= 0.95
    assert s["citations"].f1 >= 0.97
    assert s["targets"].f1 >= 0.93 and s["deadlines"].f1 >= 0.93
    assert s["metadata"].matched / s["metadata"].gold >= 0.90


def test_docx_fixture_scores(tmp_path):
    need_shared()
    s = _scores([SHARED_FIXTURES / f"{st}.docx" for st in STEMS], tmp_path)
    assert s["sections"].f1 >= 0.97 and s["citations"].f1 >= 0.97
    assert s["targets"].f1 >= 0.93 and s["deadlines"].f1 >= 0.93


@pytest.mark.ocr
def test_scan_scores_close_to_text_pdfs(pdf_scores, tmp_path):
    s = _scores([SHARED_FIXTURES / f"{st}_scan.pdf" for st in STEMS], tmp_path)
    assert s["citations"].f1 >= pdf_scores["citations"].f1 - 0.03
    assert s["targets"].f1 >= pdf_scores["targets"].f1 - 0.05
    assert s["deadlines"].f1 >= pdf_scores["deadlines"].f1 - 0.05
    assert s["sections"].f1 >= 0.97


@pytest.mark.ocr
def test_clean_scans_are_read_once_and_low_resolution_scans_get_a_despeckled_reading():
    from pipeline.reading.ingest import read
    clean = read(SAMPLES / "000_128bace28e546b8b_scan.pdf", ocr="always")
    assert all(p.prep == "gray" and p.source_dpi >= 220 for p in clean.pages if p.ocr)
    assert not [w for w in clean.warnings if w.startswith("ocr_prep")]
    need_shared()
    from pipeline.reading.normalize import normalize
    from pipeline.reading.similarity import char_similarity
    low = read(SHARED_FIXTURES / "003_cde70750019bb95c_lowq_scan.pdf", ocr="always")
    assert {p.source_dpi for p in low.pages} == {150}
    assert any(p.prep == "despeckle" for p in low.pages)
    assert any(w.startswith("ocr_prep: page") for w in low.warnings)
    truth = (SHARED_FIXTURES / "truth" / "003_cde70750019bb95c.txt").read_text(encoding="utf-8")
    assert char_similarity(normalize(low).text, truth) >= 0.94          # 0.810 before the median reading
