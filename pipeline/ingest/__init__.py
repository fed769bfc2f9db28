"""Read a file into a Source: one text per page, OCR where the page has no usable text."""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import EmptyInput, TooLarge, UnsupportedFormat
from ..model import Source

TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".text"}
SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx", ".doc"}
MAX_BYTES = 200 * 1024 * 1024


def doc_id_for(sha256: str) -> str:
    return sha256[:16]


def read(path: str | Path, ocr: str = "auto", max_pages: int = 300) -> Source:
    """Read one file. Raises a KehoachError subclass with a plain message on bad input."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnsupportedFormat(f"unsupported file type '{suffix or path.name}' (expected .pdf, .docx, .doc, .txt, .md, .html)")
    size = path.stat().st_size
    if size == 0:
        raise EmptyInput("file is empty (0 bytes)")
    if size > MAX_BYTES:
        raise TooLarge(f"file is {size // (1024 * 1024)} MiB, over the {MAX_BYTES // (1024 * 1024)} MiB limit")
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    source = Source(doc_id=doc_id_for(sha), path=str(path), sha256=sha, pages=[], fmt=suffix.lstrip("."))
    if suffix == ".pdf":
        from .pdf import read_pdf
        source.pages = read_pdf(path, ocr=ocr, max_pages=max_pages, warnings=source.warnings)
    elif suffix == ".docx":
        from .docx import read_docx
        source.pages = read_docx(path)
        source.paged = False
    elif suffix == ".doc":
        from .docx import read_doc
        source.pages = read_doc(path)
        source.paged = False
    else:
        from .text import read_text
        source.pages = read_text(data, suffix)
        source.paged = False
    if not any(p.text.strip() for p in source.pages):
        raise EmptyInput("no text could be read from the file")
    return source
