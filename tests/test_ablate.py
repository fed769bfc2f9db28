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
    # where the words occur at all: more than the one document whose score it moves
    assert "of the patches, 1 match the text of two or more documents" in result.output
    assert "matches the text of 4 document(s)" in result.output


def test_reach_reads_words_patterns_and_skips_codes():
    """An entry's reach: the documents whose text its words or its pattern (with the file's variables)
    match; an entry that is a code (a deadline kind) matches none."""
    from pipeline.dev.ablate import document_texts, reach
    texts = document_texts([(SEEDS, GOLD), (FIX / "devset" / "docs", FIX / "devset" / "gold")])
    assert len(texts) == 16
    named = {e.name: e for e in entries(RULES_DIR)}
    assert "thanhhoa_235kh_quantrac_thuysan_2025" in reach(RULES_DIR, named["targets.yaml:site_measures[0]"], texts)
    assert reach(RULES_DIR, named["deadlines.yaml:past_is_not_a_schedule[0]"], texts) == []
    school_year = next(e for e in named.values() if e.file == "deadlines.yaml" and "Năm học 2025" in e.shown)
    assert reach(RULES_DIR, school_year, texts) == ["000_128bace28e546b8b"]      # $Y substituted
    # a column header's pattern is tried on each table cell: "^\s*(?:s[ốo]\s*)?s?tt\s*$" finds the "TT" cell
    assert "sonla_2954qd_xuatkhau_2025" in reach(RULES_DIR, named["sections.yaml:grid_columns[0]"], texts)
    # a mapping whose keys are words: the province, the multiplier, the symbol's code is what is read
    assert reach(RULES_DIR, named["provinces.yaml:provinces.Sơn La"], texts) == ["sonla_2954qd_xuatkhau_2025"]
    assert "sonla_2954qd_xuatkhau_2025" in reach(RULES_DIR, named["targets.yaml:multipliers.triệu"], texts)
    assert len(reach(RULES_DIR, named["citations.yaml:symbol_types.NQ"], texts)) >= 5
    # an indicator's unit words count; a label or an id does not
    assert reach(RULES_DIR, named["targets.yaml:indicator_labels.posts_per_month"], texts) == []
