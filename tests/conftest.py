from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures"
SEEDS = FIX / "text"
GOLD = FIX / "gold"
SAMPLES = ROOT / "data" / "samples"
SHARED = Path(os.environ.get("KEHOACH_SHARED", ROOT.parent / "shared"))
SHARED_FIXTURES = SHARED / "fixtures"


def need_shared():
    if not SHARED_FIXTURES.exists():
        pytest.skip("../shared/fixtures is not beside the checkout")


def doc_from_text(text: str):
    """A Document from a plain string, normalized the way a .txt file is."""
    from pipeline.model import Page, Source
    from pipeline.reading.normalize import normalize
    src = Source(doc_id="t", path="t.txt", sha256="0" * 64, pages=[Page(text=p) for p in text.split("\f")],
                 paged=False)
    return normalize(src)


def csv_rows(path) -> list[dict]:
    """A kehoach CSV (UTF-8 with BOM) as a list of dicts, exactly as the reference scorer reads it."""
    import csv
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))
