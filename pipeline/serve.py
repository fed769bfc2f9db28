"""`kehoach serve OUT`: a local web app over a run, for analysts and auditors.

FastAPI + Jinja2, chosen over Datasette because the review workflow (mark a row correct or wrong, correct
its fields, add a missed row from a text selection, see the evidence highlighted in the normalized text)
is the heart of it, and that is plain page logic here rather than a Datasette plugin around generic
tables; the run's tables stay available for SQL in plans.duckdb. Everything it serves ships in the
package (pipeline/web): no CDN, it works offline.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles

from .export import read_tables
from .reviews import ReviewStore, row_key

WEB = Path(__file__).parent / "web"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_REVIEW_BYTES = 64 * 1024          # a review is a few fields; anything larger is refused (413)
# a served source file is data, never a page of this app: no script, no style, no frame, no form
SOURCE_HEADERS = {"Content-Security-Policy": "default-src 'none'; sandbox", "X-Content-Type-Options": "nosniff"}


def _host_name(host_header: str) -> str:
    """The host of a Host header without its port ("[::1]:8765" -> "::1")."""
    return urlsplit("//" + host_header).hostname or ""
PLAN_COLUMNS = [("issuer", "Đơn vị / issuer"), ("doc_number", "Số / number"), ("doc_type", "Loại / type"),
                ("issued_date", "Ngày / date"), ("province", "Tỉnh / province"), ("unit_level", "Cấp / level"),
                ("title", "Trích yếu / title"), ("source_name", "Tệp / file")]
TABLE_VIEWS = [
    ("targets", "Chỉ tiêu / targets", ["value", "value_max", "unit", "comparator", "aspirational", "population",
                                       "period", "sentence"]),
    ("deadlines", "Thời hạn / deadlines", ["text", "kind", "start", "end", "recurrence"]),
    ("citations", "Văn bản dẫn chiếu / citations", ["key", "doc_type", "issued_date", "issuer", "role"]),
    ("tasks", "Nhiệm vụ / tasks", ["task", "lead", "partners", "output", "timeline"]),
]
FILTERS = [("kind", "Loại tài liệu / kind"), ("province", "Tỉnh / province"), ("unit_level", "Cấp / level"),
           ("doc_type", "Loại / type"), ("year", "Năm / year")]


def _clean(v):
    if v is None or (isinstance(v, float) and v != v):
        return None
    try:
        import pandas as pd
        if v is pd.NA or v is pd.NaT:
            return None
    except ImportError:
        pass
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


class RunData:
    """The run's tables, loaded once (a run is read-only; reviews are kept apart)."""

    def __init__(self, out: Path):
        self.out = Path(out)
        t = read_tables(self.out)
        if "documents" not in t:
            from .errors import OutputProblem
            raise OutputProblem(f"{out} holds no kehoach run (no documents table)")
        self.tables = {k: v.astype(object).where(v.notna(), None) for k, v in t.items()}
        docs = self.tables["documents"].copy()
        docs["year"] = docs["issued_date"].map(lambda d: str(d)[:4] if d else None)
        docs["source_name"] = docs["source_path"].map(lambda p: Path(str(p)).name)
        # a run made before kinds were read counts every document as a plan
        docs["kind"] = docs["kind"].fillna("plan") if "kind" in docs else "plan"
        for name in ("targets", "deadlines"):
            counts = self.tables[name]["doc_id"].value_counts() if name in self.tables else {}
            docs[f"n_{name}"] = docs["doc_id"].map(lambda d: int(counts.get(d, 0)))
        self.docs = docs
        self.by_doc = {name: {k: g for k, g in df.groupby("doc_id")} for name, df in self.tables.items()
                       if name != "documents" and "doc_id" in df and len(df)}

    def rows(self, table: str, doc_id: str) -> list[dict]:
        g = self.by_doc.get(table, {}).get(doc_id)
        return [] if g is None else [{k: _clean(v) for k, v in r.items()} for r in g.to_dict("records")]


def create_app(out: str | Path, allowed_hosts=LOCAL_HOSTS) -> FastAPI:
    """The app over a run folder. Requests must name one of `allowed_hosts` (a page on another name that
    resolves here, DNS rebinding, is refused), and a write must come from this app's own origin, as JSON."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    data = RunData(Path(out))
    store = ReviewStore(data.out)
    allowed = {h.strip("[]").casefold() for h in allowed_hosts}
    env = Environment(loader=FileSystemLoader(WEB / "templates"), autoescape=select_autoescape(["html"]))
    env.filters["num"] = lambda v: f"{v:g}" if isinstance(v, float) else ("" if v is None else v)
    app = FastAPI(title="kehoach", docs_url=None, redoc_url=None)
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")

    @app.middleware("http")
    async def same_origin(request: Request, call_next):
        host = request.headers.get("host", "")
        if _host_name(host).casefold() not in allowed:
            return PlainTextResponse(f"host {host!r} is not served here", status_code=400)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            origin = request.headers.get("origin")
            if (origin and urlsplit(origin).netloc.casefold() != host.casefold()) or \
                    request.headers.get("sec-fetch-site") == "cross-site":
                return PlainTextResponse("writes come from this app's own pages only", status_code=403)
        return await call_next(request)

    def page(name: str, **ctx) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(run=str(data.out), **ctx))

    def options(col: str) -> list[str]:
        return sorted({str(v) for v in data.docs[col] if v})

    @app.get("/", response_class=HTMLResponse)
    def plans(request: Request):
        f = dict(request.query_params)
        f.setdefault("kind", "plan")          # plans first; "(tất cả)" shows every document sent
        docs = data.docs
        others = data.docs[data.docs["kind"] != "plan"]
        for col, _ in FILTERS:
            if f.get(col):
                docs = docs[docs[col].astype(str) == f[col]]
        if f.get("warnings") == "yes":
            docs = docs[docs["warnings"].notna()]
        if q := (f.get("q") or "").strip().casefold():
            hay = (docs["issuer"].fillna("") + " " + docs["doc_number"].fillna("") + " " + docs["title"].fillna("")
                   + " " + docs["source_name"].fillna("")).str.casefold()
            docs = docs[hay.str.contains(q, regex=False)]
        sort = f.get("sort") if f.get("sort") in dict(PLAN_COLUMNS) else "issuer"
        docs = docs.sort_values(sort, key=lambda s: s.astype(str).str.casefold(), na_position="last")
        qs = urlencode({k: v for k, v in f.items() if k != "sort" and v})
        rows = [{k: _clean(v) for k, v in r.items()} for r in docs.to_dict("records")]
        return page("plans.html", rows=rows, total=len(data.docs), columns=PLAN_COLUMNS, f=f, qs=qs,
                    others=[{k: _clean(v) for k, v in r.items()} for r in others.to_dict("records")],
                    selects=[(c, label, options(c)) for c, label in FILTERS])

    @app.get("/plan/{doc_id}", response_class=HTMLResponse)
    def plan(doc_id: str):
        hit = data.docs[data.docs["doc_id"] == doc_id]
        if hit.empty:
            raise HTTPException(404, f"no plan {doc_id} in this run")
        doc = {k: _clean(v) for k, v in hit.iloc[0].to_dict().items()}
        reviews = {(r["table"], r["row_key"]): r for r in store.all(doc_id)}
        tables = []
        for name, label, cols in TABLE_VIEWS:
            rows = []
            for r in data.rows(name, doc_id):
                r["_key"] = row_key(name, r)
                rev = reviews.get((name, r["_key"]))
                if rev:
                    r.update(rev["fields"])
                    r["_review"] = rev["action"]
                rows.append(r)
            for rev in reviews.values():
                if rev["table"] == name and rev["action"] == "added":
                    rows.append({**rev["fields"], "_key": rev["row_key"], "_review": "added"})
            tables.append({"name": name, "label": label, "columns": cols, "rows": rows})
        text_path = data.out / "text" / f"{doc_id}.txt"
        text = text_path.read_text(encoding="utf-8") if text_path.exists() else ""
        outline = [s for s in data.rows("sections", doc_id) if str(s.get("number")) not in ("-", "+")]
        edits = data.rows("ocr_edits", doc_id)
        return page("plan.html", doc=doc, tables=tables, text=text, outline=outline, edits=edits,
                    has_raw=(data.out / "text" / f"{doc_id}.ocr.txt").exists())

    @app.get("/raw/{doc_id}", response_class=PlainTextResponse)
    def raw_ocr(doc_id: str):
        """The OCR pages as Tesseract read them, before any repair (pages separated by form feeds)."""
        if data.docs[data.docs["doc_id"] == doc_id].empty:
            raise HTTPException(404, f"no plan {doc_id} in this run")
        path = data.out / "text" / f"{doc_id}.ocr.txt"
        if not path.is_file():
            raise HTTPException(404, "this document has no OCR pages")
        return PlainTextResponse(path.read_text(encoding="utf-8"), headers=SOURCE_HEADERS)

    @app.get("/source/{doc_id}")
    def source(doc_id: str):
        """The file the run read, only while it still holds the bytes read (its sha256), never through a
        symbolic link; a PDF as a PDF, anything else as plain text, under a CSP that runs nothing."""
        hit = data.docs[data.docs["doc_id"] == doc_id]
        path = Path(str(hit.iloc[0]["source_path"])) if not hit.empty else None
        if path is None or path.is_symlink() or not path.is_file():
            raise HTTPException(404, "the source file is not where the run read it")
        if hashlib.sha256(path.read_bytes()).hexdigest() != str(hit.iloc[0].get("sha256")):
            raise HTTPException(404, "the file at that path is no longer the one the run read")
        kind = "application/pdf" if path.suffix.lower() == ".pdf" else (
            "text/plain; charset=utf-8" if path.suffix.lower() in (".txt", ".md", ".html", ".htm") else
            "application/octet-stream")
        return FileResponse(str(path), media_type=kind, headers=SOURCE_HEADERS,
                            content_disposition_type="inline" if kind != "application/octet-stream" else "attachment")

    @app.get("/api/reviews")
    def list_reviews(doc_id: str | None = None):
        return JSONResponse(store.all(doc_id))

    @app.post("/api/review")
    async def post_review(request: Request):
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            raise HTTPException(415, "a review is sent as application/json")
        if int(request.headers.get("content-length") or 0) > MAX_REVIEW_BYTES:
            raise HTTPException(413, f"a review is at most {MAX_REVIEW_BYTES // 1024} KiB")
        raw = b""
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > MAX_REVIEW_BYTES:
                raise HTTPException(413, f"a review is at most {MAX_REVIEW_BYTES // 1024} KiB")
        try:
            body = json.loads(raw)
        except ValueError as exc:
            raise HTTPException(400, f"not JSON: {exc}") from exc
        if not isinstance(body, dict) or not isinstance(body.get("fields") or {}, dict):
            raise HTTPException(400, "a review is a JSON object whose fields are an object")
        if str(body.get("doc_id")) not in set(data.docs["doc_id"]) | {"*"}:
            raise HTTPException(404, f"no plan {body.get('doc_id')} in this run")
        try:
            saved = store.save(str(body["doc_id"]), str(body["table"]), str(body["row_key"]), str(body["action"]),
                               body.get("fields") or {}, body.get("reviewer"))
        except (KeyError, ValueError) as exc:
            raise HTTPException(400, str(exc)) from exc
        return JSONResponse(saved)

    @app.get("/compare", response_class=HTMLResponse)
    def compare_page(request: Request):
        f = dict(request.query_params)
        rows, indicators, n_dups = _compare_rows(data, f)
        return page("compare.html", rows=rows, indicators=indicators, f=f, n_dups=n_dups,
                    selects=[(c, label, options(c)) for c, label in FILTERS[:2]])

    @app.get("/audit", response_class=HTMLResponse)
    def audit_page():
        import pandas as pd
        status = findings = None
        if (data.out / "audit_status.csv").exists():
            status = pd.read_csv(data.out / "audit_status.csv", dtype=str, keep_default_na=False)
            findings = pd.read_csv(data.out / "findings.csv", dtype=str, keep_default_na=False)
        return page("audit.html", status=None if status is None else status.to_dict("records"),
                    findings=None if findings is None else findings.to_dict("records"),
                    status_cols=[] if status is None else [c for c in status.columns if c != "doc_id"],
                    finding_cols=[] if findings is None else [c for c in findings.columns if c != "doc_id"])

    return app


def indicator_labels() -> dict[str, str]:
    from .rules import load
    return dict(load("targets").get("indicator_labels", {}))


def _compare_rows(data: RunData, f: dict) -> tuple[list[dict], list[dict], int]:
    """One row per plan (never merged by name); a plan whose issuer, number, date and title equal an
    earlier one's (the same plan as PDF and as DOCX) is marked as its duplicate."""
    from .audit import unit_label
    docs = data.docs
    for col in ("province", "unit_level"):
        if f.get(col):
            docs = docs[docs[col].astype(str) == f[col]]
    from .reviews import rename_indicators, run_renames
    renames = run_renames(data.out)
    labels = {**indicator_labels(), **{new: label for new, label in renames.values() if label}}
    targets = rename_indicators(data.tables.get("targets"), renames)
    cells: dict[str, dict] = {}
    used: set[str] = set()
    if targets is not None and len(targets):
        tg = targets[targets["indicator"].notna()]
        for r in tg.to_dict("records"):
            firm = str(r.get("aspirational")).lower() != "true"
            cur = cells.setdefault(r["doc_id"], {}).get(r["indicator"])
            value = float(r["value"]) if r["value"] is not None else 0.0
            if cur is None or (firm, value) > (cur["firm"], cur["value"]):
                unit = "%" if r["unit"] == "%" else f" {r['unit']}"
                cells[r["doc_id"]][r["indicator"]] = {
                    "firm": firm, "value": value, "sentence": r.get("sentence") or "",
                    "label": f"{r['comparator'] or ''}{value:g}{unit}" + (f" ({r['period']})" if r.get("period") else ""),
                    "color": "#c8e6c9" if firm else "#fff3c4"}
                used.add(r["indicator"])
    seen: dict[tuple, str] = {}
    rows, n_dups = [], 0
    for d in docs.sort_values("issuer", key=lambda s: s.astype(str).str.casefold()).to_dict("records"):
        ident = (d.get("issuer"), d.get("doc_number"), d.get("issued_date"), d.get("title"))
        dup_of = seen.get(ident) if all(ident[:2]) else None
        if dup_of is None and all(ident[:2]):
            seen[ident] = d["doc_id"]
        n_dups += dup_of is not None
        rows.append({"doc_id": d["doc_id"], "unit": unit_label(d), "dup_of": dup_of, "cells": cells.get(d["doc_id"], {})})
    indicators = [{"id": i, "label": labels.get(i, i)} for i in sorted(used)]
    return rows, indicators, n_dups


def serve(out: str | Path, host: str = "127.0.0.1", port: int = 8765) -> None:
    import uvicorn
    hosts = LOCAL_HOSTS + ((host,) if host not in ("0.0.0.0", "::") else ())
    uvicorn.run(create_app(out, allowed_hosts=hosts), host=host, port=port, log_level="warning")

