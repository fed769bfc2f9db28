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
        from pipeline.extract.deadlines import FLAGS
        from pipeline.rules import compile_patterns
        yield from compile_patterns(name, FLAGS)
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
    from pipeline.audit import load_mandates
    known = {i["id"] for i in load("targets")["indicators"]}
    pops = {p["id"] for p in load("targets")["populations"]}
    m = load_mandates()
    assert set(m["indicator"]) <= known and set(m["population_id"]) <= pops
    assert set(m["status"]) <= {"primary", "secondary"} and m["source"].str.len().min() > 5


def test_rules_dir_override(tmp_path):
    from pipeline.rules import set_rules_dir
    (tmp_path / "sections.yaml").write_text("kinds:\n  - kind: budget\n    phrases: ['ngân sách']\n", encoding="utf-8")
    try:
        set_rules_dir(tmp_path)
        assert load("sections")["kinds"][0]["phrases"] == ["ngân sách"]
    finally:
        set_rules_dir(None)
    assert load("sections")["kinds"][0]["kind"] == "appendix"


@pytest.mark.parametrize("example", load("targets").get("examples", []), ids=lambda e: e["text"][:40])
def test_target_vocabulary_examples(example):
    from conftest import doc_from_text
    from pipeline.extract import extract
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
