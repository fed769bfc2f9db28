"""Every rule table: schema, and each pattern's own examples match while its not_examples do not."""
from __future__ import annotations

from string import Template

import pytest
import regex

from pipeline.rules import RULES_DIR, load

NAMES = sorted(p.stem for p in RULES_DIR.glob("*.yaml"))


@pytest.mark.parametrize("name", NAMES)
def test_rule_file_loads_as_mapping(name):
    assert isinstance(load(name), dict) and load(name)


def _patterns(name):
    if name == "deadlines":          # exactly what the extractor compiles
        from pipeline.understand.extract.deadlines import FLAGS
        from pipeline.rules import Rules
        yield from Rules.bundled().patterns(name, FLAGS)
        return
    data = load(name)
    variables = data.get("variables", {})
    for p in data.get("patterns", []):
        yield p["id"], regex.compile(Template(p["regex"]).substitute(variables)), p


CASES = [(name, pid, rx, ex, True) for name in ("citations", "deadlines") for pid, rx, p in _patterns(name)
         for ex in p.get("examples", [])]
CASES += [(name, pid, rx, ex, False) for name in ("citations", "deadlines") for pid, rx, p in _patterns(name)
          for ex in p.get("not_examples", [])]


@pytest.mark.parametrize("name, pid, rx, example, should", CASES, ids=[f"{c[0]}-{c[1]}-{c[3]}" for c in CASES])
def test_pattern_examples(name, pid, rx, example, should):
    assert bool(rx.search(example)) is should      # patterns may look at context around the match


def test_every_pattern_has_examples():
    for name in ("citations", "deadlines"):
        for pid, _, p in _patterns(name):
            assert p.get("examples"), f"{name}:{pid} has no examples"


def test_section_kinds_are_the_spec_vocabulary():
    kinds = {e["kind"] for e in load("sections")["kinds"]}
    assert kinds <= {"legal_basis", "purpose", "objectives", "targets", "tasks", "budget", "implementation",
                     "appendix", "other"}


def test_indicator_populations_exist():
    data = load("targets")
    pops = {p["id"] for p in data["populations"]}
    for ind in data["indicators"]:
        assert set(ind.get("populations", [])) <= pops, ind["id"]


def test_mandate_catalog_uses_known_indicators():
    from pipeline.analyse.audit import load_mandates
    known = {i["id"] for i in load("targets")["indicators"]}
    pops = {p["id"] for p in load("targets")["populations"]}
    m = load_mandates()
    assert set(m["indicator"]) <= known and set(m["population_id"]) <= pops
    assert set(m["status"]) <= {"primary", "secondary"} and m["source"].str.len().min() > 5


def test_rules_dir_override(tmp_path):
    from pipeline.rules import Rules
    (tmp_path / "sections.yaml").write_text("kinds:\n  - kind: budget\n    phrases: ['ngân sách']\n", encoding="utf-8")
    assert Rules(tmp_path).table("sections")["kinds"][0]["phrases"] == ["ngân sách"]
    assert Rules(tmp_path).table("deadlines") == load("deadlines")          # others come from the package
    assert load("sections")["kinds"][0]["kind"] == "appendix"                # the bundled object is untouched


def test_two_rule_sources_never_share_compiled_patterns(tmp_path):
    from conftest import doc_from_text
    from pipeline.understand.extract import extract
    from pipeline.rules import RULES_DIR, Rules
    text = (RULES_DIR / "deadlines.yaml").read_text(encoding="utf-8")
    (tmp_path / "deadlines.yaml").write_text(text.replace("regex: 'thường\\s+xuyên'", "regex: 'không\\s+bao\\s+giờ'"),
                                             encoding="utf-8")
    doc = doc_from_text("KẾ HOẠCH\nTriển khai năm 2026\nI. NHIỆM VỤ\n- Thường xuyên kiểm tra.\n")
    assert "Thường xuyên" not in [d.text for d in extract(doc, Rules(tmp_path)).deadlines]
    assert "Thường xuyên" in [d.text for d in extract(doc).deadlines]
    assert "Thường xuyên" not in [d.text for d in extract(doc, Rules.for_folder(tmp_path)).deadlines]


@pytest.mark.parametrize("name, content, message", [
    ("sections", "- just a list\n", "must hold a mapping"),
    ("sections", "kinds: {}\n", "'kinds': Input should be a valid list"),
    ("deadlines", "patterns:\n  - id: x\n    regex: '(unclosed'\nevent_words: []\n", "does not compile"),
    ("deadlines", "patterns:\n  - regex: 'x'\nevent_words: []\n", "'patterns.0.id': Field required"),
    ("targets", "comparators: []\n", "'count_quantifiers': Field required"),
    # typed models (issue 22): a misspelled key names itself instead of being ignored
    ("sections", "kinds: []\nnot_goal_phrase: [x]\n", "'not_goal_phrase': Extra inputs are not permitted"),
    ("targets", (RULES_DIR / "targets.yaml").read_text(encoding="utf-8").replace("- {words: [\"top\"",
                                                                         "- {words: [\"top\"], comparator: \"top\"}\n  - {words: [\"x\""),
     "'comparators.3.comparator': Input should be"),
    ("citations", "variables: {}\npatterns: [{id: a, regex: '$nope'}]\ndoc_types: []\nsymbol_types: {}\n", "does not compile"),
    ("metadata", "doc_types: [: bad\n", "not valid YAML"),
    # a rule file from before the grammar word classes existed is refused, not read with no grammar
    ("targets", (RULES_DIR / "targets.yaml").read_text(encoding="utf-8").split("\ngrammar:")[0] + "\n",
     "'grammar': Field required"),
    ("sections", "kinds: []\ngrid_columns:\n  - {role: unit, regex: '(đvt'}\n", "not a regular expression"),
])
def test_bad_rule_files_are_refused_with_the_file_and_the_reason(tmp_path, name, content, message):
    from pipeline.rules import Rules, RulesError
    (tmp_path / f"{name}.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(RulesError, match=message):
        Rules(tmp_path).check()


@pytest.mark.parametrize("example", load("targets").get("examples", []), ids=lambda e: e["text"][:40])
def test_target_vocabulary_examples(example):
    from conftest import doc_from_text
    from pipeline.understand.extract import extract
    x = extract(doc_from_text("KẾ HOẠCH\nTriển khai năm 2026\nI. MỤC TIÊU\n- " + example["text"] + "\n"))
    if example["value"] is None:
        assert x.targets == []
        return
    t = x.targets[0]
    assert (t.value, t.unit, t.comparator) == (example["value"], example["unit"], example["comparator"])
    if "population" in example:
        assert t.population.casefold().split()[:2] == example["population"].casefold().split()[:2]
    if "aspirational" in example:
        assert t.aspirational is example["aspirational"]


def test_table_column_examples_name_their_own_role():
    """Each example header of sections.yaml's grid_columns is read as its own role (the first role whose
    pattern matches), and every grammar word class carries why it is there and at least one example."""
    from pipeline.rules import Rules
    from pipeline.understand.extract.grids import grid_columns
    rules = Rules.bundled()
    columns = grid_columns(rules)
    entries = rules.table("sections")["grid_columns"]
    assert {c["role"] for c in entries} == {"stt", "unit", "actual", "coordinate", "time", "agency", "value"}
    for c in entries:
        for example in c["examples"]:
            assert next(role for role, rx in columns if rx.search(example.casefold())) == c["role"], example
    for table in ("targets", "metadata"):
        for name, word_class in rules.table(table)["grammar"].items():
            assert word_class["why"] and word_class["examples"], (table, name)
