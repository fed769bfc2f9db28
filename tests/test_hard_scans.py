"""Fax / double-photocopy and phone-photo scans (tools/make_hard_scans.py) read within the error goal.

The scans are made here from the shared fixtures' text PDF of seed 000 and from a devset plan typeset
in DejaVu Serif, deterministically, so the repository carries the generator, not megabytes of images.
"""
from __future__ import annotations

import importlib.util
import sys

import numpy as np
import pytest

from edit_judge import judge
from conftest import FIX, ROOT, SHARED_FIXTURES, need_shared
from pipeline.reading.ingest import read
from pipeline.reading.normalize import normalize
from pipeline.reading.similarity import char_similarity

pytestmark = pytest.mark.ocr


def _tool():
    spec = importlib.util.spec_from_file_location("make_hard_scans", ROOT / "tools" / "make_hard_scans.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod            # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def hard(tmp_path_factory):
    need_shared()
    tool, out = _tool(), tmp_path_factory.mktemp("hard")
    made = {}
    for prof in (tool.FAX, tool.PHONE):
        seed = "000_128bace28e546b8b"
        tool.scan_pdf(SHARED_FIXTURES / f"{seed}.pdf", out / f"{seed}_{prof.name}.pdf", prof)
        made[(seed, prof.name)] = (out / f"{seed}_{prof.name}.pdf",
                                   (SHARED_FIXTURES / "truth" / f"{seed}.txt").read_text(encoding="utf-8"))
        plan = "hcm_174kh_binhdanggioi_2025"
        pages, truth = tool.typeset(normalize(read(FIX / "devset" / "docs" / f"{plan}.txt")).text, 300)
        rng = np.random.default_rng(tool.seed_for(plan, prof.name))
        from PIL import Image
        scans = [tool.degrade(p.resize((p.width * prof.dpi // 300, p.height * prof.dpi // 300), Image.LANCZOS), prof, rng)
                 for p in pages]
        tool.save_pdf(scans, out / f"{plan}_{prof.name}.pdf", prof.dpi)
        made[(plan, prof.name)] = (out / f"{plan}_{prof.name}.pdf", truth)
    seed = "003_cde70750019bb95c"               # its appendix: a ruled table photographed at an angle, faxed
    for prof in (tool.FAX, tool.PHONE):
        tool.scan_pdf(SHARED_FIXTURES / f"{seed}.pdf", out / f"{seed}_{prof.name}.pdf", prof)
        made[(seed, prof.name)] = (out / f"{seed}_{prof.name}.pdf",
                                   (SHARED_FIXTURES / "truth" / f"{seed}.txt").read_text(encoding="utf-8"))
    return made


@pytest.mark.parametrize("stem", ["000_128bace28e546b8b", "hcm_174kh_binhdanggioi_2025"])
@pytest.mark.parametrize("profile", ["fax", "phone"])
def test_hard_scans_read_within_the_error_goal(hard, stem, profile, capsys):
    """Character error rate at most 0.08 (issue 12). Measured: fax 0.922 (seed) and 0.930 (devset plan)
    similarity, phone 0.990 and 0.974; plain Tesseract on the fax pages read almost nothing (0.55). With
    the doubtful pages read line by line too (issue 23): fax 0.934 and 0.937 (0.927 and 0.934 before),
    phone unchanged."""
    path, truth = hard[(stem, profile)]
    src = read(path)
    sim = char_similarity(normalize(src).text, truth)
    right, wrong = judge(src, truth)
    with capsys.disabled():
        print(f"\n  {profile} scan {stem}: similarity {sim:.4f}, preparations {[p.prep for p in src.pages]}, "
              f"repairs right {right} wrong {wrong}")
    assert sim >= 0.93
    assert right >= 10 * wrong          # issue 23: measured fax 59/1 and 17/0, phone 23/1 and 1/0 (gate 97 and choices)
    assert all(p.source_dpi and p.source_dpi < 220 for p in src.pages)


def test_a_faxed_plan_with_a_table_reads_within_the_error_goal(hard, capsys):
    """Seed 003 faxed (its appendix a ruled table): issue 23 asks 0.88 similarity. Measured 0.879 with
    the page reading alone, 0.889 with the doubtful pages read line by line too."""
    path, truth = hard[("003_cde70750019bb95c", "fax")]
    src = read(path)
    sim = char_similarity(normalize(src).text, truth)
    right, wrong = judge(src, truth)
    with capsys.disabled():
        print(f"\n  fax scan 003: similarity {sim:.4f}, repairs right {right} wrong {wrong}")
    assert sim >= 0.885
    assert right >= 10 * wrong          # measured 138/0 (121/0 with the gate at 96)


def test_a_photographed_table_page_reads_within_the_error_goal(hard, capsys):
    """Seed 003's appendix photographed: the table's frame squared up, its cells read, and the title
    above it read too (the page's layout analysis had taken the whole page for a picture). Measured:
    similarity 0.880 before the frame was squared up, 0.970 after, 0.982 with the title read."""
    path, truth = hard[("003_cde70750019bb95c", "phone")]
    text = normalize(read(path)).text
    sim = char_similarity(text, truth)
    with capsys.disabled():
        print(f"\n  phone scan 003 (table pages): similarity {sim:.4f}")
    assert sim >= 0.92
    assert any(ln.endswith("PHỤ LỤC") for ln in text.split("\n"))      # "7 PHỤ LỤC": its page number beside
    rows = [ln for ln in text.split("\n") if ln.count("\t") >= 4]       # the truth: 14 rows of 6 cells
    assert len(rows) >= 14 and rows[0].startswith("TT\tNội dung công việc")


def test_make_hard_scans_is_deterministic(tmp_path):
    need_shared()
    tool = _tool()
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for p in (a, b):
        tool.scan_pdf(SHARED_FIXTURES / "000_128bace28e546b8b.pdf", p, tool.FAX)
    assert a.read_bytes() == b.read_bytes()
