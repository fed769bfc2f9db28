"""The batch: collect inputs, process each file (read -> normalize -> extract -> rows), assemble, export.

Each file's rows are written to OUT/.parts/ as soon as it is done, keyed by content hash and
pipeline version: a re-run skips finished files, and a killed run resumes without duplicates.
"""
from __future__ import annotations

import glob
import hashlib
import json
import logging
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KehoachError, MissingFile, StageTimeout
from .options import Options
from .tables import TABLES, document_row, extraction_rows, link_citations, to_frames

log = logging.getLogger(__name__)


@dataclass
class Summary:
    files: int = 0
    read: int = 0
    failed: int = 0
    skipped: int = 0
    pages: int = 0
    ocr_pages: int = 0
    seconds: float = 0.0
    counts: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)


def collect_inputs(inputs) -> list[Path]:
    """Files, folders (recursive, hidden entries skipped) and glob patterns, in a stable order."""
    paths: list[Path] = []
    for item in inputs:
        item = str(item)
        matches = glob.glob(item, recursive=True) if any(ch in item for ch in "*?[") else [item]
        if not matches:
            paths.append(Path(item))            # reported as missing
        for m in matches:
            p = Path(m)
            if p.is_dir():
                paths.extend(sorted(f for f in p.rglob("*") if f.is_file()
                                    and not any(part.startswith(".") for part in f.relative_to(p).parts)))
            else:
                paths.append(p)
    seen, out = set(), []
    for p in paths:
        key = str(p.resolve()) if p.exists() else str(p)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


_TRANSIENT = {"timeout", "missing_dependency", "internal"}


def _alarm(_signum, _frame):
    raise StageTimeout("processing took longer than the per-file time limit (--timeout)")


def _error(path, doc_id, stage, exc) -> dict:
    etype = exc.error_type if isinstance(exc, KehoachError) else "internal"
    msg = str(exc) if isinstance(exc, KehoachError) else f"{type(exc).__name__}: {exc}"
    return {"source_path": str(path), "doc_id": doc_id, "stage": stage, "error_type": etype, "message": msg}


def process_file(path: str, opts: Options) -> dict:
    """One file in, all its table rows out (never raises for bad input)."""
    from .extract import extract
    from .ingest import read
    from .normalize import normalize
    if opts.rules:
        from .rules import set_rules_dir
        set_rules_dir(opts.rules)
    result = {"path": str(path), "rows": {t: [] for t in TABLES}, "text": None, "doc_id": None}
    use_alarm = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if use_alarm:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(opts.timeout)
    stage, source = "ingest", None
    try:
        if not Path(path).exists():
            raise MissingFile(f"no such file: {path}")
        source = read(path, ocr=opts.ocr, max_pages=opts.max_pages)
        result["doc_id"] = source.doc_id
        stage = "normalize"
        doc = normalize(source)
        result["text"] = doc.text
        stage = "extract"
        x = extract(doc)
        result["rows"] = extraction_rows(x)
        result["rows"]["documents"] = [document_row(source, x)]
    except (Exception, StageTimeout) as exc:     # noqa: BLE001 - every failure becomes an errors row
        log.debug("failed on %s at %s", path, stage, exc_info=True)
        result["rows"]["errors"].append(_error(path, result["doc_id"], stage, exc))
        if source is not None:                  # keep what was read
            result["rows"]["documents"] = [document_row(source, None)]
    finally:
        if use_alarm:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)
    if source is not None:
        for w in source.warnings:
            kind = w.split(":", 1)[0]
            result["rows"]["errors"].append({"source_path": str(path), "doc_id": source.doc_id, "stage": "ingest",
                                             "error_type": kind, "message": w})
    return result


def _part_key(path: Path, opts: Options) -> str | None:
    try:
        h = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    return f"{h[:32]}-{opts.cache_tag()}"


def _write_part(parts: Path, key: str, result: dict) -> None:
    tmp = parts / f"{key}.json.tmp"
    tmp.write_text(json.dumps(result, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, parts / f"{key}.json")


def _executor(opts: Options, n: int):
    if opts.executor == "dask":
        from .distributed import DaskExecutor
        return DaskExecutor(opts.scheduler, workers=opts.jobs or None)
    if opts.workers <= 1 or n <= 1:
        return None
    from concurrent.futures import ProcessPoolExecutor
    return ProcessPoolExecutor(max_workers=min(opts.workers, n))


def _process_all(todo: list[tuple[Path, str | None]], opts: Options, parts: Path, summary: Summary) -> None:
    bar = None
    if opts.progress and todo:
        from tqdm import tqdm
        bar = tqdm(total=len(todo), unit="file", desc="kehoach", leave=False)

    def done(key, result):
        # a timeout, a crash or a missing tool says nothing final about the file: try it again next run
        transient = any(e.get("error_type") in _TRANSIENT for e in result["rows"].get("errors", []))
        if key and not transient:
            _write_part(parts, key, result)
        docs = result["rows"].get("documents") or []
        summary.pages += sum(d.get("n_pages") or 0 for d in docs)
        summary.ocr_pages += sum(d.get("ocr_pages") or 0 for d in docs)
        if bar:
            rate = summary.pages / max(time.monotonic() - t0, 1e-6)
            bar.set_postfix(pages=summary.pages, ocr=summary.ocr_pages, pages_s=f"{rate:.1f}")
            bar.update(1)

    t0 = time.monotonic()
    pool = _executor(opts, len(todo))
    try:
        if pool is None:
            for path, key in todo:
                done(key, process_file(str(path), opts))
        else:
            futures = {pool.submit(process_file, str(p), opts): (p, k) for p, k in todo}
            for fut in _as_completed(pool, futures):
                p, k = futures[fut]
                try:
                    result = fut.result()
                except Exception as exc:        # noqa: BLE001 - a crashed worker is one file's error
                    result = {"path": str(p), "rows": {t: [] for t in TABLES}, "text": None, "doc_id": None}
                    result["rows"]["errors"].append(_error(p, None, "worker", exc))
                    k = None
                done(k, result)
    finally:
        if pool is not None:
            pool.shutdown()
        if bar:
            bar.close()


def _as_completed(pool, futures):
    if hasattr(pool, "as_completed"):
        return pool.as_completed(futures)
    from concurrent.futures import as_completed
    return as_completed(futures)


def run(inputs, out: str | Path, opts: Options | None = None) -> Summary:
    opts = opts or Options()
    t0 = time.monotonic()
    out = Path(out)
    parts = out / ".parts"
    parts.mkdir(parents=True, exist_ok=True)
    (out / "text").mkdir(exist_ok=True)
    paths = collect_inputs(inputs)
    summary = Summary(files=len(paths))
    keys = {p: _part_key(p, opts) for p in paths}
    todo = [(p, k) for p, k in keys.items() if opts.force or not k or not (parts / f"{k}.json").exists()]
    summary.skipped = len(paths) - len(todo)
    _process_all(todo, opts, parts, summary)
    frames = assemble(paths, keys, opts, parts, out, summary)
    from .export import export
    export(frames, out, opts.formats)
    summary.counts = {name: len(df) for name, df in frames.items()}
    summary.seconds = time.monotonic() - t0
    return summary


def assemble(paths, keys, opts, parts: Path, out: Path, summary: Summary):
    """Concatenate the parts of this run's inputs, in input order; one documents row per content."""
    rows = {t: [] for t in TABLES}
    seen: dict[str, str] = {}
    for p in paths:
        k = keys[p]
        part = parts / f"{k}.json" if k else None
        if part is not None and part.exists():
            result = json.loads(part.read_text(encoding="utf-8"))
        else:
            result = process_file(str(p), opts)
        doc_id = result.get("doc_id")
        if doc_id and doc_id in seen and result["rows"].get("documents"):
            rows["errors"].append({"source_path": str(p), "doc_id": doc_id, "stage": "ingest",
                                   "error_type": "duplicate",
                                   "message": f"same content as {seen[doc_id]}; its rows are not repeated"})
            continue
        for name in TABLES:
            for r in result["rows"].get(name, []):
                if name in ("documents", "errors"):
                    r["source_path"] = str(p)
                rows[name].append(r)
        docs = result["rows"].get("documents")
        if docs:
            seen[doc_id] = str(p)
            summary.read += 1
            if result.get("text") is not None:
                (out / "text" / f"{doc_id}.txt").write_text(result["text"], encoding="utf-8")
        else:
            summary.failed += 1
            err = result["rows"]["errors"][0] if result["rows"]["errors"] else {}
            summary.failures.append((str(p), err.get("error_type"), err.get("message")))
    link_citations(rows)
    return to_frames(rows)
