"""Python API for researchers: one plan as an object, a run folder as DataFrames."""
from __future__ import annotations

from pathlib import Path

from .understand.extract import extract
from .reading.ingest import read
from .model import Extraction
from .reading.normalize import normalize
from .understand.outline import parse_outline
from .runner import run


def load_plan(path: str | Path, ocr: str = "auto") -> Extraction:
    """Read, normalize and extract one plan: .metadata, .sections, .citations, .targets, .deadlines, .tasks."""
    return extract(normalize(read(path, ocr=ocr)))


def load_run(out: str | Path) -> dict:
    """A run folder's tables as {name: pandas.DataFrame}."""
    from .store.export import read_tables
    return read_tables(Path(out))


__all__ = ["read", "normalize", "parse_outline", "extract", "run", "load_plan", "load_run"]
