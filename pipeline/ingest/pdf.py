"""PDF: the text layer per page (pypdfium2); pages without usable text go to OCR."""
from __future__ import annotations

import logging
from pathlib import Path

import regex

from ..errors import CorruptFile, EncryptedFile
from ..model import Page
from ..normalize.legacy import detect_legacy, legacy_decode

log = logging.getLogger(__name__)

_LETTER = regex.compile(r"\p{L}")
_VI_MARKED = regex.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", regex.I)
_BAD = regex.compile(r"[\uFFFD\uE000-\uF8FF\x00-\x08\x0e-\x1f]")


def text_layer_usable(text: str) -> bool:
    """A page's text layer is usable when it has enough letters and little garbage."""
    stripped = regex.sub(r"\s+", "", text)
    if len(stripped) < 25:
        return False
    letters = len(_LETTER.findall(stripped))
    bad = len(_BAD.findall(stripped))
    return letters / len(stripped) > 0.5 and bad / len(stripped) < 0.05


def _open(path: Path):
    import pypdfium2 as pdfium
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise EncryptedFile("PDF is encrypted (password protected); decrypt it first") from exc
        raise CorruptFile(f"PDF could not be opened ({msg}); the file is damaged or not a PDF") from exc


def read_pdf(path: Path, ocr: str = "auto", max_pages: int = 300, warnings: list | None = None) -> list[Page]:
    pdf = _open(path)
    try:
        n = len(pdf)
        if n == 0:
            raise CorruptFile("PDF has no pages")
        if n > max_pages and warnings is not None:
            warnings.append(f"truncated: PDF has {n} pages; only the first {max_pages} were read (--max-pages)")
        pages = []
        for i in range(min(n, max_pages)):
            page = pdf[i]
            textpage = page.get_textpage()
            text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
            textpage.close()
            if ocr == "always" or (ocr == "auto" and not text_layer_usable(text)):
                from .ocr import ocr_page
                pages.append(ocr_page(page))
            else:
                pages.append(Page(text=text))
            page.close()
    finally:
        pdf.close()
    sample = "\n".join(p.text for p in pages if not p.ocr)
    legacy = detect_legacy(sample) if sample and not _VI_MARKED.search(sample[:5000]) else None
    if legacy:
        for p in pages:
            if not p.ocr:
                p.text = legacy_decode(p.text, legacy)
    return pages
