"""`kehoach serve OUT`: a local web app over a run, for analysts and auditors.

FastAPI + Jinja2, chosen over Datasette because the review workflow (mark a row correct or wrong, correct
its fields, add a missed row from a text selection, see the evidence highlighted in the normalized text)
is the heart of it, and that is plain page logic here rather than a Datasette plugin around generic
tables; the run's tables stay available for SQL in plans.duckdb. Everything it serves ships in the
package (pipeline/present/web): no CDN, it works offline.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles

from ..store.export import read_tables
from ..vi import fold
from ..labels import SEVERITY_VI, STATUS_VI, VALUES, form_labels, header, vi
from ..store.reviews import ReviewStore, row_key

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
                                       "indicator", "period", "sentence"]),
    ("deadlines", "Thời hạn / deadlines", ["text", "kind", "start", "end", "recurrence"]),
    ("citations", "Văn bản dẫn chiếu / citations", ["key", "doc_type", "issued_date", "issuer", "role"]),
    ("tasks", "Nhiệm vụ / tasks", ["task", "lead", "partners", "output", "timeline"]),
]
# the columns whose values are codes, shown in Vietnamese (pipeline/labels.py) with the code kept as data
CODED = {"targets": {"aspirational": "yes_no"}, "deadlines": {"kind": "deadline_kind", "recurrence": "recurrence"},
         "citations": {"role": "role"}}
PAGE_SIZE = 50
COMPARE_PAGE = 200      # plans a compare page shows (a page stays under 10,000 px)
FILTERS = [("kind", "Loại tài liệu / kind"), ("province", "Tỉnh / province"), ("unit_level", "Cấp / level"),
           ("doc_type", "Loại / type"), ("year", "Năm / year")]


def _paginate(f: dict, n: int, size: int) -> tuple[int, int, slice, str]:
    """(page number, pages, the slice of the page, the query string without its page) for `n` items."""
    try:
        page_no = max(1, int(f.get("page") or 1))
    except ValueError:
        page_no = 1
    pages = max(1, -(-n // size))
    page_no = min(page_no, pages)
    here = urlencode({k: v for k, v in f.items() if k != "page" and v})
    return page_no, pages, slice((page_no - 1) * size, page_no * size), here


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
            from ..errors import OutputProblem
            raise OutputProblem(f"{out} holds no kehoach run (no documents table)")
        self.tables = {k: v.astype(object).where(v.notna(), None) for k, v in t.items()}
        docs = self.tables["documents"].copy()
        docs["year"] = docs["issued_date"].map(lambda d: str(d)[:4] if d else None)
        docs["source_name"] = docs["source_path"].map(lambda p: Path(str(p)).name)
        # a run made before kinds were read counts every document as a plan
        docs["kind"] = docs["kind"].fillna("plan") if "kind" in docs else "plan"
        for name in ("targets", "deadlines", "citations", "tasks"):
            counts = self.tables[name]["doc_id"].value_counts() if name in self.tables else {}
            docs[f"n_{name}"] = docs["doc_id"].map(lambda d: int(counts.get(d, 0)))
        docs["n_rows"] = docs[["n_targets", "n_deadlines", "n_citations", "n_tasks"]].sum(axis=1)
        # search ignores case and diacritics ("phu lam" finds "Phú Lâm")
        docs["search"] = [fold(" ".join(str(x or "") for x in r).replace("\n", " ")) for r in
                          zip(docs["issuer"], docs["doc_number"], docs["title"], docs["source_name"], docs["province"])]
        docs["search"] = docs["search"].map(lambda t: " ".join(t.split()))
        docs["reviewed"], docs["review"] = 0, "chưa"
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
    env.filters["vi"] = vi
    env.filters["header"] = header
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

    def review_progress() -> dict[str, tuple[int, int]]:
        """doc_id -> (rows reviewed, rows a reviewer can look at)."""
        done: dict[str, set] = {}
        for r in store.all():
            if r["action"] != "added" and r.get("doc_id") != "*":
                done.setdefault(r["doc_id"], set()).add((r["table"], r["row_key"]))
        return {d: (len(done.get(d, ())), int(n)) for d, n in zip(data.docs["doc_id"], data.docs["n_rows"])}

    def filtered(f: dict, skip: str | None = None):
        """The documents the query selects (a facet's own filter left out when `skip` names it)."""
        docs = data.docs
        for col, _ in FILTERS:
            if f.get(col) and col != skip:
                docs = docs[docs[col].astype(str) == f[col]]
        if f.get("warnings") == "yes" and skip != "warnings":
            docs = docs[docs["warnings"].notna()]
        if f.get("review") and skip != "review":
            docs = docs[docs["review"] == f["review"]]
        if q := fold(" ".join((f.get("q") or "").split())):
            docs = docs[docs["search"].str.contains(q, regex=False)]
        return docs

    def with_reviews(docs):
        progress = review_progress()
        docs = docs.copy()
        docs["reviewed"] = docs["doc_id"].map(lambda d: progress.get(d, (0, 0))[0])
        docs["review"] = [("xong" if n and r >= n else "một phần" if r else "chưa") for r, n in
                          zip(docs["reviewed"], docs["n_rows"])]
        return docs

    def select(f: dict):
        docs = filtered(f)
        sort = f.get("sort") if f.get("sort") in dict(PLAN_COLUMNS) or f.get("sort") == "queue" else "issuer"
        if sort == "queue":     # the review queue: plans with rows left to review, doubtful OCR first
            docs = docs.assign(_left=docs["n_rows"] - docs["reviewed"], _ocr=docs["ocr_confidence"].fillna(101))
            docs = docs[docs["_left"] > 0].sort_values(["_ocr", "_left"], ascending=[True, False])
        else:
            docs = docs.sort_values(sort, key=lambda c: c.astype(str).str.casefold(), na_position="last")
        return docs

    @app.get("/", response_class=HTMLResponse)
    def plans(request: Request):
        f = dict(request.query_params)
        f.setdefault("kind", "plan")          # plans first; "(tất cả)" shows every document sent
        data.docs = with_reviews(data.docs)
        others = data.docs[data.docs["kind"] != "plan"]
        docs = select(f)
        page_no, pages, cut, here = _paginate(f, len(docs), PAGE_SIZE)
        shown = docs.iloc[cut]
        qs = urlencode({k: v for k, v in f.items() if k not in ("sort", "page") and v})
        facets = []
        for col, label in FILTERS + [("review", "Duyệt / review")]:
            counts = filtered(f, skip=col)[col].dropna().astype(str).value_counts()
            facets.append((col, label, sorted(counts.items(), key=lambda kv: kv[0].casefold())))
        warn_count = int(filtered(f, skip="warnings")["warnings"].notna().sum())
        rows = [{k: _clean(v) for k, v in r.items()} for r in shown.to_dict("records")]
        return page("plans.html", rows=rows, total=len(data.docs), matched=len(docs), columns=PLAN_COLUMNS, f=f,
                    qs=qs, here=here, page_no=page_no, pages=pages, warn_count=warn_count,
                    others=[{k: _clean(v) for k, v in r.items()} for r in others.to_dict("records")],
                    facets=facets)

    @app.get("/plans.{fmt}")
    def plans_download(fmt: str, request: Request):
        """The plans the current filter selects, as CSV or XLSX (the same query string as the list)."""
        import io
        if fmt not in ("csv", "xlsx"):
            raise HTTPException(404, "plans.csv or plans.xlsx")
        f = dict(request.query_params)
        f.setdefault("kind", "plan")
        data.docs = with_reviews(data.docs)
        cols = [c for c, _ in PLAN_COLUMNS] + ["doc_id", "kind", "n_targets", "n_deadlines", "reviewed", "n_rows",
                                                 "ocr_confidence", "warnings"]
        frame = select(f)[cols].astype(object).where(lambda d: d.notna(), "")
        from ..store.export import neutralize        # a cell that a spreadsheet would run as a formula is quoted
        frame = frame.map(neutralize)
        if fmt == "csv":
            body = frame.to_csv(index=False).encode("utf-8-sig")
            kind = "text/csv; charset=utf-8"
        else:
            buf = io.BytesIO()
            frame.to_excel(buf, index=False, engine="xlsxwriter")
            body, kind = buf.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(body, media_type=kind, headers={"Content-Disposition": f'attachment; filename="plans.{fmt}"'})

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
            tables.append({"name": name, "label": label, "columns": cols, "rows": rows, "coded": CODED.get(name, {})})
        text_path = data.out / "text" / f"{doc_id}.txt"
        text = text_path.read_text(encoding="utf-8") if text_path.exists() else ""
        outline = [s for s in data.rows("sections", doc_id) if str(s.get("number")) not in ("-", "+")]
        edits = data.rows("ocr_edits", doc_id)
        _, all_findings = audit_tables()
        own = [] if all_findings is None else all_findings[all_findings["doc_id"] == doc_id].to_dict("records")
        is_pdf = str(doc.get("format") or "").lower() == "pdf"
        return page("plan.html", doc=doc, tables=tables, text=text, outline=outline, edits=edits, findings=own,
                    is_pdf=is_pdf, vocab={**{k: VALUES[k] for k in ("deadline_kind", "review", "yes_no")},
                                               "fields": form_labels()},
                    severity_vi=SEVERITY_VI,
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

    def verified_source(doc_id: str) -> Path:
        """The file the run read, while it still holds the bytes read and is no symbolic link."""
        hit = data.docs[data.docs["doc_id"] == doc_id]
        path = Path(str(hit.iloc[0]["source_path"])) if not hit.empty else None
        if path is None or path.is_symlink() or not path.is_file():
            raise HTTPException(404, "the source file is not where the run read it")
        if hashlib.sha256(path.read_bytes()).hexdigest() != str(hit.iloc[0].get("sha256")):
            raise HTTPException(404, "the file at that path is no longer the one the run read")
        return path

    @app.get("/page/{doc_id}/{page_no}")
    def page_image(doc_id: str, page_no: int, q: str = ""):
        """Page `page_no` of a PDF plan as a PNG, the words of `q` (a row's evidence) lit on it and the words
        the OCR repair changed outlined: the text layer's word boxes, or Tesseract's on a scanned page."""
        path = verified_source(doc_id)
        if path.suffix.lower() != ".pdf":
            raise HTTPException(404, "page images are drawn for PDF files; this plan is text")
        from .pageimage import edit_spans, render
        spans = []
        raw_path = data.out / "text" / f"{doc_id}.ocr.txt"
        edits = [e for e in data.rows("ocr_edits", doc_id) if str(e.get("page")) in (str(page_no), f"{page_no}.0")]
        if edits and raw_path.exists():        # the repair's edits outlined too, found by their raw context
            raw_pages = raw_path.read_text(encoding="utf-8").split("\f")
            if page_no <= len(raw_pages):
                spans = edit_spans(raw_pages[page_no - 1], edits)
        try:
            png = render(path, page_no, q[:2000], spans)
        except IndexError as exc:
            raise HTTPException(404, str(exc)) from exc
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=600"})

    @app.get("/source/{doc_id}")
    def source(doc_id: str):
        """The file the run read, only while it still holds the bytes read (its sha256), never through a
        symbolic link; a PDF as a PDF, anything else as plain text, under a CSP that runs nothing."""
        path = verified_source(doc_id)
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
        fields = body.get("fields") or {}
        if (body.get("action") == "added" and body.get("table") in ("targets", "deadlines", "citations", "tasks")
                and fields.get("char_start") is not None and fields.get("char_end") is not None):
            try:
                start, end = int(fields["char_start"]), int(fields["char_end"])
            except (TypeError, ValueError) as exc:
                raise HTTPException(400, "char_start and char_end are character offsets") from exc
            clash = [r for r in data.rows(str(body["table"]), str(body["doc_id"]))
                     if r.get("char_start") is not None and int(r["char_start"]) < end and int(r["char_end"]) > start]
            if clash and not body.get("overlap_ok"):
                return JSONResponse({"overlaps": [row_key(str(body["table"]), r) for r in clash],
                                     "message": "đoạn chọn trùng một dòng đã trích / the selection overlaps an "
                                                "extracted row"}, status_code=409)
            fields = complete_added(str(body["doc_id"]), str(body["table"]), fields, start)
        try:
            saved = store.save(str(body["doc_id"]), str(body["table"]), str(body["row_key"]), str(body["action"]),
                               fields, body.get("reviewer"))
        except (KeyError, ValueError) as exc:
            raise HTTPException(400, str(exc)) from exc
        return JSONResponse(saved)

    def complete_added(doc_id: str, table: str, fields: dict, start: int) -> dict:
        """An added row made whole as an extracted one is: its id, page, section and, for a target, the
        period of the extracted target before it (the context the extractor would have inherited), else
        the plan's own scope."""
        out = dict(fields)
        text_path = data.out / "text" / f"{doc_id}.txt"
        text = text_path.read_text(encoding="utf-8") if text_path.exists() else ""
        out.setdefault("page", text[:start].count("\f") + 1 if text else None)
        sections = [r for r in data.rows("sections", doc_id)
                    if r.get("char_start") is not None and int(r["char_start"]) <= start < int(r["char_end"] or 0)]
        if sections:
            out.setdefault("section_path", max(sections, key=lambda r: int(r["char_start"]))["section_path"])
        if table == "targets":
            out.setdefault("target_id", f"{doc_id}-A{start:06d}")
            before = [r for r in data.rows("targets", doc_id) if r.get("char_start") is not None
                      and int(r["char_start"]) <= start and r.get("period")]
            doc = data.docs[data.docs["doc_id"] == doc_id].iloc[0]
            scope = "-".join(dict.fromkeys(str(_clean(doc.get(k)) or "")[:4] for k in ("scope_start", "scope_end"))).strip("-")
            if not out.get("period"):
                out["period"] = max(before, key=lambda r: int(r["char_start"]))["period"] if before else (scope or None)
        return out

    @app.get("/compare", response_class=HTMLResponse)
    def compare_page(request: Request):
        f = dict(request.query_params)
        rows, indicators, n_dups = _compare_rows(data, f)
        page_no, pages, cut, here = _paginate(f, len(rows), COMPARE_PAGE)
        return page("compare.html", rows=rows[cut], total=len(rows),
                    indicators=indicators, f=f, n_dups=n_dups, page_no=page_no, pages=pages, here=here,
                    selects=[(c, label, options(c)) for c, label in FILTERS[:2]])

    reviewed_audit: dict = {}

    def audit_tables(reviewed: bool = False):
        """The run's audit (`kehoach audit`), or with `reviewed` the same audit over the tables as reviewed,
        computed here and kept until the next review."""
        import pandas as pd
        if not (data.out / "audit_status.csv").exists():
            return None, None
        if reviewed:
            reviews = store.all()
            stamp = (len(reviews), max((r["at"] for r in reviews), default=""),   # and a new `kehoach audit`
                     *(p.stat().st_mtime if p.exists() else 0 for p in (data.out / "audit.json",
                                                                         data.out / "audit_status.csv")))
            if reviewed_audit.get("stamp") != stamp:
                reviewed_audit.update(stamp=stamp, frames=_audit_reviewed(data, reviews))
            status, findings = (frame.copy() for frame in reviewed_audit["frames"])
        else:
            status = pd.read_csv(data.out / "audit_status.csv", dtype=str, keep_default_na=False)
            findings = pd.read_csv(data.out / "findings.csv", dtype=str, keep_default_na=False)
        where = data.docs.set_index("doc_id")[["province", "unit_level"]].astype(object)
        for frame in (status, findings):
            frame["province"] = frame["doc_id"].map(lambda d: _clean(where["province"].get(d)) or "")
            if "unit_level" not in frame:
                frame["unit_level"] = frame["doc_id"].map(lambda d: _clean(where["unit_level"].get(d)) or "")
        return status, findings

    @app.get("/audit", response_class=HTMLResponse)
    def audit_page(request: Request):
        """The unit x mandate matrix (as the static audit.html), filterable and paginated; each cell
        links to its evidence on the plan's page; the findings of the units shown below it."""
        f = dict(request.query_params)
        all_status, all_findings = audit_tables(bool(f.get("reviewed")))
        if all_status is None:
            return page("audit.html", status=None)
        status, findings = all_status, all_findings
        for col in ("province", "unit_level"):
            if f.get(col):
                status = status[status[col] == f[col]]
                findings = findings[findings[col] == f[col]]
        if f.get("q"):                # a plan by issuer, number, title or file, diacritics and case ignored
            want = " ".join(fold(f["q"]).split())
            hit = set(data.docs.loc[data.docs["search"].str.contains(want, regex=False), "doc_id"])
            status, findings = status[status["doc_id"].isin(hit)], findings[findings["doc_id"].isin(hit)]
        if f.get("status"):
            keep = set(status.loc[status["status"] == f["status"], "doc_id"])
            status, findings = status[status["doc_id"].isin(keep)], findings[findings["doc_id"].isin(keep)]
        if f.get("severity"):
            findings = findings[findings["severity"] == f["severity"]]
            status = status[status["doc_id"].isin(set(findings["doc_id"]))]
        units = sorted(set(zip(status["unit"], status["doc_id"])), key=lambda u: u[0].casefold())
        page_no, pages, cut, here = _paginate(f, len(units), PAGE_SIZE)
        shown = units[cut]
        mandates = list(dict.fromkeys(status["mandate_id"]))
        cells = {(r["doc_id"], r["mandate_id"]): r for r in status.to_dict("records")}
        ids = {d for _, d in shown}
        options = {"province": sorted({x for x in all_status["province"] if x}),
                   "unit_level": sorted({x for x in all_status["unit_level"] if x}),
                   "status": [s_ for s_ in STATUS_VI if s_ in set(all_status["status"])],
                   "severity": [s_ for s_ in ("high", "medium", "low") if s_ in set(all_findings["severity"])]}
        info = status.drop_duplicates("mandate_id").set_index("mandate_id")
        return page("audit.html", status=True, units=shown, mandates=mandates, cells=cells, f=f, here=here,
                    page_no=page_no, pages=pages, n_units=len(units), options=options, status_vi=STATUS_VI,
                    severity_vi=SEVERITY_VI, mandate_info={m: info.loc[m].to_dict() for m in mandates},
                    findings=findings[findings["doc_id"].isin(ids)].to_dict("records"))

    return app


def _audit_reviewed(data: RunData, reviews: list[dict]):
    """The audit `kehoach audit` made (its mandates or parent plan, from audit.json), over the tables with
    the reviews applied; every value a string, as the audit's CSV reads."""
    from ..analyse.audit import audit, load_mandates, mandates_from_parent
    from ..store.reviews import apply_reviews
    path = data.out / "audit.json"
    inputs = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    tables = apply_reviews({k: v for k, v in data.tables.items() if k in ("documents", "sections", "citations",
                                                                         "targets")}, reviews)
    parent, mandates = inputs.get("parent"), inputs.get("mandates")
    table = mandates_from_parent(tables, parent) if parent else \
        load_mandates(mandates if mandates and Path(mandates).exists() else None)
    status, findings = audit(data.out, table, parent, tables=tables)
    return tuple(frame.astype(object).where(frame.notna(), "").astype(str) for frame in (status, findings))


def _compare_rows(data: RunData, f: dict) -> tuple[list[dict], list[dict], int]:
    """One row per plan (never merged by name); a plan whose issuer, number, date and title equal an
    earlier one's (the same plan as PDF and as DOCX) is marked as its duplicate."""
    from ..analyse.audit import unit_label
    docs = data.docs
    for col in ("province", "unit_level"):
        if f.get(col):
            docs = docs[docs[col].astype(str) == f[col]]
    from ..store.reviews import rename_indicators, run_renames
    renames = run_renames(data.out)
    # the labels the run's own rules gave (the targets' indicator_label), a reviewer's renames first
    labels = {new: label for new, label in renames.values() if label}
    targets = data.tables.get("targets")
    if f.get("reviewed") and targets is not None:     # the reviewers' corrections first (wrong rows out)
        from ..store.reviews import ReviewStore, apply_reviews
        targets = apply_reviews({"targets": targets}, ReviewStore(data.out).all())["targets"]
        targets = targets.astype(object).where(targets.notna(), None)
    targets = rename_indicators(targets, renames)
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
            if r.get("indicator_label") and r["indicator"] not in labels:    # a catalog label, or a derived key's noun phrase
                labels[r["indicator"]] = r["indicator_label"]
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
    shared = {k for k, n in Counter(i["label"] for i in indicators).items() if n > 1}
    for i in indicators:            # two derived keys with one noun phrase: the key tells them apart
        if i["label"] in shared:
            i["label"] = f"{i['label']} · {i['id'].split('__')[0].replace('_', ' ')}"
    return rows, indicators, n_dups


def serve(out: str | Path, host: str = "127.0.0.1", port: int = 8765) -> None:
    import uvicorn
    hosts = LOCAL_HOSTS + ((host,) if host not in ("0.0.0.0", "::") else ())
    uvicorn.run(create_app(out, allowed_hosts=hosts), host=host, port=port, log_level="warning")

