"""The batch: collect inputs, process each file (read -> normalize -> extract -> rows), assemble, export.

Each file's rows are written to OUT/.parts/ as soon as it is done, keyed by content hash and
pipeline version: a re-run skips finished files, and a killed run resumes without duplicates.
"""
from __future__ import annotations

import contextlib
import fnmatch
import glob
import hashlib
import json
import logging
import os
import re
import shutil
import signal
import stat
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import KehoachError, MissingFile, OutputProblem, StageTimeout, TooLarge, WorkerCrash
from .options import Options
from .store.tables import TABLES, document_row, extraction_rows, flag_low_confidence, link_citations, ocr_edit_rows, to_frames

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
    severity: dict = field(default_factory=dict)   # errors rows by severity: error, warning, note
    failures: list = field(default_factory=list)


def collect_inputs(inputs, exclude=()) -> list[Path]:
    """Files, folders (recursive, hidden entries skipped, symbolic links to folders not followed) and glob
    patterns, in a stable order. Anything in a folder that is not a folder is collected, FIFOs and broken
    links included, so that it gets an errors row; paths under `exclude` (the output folder) never are."""
    skip = [Path(e).resolve() for e in exclude]
    paths: list[Path] = []
    for item in inputs:
        item = str(item)
        matches = _glob(item) if any(ch in item for ch in "*?[") else [item]
        if not matches:
            paths.append(Path(item))            # reported as missing
        for m in matches:
            p = Path(m)
            if p.is_dir() and not p.is_symlink() or p.is_dir() and m == item:
                paths.extend(_walk(p))
            else:
                paths.append(p)
    seen, out = set(), []
    for p in paths:
        try:
            real = p.resolve()
        except (OSError, RuntimeError):         # a symbolic link loop
            real = p
        if any(real == s or s in real.parents for s in skip):
            continue
        key = str(real) if p.exists() else str(p)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _walk(folder: Path) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel_hidden = any(part.startswith(".") for part in Path(root).relative_to(folder).parts)
        if rel_hidden:
            continue
        found.extend(Path(root) / f for f in sorted(files) if not f.startswith("."))
        # symbolic links to folders are listed in dirs but not entered: report them as entries
        found.extend(Path(root) / d for d in dirs if (Path(root) / d).is_symlink())
    return sorted(found)


def _glob(pattern: str, limit: int = 200_000) -> list[str]:
    """glob without following symbolic links through '**' (a link loop would never end)."""
    if "**" not in pattern:
        return sorted(glob.glob(pattern))
    parts = Path(pattern).parts
    stem = next(i for i, part in enumerate(parts) if any(ch in part for ch in "*?["))
    base = Path(*parts[:stem]) if stem else Path(".")
    rest = pattern if stem == 0 else str(Path(*parts[stem:]))
    out = []
    for root, dirs, files in os.walk(base, followlinks=False):
        dirs.sort()
        for name in sorted(files) + [d for d in dirs if (Path(root) / d).is_symlink()]:
            full = Path(root) / name
            rel = str(full.relative_to(base)) if stem else str(full)
            if fnmatch.fnmatch(rel, rest) or fnmatch.fnmatch(rel, rest.replace("**/", "")):
                out.append(str(full))
                if len(out) >= limit:
                    return out
    return out


# conditions that can change before the next run (a file deleted mid-run may come back, a larger
# --max-pages reads further): never cached
_TRANSIENT = {"timeout", "missing_dependency", "internal", "crash", "too_large", "not_found", "truncated"}


def _alarm(_signum, _frame):
    raise StageTimeout("processing took longer than the per-file time limit (--timeout)")


# what a reading noted for information only (the text is read and whole); everything else a file's reading
# says is a warning a person should look at, and a file that could not be read is an error
NOTES = {"ocr_prep", "ocr_tone_repair", "format"}


def severity_of(kind: str) -> str:
    return "note" if kind in NOTES else "warning"


def _error(path, doc_id, stage, exc) -> dict:
    from .reading.ingest import display_path
    etype = exc.error_type if isinstance(exc, KehoachError) else "internal"
    msg = str(exc) if isinstance(exc, KehoachError) else f"{type(exc).__name__}: {exc}"
    return {"source_path": display_path(path), "doc_id": doc_id, "stage": stage, "error_type": etype,
            "message": display_path(msg), "severity": "error"}


def process_file(path: str, opts: Options) -> dict:
    """One file in, all its table rows out (never raises for bad input)."""
    if opts.progress_dir:
        from .progress import set_channel
        set_channel(opts.progress_dir)
    from .understand.extract import extract
    from .reading.ingest import read
    from .reading.normalize import normalize
    from .reading.ingest import display_path
    from .rules import Rules
    rules = Rules.for_folder(opts.rules)
    shown = display_path(path)
    result = {"path": shown, "rows": {t: [] for t in TABLES}, "text": None, "doc_id": None}
    use_alarm = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if use_alarm:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(opts.timeout)
    stage, source = "ingest", None
    try:
        if not Path(path).exists():
            what = "broken symbolic link" if Path(path).is_symlink() else "no such file"
            raise MissingFile(f"{what}: {shown}")
        source = read(path, ocr=opts.ocr, max_pages=opts.max_pages, pages_as_document=opts.pages_as_document)
        result["doc_id"] = source.doc_id
        if any(p.ocr for p in source.pages):    # the pages as Tesseract read them, before any repair
            result["ocr_text"] = "\f".join(p.raw_text if p.raw_text is not None else p.text for p in source.pages)
        stage = "normalize"
        doc = normalize(source)
        result["text"] = doc.text
        stage = "extract"
        x = extract(doc, rules)
        result["rows"] = extraction_rows(x)
        flag_low_confidence(result["rows"], source)
        result["rows"]["documents"] = [document_row(source, x)]
        result["rows"]["ocr_edits"] = ocr_edit_rows(source)
        for name, message in x.failures:          # a step that failed: its table is empty, the others kept
            result["rows"]["errors"].append({"source_path": shown, "doc_id": source.doc_id,
                                             "stage": f"extract:{name}", "error_type": "internal",
                                             "message": message})
    except (Exception, StageTimeout) as exc:     # noqa: BLE001 - every failure becomes an errors row
        log.debug("failed on %s at %s", path, stage, exc_info=True)
        result["rows"]["errors"].append(_error(path, result["doc_id"], stage, exc))
        if source is not None:                  # keep what was read
            result["rows"]["documents"] = [document_row(source, None, rules)]
            result["rows"]["ocr_edits"] = ocr_edit_rows(source)
    finally:
        if use_alarm:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)
    if shown != str(path):
        result["rows"]["errors"].append({"source_path": shown, "doc_id": result["doc_id"], "stage": "ingest",
                                         "error_type": "file_name", "severity": "warning",
                                         "message": "the file name holds bytes that are not UTF-8 or control characters; "
                                                    "they are shown as \\xNN escapes"})
    if source is not None:
        for w in source.warnings:
            kind = w.split(":", 1)[0]
            result["rows"]["errors"].append({"source_path": shown, "doc_id": source.doc_id, "stage": "ingest",
                                             "error_type": kind, "message": w, "severity": severity_of(kind)})
    return result


def _part_key(path: Path, opts: Options, tag: str | None = None) -> str | None:
    """Content hash + fingerprint; None for anything that is not a readable regular file within the size
    cap (it is processed afresh and becomes an errors row; a FIFO or device is never read here)."""
    from .reading.ingest import MAX_BYTES, page_images
    try:
        st = path.stat()
        members = page_images(path) if stat.S_ISDIR(st.st_mode) and opts.pages_as_document else [path]
        if not members or any(not stat.S_ISREG(m.stat().st_mode) for m in members) \
                or sum(m.stat().st_size for m in members) > MAX_BYTES:
            return None
        h = hashlib.sha256()
        for member in members:
            with open(member, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
    except OSError:
        return None
    # the reader depends on the extension: the same bytes named .txt and .docx are two results
    suffix = path.suffix.lower().lstrip(".")[:8] or "none"
    return f"{h.hexdigest()[:32]}-{suffix}-{tag or opts.cache_tag()}"


def _write_part(parts: Path, key: str, result: dict) -> None:
    tmp = parts / f"{key}.json.tmp"
    result = {k: v for k, v in result.items() if k != "_input"}
    try:
        data = json.dumps(result, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError:                  # a lone surrogate somewhere: JSON escapes keep it exactly
        data = json.dumps(result, ensure_ascii=True, default=str).encode("ascii")
    tmp.write_bytes(data)
    os.replace(tmp, parts / f"{key}.json")


def _executor(opts: Options, n: int):
    if opts.executor == "dask":
        from .distributed import DaskExecutor
        return DaskExecutor(opts.scheduler, workers=opts.jobs or None)
    if n == 0:
        return None
    return _IsolatedPool(opts, min(opts.workers, n))


class _IsolatedPool:
    """Worker processes (pebble) with a hard wall-clock limit and a memory limit per file: a file that
    hangs, crashes its worker or runs out of memory becomes an errors row, and only its worker is
    replaced; the batch goes on."""

    def __init__(self, opts: Options, workers: int):
        from pebble import ProcessPool
        self.opts = opts
        self.pool = ProcessPool(max_workers=workers, initializer=_limit_memory, initargs=(opts.max_memory_mb,))

    def submit(self, fn, *args):
        # the per-file alarm inside the worker fires at --timeout; the hard kill comes a little later
        return self.pool.schedule(fn, args=args, timeout=self.opts.timeout + self.opts.hard_timeout_margin)

    def shutdown(self, wait: bool = True, cancel_futures: bool = False):
        if cancel_futures or not wait:
            self.pool.stop()
        else:
            self.pool.close()
        self.pool.join()


def in_worker(fn, *args, timeout: int = 900, max_memory_mb: int = 4096):
    """fn(*args) in one worker process under the limits a run's files have (`kehoach text` and `explain`):
    past `timeout` seconds, or out of its memory, the worker is stopped and a KehoachError says which."""
    from concurrent.futures import TimeoutError as FutureTimeout

    from pebble import ProcessExpired, ProcessPool

    from .errors import StageTimeout, TooLarge
    pool = ProcessPool(max_workers=1, initializer=_limit_memory, initargs=(max_memory_mb,))
    try:
        return pool.schedule(fn, args=args, timeout=timeout).result()
    except FutureTimeout as exc:
        raise StageTimeout(f"stopped after {timeout} s (--timeout)") from exc
    except MemoryError as exc:
        raise TooLarge(f"needed more than {max_memory_mb} MiB of memory (--max-memory)") from exc
    except ProcessExpired as exc:
        raise TooLarge(f"the worker died ({exc}); the file needs more than the limits allow") from exc
    finally:
        pool.stop()
        pool.join()


def run_isolated(path: str, opts: Options) -> dict:
    """process_file in a child Python process with the same hard time and memory limits as a local run;
    what dask workers call (they are daemonic and cannot fork a pool), so a file that hangs or crashes
    is that file's errors row there too: the task itself never fails and dask never retries it."""
    import dataclasses
    import subprocess
    import sys
    payload = json.dumps({"path": os.fsencode(path).hex(), "opts": dataclasses.asdict(opts)})
    try:
        proc = subprocess.run([sys.executable, "-m", "pipeline.worker"], input=payload, capture_output=True,
                              text=True, timeout=opts.timeout + opts.hard_timeout_margin,
                              preexec_fn=lambda: _limit_memory(opts.max_memory_mb))
        if proc.returncode == 0:
            return json.loads(proc.stdout)
        from pebble import ProcessExpired
        exc: BaseException = ProcessExpired(proc.stderr.strip()[-300:], code=proc.returncode)
    except subprocess.TimeoutExpired:
        from concurrent.futures import TimeoutError as FutureTimeout
        exc = FutureTimeout("timeout", opts.timeout + opts.hard_timeout_margin)
    result = {"path": path, "rows": {t: [] for t in TABLES}, "text": None, "doc_id": None}
    result["rows"]["errors"].append(_worker_failure(path, exc))
    return result


def _limit_memory(max_mb: int) -> None:
    """Runs in each worker: its address space is capped, so a decompression bomb fails with MemoryError."""
    import resource
    if max_mb and hasattr(resource, "RLIMIT_AS"):
        limit = max_mb * 1024 * 1024
        with contextlib.suppress(ValueError, OSError):
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)     # the parent stops its workers with SIGTERM


def _worker_failure(path, exc) -> dict:
    """The errors row for a file whose worker did not return."""
    from concurrent.futures import TimeoutError as FutureTimeout

    from pebble import ProcessExpired
    if isinstance(exc, FutureTimeout):
        err = StageTimeout("the worker did not stop at the per-file time limit (--timeout) and was killed")
    elif isinstance(exc, ProcessExpired):
        how = "killed (out of memory?)" if exc.exitcode in (-9, 137) else f"exit code {exc.exitcode}"
        err = WorkerCrash(f"the worker processing this file died: {how}")
    elif isinstance(exc, MemoryError):
        err = TooLarge("the file needs more memory than the per-worker limit (--max-memory)")
    else:
        err = exc
    return _error(path, None, "worker", err)


def _process_all(todo: list[tuple[Path, str | None]], opts: Options, parts: Path, summary: Summary,
                 unsaved: dict | None = None) -> None:
    """Process todo; finished results go to parts, or, when they must not be cached (a timeout, a crash),
    to `unsaved`, so that assemble() uses them as they are and never runs a file again in this process."""
    bar = None
    estimate: dict[str, int] = {}
    channel = parts / ".progress"
    if opts.progress and todo:
        from tqdm import tqdm
        # progress in pages, the unit OCR time goes by, so the ETA means something on scans; a batch
        # without PDFs counts files
        estimate = {str(p): _page_estimate(p, opts.max_pages) for p, _ in todo}
        unit = "page" if any(Path(p).suffix.lower() == ".pdf" for p, _ in todo) else "file"
        bar = tqdm(total=sum(estimate.values()), unit=unit, desc="kehoach", leave=True, dynamic_ncols=True)
        shutil.rmtree(channel, ignore_errors=True)
        opts = replace(opts, progress_dir=str(channel))
    finished_pages = 0

    def tick():
        """Pages read so far in the files in hand, and their names, from the workers' notes."""
        if not bar:
            return
        from .progress import read
        current = read(channel)
        in_hand = sum(min(page, estimate.get(path, page)) for path, (page, _) in current.items())
        bar.n = min(bar.total, finished_pages + in_hand)
        names = ", ".join(f"{Path(p).name[:40]} {pg + 1}/{tot}" for p, (pg, tot) in list(current.items())[:2])
        bar.set_postfix_str(f"files {files_done}/{len(todo)}, ocr {summary.ocr_pages}" + (f" | {names}" if names else ""))
        bar.refresh()

    def done(key, result):
        # a timeout, a crash or a missing tool says nothing final about the file: try it again next run
        transient = any(e.get("error_type") in _TRANSIENT for e in result["rows"].get("errors", []))
        read = next((d.get("sha256") for d in result["rows"].get("documents") or [] if d.get("sha256")), None)
        if key and read and not key.startswith(read[:32]):
            # rewritten between listing and reading: the rows are of the bytes read, which the key is not
            transient = True
            result["rows"]["errors"].append({"source_path": result["path"], "doc_id": result.get("doc_id"),
                                             "stage": "ingest", "error_type": "changed", "severity": "warning",
                                             "message": "the file changed while the batch ran; its rows are of "
                                                        "the content read, and it is read again next run"})
        if key and not transient:
            _write_part(parts, key, result)
        elif unsaved is not None:
            unsaved[result.get("_input") or result["path"]] = result
        docs = result["rows"].get("documents") or []
        summary.pages += sum(d.get("n_pages") or 0 for d in docs)
        summary.ocr_pages += sum(d.get("ocr_pages") or 0 for d in docs)
        if bar:
            nonlocal files_done, finished_pages
            files_done += 1
            finished_pages += estimate.get(result.get("_input") or "", 1)
            from .progress import clear
            clear(channel, result.get("_input") or "")
            tick()

    files_done = 0
    pool = _executor(opts, len(todo))
    try:
        if pool is None:
            for path, key in todo:
                done(key, {**process_file(str(path), opts), "_input": str(path)})
        else:
            fn = run_isolated if opts.executor == "dask" else process_file
            futures = {pool.submit(fn, str(p), opts): (p, k) for p, k in todo}
            for fut in _as_completed(pool, futures, tick if bar else None):
                p, k = futures[fut]
                try:
                    result = fut.result()
                except Exception as exc:        # noqa: BLE001 - a crashed worker is one file's error
                    result = {"path": str(p), "rows": {t: [] for t in TABLES}, "text": None, "doc_id": None}
                    result["rows"]["errors"].append(_worker_failure(p, exc))
                    k = None
                done(k, {**result, "_input": str(p)})
    except BaseException:
        # Ctrl-C, SIGTERM or a crash: keep what is finished (its parts are on disk), drop the queue and
        # stop the workers now instead of waiting for every queued file
        if pool is not None:
            _stop(pool)
            pool = None
        raise
    finally:
        if pool is not None:
            pool.shutdown()
        if bar:
            bar.close()


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![s\w])")


def _page_estimate(path: Path, max_pages: int) -> int:
    """Pages a file will take, for the progress bar: page objects counted in a PDF's bytes (never parsed
    here, where a hostile file could hurt the parent; pages inside compressed object streams are not
    seen, so it is an estimate), 1 for text and Word."""
    if path.suffix.lower() != ".pdf":
        return 1
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            return 1
        with open(path, "rb") as f:
            n = len(_PAGE_OBJECT.findall(f.read(64 * 1024 * 1024)))
        return max(1, min(n, max_pages))
    except OSError:
        return 1


def _stop(pool) -> None:
    try:
        pool.shutdown(wait=False, cancel_futures=True)
    except TypeError:                            # an executor without cancel_futures (dask)
        pool.shutdown()
        return
    for proc in list(getattr(pool, "_processes", {}).values() or []):
        with contextlib.suppress(Exception):
            proc.terminate()


def _as_completed(pool, futures, tick=None):
    """Futures as they finish; `tick` is called twice a second meanwhile (the progress bar)."""
    if hasattr(pool, "as_completed"):
        yield from pool.as_completed(futures)
        return
    from concurrent.futures import FIRST_COMPLETED, wait
    pending = set(futures)
    while pending:
        finished, pending = wait(pending, timeout=0.5 if tick else None, return_when=FIRST_COMPLETED)
        yield from finished
        if tick and not finished:
            tick()


def run(inputs, out: str | Path, opts: Options | None = None) -> Summary:
    opts = opts or Options()
    t0 = time.monotonic()
    out = Path(out)
    parts = out / ".parts"
    try:
        parts.mkdir(parents=True, exist_ok=True)
        (out / "text").mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputProblem(f"cannot write to the output folder {out}: {exc.strerror or exc}") from exc
    with _locked(out):
        return _run_locked(inputs, out, parts, opts, t0)


@contextlib.contextmanager
def _locked(out: Path):
    """An advisory lock on the output folder: a second run into it stops with a message."""
    try:
        import fcntl
    except ImportError:                          # not on POSIX: no lock
        yield
        return
    fh = open(out / ".kehoach.lock", "a+")
    try:
        try:
            # a POSIX record lock belongs to this process only: forked workers do not hold it, so a run
            # killed with SIGKILL never leaves the folder locked behind it
            fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise OutputProblem(f"another kehoach run is writing to {out}; wait for it or choose another --out") from exc
        yield
    finally:
        fh.close()


def page_folders(paths: list[Path]) -> list[Path]:
    """The inputs with the page images of each folder replaced by the folder (one document, its pages in
    name order, numbers compared as numbers: trang2 before trang10)."""
    from .reading.ingest import IMAGE_SUFFIXES
    out, folders = [], set()
    for p in paths:
        if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file():
            if p.parent not in folders:
                folders.add(p.parent)
                out.append(p.parent)
        else:
            out.append(p)
    return out


def _run_locked(inputs, out: Path, parts: Path, opts: Options, t0: float) -> Summary:
    paths = collect_inputs(inputs, exclude=[out])
    if opts.pages_as_document:
        paths = page_folders(paths)
    summary = Summary(files=len(paths))
    tag = opts.cache_tag()
    keys = {p: _part_key(p, opts, tag) for p in paths}
    todo = [(p, k) for p, k in keys.items() if opts.force or not k or not (parts / f"{k}.json").exists()]
    summary.skipped = len(paths) - len(todo)
    unsaved: dict = {}
    _process_all(todo, opts, parts, summary, unsaved)
    frames = assemble(paths, keys, opts, parts, out, summary, unsaved)
    from .store.export import export, write_manifest
    formats = tuple(dict.fromkeys(("csv",) + tuple(opts.formats)))   # SPEC: every run writes its CSV tables
    export(frames, out, formats)
    write_manifest(out, list(frames["documents"]["doc_id"].dropna().astype(str)), formats)
    summary.counts = {name: len(df) for name, df in frames.items()}
    sev: dict = {"error": len(frames["errors"]) if "errors" in frames else 0}
    warns = frames.get("warnings")
    if warns is not None and len(warns):
        counts = warns["severity"].value_counts()
        sev.update({k: int(counts.get(k, 0)) for k in ("warning", "note")})
    summary.severity = sev
    summary.seconds = time.monotonic() - t0
    return summary


def assemble(paths, keys, opts, parts: Path, out: Path, summary: Summary, unsaved: dict | None = None):
    """Concatenate the parts of this run's inputs, in input order; one documents row per content."""
    from .reading.ingest import display_path
    rows = {t: [] for t in TABLES}
    seen: dict[str, str] = {}
    for p in paths:
        k = keys[p]
        part = parts / f"{k}.json" if k else None
        if unsaved and str(p) in unsaved:
            result = unsaved[str(p)]
        elif part is not None and part.exists():
            result = json.loads(part.read_text(encoding="utf-8"))
        else:
            result = process_file(str(p), opts)
        doc_id = result.get("doc_id")
        if doc_id and doc_id in seen and result["rows"].get("documents"):
            rows["errors"].append({"source_path": display_path(p), "doc_id": doc_id, "stage": "ingest",
                                   "error_type": "duplicate", "severity": "warning",
                                   "message": f"same content as {seen[doc_id]}; its rows are not repeated"})
            continue
        for name in TABLES:
            for r in result["rows"].get(name, []):
                if name in ("documents", "errors"):
                    r["source_path"] = display_path(p)
                rows[name].append(r)
        docs = result["rows"].get("documents")
        if docs:
            seen[doc_id] = display_path(p)
            summary.read += 1
            if result.get("text") is not None:
                (out / "text" / f"{doc_id}.txt").write_text(result["text"], encoding="utf-8")
            if result.get("ocr_text") is not None:
                (out / "text" / f"{doc_id}.ocr.txt").write_text(result["ocr_text"], encoding="utf-8")
            # read, but a later stage failed (normalize, extract, a timeout): the document row is kept,
            # and the run still reports the failure
            late = [e for e in result["rows"].get("errors", []) if e.get("stage") in ("normalize", "extract", "worker")]
            if late:
                summary.failed += 1
                summary.failures.append((display_path(p), late[0].get("error_type"), late[0].get("message")))
        else:
            summary.failed += 1
            err = result["rows"]["errors"][0] if result["rows"]["errors"] else {}
            summary.failures.append((display_path(p), err.get("error_type"), err.get("message")))
    # what a reading noted about a file it read (a doubtful OCR page, a truncated PDF, a renamed Word file)
    # is a warning or a note: their own table, so that errors.csv holds only what could not be done
    everything = rows["errors"]
    rows["errors"] = [r for r in everything if r.get("severity") not in ("warning", "note")]
    rows["warnings"] = [r for r in everything if r.get("severity") in ("warning", "note")]
    link_citations(rows)
    return to_frames(rows)
