"""A short tour of a run folder (`kehoach summary OUT`; `make demo` shows it)."""
from __future__ import annotations

from pathlib import Path

from ..store.export import read_tables


def _s(v) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) else str(v)


def _count(v) -> int | None:
    """A count read from any format (a CSV gives '' for none, Parquet gives NaN or NA)."""
    try:
        return int(float(v))
    except (TypeError, ValueError):
        return None


def _needs(d: dict, counts: dict, errs: dict, warns: dict, missing: dict) -> tuple[int, list[str]]:
    """(weight, why) a plan needs a look, most serious first (Vietnamese, the English after a slash): a
    stage that failed, a warning, poor OCR, mandated targets missing, no target; a missing number or date
    only adds to those."""
    why, weight = [], 0
    did = d["doc_id"]
    conf = _count(d.get("ocr_confidence"))
    for hit, w, text in ((errs.get(did), 100, f"lỗi khi đọc / error: {errs.get(did)}"),
                         (warns.get(did), 50, f"cảnh báo / warning: {warns.get(did)}"),
                         (conf is not None and conf < 70, 40, f"OCR kém, độ tin cậy {conf} / poor OCR"),
                         (missing.get(did), 30, f"thiếu {missing.get(did)} chỉ tiêu bắt buộc / mandated targets missing"),
                         (not counts.get(did), 20, "không có chỉ tiêu nào / no targets")):
        if hit:
            why.append(text)
            weight += w
    absent = [vi for k, vi in (("doc_number", "số"), ("issued_date", "ngày"), ("issuer", "cơ quan")) if not _s(d.get(k))]
    if absent and weight:
        why.append(f"thiếu {', '.join(absent)} / no {', '.join(absent)}")
        weight += len(absent)
    return weight, why


def summarize(out: Path, limit: int | None = 20) -> str:
    """A short tour of a run: counts, where the plans come from, the plans that need a look first (errors,
    warnings, poor OCR, missing mandated targets, no targets, no number or date), some targets, and what
    to run next. A run of up to `limit` plans (all with None) also lists each plan."""
    from ..analyse.audit import is_plan_doc
    from ..labels import vi
    t = read_tables(out)
    docs = t["documents"]
    rows = docs.to_dict("records")
    plans = [d for d in rows if is_plan_doc(d)]
    others = [d for d in rows if not is_plan_doc(d)]
    errs_df, warns_df = t["errors"], t.get("warnings")
    pages = sum(_count(d.get("n_pages")) or 0 for d in rows)
    ocr = sum(_count(d.get("ocr_pages")) or 0 for d in rows)
    lines = [f"kehoach: {len(plans)} kế hoạch / plans in {out}" + (f" ({len(rows)} documents)" if others else "")
             + (f"; {pages} trang / pages, {ocr} OCR" if pages else ""), ""]
    if len(plans) > 1:
        by: dict[str, int] = {}
        levels: dict[str, int] = {}
        for d in plans:
            key = _s(d.get("province")) or "chưa rõ / unknown"
            by[key] = by.get(key, 0) + 1
            lv = vi(_s(d.get("unit_level")) or "unknown", "unit_level")
            levels[lv] = levels.get(lv, 0) + 1
        lines += ["Theo tỉnh / by province: " + ", ".join(f"{k} {v}" for k, v in sorted(by.items(), key=lambda kv: -kv[1])[:12])
                  + (" ..." if len(by) > 12 else ""),
                  "Theo cấp / by level: " + ", ".join(f"{k} {v}" for k, v in sorted(levels.items(), key=lambda kv: -kv[1])), ""]
    if others:
        names = ", ".join(f"{Path(str(d['source_path'])).name} ({vi(d['kind'], 'kind')})" for d in others[:10])
        lines += [f"{len(others)} documents are not plans / không phải kế hoạch: {names}"
                  + (" ..." if len(others) > 10 else ""), ""]
    tg = t["targets"]
    counts = tg["doc_id"].value_counts().to_dict() if len(tg) else {}
    errs = {r["doc_id"]: f"{r['error_type']}" for r in errs_df.to_dict("records") if _s(r.get("doc_id"))}
    warns = {}
    if warns_df is not None and len(warns_df):
        for r in warns_df.to_dict("records"):
            if r.get("severity") == "warning" and _s(r.get("doc_id")):
                warns.setdefault(r["doc_id"], str(r["message"])[:90])
    missing = {}
    if (out / "audit_status.csv").exists():
        import pandas as pd
        st = pd.read_csv(out / "audit_status.csv", dtype=str, keep_default_na=False)
        missing = st[st["status"] == "missing"]["doc_id"].value_counts().to_dict()
    ranked = sorted(((d, *_needs(d, counts, errs, warns, missing)) for d in plans), key=lambda x: -x[1])
    needs = [(d, why) for d, weight, why in ranked if weight]
    unread = [r for r in errs_df.to_dict("records") if not _s(r.get("doc_id"))]
    if needs or unread:
        total = len(needs) + len(unread)
        lines.append(f"Cần xem trước / needs a look first ({total}{'; the first 10' if total > 10 else ''}):")
        for r in unread[:10]:
            lines.append(f"  ! {Path(str(r['source_path'])).name}: không đọc được / not read "
                         f"[{r['error_type']}] {str(r['message'])[:100]}")
        for d, why in needs[:max(0, 10 - len(unread[:10]))]:
            lines.append(f"  - {Path(str(d['source_path'])).name} ({_s(d.get('issuer')) or '?'}): {'; '.join(why)}")
        lines.append("")
    shown = plans if limit is None or len(plans) <= limit else []
    if shown:
        lines += ["Từng kế hoạch / each plan:"]
    for d in shown:
        did = d["doc_id"]

        def n(name):
            df = t.get(name)
            return 0 if df is None or df.empty else int((df["doc_id"] == did).sum())
        level = vi(_s(d["unit_level"]), "unit_level")
        lines.append(f"- {Path(str(d['source_path'])).name}  [{d['format']}, pages={_count(d['n_pages']) or '-'}, "
                     f"OCR pages={_count(d['ocr_pages']) or 0}]")
        lines.append(f"    {_s(d['doc_type'])} {_s(d['doc_number']) or '(no number)'} | issuer: {_s(d['issuer'])} "
                     f"({level}{', ' + _s(d['school_level']) if _s(d['school_level']) else ''}) | "
                     f"province: {_s(d['province']) or '?'} | date: {_s(d['issued_date']) or '?'} | signer: "
                     f"{_s(d['signer_title']) or '?'} {_s(d['signer_name'])}")
        lines.append(f"    sections {n('sections')}, citations {n('citations')}, targets {n('targets')}, "
                     f"deadlines {n('deadlines')}, tasks {n('tasks')}")
    if not tg.empty:
        lines += ["", "Một số chỉ tiêu / some targets (value, unit, population, period):"]
        for r in tg.head(5).to_dict("records"):
            cmp_ = r["comparator"] if r["comparator"] != ">=" else "≥"
            lines.append(f"    {cmp_} {float(r['value']):>5g} {r['unit']:<14} {_s(r['population'])[:45]:<45} "
                         f"{_s(r['period'])}{'  (phấn đấu)' if str(r['aspirational']) == 'True' else ''}")
    warns_df = warns_df if warns_df is not None else errs_df.iloc[0:0]
    sev = warns_df["severity"].value_counts() if len(warns_df) and "severity" in warns_df else {}
    lines += ["", f"errors.csv: {len(errs_df)} error(s) (not read, or a stage failed); warnings.csv: "
                  f"{int(sev.get('warning', 0))} warning(s) to check by hand, {int(sev.get('note', 0))} note(s)"]
    lines += ["", "Tiếp theo / next:",
              f"  kehoach serve {out}          duyệt từng kế hoạch / review each plan in the browser",
              f"  kehoach audit {out}          kiểm tra chỉ tiêu bắt buộc / audit mandated targets",
              f"  kehoach compare {out}        so sánh các đơn vị / compare units",
              f"  kehoach export {out} --format xlsx",
              f"  kehoach summary {out} --all  từng kế hoạch / every plan",
              "", f"Tables: {', '.join(f'{k}.csv' for k in t)} in {out}/; texts in {out}/text/<doc_id>.txt"]
    return "\n".join(lines)
