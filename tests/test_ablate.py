"""kehoach ablate: removing a rule entry shows which annotated documents it moves (issue 22)."""
from __future__ import annotations

from click.testing import CliRunner

from conftest import FIX, GOLD, SEEDS
from pipeline.dev.ablate import entries, without
from pipeline.cli import main
from pipeline.rules import RULES_DIR, Rules


def test_every_entry_can_be_taken_out_and_the_rules_still_load(tmp_path):
    todo = entries(RULES_DIR)
    assert len(todo) > 300 and len({e.name for e in todo}) == len(todo)
    entry = next(e for e in todo if e.name == "targets.yaml:site_measures[0]")
    folder = without(RULES_DIR, entry, tmp_path / "rules")
    assert Rules(folder).table("targets")["site_measures"] == ["địa điểm"]
    assert Rules.bundled().table("targets")["site_measures"] == ["vị trí", "địa điểm"]     # bundled untouched


def test_a_rule_one_document_needs_is_reported_as_a_patch():
    """'vị trí' as a measure noun of place serves one devset plan (the aquaculture sampling plan):
    without it, that plan's populations change and no other document moves."""
    result = CliRunner().invoke(main, ["ablate", "--only", "targets.yaml:site_measures[0]", "-j", "1",
                                       "--set", str(SEEDS), str(GOLD),
                                       "--set", str(FIX / "devset" / "docs"), str(FIX / "devset" / "gold")])
    assert result.exit_code == 0, result.output
    assert "1 patches (move one)" in result.output
    assert "thanhhoa_235kh_quantrac_thuysan_2025" in result.output and "wrong population" in result.output
