"""`make demo`: print a short tour of a run folder (python -m pipeline.demo OUT)."""
from __future__ import annotations

import sys
from pathlib import Path

from .export import read_tables


def summarize(out: Path) -> str:
    t = read_tables(out)
    docs = t["documents"]
    lines = [f"kehoach demo: {len(docs)} documents in {out}", ""]
    for d in docs.to_dict("records"):
        did = d["doc_id"]

        def n(name):
            df = t.get(name)
            return 0 if df is None or df.empty else int((df["doc_id"] == did).sum())
        lines.append(f"- {Path(str(d['source_path'])).name}  [{d['format']}, pages={d['n_pages'] or '-'}, "
                     f"OCR pages={d['ocr_pages']}]")
        lines.append(f"    {d['doc_type']} {d['doc_number'] or '(no number)'} | issuer: {d['issuer']} "
                     f"({d['unit_level']}{', ' + str(d['school_level']) if d['school_level'] else ''}) | "
                     f"province: {d['province'] or '?'} | date: {d['issued_date'] or '?'} | signer: "
                     f"{d['signer_title'] or '?'} {d['signer_name'] or ''}")
        lines.append(f"    sections {n('sections')}, citations {n('citations')}, targets {n('targets')}, "
                     f"deadlines {n('deadlines')}, tasks {n('tasks')}")
    tg = t["targets"]
    if not tg.empty:
        lines += ["", "Some targets (value, unit, population, period):"]
        for r in tg.head(8).to_dict("records"):
            cmp_ = r["comparator"] if r["comparator"] != ">=" else "≥"
            lines.append(f"    {cmp_} {float(r['value']):g} {r['unit']:<14} {str(r['population'])[:45]:<45} "
                         f"{r['period'] or ''}{'  (phấn đấu)' if str(r['aspirational']) == 'True' else ''}")
    errs = t["errors"]
    lines += ["", f"errors: {len(errs)}", "",
              f"Tables: {', '.join(f'{k}.csv' for k in t)} plus Parquet, plans.duckdb and plans.xlsx in {out}/",
              f"Normalized texts: {out}/text/<doc_id>.txt"]
    return "\n".join(lines)


if __name__ == "__main__":
    print(summarize(Path(sys.argv[1] if len(sys.argv) > 1 else "out/demo")))
