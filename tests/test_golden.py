"""Seed plans against their gold annotations (SPEC section 3 scoring); floors are the issues' targets."""
from __future__ import annotations

import pytest

from conftest import GOLD, SEEDS
from pipeline.options import Options
from pipeline.runner import run
from pipeline.dev.score import evaluate, match_deadline, report
from pipeline.vi import citation_key


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


def _write_run(out, targets):
    import csv
    rows = {"documents": [{"doc_id": f"d{i}", "source_path": f"{name}.txt"} for i, name in enumerate(("a", "b"))],
            "targets": targets}
    for table, rs in rows.items():
        with open(out / f"{table}.csv", "w", encoding="utf-8-sig", newline="") as f:
            w = csv.DictWriter(f, fieldnames=sorted({k for r in rs for k in r}))
            w.writeheader()
            w.writerows(rs)


def _write_gold(gold, name, targets):
    import json
    (gold / f"{name}.json").write_text(json.dumps({"doc": name, "targets": targets}), encoding="utf-8")


def test_table_row_and_indicator_alignment_and_macro(tmp_path):
    """A gold `row` must be in the predicted sentence; equal indicators across documents make pairs;
    the macro average weighs each document the same."""
    out, gold = tmp_path / "out", tmp_path / "gold"
    out.mkdir(), gold.mkdir()
    cell = {"value": 20000, "unit": "ha", "comparator": ">="}
    _write_gold(gold, "a", [dict(cell, anchor="20.000", row="Xoài", indicator="mango_area"),
                            dict(cell, value=5, unit="%", anchor="5% người", indicator="people_share")])
    _write_gold(gold, "b", [dict(cell, anchor="20.000", row="Xoài", indicator="mango_area")])
    _write_run(out, [
        # document a: the cell is read from the wrong row (Nhãn), so it does not match; the prose target does
        dict(cell, doc_id="d0", sentence="Nhãn | ha | 20.000", indicator="longan_area"),
        dict(cell, doc_id="d0", value=5, unit="%", sentence="Phấn đấu 5% người dân", indicator="people_share"),
        dict(cell, doc_id="d1", sentence="Xoài | ha | 20.000", indicator="mango_area")])
    s = evaluate(out, gold)
    assert (s["targets"].gold, s["targets"].pred, s["targets"].matched) == (3, 3, 2)
    assert s["targets"].per_doc == {"a": (2, 2, 1), "b": (1, 1, 1)}
    assert s["targets"].macro_f1 == pytest.approx((0.5 + 1.0) / 2)
    # the only gold "same" pair across documents (a's mango cell, b's mango cell) has a's cell unmatched
    assert s["indicators"].gold == 0 and s["indicators"].pred == 0


def test_indicator_alignment_across_seed_plans(scores):
    """Targets of two seed plans that measure the same thing share one indicator key (18 gold pairs)."""
    s = scores["indicators"]
    assert s.gold == 18 and s.f1 >= 0.95, (s.gold, s.pred, s.matched)


def test_indicators_command_lists_shared_keys(tmp_path):
    """`kehoach indicators OUT`: one row per key, the movement's keys shared by the seed plans first."""
    from click.testing import CliRunner

    from conftest import csv_rows
    from pipeline.cli import main
    run([SEEDS], tmp_path, Options(progress=False, jobs=1, formats=("csv",)))
    res = CliRunner().invoke(main, ["indicators", str(tmp_path)])
    assert res.exit_code == 0, res.output
    rows = csv_rows(tmp_path / "indicators.csv")
    keys = {r["indicator"]: r for r in rows}
    assert int(keys["student_digital_skills"]["plans"]) == 3 and keys["student_digital_skills"]["example_2"]
    assert keys["staff_digital_skills"]["indicator_label"].startswith("Kỹ năng số")
    assert len(keys) == len(rows) and int(rows[0]["plans"]) >= int(rows[-1]["plans"])
