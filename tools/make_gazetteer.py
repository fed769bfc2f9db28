"""Regenerate pipeline/rules/old_units.tsv: pre-July-2025 districts and communes -> the new province.

The raw import is the `admin_units_legacy` table of the vietnamadminunits package (its SQLite data file,
read as data only); the old-province -> new-province merge comes from the hand-written
pipeline/rules/provinces.yaml. tests/test_gazetteer.py checks that the committed file is current.

usage: python tools/make_gazetteer.py [--check]
"""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "pipeline" / "rules" / "old_units.tsv"


def _new_province(old: str, merges: dict[str, str]) -> str:
    short = old.replace("Thành phố ", "").replace("Tỉnh ", "").strip()
    return merges.get(short, short)


def build() -> str:
    import vietnamadminunits
    import yaml
    db = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
    provinces = yaml.safe_load((OUT.parent / "provinces.yaml").read_text(encoding="utf-8"))["provinces"]
    merges = {old: new for new, olds in provinces.items() for old in [new, *olds]}
    con = sqlite3.connect(db)
    rows = con.execute("SELECT province, district, ward FROM admin_units_legacy ORDER BY provinceCode, "
                       "districtCode, wardCode").fetchall()
    lines = ["level\tname\tdistrict\tnew_province"]
    seen = set()
    for province, district, ward in rows:
        new = _new_province(province, merges)
        for line in (f"district\t{district}\t\t{new}", f"ward\t{ward}\t{district}\t{new}"):
            if line not in seen:
                seen.add(line)
                lines.append(line)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    text = build()
    if "--check" in sys.argv:
        sys.exit(0 if OUT.read_text(encoding="utf-8") == text else 1)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - 1} rows)")
