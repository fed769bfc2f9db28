"""Run options, validated once."""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Options:
    ocr: str = "auto"                 # auto | always | never
    jobs: int = 0                     # 0: all cores
    timeout: int = 900                # seconds per file
    max_pages: int = 300
    formats: tuple = ("csv", "parquet", "duckdb")
    executor: str = "local"           # local | dask
    scheduler: str | None = None      # dask scheduler address; None starts a LocalCluster
    rules: str | None = None
    progress: bool = True
    force: bool = False               # ignore cached parts
    max_memory_mb: int = 4096         # address-space cap per worker process (0: none)
    hard_timeout_margin: int = 30     # seconds after --timeout when a worker that did not stop is killed
    progress_dir: str | None = None   # where workers note the page they are on (set by the runner)
    pages_as_document: bool = False   # the page images of one folder are one document, in name order

    def __post_init__(self):
        if self.ocr not in ("auto", "always", "never"):
            raise ValueError(f"--ocr must be auto, always or never, not {self.ocr!r}")
        if self.executor not in ("local", "dask"):
            raise ValueError(f"--executor must be local or dask, not {self.executor!r}")
        if self.jobs < 0 or self.timeout <= 0 or self.max_pages <= 0:
            raise ValueError("--jobs, --timeout and --max-pages must be positive")
        from .store.export import FORMATS
        bad = [f for f in self.formats if f not in FORMATS]
        if bad:
            raise ValueError(f"unknown format(s) {bad}; choose from {FORMATS}")

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1

    def cache_tag(self) -> str:
        """Part files are reused only under the same code, rules, optional tools and output options."""
        from .fingerprint import fingerprint
        return fingerprint(self.ocr, self.max_pages, self.rules)
