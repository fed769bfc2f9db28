"""A short tour of a run folder (`kehoach summary OUT`; `make demo` shows it)."""
from __future__ import annotations

from pathlib import Path

from .export import read_tables


def _s(v) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) else str(v)


def _count(v) -> int | None:
    """A count read from any format (a CSV gives '' for none, Parquet gives NaN or NA)."""
    try:
        return int(float(v))
    except (TypeError, ValueError):
        return None


def summarize(out: Path, limit: int | None = 20) -> str:
    """A readable tour of a run: each plan (the first `limit`, all when None), counts, some targets, and
    the errors, warnings and notes the reading left."""
    from .audit import is_plan_doc
    t = read_tables(out)
    docs = t["documents"]
    rows = docs.to_dict("records")
    plans = [d for d in rows if is_plan_doc(d)]
    others = [d for d in rows if not is_plan_doc(d)]
    lines = [f"kehoach: {len(plans)} kế hoạch / plans in {out}" + (f" ({len(rows)} documents)" if others else ""), ""]
    if len(plans) > 1:
        by = {}
        for d in plans:
            by.setdefault(_s(d.get("province")) or "?", []).append(d)
        levels = {}
        for d in plans:
            levels[_s(d.get("unit_level")) or "?"] = levels.get(_s(d.get("unit_level")) or "?", 0) + 1
        lines += ["By province: " + ", ".join(f"{k} {len(v)}" for k, v in sorted(by.items(), key=lambda kv: -len(kv[1]))[:12])
                  + (" ..." if len(by) > 12 else ""),
                  "By level: " + ", ".join(f"{k} {v}" for k, v in sorted(levels.items(), key=lambda kv: -kv[1])), ""]
    if others:
        names = ", ".join(f"{Path(str(d['source_path'])).name} ({d['kind']})" for d in others[:10])
        lines += [f"{len(others)} documents are not plans: {names}" + (" ..." if len(others) > 10 else ""), ""]
    shown = plans if limit is None else plans[:limit]
    if len(shown) < len(plans):
        lines += [f"The first {len(shown)} of {len(plans)} plans (kehoach summary --all lists every one; "
                  "kehoach serve browses them):", ""]
    for d in shown:
        did = d["doc_id"]

        def n(name):
            df = t.get(name)
            return 0 if df is None or df.empty else int((df["doc_id"] == did).sum())
        lines.append(f"- {Path(str(d['source_path'])).name}  [{d['format']}, pages={_count(d['n_pages']) or '-'}, "
                     f"OCR pages={_count(d['ocr_pages']) or 0}]")
        lines.append(f"    {_s(d['doc_type'])} {_s(d['doc_number']) or '(no number)'} | issuer: {_s(d['issuer'])} "
                     f"({_s(d['unit_level'])}{', ' + _s(d['school_level']) if _s(d['school_level']) else ''}) | "
                     f"province: {_s(d['province']) or '?'} | date: {_s(d['issued_date']) or '?'} | signer: "
                     f"{_s(d['signer_title']) or '?'} {_s(d['signer_name'])}")
        lines.append(f"    sections {n('sections')}, citations {n('citations')}, targets {n('targets')}, "
                     f"deadlines {n('deadlines')}, tasks {n('tasks')}")
    tg = t["targets"]
    if not tg.empty:
        lines += ["", "Some targets (value, unit, population, period):"]
        for r in tg.head(8).to_dict("records"):
            cmp_ = r["comparator"] if r["comparator"] != ">=" else "≥"
            lines.append(f"    {cmp_} {float(r['value']):>5g} {r['unit']:<14} {_s(r['population'])[:45]:<45} "
                         f"{_s(r['period'])}{'  (phấn đấu)' if str(r['aspirational']) == 'True' else ''}")
    errs = t["errors"]
    warns = t.get("warnings")
    warns = warns if warns is not None else errs.iloc[0:0]
    sev = warns["severity"].value_counts() if len(warns) and "severity" in warns else {}
    lines += ["", f"errors.csv: {len(errs)} error(s) (not read, or a stage failed); warnings.csv: "
                  f"{int(sev.get('warning', 0))} warning(s) to check by hand, {int(sev.get('note', 0))} note(s)"]
    important = list(errs.to_dict("records")) + [w for w in warns.to_dict("records") if w.get("severity") == "warning"]
    for r in important[:10]:
        lines.append(f"    [{r.get('severity') or 'error'}] {Path(str(r['source_path'])).name}: {str(r['message'])[:150]}")
    lines += ["",
              f"Tables: {', '.join(f'{k}.csv' for k in t)} plus Parquet, plans.duckdb and plans.xlsx in {out}/",
              f"Normalized texts: {out}/text/<doc_id>.txt"]
    return "\n".join(lines)

