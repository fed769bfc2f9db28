"""The spaCy adapters give the same records as the plain functions, as character spans."""
from __future__ import annotations

import pytest

from conftest import SEEDS
from pipeline.reading.normalize import normalize_text

spacy = pytest.importorskip("spacy")


def test_components_on_a_seed_plan():
    import pipeline.understand.spacy_components  # noqa: F401  (registers the factories)
    nlp = spacy.blank("xx")
    nlp.add_pipe("kehoach")
    text = normalize_text((SEEDS / "002_2c6c9c28ea1c9f52.txt").read_text(encoding="utf-8"))
    doc = nlp(text)
    assert [s.text for s in doc._.citations] == ["76/KH-UBND"]
    assert len(doc._.targets) == 11
    assert doc._.targets[4]._.kehoach.unit == "tin/bài/tháng"
    assert "Quý II/2026" in [s.text for s in doc._.deadlines]
    assert all(s.label_ == "TARGET" for s in doc._.targets)


def test_single_kind_component():
    import pipeline.understand.spacy_components  # noqa: F401
    nlp = spacy.blank("xx")
    nlp.add_pipe("kehoach_citations")
    doc = nlp("I. NỘI DUNG\nThực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị.")
    assert [s.text for s in doc._.citations] == ["57-NQ/TW"] and doc._.targets is None
