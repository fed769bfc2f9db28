"""Records -> table rows (dicts) with provenance; rows -> DataFrames in a stable column order."""
from __future__ import annotations

import json
from datetime import date

import regex

from ..model import Extraction, Source
from ..understand.outline import list_items, section_at

def _version(rules=None) -> str:
    from ..fingerprint import pipeline_version
    folder = getattr(rules, "folder", None)
    return pipeline_version(str(folder) if folder else None)

COLUMNS = {
    "documents": ["doc_id", "source_path", "sha256", "n_pages", "ocr_pages", "doc_type", "doc_number", "issuer",
                  "parent_issuer", "title", "place", "issued_date", "signer_name", "signer_title", "unit_level",
                  "school_level", "province", "province_candidates", "recipients", "is_plan", "kind", "kind_reason", "format",
                  "n_chars", "scope_start", "scope_end", "ocr_confidence", "warnings", "pipeline_version", "ocr_prep",
                  "ocr_low_words", "ocr_edits"],
    "sections": ["doc_id", "section_path", "level", "number", "title", "kind", "char_start", "char_end", "page",
                 "subtitle", "heading_end"],
    "citations": ["doc_id", "key", "doc_type", "number", "year", "symbol", "issued_date", "issuer", "subject",
                  "role", "mentions", "char_start", "char_end", "page", "section_path", "text",
                  "registry_title", "registry_doc_type", "registry_date", "registry_issuer", "conflict",
                  "resolved_doc_id", "low_confidence", "key_as_read"],
    "targets": ["doc_id", "target_id", "value", "value_max", "unit", "comparator", "aspirational", "population",
                "indicator", "period", "deadline_start", "deadline_end", "sentence", "char_start",
                "char_end", "page", "section_path", "population_id", "text", "section_kind", "indicator_label", "doc_kind",
                "low_confidence"],
    "deadlines": ["doc_id", "text", "kind", "start", "end", "recurrence", "applies_to", "char_start", "char_end",
                  "page", "section_path", "doc_kind", "low_confidence"],
    "tasks": ["doc_id", "task", "lead", "partners", "output", "timeline", "deadline_start", "deadline_end",
              "char_start", "char_end", "page", "section_path", "group", "source", "doc_kind"],
    "table_rows": ["doc_id", "table_no", "row_no", "kind", "cells", "column_roles", "column_headers", "char_start",
                   "char_end", "page", "section_path"],
    "ocr_edits": ["doc_id", "page", "offset", "before", "after", "why", "confidence"],
    "errors": ["source_path", "doc_id", "stage", "error_type", "message", "severity"],
    # what a reading noted about a file it read: severity warning (check by hand) or note (information)
    "warnings": ["source_path", "doc_id", "stage", "error_type", "message", "severity"],
}
TABLES = list(COLUMNS)

# Column types other than text, the same in every run (an empty column keeps its type): integers are
# integers, dates are DATE in Parquet and DuckDB (ISO text in CSV). Dates that may be partial keep their
# printed form in the listed column and add <column>_value (a DATE, the first day) and
# <column>_precision (day, month or year).
INT, FLOAT, BOOL, DATE = "int", "float", "bool", "date"
TYPES = {
    "documents": {"n_pages": INT, "ocr_pages": INT, "is_plan": BOOL, "n_chars": INT, "scope_start": DATE,
                  "scope_end": DATE, "ocr_confidence": FLOAT, "issued_date_value": DATE, "ocr_edits": INT},
    "sections": {"level": INT, "char_start": INT, "char_end": INT, "page": INT, "heading_end": INT},
    "citations": {"year": INT, "issued_date": DATE, "mentions": INT, "char_start": INT, "char_end": INT,
                  "page": INT, "registry_date": DATE, "low_confidence": BOOL},
    "targets": {"value": FLOAT, "value_max": FLOAT, "aspirational": BOOL, "deadline_start": DATE,
                "deadline_end": DATE, "char_start": INT, "char_end": INT, "page": INT, "low_confidence": BOOL},
    "deadlines": {"start": DATE, "end": DATE, "char_start": INT, "char_end": INT, "page": INT, "low_confidence": BOOL},
    "ocr_edits": {"page": INT, "offset": INT, "confidence": FLOAT},
    "tasks": {"deadline_start": DATE, "deadline_end": DATE, "char_start": INT, "char_end": INT, "page": INT},
    "errors": {},
    "warnings": {},
}
PARTIAL_DATES = {"documents": ["issued_date"]}


def _partial_date(value):
    """'2026-04-15' -> (date, 'day'); '2026-04' -> (2026-04-01, 'month'); '2026' -> (2026-01-01, 'year')."""
    if not value or not isinstance(value, str):
        return None, None
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return date(int(parts[0]), int(parts[1]), int(parts[2])), "day"
        if len(parts) == 2:
            return date(int(parts[0]), int(parts[1]), 1), "month"
        return date(int(parts[0]), 1, 1), "year"
    except ValueError:
        return None, None


def typed(name: str, df):
    """The frame with every column in its declared type (pandas nullable types; dates as datetime.date)."""
    import pandas as pd
    df = df.copy()
    for col in PARTIAL_DATES.get(name, []):
        pairs = [_partial_date(v) for v in df[col]] if col in df else []
        df[f"{col}_value"] = [p[0] for p in pairs]
        df[f"{col}_precision"] = [p[1] for p in pairs]
    for col, kind in TYPES.get(name, {}).items():
        if col not in df:
            df[col] = None
        if kind == INT:
            df[col] = pd.to_numeric(df[col], errors="coerce").round().astype("Int64")
        elif kind == FLOAT:
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("Float64")
        elif kind == BOOL:
            df[col] = df[col].map(lambda v: None if _missing(v, pd.isna) or v == ""
                                  else str(v).strip().lower() in ("true", "1", "1.0")).astype("boolean")
        elif kind == DATE:
            df[col] = df[col].map(_to_date).astype("object")
    for col in df.columns:
        if col not in TYPES.get(name, {}) and not col.endswith("_value"):
            text = df[col].map(lambda v: None if _missing(v, pd.isna) else (v if isinstance(v, str) else str(v))).astype("object")
            df[col] = text.where(text.notna(), None)
    return df


def _to_date(v):
    if v is None or (isinstance(v, float) and v != v) or v == "":
        return None
    if isinstance(v, date):
        return v
    return _partial_date(str(v)[:10])[0]


def arrow_schema(name: str, df):
    """The explicit Arrow schema of a typed frame: the same types whatever the rows hold."""
    import pyarrow as pa
    arrow = {INT: pa.int64(), FLOAT: pa.float64(), BOOL: pa.bool_(), DATE: pa.date32()}
    fields = []
    for col in df.columns:
        kind = TYPES.get(name, {}).get(col) or (DATE if col.endswith("_value") and col[:-6] in PARTIAL_DATES.get(name, []) else None)
        fields.append(pa.field(col, arrow.get(kind, pa.string())))
    return pa.schema(fields)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _prov(x: Extraction, start: int, end: int) -> dict:
    sec = section_at(x.sections, start)
    return {"doc_id": x.document.doc_id, "char_start": start, "char_end": end,
            "page": x.document.page_of(start), "section_path": sec.path if sec else None}


def document_row(source: Source, x: Extraction | None, rules=None) -> dict:
    ocr = [p for p in source.pages if p.ocr]
    confs = [p.confidence for p in ocr if p.confidence is not None]
    row = {"doc_id": source.doc_id, "source_path": source.path, "sha256": source.sha256,
           "n_pages": len(source.pages) if source.paged else None, "ocr_pages": len(ocr),
           "format": source.fmt, "ocr_confidence": round(sum(confs) / len(confs), 1) if confs else None,
           "warnings": "; ".join(source.warnings) or None, "pipeline_version": _version(rules or (x.rules if x is not None else None)),
           "ocr_prep": ",".join(f"{i}:{p.prep}" for i, p in enumerate(source.pages, 1) if p.ocr and p.prep) or None,
           "ocr_low_words": _low_words(source), "ocr_edits": sum(len(p.edits) for p in ocr) if ocr else None}
    if x is not None:
        m = x.metadata
        row.update({"doc_type": m.doc_type, "doc_number": m.doc_number, "issuer": m.issuer,
                    "parent_issuer": m.parent_issuer, "title": m.title, "place": m.place,
                    "issued_date": m.issued_date, "signer_name": m.signer_name, "signer_title": m.signer_title,
                    "unit_level": m.unit_level, "school_level": m.school_level, "province": m.province,
                    "province_candidates": "; ".join(m.province_candidates) or None,
                    "recipients": "; ".join(m.recipients) or None, "is_plan": m.is_plan,
                    "kind": m.kind, "kind_reason": m.kind_reason,
                    "n_chars": len(x.document.text), "scope_start": _iso(m.scope_start),
                    "scope_end": _iso(m.scope_end)})
    return row


def _low_words(source: Source) -> str | None:
    """'page:share' of the words read with a low confidence, for each OCR page ('2:0.041; 3:0.120')."""
    from ..reading.ingest.repair import low_confidence_share
    shares = [(i, low_confidence_share(p)) for i, p in enumerate(source.pages, 1) if p.ocr]
    return "; ".join(f"{i}:{s:.3f}" for i, s in shares if s is not None) or None


def ocr_edit_rows(source: Source) -> list[dict]:
    """One row per change the OCR repair stage made (pipeline.reading.ingest.repair): page, offset into the page's
    raw OCR text, before, after, why, the word's Tesseract confidence."""
    return [{"doc_id": source.doc_id, "page": e.page, "offset": e.offset, "before": e.before, "after": e.after,
             "why": e.why, "confidence": e.confidence} for p in source.pages for e in p.edits]


_EVIDENCE_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}%&/\-]*")


def flag_low_confidence(rows: dict[str, list[dict]], source: Source) -> None:
    """low_confidence on targets, deadlines and citations: True where the evidence (the row's text, on its
    page) holds a word OCR read with a low confidence or a word the repair stage changed; False for
    other rows of an OCR page; None where the page was not read by OCR."""
    from ..reading.ingest.repair import low_confidence_words
    low = {i: low_confidence_words(p) for i, p in enumerate(source.pages, 1) if p.ocr}
    for name in ("targets", "deadlines", "citations"):
        for r in rows.get(name, []):
            words = low.get(r.get("page"))
            if words is None:
                r["low_confidence"] = None
                continue
            r["low_confidence"] = any(w in words for w in _EVIDENCE_WORD.findall(r.get("text") or ""))


def extraction_rows(x: Extraction) -> dict[str, list[dict]]:
    """All table rows for one document except documents/errors."""
    rows: dict[str, list[dict]] = {t: [] for t in TABLES}
    doc_id = x.document.doc_id
    items = sorted(x.sections + list_items(x.document, x.sections), key=lambda s: (s.start, s.level))
    for s in items:
        rows["sections"].append({"doc_id": doc_id, "section_path": s.path, "level": s.level, "number": s.number,
                                 "title": s.title, "kind": s.kind, "char_start": s.start, "char_end": s.end,
                                 "page": x.document.page_of(s.start), "subtitle": s.subtitle,
                                 "heading_end": s.heading_end})
    for c in x.citations:
        known = c.registry
        rows["citations"].append({**_prov(x, c.start, c.end), "key": c.key, "doc_type": c.doc_type,
                                  "number": c.number, "year": c.year, "symbol": c.symbol,
                                  "issued_date": _iso(c.issued_date), "issuer": c.issuer, "subject": c.subject,
                                  "role": c.role, "mentions": c.mentions, "text": c.text,
                                  "registry_title": known.title if known else None,
                                  "registry_doc_type": known.doc_type if known else None,
                                  "registry_date": _iso(known.issued_date) if known else None,
                                  "registry_issuer": known.issuer if known else None,
                                  "conflict": known.conflict if known else None, "key_as_read": c.key_as_read})
    for i, t in enumerate(x.targets, 1):
        sec = section_at(x.sections, t.start)
        rows["targets"].append({**_prov(x, t.start, t.end), "target_id": f"{doc_id}-T{i:03d}", "value": t.value,
                                "value_max": t.value_max, "unit": t.unit, "comparator": t.comparator,
                                "aspirational": t.aspirational, "population": t.population,
                                "population_id": t.population_id, "indicator": t.indicator,
                                "period": t.period, "deadline_start": _iso(t.deadline_start),
                                "deadline_end": _iso(t.deadline_end), "sentence": t.sentence, "text": t.text,
                                "section_kind": sec.kind if sec else None,
                                "indicator_label": t.indicator_label,
                                "doc_kind": x.metadata.kind})
    for d in x.deadlines:
        rows["deadlines"].append({**_prov(x, d.start, d.end), "text": d.text, "kind": d.kind,
                                  "start": _iso(d.start_date), "end": _iso(d.end_date),
                                  "recurrence": d.recurrence, "applies_to": d.applies_to,
                                  "doc_kind": x.metadata.kind})
    for g, grid in enumerate(x.grids, 1):
        for n, r in enumerate(grid.rows, 1):
            rows["table_rows"].append({**_prov(x, r.start, r.end), "table_no": g, "row_no": n, "kind": r.kind,
                                       "cells": " | ".join(c.text for c in r.cells),
                                       "column_roles": " | ".join(grid.roles) if n == 1 else None,
                                       "column_headers": " | ".join(grid.headers) if n == 1 else None})
    for k in x.tasks:
        rows["tasks"].append({**_prov(x, k.start, k.end), "task": k.task, "lead": k.lead, "partners": k.partners,
                              "output": k.output, "timeline": k.timeline, "deadline_start": _iso(k.deadline_start),
                              "deadline_end": _iso(k.deadline_end), "group": k.group, "source": k.source,
                              "doc_kind": x.metadata.kind})
    return rows


def link_citations(rows: dict[str, list[dict]]) -> None:
    """resolved_doc_id: a cited key equal to the doc_number of another document in the same batch."""
    from ..vi import citation_key
    numbers = {citation_key(d["doc_number"]): d["doc_id"] for d in rows.get("documents", []) if d.get("doc_number")}
    for c in rows.get("citations", []):
        target = numbers.get(citation_key(c["key"]))
        c["resolved_doc_id"] = target if target and target != c["doc_id"] else None


def to_frames(rows: dict[str, list[dict]]):
    import pandas as pd
    frames = {}
    for name, cols in COLUMNS.items():
        df = pd.DataFrame(rows.get(name, []))
        for c in cols:
            if c not in df.columns:
                df[c] = None
        extra = [c for c in df.columns if c not in cols]
        frames[name] = typed(name, df[cols + extra])
    return frames


def dumps(rows: dict) -> str:
    return json.dumps(rows, ensure_ascii=False, default=str)


def _missing(v, isna) -> bool:
    """None, NaN, pandas' NA and NaT alike (a row of a file that timed out carries pandas' NA flags);
    isna is pandas.isna, passed in by the caller that has pandas loaded."""
    try:
        return v is None or bool(isna(v))
    except (TypeError, ValueError):     # a list or an array is a value
        return False
