"""`kehoach bench` (`make bench`): throughput figures on a synthetic batch made from the bundled samples.
Reports figures only; it asserts nothing.

Environment: BENCH_TEXT_DOCS (default 1000), BENCH_PDF_DOCS (200), BENCH_OCR_PAGES (50).
"""
from __future__ import annotations

import os
import random
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from ..options import Options
from ..runner import run

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
SEEDS = ROOT / "tests" / "fixtures" / "text"


def _vary(text: str, rng: random.Random) -> str:
    """Change numbers, years and percentages so every synthetic plan is distinct but plausible."""
    import regex
    text = regex.sub(r"(?<!\d)(\d{2})%", lambda m: f"{rng.randint(50, 100)}%", text)
    text = regex.sub(r"\b(0[1-5])\b(?= (?:tin|hoạt động|mô hình|sáng kiến|người))", lambda m: f"0{rng.randint(1, 5)}", text)
    text = regex.sub(r"Quý (I|II|III|IV)/2026", lambda m: f"Quý {rng.choice(['I', 'II', 'III', 'IV'])}/2026", text)
    return text + f"\nBản số {rng.random():.12f}\n"


def make_text_batch(folder: Path, n: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = folder / f"plan_{i:05d}.txt"
        p.write_text(_vary(seeds[i % len(seeds)], rng), encoding="utf-8")
        out.append(p)
    return out


def make_pdf_batch(folder: Path, n: int) -> list[Path]:
    """Copies of the born-digital sample, each made distinct by a PDF comment after %%EOF."""
    data = (SAMPLES / "002_2c6c9c28ea1c9f52.pdf").read_bytes()
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = folder / f"plan_{i:04d}.pdf"
        p.write_bytes(data + f"\n%bench {i}\n".encode())
        out.append(p)
    return out


def make_scan_pages(folder: Path, pages: int) -> list[Path]:
    """Single-page scanned PDFs cut from the scanned sample (pikepdf), repeated to the page count."""
    import pikepdf
    folder.mkdir(parents=True, exist_ok=True)
    src = pikepdf.open(SAMPLES / "000_128bace28e546b8b_scan.pdf")
    out = []
    for i in range(pages):
        one = pikepdf.new()
        one.pages.append(src.pages[i % len(src.pages)])
        one.docinfo["/Title"] = f"bench {i}"
        p = folder / f"scan_{i:03d}.pdf"
        one.save(p)
        out.append(p)
    return out


def _timed_run(files, out: Path, jobs: int) -> tuple[float, object]:
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    s = run(files, out, Options(progress=False, jobs=jobs, formats=("parquet",)))
    return time.perf_counter() - t0, s


def _peak_mb(who) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _plain_tesseract(pdfs: list[Path], tmp: Path) -> float:
    import pypdfium2 as pdfium
    images = []
    for i, p in enumerate(pdfs):
        pdf = pdfium.PdfDocument(str(p))
        img = tmp / f"p{i}.png"
        pdf[0].render(scale=300 / 72, grayscale=True).to_pil().save(img)
        images.append(img)
        pdf.close()
    t0 = time.perf_counter()
    for img in images:
        subprocess.run(["tesseract", str(img), "-", "-l", "vie"], capture_output=True,
                       env={**os.environ, "OMP_THREAD_LIMIT": "1"}, check=True)
    return (time.perf_counter() - t0) / len(images)


def _tree_peak_mb(fn):
    """Run fn while sampling the memory of this process and all its children: (result, peak MB)."""
    import threading

    import psutil
    me, peak, stop = psutil.Process(), [0], threading.Event()

    def sample():
        while not stop.is_set():
            total = 0
            for proc in [me] + me.children(recursive=True):
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            peak[0] = max(peak[0], total)
            stop.wait(0.05)
    t = threading.Thread(target=sample, daemon=True)
    t.start()
    try:
        result = fn()
    finally:
        stop.set()
        t.join()
    return result, peak[0] / 2**20


def _hostile_batch(plans: list[Path], tmp: Path):
    """The same plans with the hostile corpus mixed in: wall time and peak memory of the process tree."""
    import sys
    sys.path.insert(0, str(ROOT / "tests" / "hostile"))
    try:
        from make_hostile import make
    except ImportError:
        return
    folder = tmp / "hostile"
    made = make(folder / "bad")
    hostile = [p for k, p in made.items() if k not in ("plan", "cr_injection", "non_utf8_name", "cr_in_name",
                                                       "dash_name", "stray_byte", "symlink_loop")]
    cores = os.cpu_count() or 1
    (dt0, s0), mem0 = _tree_peak_mb(lambda: _timed_run(plans, tmp / "out_clean", cores))
    (dt1, s1), mem1 = _tree_peak_mb(lambda: _timed_run(plans + hostile, tmp / "out_hostile", cores))
    yield (f"  {len(plans)} plans, {cores} workers: {dt0:.1f} s, peak {mem0:.0f} MB (process tree); with "
           f"{len(hostile)} hostile files mixed in: {dt1:.1f} s ({dt1 / dt0:.2f}x), peak {mem1:.0f} MB, "
           f"{s1.read} read, {s1.failed} failed")


def _large_plan(paragraphs: int) -> str:
    """One plan of `paragraphs` items, each with a percentage and a count: extraction must stay linear."""
    from ..understand.extract import extract
    from ..reading.normalize import normalize_text
    from ..model import Document, Page, Source
    rng = random.Random(11)
    items = [f"- Phấn đấu {rng.randint(1, 100)}% học sinh được trang bị kỹ năng số trong năm 2026; tổ chức "
             f"tối thiểu 0{rng.randint(1, 9)} hoạt động/tháng." for _ in range(paragraphs)]
    text = normalize_text("KẾ HOẠCH\nThực hiện phong trào năm 2026\nI. MỤC TIÊU\n" + "\n".join(items) + "\n")
    doc = Document("bench", text, [0], Source("bench", "bench.txt", "0" * 64, [Page(text=text)], paged=False))
    t0 = time.process_time()
    x = extract(doc)
    return (f"  one plan of {paragraphs} items ({len(text) // 1000} k chars): extraction {time.process_time() - t0:.1f} s "
            f"CPU on one core, {len(x.targets)} targets")


def main():
    """Yield the report line by line (the CLI prints it as it comes)."""
    n_text = int(os.environ.get("BENCH_TEXT_DOCS", 1000))
    n_pdf = int(os.environ.get("BENCH_PDF_DOCS", 200))
    n_ocr = int(os.environ.get("BENCH_OCR_PAGES", 50))
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        yield (f"kehoach bench: {n_text} text plans, {n_pdf} text PDFs ({n_pdf * 5} pages), {n_ocr} scanned pages; "
              f"{cores} cores")
        texts = make_text_batch(tmp / "text", n_text)
        pdfs = make_pdf_batch(tmp / "pdf", n_pdf)
        scans = make_scan_pages(tmp / "scan", n_ocr)
        for jobs in sorted({1, cores}):
            dt, s = _timed_run(texts, tmp / f"out_text_{jobs}", jobs)
            yield (f"  text plans, {jobs} worker(s): {s.read / dt:8.1f} docs/s  ({dt:.1f} s, "
                  f"{1000 * dt * jobs / max(s.read, 1):.1f} ms per document per worker incl. I/O)")
            if pdfs:
                dt, s = _timed_run(pdfs, tmp / f"out_pdf_{jobs}", jobs)
                yield (f"  text PDFs,  {jobs} worker(s): {s.read / dt:8.1f} docs/s  {s.pages / dt:8.1f} pages/s")
            if scans:
                dt, s = _timed_run(scans, tmp / f"out_scan_{jobs}", jobs)
                yield (f"  OCR,        {jobs} worker(s): {s.ocr_pages / dt:8.2f} pages/s  ({dt / max(s.ocr_pages, 1):.2f} s "
                      f"per page per run, {jobs * dt / max(s.ocr_pages, 1):.2f} s per page per worker)")
        from ..understand.extract import extract
        from ..reading.ingest import read
        from ..reading.normalize import normalize
        docs = [normalize(read(p)) for p in texts[:200]]
        t0 = time.perf_counter()
        for d in docs:
            extract(d)
        yield (f"  extraction alone: {1000 * (time.perf_counter() - t0) / len(docs):.1f} ms per document "
              f"(mean of {len(docs)}, {sum(len(d.text) for d in docs) // len(docs)} chars each)")
        yield _large_plan(int(os.environ.get("BENCH_LARGE_PARAGRAPHS", 20000)))
        yield (f"  peak memory: this process {_peak_mb(resource.RUSAGE_SELF):.0f} MB, "
              f"largest worker {_peak_mb(resource.RUSAGE_CHILDREN):.0f} MB")
        yield from _hostile_batch(texts[:200], tmp)
        k = min(10, len(scans))
        if not k:
            return
        plain = _plain_tesseract(scans[:k], tmp)
        dt, s = _timed_run(scans[:k], tmp / "out_cmp", 1)
        yield (f"  OCR per page, same {k} pages, 1 worker: kehoach {dt / max(s.ocr_pages, 1):.2f} s "
              f"(render, deskew, layout, table cells, extraction) vs plain `tesseract -l vie` {plain:.2f} s")

