"""Run kehoach on every shared fixture, grouped by variant; print text similarity, speed and eval scores.

usage: python tools/fixture_report.py [SHARED_DIR] [OUT_DIR]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from pipeline.reading.ingest import read
from pipeline.reading.normalize import normalize
from pipeline.options import Options
from pipeline.runner import run
from pipeline.dev.score import evaluate, report
from pipeline.reading.similarity import char_similarity

VARIANTS = {"pdf": "*[0-9a-f].pdf", "docx": "*.docx", "scan": "*[0-9a-f]_scan.pdf", "lowq_scan": "*_lowq_scan.pdf"}


def main(shared: Path, out: Path) -> None:
    fixtures = shared / "fixtures"
    for variant, pattern in VARIANTS.items():
        files = sorted(fixtures.glob(pattern))
        print(f"== {variant}: {len(files)} files")
        for f in files:
            stem = f.stem.replace("_lowq_scan", "").replace("_scan", "")
            t0 = time.perf_counter()
            src = read(f)
            doc = normalize(src)
            dt = time.perf_counter() - t0
            truth = (fixtures / "truth" / f"{stem}.txt").read_text(encoding="utf-8")
            n = len(src.pages)
            print(f"  {f.name:<40} similarity {char_similarity(doc.text, truth):.4f}  "
                  f"{n} pages  {dt / n:.2f} s/page")
        run_out = out / variant
        run(files, run_out, Options(progress=False))
        print(report(evaluate(run_out, shared / "gold")))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared"), Path(sys.argv[2] if len(sys.argv) > 2 else "out/fixtures"))
