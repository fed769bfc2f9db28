"""Per-record golden files for the seeds (issue 22): every row kehoach extracts from the four seed plans,
as canonical JSON under tests/fixtures/records/, so that any change to what is extracted shows as a diff in
review. `UPDATE_GOLDEN=1 pytest tests/test_records.py` rewrites them after a change that is meant."""
from __future__ import annotations

import difflib
import json
import os

import pytest

from conftest import FIX, SEEDS
from pipeline.options import Options
from pipeline.runner import run
from pipeline.store.tables import TABLES

RECORDS = FIX / "records"
# columns that depend on where and when the run happened, not on what was extracted
VOLATILE = {"source_path", "pipeline_version"}
TABLES_KEPT = [t for t in TABLES if t not in ("errors", "ocr_edits")]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    out = tmp_path_factory.mktemp("records")
    run([SEEDS], out, Options(progress=False, jobs=1, formats=("csv",)))
    import csv
    rows = {}
    for table in TABLES_KEPT:
        with open(out / f"{table}.csv", encoding="utf-8-sig", newline="") as f:
            rows[table] = list(csv.DictReader(f))
    docs = {r["doc_id"]: r["source_path"].rsplit("/", 1)[-1].rsplit(".", 1)[0] for r in rows["documents"]}
    per_doc = {stem: {} for stem in docs.values()}
    for table, records in rows.items():
        for r in records:
            stem = docs.get(r["doc_id"])
            if stem is not None:
                per_doc[stem].setdefault(table, []).append({k: v for k, v in sorted(r.items()) if k not in VOLATILE and v != ""})
    return per_doc


def _dump(records: dict) -> str:
    return json.dumps(records, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


@pytest.mark.parametrize("stem", sorted(p.stem for p in SEEDS.glob("*.txt")))
def test_seed_records_match_their_golden_file(extracted, stem):
    got = _dump(extracted[stem])
    path = RECORDS / f"{stem}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1" or not path.exists():
        if not path.exists() and os.environ.get("UPDATE_GOLDEN") != "1":
            pytest.fail(f"{path} is missing: run UPDATE_GOLDEN=1 pytest tests/test_records.py")
        path.write_text(got, encoding="utf-8")
        return
    want = path.read_text(encoding="utf-8")
    if got != want:
        diff = "".join(list(difflib.unified_diff(want.splitlines(True), got.splitlines(True), f"golden/{stem}.json",
                                                 f"now/{stem}.json", n=2))[:80])
        pytest.fail(f"the records of {stem} changed (UPDATE_GOLDEN=1 to accept):\n{diff}")
