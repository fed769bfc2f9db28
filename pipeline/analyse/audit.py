"""Audit plans against mandated targets (a catalog, or a parent plan's own targets) and required sections."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from ..store.export import read_tables
from ..labels import LEVEL_VI

DEFAULT_MANDATES = Path(__file__).resolve().parents[2] / "data" / "mandates" / "bdhvs_education.csv"
REQUIRED_SECTIONS = {
    "implementation": ("Tổ chức thực hiện", "organisation of implementation"),
    "budget": ("Kinh phí thực hiện", "budget"),
}
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass
class Finding:
    doc_id: str
    unit: str
    kind: str
    severity: str
    message_vi: str
    message_en: str
    mandate_id: str | None = None
    target_id: str | None = None
    page: object = None
    char_start: object = None
    section_path: object = None
    evidence: str | None = None


def unit_labels(docs: list[dict]) -> dict[str, str]:
    """doc_id -> a label that names one plan: two plans of units with the same name (and number) are told
    apart by their file name, so reports never merge them into one row."""
    labels = {d["doc_id"]: unit_label(d) for d in docs}
    counts: dict[str, int] = {}
    for v in labels.values():
        counts[v] = counts.get(v, 0) + 1
    for d in docs:
        if counts[labels[d["doc_id"]]] > 1:
            labels[d["doc_id"]] += f" [{Path(str(d.get('source_path'))).name}]"
    return labels


def unit_label(doc: dict) -> str:
    name = doc.get("issuer") if _present(doc.get("issuer")) else Path(str(doc.get("source_path"))).stem
    return f"{name} ({doc['doc_number']})" if _present(doc.get("doc_number")) else str(name)


def period_end(target: dict) -> date | None:
    if _present(target.get("deadline_end")):
        return date.fromisoformat(str(target["deadline_end"])[:10])
    p = str(target.get("period") or "")
    if len(p) == 9 and p[4] == "-":
        return date(int(p[5:]), 5, 31)
    if len(p) == 4 and p.isdigit():
        return date(int(p), 12, 31)
    return None


def is_plan_doc(doc: dict) -> bool:
    """A documents row that is a plan (a run made before kinds were read counts every document)."""
    kind = doc.get("kind")
    return not _present(kind) or str(kind) == "plan"


def not_plans(docs: list[dict]) -> list[dict]:
    """The documents of a run that are not plans (sent by mistake: articles, letters, other acts)."""
    return [d for d in docs if not is_plan_doc(d)]


def _present(v) -> bool:
    return v is not None and not (isinstance(v, float) and v != v) and str(v) not in ("", "nan", "None", "NaT")


def _truthy(v) -> bool:
    return str(v).strip().lower() in ("true", "1", "yes")


MANDATE_COLUMNS = ("mandate_id", "indicator", "min_value", "comparator", "unit")


def load_mandates(path: str | Path | None = None) -> pd.DataFrame:
    """A mandate catalog CSV; ValueError names what a malformed one lacks (columns, numeric min_value)."""
    try:
        df = pd.read_csv(path or DEFAULT_MANDATES, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not a readable mandate CSV ({exc})") from exc
    if missing := [c for c in MANDATE_COLUMNS if c not in df.columns]:
        raise ValueError(f"{path}: the mandate CSV lacks the column(s) {', '.join(missing)} "
                         f"(needed: {', '.join(MANDATE_COLUMNS)})")
    bad = pd.to_numeric(df["min_value"], errors="coerce").isna()
    if bad.any():
        raise ValueError(f"{path}: min_value is not a number in row(s) {', '.join(str(i + 2) for i in df.index[bad][:5])}")
    df["min_value"] = df["min_value"].astype(float)
    for col in ("population", "population_id", "deadline", "source_key", "clause", "applies_to", "province",
                "firm", "status", "source"):
        if col not in df.columns:
            df[col] = ""
    return df


def mandates_from_parent(tables: dict, parent: str) -> pd.DataFrame:
    """A parent plan's own targets become the mandates for the other plans in the run."""
    t = tables["targets"]
    docs = tables["documents"].set_index("doc_id")
    if parent not in docs.index:
        raise ValueError(f"--parent {parent}: no such doc_id in this run")
    rows, seen = [], set()
    number = docs.loc[parent, "doc_number"]
    source_key = number if _present(number) else parent
    # a parent's territory follows its level: a central or ministry plan applies nationwide, a province's
    # plan to the units of that province
    level = docs.loc[parent, "unit_level"] if "unit_level" in docs.columns else None
    nationwide = _present(level) and str(level) in ("central", "ministry")
    province = docs.loc[parent, "province"] if _present(docs.loc[parent, "province"]) and not nationwide else ""
    for r in t[t["doc_id"] == parent].to_dict("records"):
        if not _present(r.get("indicator")):
            continue
        end = period_end(r)
        # a parent that repeats a target (in its text and again in an appendix) mandates it once
        ident = (r["indicator"], r["unit"], float(r["value"]), r["comparator"], end)
        if ident in seen:
            continue
        seen.add(ident)
        rows.append({"mandate_id": r["target_id"], "indicator": r["indicator"],
                     "population": r["population"] if _present(r.get("population")) else r["indicator"],
                     "population_id": r.get("population_id") if _present(r.get("population_id")) else "",
                     "min_value": float(r["value"]), "comparator": r["comparator"], "unit": r["unit"],
                     "deadline": end.isoformat() if end else "", "source_key": source_key,
                     "clause": r["sentence"], "applies_to": "province;commune;school;other", "province": province,
                     "firm": "false" if _truthy(r["aspirational"]) else "true", "status": "primary",
                     "source": "parent plan"})
    return pd.DataFrame(rows)


def _topic(mandates: pd.DataFrame) -> tuple[set, set]:
    """The catalog's topic: the keys of its source documents and its indicators."""
    from ..vi import citation_key
    keys = {citation_key(k) for k in mandates.get("source_key", pd.Series(dtype=str)).dropna() if str(k).strip()}
    return keys, set(mandates.get("indicator", pd.Series(dtype=str)).dropna())


def _in_topic(mine: list[dict], cited: set, topic: tuple[set, set]) -> bool:
    """A catalog's mandates apply to plans of its topic: those that cite one of its source documents, state
    one of its indicators, or whose title names the topic. Any other plan (on drugs, on elections) is out of
    scope, never missing them."""
    keys, indicators = topic
    return bool(cited & keys) or any(t.get("indicator") in indicators for t in mine)


def _applicable(m: dict, doc: dict) -> bool:
    return _not_applicable_reason(m, doc) is None


def _not_applicable_reason(m: dict, doc: dict) -> str | None:
    """Why a mandate does not apply to a plan (None: it applies), in English; see _not_applicable_reasons."""
    both = _not_applicable_reasons(m, doc)
    return both[1] if both else None


def _not_applicable_reasons(m: dict, doc: dict) -> tuple[str, str] | None:
    """Why a mandate does not apply to a plan, (Vietnamese, English) (None: it applies): the unit level,
    the province, or a deadline already past when the plan's period starts."""
    levels = [x.strip() for x in str(m.get("applies_to") or "").split(";") if x.strip()]
    if levels and doc.get("unit_level") not in levels:
        level = doc.get("unit_level") or "unknown"
        return (f"cấp đơn vị {LEVEL_VI.get(level, level)} không thuộc {', '.join(LEVEL_VI.get(x, x) for x in levels)}",
                f"unit level {level} is not among {', '.join(levels)}")
    if _present(m.get("province")) and m["province"] != doc.get("province"):
        return (f"chỉ tiêu giao cho {m['province']}, kế hoạch của {doc.get('province') or 'tỉnh chưa rõ'}",
                f"the mandate is for {m['province']}, the plan is from {doc.get('province') or 'an unknown province'}")
    due, start = m.get("deadline"), doc.get("scope_start")
    if _present(due) and _present(start) and date.fromisoformat(str(due)[:10]) < date.fromisoformat(str(start)[:10]):
        return (f"thời hạn {due} của chỉ tiêu đã qua khi kỳ của kế hoạch bắt đầu ({str(start)[:10]})",
                f"the mandate's deadline {due} had passed when the plan's period began ({str(start)[:10]})")
    return None




def _weaker(m: dict, t: dict) -> list[tuple[str, str]]:
    """Reasons (vi, en) why a plan target is weaker than the mandate."""
    reasons = []
    value = float(t["value"])
    if m["comparator"] in (">=", ">") and value < m["min_value"]:
        reasons.append((f"{value:g}{t['unit'] if t['unit'] == '%' else ' ' + t['unit']} thấp hơn mức "
                        f"{m['min_value']:g} được giao", f"{value:g} is below the mandated {m['min_value']:g}"))
    if m["comparator"] in (">=", ">") and value == m["min_value"] and m["comparator"] == ">" and t["comparator"] != ">":
        reasons.append(("không vượt mức được giao", "does not exceed the mandated level"))
    due = m.get("deadline")
    end = period_end(t)
    if due and end and end > date.fromisoformat(due):
        reasons.append((f"thời hạn {end.isoformat()} muộn hơn {due}", f"deadline {end} is later than {due}"))
    if _truthy(t.get("aspirational")) and _truthy(m.get("firm", "true")):
        reasons.append(("chỉ ghi \"phấn đấu\" trong khi chỉ tiêu được giao là bắt buộc",
                        "hedged with \"phấn đấu\" where the mandate is firm"))
    return reasons


def _text(value, fallback) -> str:
    """A value for a message: never 'nan' or 'None'."""
    return str(value) if _present(value) else str(fallback or "")


def _best(candidates: list[dict]) -> dict:
    return max(candidates, key=lambda t: (not _truthy(t.get("aspirational")), float(t["value"])))


def audit(out: Path, mandates: pd.DataFrame, parent: str | None = None,
          reviewed: bool = False, tables: dict | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every plan of the run `out` against `mandates` (or the targets of the `parent` plan). `tables`: the
    run's tables when the caller holds them already (the review app), reviews applied or not as it chose."""
    from ..store.reviews import rename_indicators, run_renames
    if tables is None:
        tables = read_tables(out, reviewed)    # reviewed: wrong rows out, corrections in, added rows kept
    # a missing value is None, never NaN: a reason never reads "the plan is from nan"
    docs = [{k: (v if _present(v) else None) for k, v in d.items()} for d in tables["documents"].to_dict("records")]
    targets = rename_indicators(tables["targets"], run_renames(out)).to_dict("records")   # reviewed keys
    status_rows, findings = [], []
    labels = unit_labels(docs)
    mandate_rows, topic = mandates.to_dict("records"), _topic(mandates)
    targets_by, sections_by, cites_by = (_by_doc(rows) for rows in (
        targets, tables["sections"].to_dict("records"), tables["citations"].to_dict("records")))
    from ..vi import fold
    from ..rules import Rules
    movement_titles = [fold(w) for w in Rules.bundled().table("targets").get("movement_titles") or ()]
    from ..vi import citation_key
    cited: dict[str, set] = {}
    cites = tables.get("citations")
    if cites is not None and not cites.empty:
        for r in cites[["doc_id", "key"]].dropna().to_dict("records"):
            cited.setdefault(r["doc_id"], set()).add(citation_key(r["key"]))
    parent_number = parent_province = None
    if parent:
        pdocs = [d for d in docs if d["doc_id"] == parent]
        parent_number = pdocs[0].get("doc_number") if pdocs else None
        parent_province = pdocs[0].get("province") if pdocs else None
    for doc in docs:
        if doc["doc_id"] == parent or not is_plan_doc(doc):   # only plans are audited
            continue
        unit = labels[doc["doc_id"]]
        mine = targets_by.get(doc["doc_id"], [])
        in_topic = parent is not None or _in_topic(mine, cited.get(doc["doc_id"], set()), topic) \
            or any(w in fold(str(doc.get("title") or "")) for w in movement_titles)
        for m in mandate_rows:
            row = {"doc_id": doc["doc_id"], "unit": unit, "unit_level": doc.get("unit_level"),
                   "mandate_id": m["mandate_id"], "indicator": m["indicator"], "mandated": f"{m['comparator']}"
                   f"{m['min_value']:g}{m['unit'] if m['unit'] == '%' else ' ' + m['unit']}",
                   "deadline": m.get("deadline") or None, "source_key": m.get("source_key") or None,
                   "mandate": _text(m.get("clause"), m.get("population")), "mandate_source": _text(m.get("source"), ""),
                   "status": None, "target_id": None, "value": None, "comparator": None, "period": None,
                   "aspirational": None, "reasons": None, "reasons_vi": None, "page": None, "sentence": None}
            if not in_topic:
                status_rows.append({**row, "status": "out_of_scope", "reasons":
                                    "the plan neither cites the catalog's documents nor states any of its indicators",
                                    "reasons_vi": "kế hoạch không dẫn văn bản nào của danh mục và không nêu chỉ số nào của nó"})
                continue
            if both := _not_applicable_reasons(m, doc):
                status_rows.append({**row, "status": "not_applicable", "reasons": both[1], "reasons_vi": both[0]})
                continue
            cands = [t for t in mine if t.get("indicator") == m["indicator"]
                     and (t["unit"] == "%") == (m["unit"] == "%")]
            if not cands:
                status_rows.append({**row, "status": "missing"})
                findings.append(Finding(doc["doc_id"], unit, "mandated_target_missing", "high",
                                        f"Thiếu chỉ tiêu được giao: {_text(m.get('population'), m['indicator'])} "
                                        f"{row['mandated']} ({_text(m.get('source_key'), m.get('source'))})",
                                        f"Mandated target missing: {m['indicator']} {row['mandated']} "
                                        f"({_text(m.get('source_key'), m.get('source'))})", mandate_id=m["mandate_id"]))
                continue
            t = _best(cands)
            reasons = _weaker(m, t)
            row.update({"status": "weaker" if reasons else "met", "target_id": t["target_id"], "value": t["value"],
                        "comparator": t["comparator"], "period": t.get("period"), "aspirational": t["aspirational"],
                        "reasons": "; ".join(en for _, en in reasons) or None,
                        "reasons_vi": "; ".join(vi for vi, _ in reasons) or None, "page": t.get("page"),
                        "sentence": t["sentence"]})
            status_rows.append(row)
            if reasons:
                findings.append(Finding(doc["doc_id"], unit, "target_weaker", "medium",
                                        f"Chỉ tiêu yếu hơn mức được giao ({m['mandate_id']}): "
                                        + "; ".join(vi for vi, _ in reasons),
                                        f"Target weaker than mandate {m['mandate_id']}: "
                                        + "; ".join(en for _, en in reasons),
                                        mandate_id=m["mandate_id"], target_id=t["target_id"], page=t.get("page"),
                                        char_start=t.get("char_start"), section_path=t.get("section_path"),
                                        evidence=t["sentence"]))
        if parent and _present(parent_province) and _present(doc.get("province")) and doc["province"] != parent_province:
            findings.append(Finding(doc["doc_id"], unit, "outside_parent_territory", "low",
                                    f"Đơn vị thuộc {doc['province']}, ngoài địa bàn của kế hoạch cấp trên ({parent_province})",
                                    f"The unit is in {doc['province']}, outside the parent plan's province "
                                    f"({parent_province}); its mandates are not applied"))
        findings += _section_findings(doc, unit, sections_by.get(doc["doc_id"], []))
        findings += _citation_findings(doc, unit, cites_by.get(doc["doc_id"], []), parent, parent_number)
    status = pd.DataFrame(status_rows)
    fdf = pd.DataFrame([f.__dict__ for f in findings], columns=list(Finding.__dataclass_fields__))
    if not fdf.empty:
        fdf = fdf.sort_values(["unit", "severity"], key=lambda s: s.map(SEVERITY_ORDER) if s.name == "severity"
                              else s).reset_index(drop=True)
    return status, fdf


def _by_doc(rows: list[dict]) -> dict[str, list[dict]]:
    """Rows by their doc_id, in order (one pass, so that auditing is linear in the number of plans)."""
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r["doc_id"], []).append(r)
    return out


def _section_findings(doc: dict, unit: str, sections: list[dict]) -> list[Finding]:
    """`sections`: the document's own outline rows."""
    from ..understand.outline import classify_kind
    from ..rules import Rules
    sections_rules = Rules.bundled().table("sections")      # the audit reads headings by the bundled kinds
    own_kinds = {classify_kind(str(s["title"]), sections_rules) for s in sections
                 if str(s.get("number")) not in ("-", "+", "*", "•", "–") and len(str(s["title"])) <= 90}
    out = []
    for kind, (vi, en) in REQUIRED_SECTIONS.items():
        if kind not in own_kinds:          # a heading of that kind at any level, subsections included
            out.append(Finding(doc["doc_id"], unit, "required_section_missing", "medium",
                               f"Không có mục \"{vi}\" (kể cả ở mục con)",
                               f"No \"{vi}\" ({en}) section, not even as a subsection"))
    return out


def _citation_findings(doc: dict, unit: str, mine: list[dict], parent, parent_number) -> list[Finding]:
    """`mine`: the document's own citation rows."""
    from ..vi import citation_key
    out = []
    for c in mine:
        if _present(c.get("conflict")):
            out.append(Finding(doc["doc_id"], unit, "citation_conflict", "low",
                               f"Trích dẫn {c['key']} mâu thuẫn với danh mục văn bản: {c['conflict']}",
                               f"Citation {c['key']} contradicts the registry: {c['conflict']}",
                               page=c.get("page"), char_start=c.get("char_start"),
                               section_path=c.get("section_path"), evidence=c.get("text")))
    if parent:
        cited = any(c.get("resolved_doc_id") == parent or
                    (parent_number and citation_key(c["key"]) == citation_key(parent_number)) for c in mine)
        if not cited:
            out.append(Finding(doc["doc_id"], unit, "parent_not_cited", "high",
                               f"Không trích dẫn kế hoạch cấp trên ({parent_number or parent})",
                               f"The parent plan ({parent_number or parent}) is not cited"))
    elif not any(c.get("role") == "basis" for c in mine):
        out.append(Finding(doc["doc_id"], unit, "no_basis_cited", "low",
                           "Không nêu văn bản căn cứ có số hiệu", "No numbered document cited as the legal basis"))
    return out


PAGE_UNITS = 200        # audit.html splits into pages of this many plans


def write_audit(out: Path, status: pd.DataFrame, findings: pd.DataFrame, inputs: dict | None = None) -> list[Path]:
    """The audit's tables and report into `out`; `inputs` (the mandates file, the parent plan, whether the
    reviews were applied) go to audit.json, so that the review app audits the reviewed tables the same way."""
    import json
    from ..store.export import write_csv_file
    from .report import audit_html, write_pages
    out.mkdir(parents=True, exist_ok=True)
    (out / "audit.json").write_text(json.dumps(inputs or {}, ensure_ascii=False), encoding="utf-8")
    paths = [out / "audit_status.csv", out / "findings.csv", out / "audit.html"]
    write_csv_file(status, paths[0])
    write_csv_file(findings, paths[1])
    # beyond PAGE_UNITS plans the report splits into pages (audit.html, audit-2.html, ...)
    units = sorted(set(status["unit"])) if not status.empty else []

    def render(keep: set, nav: str) -> str:
        part_status = status[status["unit"].isin(keep)] if not status.empty else status
        part_findings = findings[findings["unit"].isin(keep)] if not findings.empty else findings
        return audit_html(part_status, part_findings, nav, len(units))
    paths += write_pages(out, "audit", units, PAGE_UNITS, render)
    from ..store.export import add_to_duckdb
    add_to_duckdb(out, {"audit_status": status, "findings": findings})
    return paths
