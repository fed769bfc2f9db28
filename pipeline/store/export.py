"""Write tables: CSV (UTF-8 with BOM, formula-safe), Parquet, DuckDB, XLSX, JSONL."""
from __future__ import annotations

import contextlib
import logging
import os
import re
from pathlib import Path

log = logging.getLogger(__name__)
FORMATS = ("csv", "parquet", "duckdb", "xlsx", "jsonl")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_COMPARATORS = {"=", ">=", "<=", ">", "<"}
_ISO_RECURRENCE = re.compile(r"-{2,3}\d{2}(?:-\d{2})?")


_FULLWIDTH_START = ("＝", "＋", "－", "＠")


def _runs(value: str) -> bool:
    """A cell a spreadsheet would read as a formula: a formula sign first (also after spaces, also the
    full-width signs), except a bare comparator, an ISO recurrence or a signed number, shown as text."""
    if value.lstrip(" ").startswith(_FULLWIDTH_START) or (
            value[:1] == " " and value.lstrip(" ").startswith(_FORMULA_START)):
        return True
    if not value.startswith(_FORMULA_START):
        return False
    return not (value in _COMPARATORS or _ISO_RECURRENCE.fullmatch(value) or (value[0] in "+-" and _is_number(value)))


def _guarded(value: str) -> bool:
    """Whether the CSV writes `value` behind a quote: it would run, or it already starts with the quote of a
    value that would (so that reading it back gives it exactly)."""
    return _runs(value) or (value[:1] == "'" and _guarded(value[1:]))


def neutralize(value):
    """OWASP CSV-injection rule: prefix a quote to text cells that a spreadsheet would run."""
    if isinstance(value, str) and _guarded(value):
        return "'" + value
    return value


_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*(?:[eE][+-]?\d+)?")


def _is_number(s: str) -> bool:
    """A plain signed number ("-5", "+3.5"): shown as a number, no formula. "-inf" or "-1+2" are not."""
    return bool(_NUMBER.fullmatch(s))


# C0 controls (but tab and newline), DEL and C1 controls: a bare CR splits a CSV row in some readers and
# lets the text after it start a new cell; the others are invisible debris. Line and paragraph separators
# break lines in some viewers only. Bidirectional overrides and isolates make a cell show other text than
# it holds (U+202E reverses what follows): they go
_CONTROLS = re.compile("\r\n?|[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _control(m) -> str:
    c = m.group()
    if c.startswith("\r") or c in "\u2028\u2029":
        return "\n"
    return "" if "\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069" else " "


def clean_cell(value):
    """Control characters out of a text cell (CR, CRLF and line separators become a newline, bidi controls
    go, the rest become a space)."""
    if isinstance(value, str) and _CONTROLS.search(value):
        return _CONTROLS.sub(_control, value)
    return value


def _text_columns(df):
    return [c for c in df.columns if df[c].dtype == object or str(df[c].dtype).startswith(("str", "string"))]


def clean_frame(df):
    """The same frame with control characters out of every text cell (all formats get this)."""
    out = df.copy()
    for col in _text_columns(out):
        out[col] = out[col].map(clean_cell)
    return out


def _safe(df, cleaned: bool = False):
    out = df.copy() if cleaned else clean_frame(df)
    for col in _text_columns(out):
        out[col] = out[col].map(neutralize)
    return out


@contextlib.contextmanager
def atomic(path: Path):
    """Write to a temporary name beside `path` and rename it into place only once the writing succeeded,
    so that a full disk or a crash never leaves a truncated table where a whole one was; the temporary
    file (and a DuckDB write-ahead log beside it) is removed on failure."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)


def write_csv_file(df, path: Path) -> None:
    """The one way kehoach writes a CSV: UTF-8 with BOM, control characters cleaned, formulas neutralized."""
    with atomic(path) as tmp:
        _safe(df).to_csv(tmp, index=False, encoding="utf-8-sig")


def unneutralize(value):
    """Undo neutralize() on a value read back from a kehoach CSV."""
    if isinstance(value, str) and value[:1] == "'" and _guarded(value[1:]):
        return value[1:]
    return value


def write_csv(frames: dict, out: Path) -> None:
    """The run's tables, which export() has already cleaned of control characters."""
    for name, df in frames.items():
        with atomic(out / f"{name}.csv") as tmp:
            _safe(df, cleaned=True).to_csv(tmp, index=False, encoding="utf-8-sig")


def to_arrow(name: str, df):
    """A table as Arrow with its declared schema (pipeline.store.tables.TYPES); text for anything undeclared."""
    import pyarrow as pa

    from .tables import TABLES, arrow_schema, typed
    if name in TABLES:
        df = typed(name, df)
        return pa.Table.from_pandas(df, schema=arrow_schema(name, df), preserve_index=False)
    return pa.Table.from_pandas(df, preserve_index=False)


def write_parquet(frames: dict, out: Path) -> None:
    import pyarrow.parquet as pq
    for name, df in frames.items():
        with atomic(out / f"{name}.parquet") as tmp:
            pq.write_table(to_arrow(name, df), tmp)


def write_duckdb(frames: dict, out: Path) -> None:
    import duckdb
    with atomic(out / "plans.duckdb") as tmp:
        con = duckdb.connect(str(tmp))
        try:
            for name, df in frames.items():
                con.register("frame", to_arrow(name, df))
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM frame')
                con.unregister("frame")
                _comment(con, name, df.columns)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        con = duckdb.connect(str(tmp), read_only=True)      # what reached the disk, before it replaces the old
        try:
            have = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        finally:
            con.close()
        if missing := set(frames) - have:
            raise OSError(f"plans.duckdb lost tables while it was written: {', '.join(sorted(missing))}")


# what each column means, written as DuckDB column comments (SQL users see them with duckdb's DESCRIBE
# or duckdb_columns())
COLUMN_COMMENTS = {
    "doc_id": "first 16 hex digits of the source file's SHA-256 (stable across renames)",
    "char_start": "offset of the evidence in text/<doc_id>.txt (normalized text)",
    "char_end": "end offset (exclusive) of the evidence in the normalized text",
    "page": "1-based page of the evidence; empty for text and Word files",
    "section_path": "numbered heading the row stands under (III.1.2)",
    "value": "the number as printed (46.200 -> 46200; 1,7 -> 1.7)",
    "value_max": "upper end of a range (05 - 06% -> 5 and 6)",
    "unit": "% or the counted noun, lower case (tin/bài/tháng, triệu usd)",
    "comparator": ">=, >, =, <= or range",
    "aspirational": "hedged with phấn đấu / hướng tới / dự kiến",
    "population": "who or what the target counts, as written",
    "indicator": "what is measured (rules/targets.yaml indicators)",
    "period": "the year or school year the target belongs to",
    "start": "first day the expression covers (inclusive)",
    "end": "last day the expression covers (inclusive); empty when open",
    "recurrence": "ISO recurrence: --MM-DD yearly, ---DD monthly",
    "issued_date": "issue date as printed (documents: possibly partial, see issued_date_value/_precision)",
    "status": "met, weaker, missing, not_applicable or out_of_scope (audit)",
    "reasons": "why a target is weaker, or why a mandate does not apply",
    "mandate_id": "the mandate (data/mandates catalog or --parent target id)",
    "severity": "high, medium or low",
}


def add_to_duckdb(out: Path, frames: dict) -> None:
    """Put more tables (compare, audit) into the run's plans.duckdb, when it has one."""
    db = out / "plans.duckdb"
    if not db.exists():
        return
    import duckdb
    con = duckdb.connect(str(db))
    try:
        for name, df in frames.items():
            con.register("frame", df)
            con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM frame')
            con.unregister("frame")
            _comment(con, name, df.columns)
    finally:
        con.close()


def _comment(con, table: str, columns) -> None:
    for col in columns:
        if col in COLUMN_COMMENTS:
            text = COLUMN_COMMENTS[col].replace("'", "''")
            con.execute(f'COMMENT ON COLUMN "{table}"."{col}" IS \'{text}\'')


def write_xlsx(frames: dict, out: Path) -> None:
    """One sheet per table: bold frozen header, autofilter, column widths, real date cells; text is never
    read as a formula or a link."""
    import pandas as pd
    with atomic(out / "plans.xlsx") as tmp, pd.ExcelWriter(
            tmp, engine="xlsxwriter", date_format="yyyy-mm-dd",
            engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}}) as xl:
        bold = xl.book.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1})
        for sheet, df in _xlsx_sheets(frames):
            df.to_excel(xl, sheet_name=sheet, index=False)
            ws = xl.sheets[sheet]
            for j, col in enumerate(df.columns):
                ws.write(0, j, col, bold)
                sample = df[col].head(200).map(lambda v: len(str(v)) if v is not None else 0)
                width = max([len(str(col))] + ([int(sample.max())] if len(sample) else []))
                ws.set_column(j, j, min(max(width + 2, 8), 60))
            ws.freeze_panes(1, 0)
            if len(df.columns):
                ws.autofilter(0, 0, max(len(df), 1), len(df.columns) - 1)


XLSX_ROWS = 1_048_575          # rows a sheet holds under its header
XLSX_CELL = 32_767             # characters a cell holds


def _xlsx_cell(value):
    if isinstance(value, str) and len(value) > XLSX_CELL:
        note = f" … [cut at {XLSX_CELL - 80} of {len(value)} characters; the whole text is in the CSV]"
        return value[:XLSX_CELL - len(note)] + note
    return value


def _xlsx_sheets(frames: dict):
    """(sheet name, rows written to it): a table past a sheet's rows goes on in "name (2)", ...; a cell past
    a cell's characters is cut with a note that says so (the CSV keeps it whole)."""
    for name, df in frames.items():
        df = df.copy()
        for col in _text_columns(df):
            df[col] = df[col].map(_xlsx_cell)
        parts = [df.iloc[i:i + XLSX_ROWS] for i in range(0, len(df), XLSX_ROWS)] or [df]
        for k, part in enumerate(parts):
            sheet = name[:31] if k == 0 else f"{name[:25]} ({k + 1})"
            yield sheet, part


def write_jsonl(frames: dict, out: Path) -> None:
    for name, df in frames.items():
        with atomic(out / f"{name}.jsonl") as tmp:
            if df.empty:
                tmp.write_text("", encoding="utf-8")
            else:
                df.to_json(tmp, orient="records", lines=True, force_ascii=False)


WRITERS = {"csv": write_csv, "parquet": write_parquet, "duckdb": write_duckdb, "xlsx": write_xlsx,
           "jsonl": write_jsonl}


def export(frames: dict, out: Path, formats=("csv", "parquet", "duckdb")) -> None:
    out.mkdir(parents=True, exist_ok=True)
    frames = {name: clean_frame(df) for name, df in frames.items()}
    for fmt in formats:
        WRITERS[fmt](frames, out)


# what a run folder holds besides its tables: outputs of later commands that describe one run's tables
DERIVED = ("compare_indicators.csv", "compare_citations.csv", "compare.xlsx", "compare*.html", "audit_status.csv",
           "findings.csv", "audit*.html", "audit.json", "indicators.csv", "graph_edges.csv", "graph.mmd", "graph.graphml")
TABLE_FILES = {"csv": "{}.csv", "parquet": "{}.parquet", "jsonl": "{}.jsonl"}
RUN_FILES = {"duckdb": "plans.duckdb", "xlsx": "plans.xlsx"}


def write_manifest(out: Path, doc_ids: list[str], formats) -> Path:
    """run.json: the documents and formats of the run that wrote this folder. Files of an earlier run that
    this one did not rewrite are removed first (another format's tables, compare and audit outputs, texts
    of documents no longer in the run), so that every command reads exactly this run; reviews stay."""
    import json
    from datetime import datetime, timezone

    from .tables import TABLES
    for fmt, pattern in TABLE_FILES.items():
        if fmt not in formats:
            for name in TABLES:
                (out / pattern.format(name)).unlink(missing_ok=True)
    for fmt, name in RUN_FILES.items():
        if fmt not in formats:
            (out / name).unlink(missing_ok=True)
    for pattern in DERIVED:
        for stale in out.glob(pattern):
            stale.unlink(missing_ok=True)
    if (out / "reviewed").is_dir():          # export/compare/audit --reviewed of the earlier tables
        import shutil
        shutil.rmtree(out / "reviewed")
    keep = set(doc_ids)
    for text in (out / "text").glob("*.txt") if (out / "text").is_dir() else ():
        if text.name.split(".")[0] not in keep:       # <doc_id>.txt and <doc_id>.ocr.txt
            text.unlink(missing_ok=True)
    manifest = {"documents": sorted(keep), "formats": sorted(formats),
                "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    path = out / "run.json"
    with atomic(path) as tmp:
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def read_tables(out: Path, reviewed: bool = False) -> dict:
    """Load a run folder's tables as DataFrames (Parquet when present, else CSV); with `reviewed`, the
    reviews made in `kehoach serve` applied (pipeline.store.reviews.apply_reviews)."""
    import pandas as pd
    from .tables import TABLES
    frames = {}
    for name in TABLES:
        pq, csv = out / f"{name}.parquet", out / f"{name}.csv"
        if pq.exists():
            frames[name] = pd.read_parquet(pq)
        elif csv.exists():
            df = pd.read_csv(csv, encoding="utf-8-sig", dtype=str, keep_default_na=False)
            for col in df.columns:         # the CSV's formula guard is not data: other formats must not carry it
                df[col] = df[col].map(unneutralize)
            frames[name] = df
    if reviewed:
        from .reviews import ReviewStore, apply_reviews
        frames = apply_reviews(frames, ReviewStore(Path(out)).all())
    return frames
