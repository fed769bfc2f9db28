"""The devset: twelve real provincial plans and decisions with independent gold (tests/fixtures/devset).

Floors sit a little below what the rules reach today, so a change that loses ground fails here. The
reference scorer in ../shared/tools/score.py, when it is beside the checkout, must print the same figures
as `kehoach eval`.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import FIX, SHARED
from pipeline.options import Options
from pipeline.runner import run
from pipeline.score import evaluate, summary

DEVSET = FIX / "devset"

FLOORS = {
    "sections_f1": 0.97, "citations_f1": 0.98, "targets_f1": 0.94, "deadlines_f1": 0.95,
    "deadline_norm_acc": 0.94, "metadata_acc": 0.97, "section_kind_acc": 0.95,
    "target_comparator_acc": 0.97, "target_unit_acc": 0.95, "target_aspirational_acc": 0.96,
    "target_population_acc": 0.92,
}


@pytest.fixture(scope="module")
def devset_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("devset")
    run([DEVSET / "docs"], out, Options(progress=False, jobs=2, formats=("csv",)))
    return out


@pytest.fixture(scope="module")
def figures(devset_run):
    return summary(evaluate(devset_run, DEVSET / "gold"))


@pytest.mark.parametrize("name, floor", sorted(FLOORS.items()))
def test_devset_floor(figures, name, floor):
    assert figures[name] is not None and figures[name] >= floor, figures


def test_every_devset_document_is_read(devset_run):
    import csv
    with open(devset_run / "documents.csv", encoding="utf-8-sig") as f:
        assert len(list(csv.DictReader(f))) == len(list((DEVSET / "docs").glob("*.txt"))) == 12


def test_eval_agrees_with_the_reference_scorer(devset_run, figures):
    ref = SHARED / "tools" / "score.py"
    if not ref.exists():
        pytest.skip("../shared/tools/score.py is not beside the checkout")
    proc = subprocess.run([sys.executable, str(ref), str(devset_run), str(DEVSET / "gold"), "--json"],
                          capture_output=True, text=True, check=False)
    data = json.loads(proc.stdout[:proc.stdout.rstrip().rfind("\n")])["scores"]
    theirs = {f"{t}_f1": data[t]["f1"] for t in ("sections", "citations", "targets", "deadlines")}
    theirs.update({k: v for k, v in data.items() if k.endswith("_acc")})
    assert {k: figures[k] for k in theirs} == theirs
