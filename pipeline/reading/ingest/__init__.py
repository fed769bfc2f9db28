"""Read a file into a Source: one text per page, OCR where the page has no usable text."""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from ...errors import EmptyInput, TooLarge, TruncatedInput, UnsupportedFormat
from ...model import Source

TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".text"}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff"}
SUFFIXES = TEXT_SUFFIXES | IMAGE_SUFFIXES | {".pdf", ".docx", ".doc"}
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_BYTES = 200 * 1024 * 1024


_CONTROL = {c: f"\\x{c:02x}" for c in list(range(0x20)) + [0x7F]}


def display_path(path) -> str:
    """A path as text that can always be written on one line: bytes that are not UTF-8 and control
    characters (a CR or a newline in a file name) shown as \\xNN escapes."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace").translate(_CONTROL)


def doc_id_for(sha256: str) -> str:
    return sha256[:16]


def page_images(folder: Path) -> list[Path]:
    """The page images of a folder in name order, numbers compared as numbers (trang2 before trang10)."""
    import re
    files = [p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and not p.name.startswith(".")]
    return sorted(files, key=lambda p: [int(t) if t.isdigit() else t.casefold() for t in re.split(r"(\d+)", p.name)])


def read_page_folder(folder: Path, max_pages: int = 300) -> Source:
    """A folder of page photos or scans as one document, its pages in name order."""
    from .image import read_image
    files = page_images(folder)
    if not files:
        raise EmptyInput("the folder holds no page images (.jpg, .png, .tif)")
    total = sum(p.stat().st_size for p in files)
    if total > MAX_BYTES:
        raise TooLarge(f"the page images are {total // (1024 * 1024)} MiB together, over the {MAX_BYTES // (1024 * 1024)} MiB limit")
    h = hashlib.sha256()
    for p in files:
        h.update(p.read_bytes())
    sha = h.hexdigest()
    source = Source(doc_id=doc_id_for(sha), path=display_path(folder), sha256=sha, pages=[], fmt="images")
    for p in files:
        if len(source.pages) >= max_pages:
            source.warnings.append(f"truncated: the folder has {len(files)} page images; only the first "
                                   f"{max_pages} pages were read (--max-pages)")
            break
        source.pages += read_image(p, max_pages=max_pages - len(source.pages), warnings=source.warnings)
    source.warnings.append(f"format: {len(files)} page images read as one document, in name order: "
                           + ", ".join(p.name for p in files[:5]) + (" ..." if len(files) > 5 else ""))
    if not any(p.text.strip() for p in source.pages):
        raise EmptyInput("no text could be read from the page images")
    return source


def read(path: str | Path, ocr: str = "auto", max_pages: int = 300, pages_as_document: bool = False) -> Source:
    """Read one file (or, with pages_as_document, a folder of page images). Raises a KehoachError
    subclass with a plain message on bad input."""
    path = Path(path)
    suffix = path.suffix.lower()
    if pages_as_document and path.is_dir() and not path.is_symlink():
        return read_page_folder(path, max_pages)
    st = path.stat()
    if not stat.S_ISREG(st.st_mode):
        raise UnsupportedFormat("not a regular file (a folder, FIFO, socket or device); nothing was read")
    if suffix not in SUFFIXES:
        raise UnsupportedFormat(f"unsupported file type '{display_path(suffix or path.name)}' "
                                "(expected .pdf, .docx, .doc, .txt, .md, .html, .jpg, .png, .tif)")
    size = st.st_size
    if size == 0:
        raise EmptyInput("file is empty (0 bytes)")
    if size > MAX_BYTES:
        raise TooLarge(f"file is {size // (1024 * 1024)} MiB, over the {MAX_BYTES // (1024 * 1024)} MiB limit")
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    source = Source(doc_id=doc_id_for(sha), path=display_path(path), sha256=sha, pages=[], fmt=suffix.lstrip("."))
    if suffix in (".doc", ".docx"):
        # a Word file is read by what it holds: a .doc that is really a .docx (a ZIP) and the reverse
        # (an OLE compound file) are common when units rename files
        kind = ".docx" if data[:4] == _ZIP else ".doc" if data[:8] == _OLE else suffix
        if kind != suffix:
            source.warnings.append(f"format: the file is named {suffix} but holds a {kind} document; read as {kind}")
            suffix = kind
    if suffix == ".pdf":
        from .pdf import read_pdf
        source.pages = read_pdf(path, ocr=ocr, max_pages=max_pages, warnings=source.warnings)
    elif suffix == ".docx":
        from .docx import read_docx
        source.pages = read_docx(path, source.warnings)
        source.paged = False
    elif suffix == ".doc":
        from .docx import read_doc
        source.pages = read_doc(path)
        source.paged = False
    elif suffix in IMAGE_SUFFIXES:
        from .image import read_image
        source.pages = read_image(path, max_pages=max_pages, warnings=source.warnings)
    else:
        from .text import read_text
        source.pages = read_text(data, suffix, source.warnings)
        source.paged = False
    if not any(p.text.strip() for p in source.pages):
        cut = next((w for w in source.warnings if w.startswith("truncated:")), None)
        if cut:
            raise TruncatedInput(f"no text in the pages read; {cut[len('truncated: '):]}: raise --max-pages to read further")
        raise EmptyInput("no text could be read from the file")
    return source
