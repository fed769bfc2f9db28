"""PDF: the text layer per page (pypdfium2); pages without usable text go to OCR."""
from __future__ import annotations

import logging
from pathlib import Path

import regex

from ...errors import CorruptFile, EncryptedFile
from ...model import Page
from ..normalize.legacy import detect_legacy, legacy_decode

log = logging.getLogger(__name__)

_LETTER = regex.compile(r"\p{L}")
_DIGIT = regex.compile(r"\p{Nd}")
_VI_MARKED = regex.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", regex.I)
_BAD = regex.compile(r"[\uFFFD\uE000-\uF8FF\x00-\x08\x0e-\x1f]")


def text_layer_usable(text: str) -> bool:
    """A page's text layer is usable when it has enough letters and figures, little garbage, and reads as
    words. Figures count: a page of an indicator table is mostly numbers, and OCR would only misread what
    the text layer holds exactly ("CÂY CÔNG NGHIỆP" read as "CẤY", its "-" rows lost)."""
    stripped = regex.sub(r"\s+", "", text)
    if len(stripped) < 25:
        return False
    letters = len(_LETTER.findall(stripped))
    digits = len(_DIGIT.findall(stripped))
    bad = len(_BAD.findall(stripped))
    return letters >= 20 and (letters + digits) / len(stripped) > 0.5 and bad / len(stripped) < 0.05 \
        and not garbled(text)


GARBLED_BELOW = 0.5     # share of words that are Vietnamese syllables; real pages read 0.91-1.0


def garbled(text: str) -> bool:
    """A text layer whose font map is broken (every letter shifted, "Kế hoạch" as "Lễ ipbdi"): the page is
    written in Vietnamese (accented letters in at least one word in twenty) yet under half its words are
    Vietnamese syllables. Measured: the devset, the seeds and the doctype set read 0.91-1.0; the same pages
    with each letter shifted by one read 0.07-0.18. English or code pages have no accented words and are
    left alone. Needs the word lists of the `nlp` extra; without them nothing is called garbled."""
    from .lexicon import SYLLABLES, lexicon, toneless
    index = lexicon()
    words = regex.findall(r"\p{L}{2,}", text)
    if index is None or len(words) < 30:
        return False
    if sum(1 for w in words if not w.isascii()) < 0.05 * len(words):
        return False
    from ...vi import tone_key
    syllables = index[SYLLABLES]
    return sum(toneless(tone_key(w)) in syllables for w in words) / len(words) < GARBLED_BELOW


def _open(path: Path):
    import pypdfium2 as pdfium
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise EncryptedFile("PDF is encrypted (password protected); decrypt it first") from exc
        raise CorruptFile(f"PDF could not be opened ({msg}); the file is damaged or not a PDF") from exc


def _has_rulings(page, minimum: int = 12) -> bool:
    """Cheap pre-check (pdfium): a ruled table draws many path objects."""
    import pypdfium2.raw as pdfium_c
    n = 0
    for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2):
        n += 1
        if n >= minimum:
            return True
    return False


def _cell(c) -> str:
    from ..normalize.layout import join_cell_lines
    return regex.sub(r"\s+", " ", join_cell_lines(c or "")).strip()


def _table_page_text(page, textpage, plumber_page, state: dict) -> str | None:
    """Text above/between/below ruled tables from pdfium; each table row as one tab-separated line."""
    tables = sorted(plumber_page.find_tables(), key=lambda t: t.bbox[1])
    tables = [t for t in tables if t.rows and len(t.rows[0].cells) >= 3]
    if not tables:
        return None
    width, height = page.get_size()
    parts, y = [], 0.0
    for t in tables:
        x0, top, x1, bottom = t.bbox
        above, top = _open_row(plumber_page, t, "above", top)
        below, bottom = _open_row(plumber_page, t, "below", bottom)
        if top > y:
            parts.append(textpage.get_text_bounded(0, height - top, width, height - y))
        for row in ([above] if above else []) + t.extract() + ([below] if below else []):
            cells = [_cell(c) for c in row]
            line = "\t".join(cells).rstrip("\t")
            if not line.strip():
                continue
            if line == state.get("header"):
                continue          # header row repeated on a continuation page
            if state.get("header") is None and sum(bool(c) for c in cells) >= 3:
                state["header"] = line
            parts.append(line)
        y = bottom
    parts.append(textpage.get_text_bounded(0, 0, width, height - y))
    return "\n".join(p.replace("\r\n", "\n").replace("\r", "\n").strip("\n") for p in parts if p.strip())


def _open_row(plumber_page, table, side: str, edge: float) -> tuple[list[str] | None, float]:
    """The part of a row that a page break cut off: its cell borders run on past the table's last (or
    before its first) ruling, but no ruling closes it, so the table finder leaves it out. Its words are
    put in the columns its own borders make. Returns (cells or None, the table's new edge)."""
    ruled = [e for e in plumber_page.edges if e["orientation"] == "v" and table.bbox[0] - 1 <= e["x0"] <= table.bbox[2] + 1]
    if side == "below":
        runs = [e for e in ruled if abs(e["top"] - edge) < 1.5 and e["bottom"] > edge + 3]
        band = (edge, max((e["bottom"] for e in runs), default=edge))
    else:
        runs = [e for e in ruled if abs(e["bottom"] - edge) < 1.5 and e["top"] < edge - 3]
        band = (min((e["top"] for e in runs), default=edge), edge)
    xs: list[float] = []
    for x in sorted(e["x0"] for e in runs):          # the row's own borders are its columns
        if not xs or x - xs[-1] > 2:
            xs.append(x)
    if len(xs) < 3:
        return None, edge
    x0, top, x1, bottom = plumber_page.bbox          # a border may run past the page's edge
    box = (max(xs[0], x0), max(band[0], top), min(xs[-1], x1), min(band[1], bottom))
    if box[2] - box[0] < 1 or box[3] - box[1] < 1:
        return None, edge
    words = plumber_page.crop(box, strict=False).extract_words()
    cells: list[list[str]] = [[] for _ in xs[1:]]
    for w in words:
        mid = (w["x0"] + w["x1"]) / 2
        i = next((k for k in range(len(xs) - 1) if xs[k] <= mid < xs[k + 1]), None)
        if i is not None:
            cells[i].append(w["text"])
    if not any(cells):
        return None, edge
    return [" ".join(c) for c in cells], band[1] if side == "below" else band[0]


def merge_split_rows(pages: list[Page]) -> None:
    """A table row broken across a page boundary continues with an empty first cell: join it to the row above."""
    for prev, cur in zip(pages, pages[1:]):
        before = prev.text.rstrip("\n").split("\n")
        after = cur.text.split("\n")
        if not before or before[-1].count("\t") < 2:
            continue
        idx = next((i for i, ln in enumerate(after) if "\t" in ln), None)
        if idx is None or idx > 2 or not after[idx].startswith("\t") or not after[idx].strip():
            continue
        if any(len(ln.strip()) > 12 for ln in after[:idx]):
            continue                     # real text between: not a continuation
        top, bottom = before[-1].split("\t"), after[idx].split("\t")
        width = max(len(top), len(bottom))
        top += [""] * (width - len(top))
        bottom += [""] * (width - len(bottom))
        before[-1] = "\t".join(" ".join(x for x in (a.strip(), b.strip()) if x) for a, b in zip(top, bottom)).rstrip("\t")
        prev.text = "\n".join(before)
        cur.text = "\n".join(after[:idx] + after[idx + 1:])


LOW_CONFIDENCE = 70     # mean Tesseract word confidence under which a page is flagged for a human check


def read_pdf(path: Path, ocr: str = "auto", max_pages: int = 300, warnings: list | None = None) -> list[Page]:
    pdf = _open(path)
    try:
        n = len(pdf)
        if n == 0:
            raise CorruptFile("PDF has no pages")
        if n > max_pages and warnings is not None:
            warnings.append(f"truncated: PDF has {n} pages; only the first {max_pages} were read (--max-pages)")
        pages = []
        plumber, state = None, {}
        from ...progress import report
        for i in range(min(n, max_pages)):
            report(str(path), i, min(n, max_pages))
            page = pdf[i]
            textpage = page.get_textpage()
            text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
            if ocr == "always" or (ocr == "auto" and not text_layer_usable(text)):
                if ocr == "auto" and warnings is not None and garbled(text):   # only pages going to OCR
                    warnings.append(f"text_layer: page {i + 1}'s text layer reads as no Vietnamese words (a broken "
                                    "font map); the page was read by OCR instead")
                from .ocr import ocr_page
                pages.append(ocr_page(page, state))
            else:
                if _has_rulings(page):
                    if plumber is None:
                        import pdfplumber
                        plumber = pdfplumber.open(str(path))
                    text = _table_page_text(page, textpage, plumber.pages[i], state) or text
                pages.append(Page(text=text))
            textpage.close()
            page.close()
    finally:
        pdf.close()
        if plumber is not None:
            plumber.close()
    if any(p.at_risk for p in pages):
        from .repair import repair_pages
        repair_pages(pages)
    merge_split_rows(pages)
    if warnings is not None:
        for i, p in enumerate(pages, 1):
            if p.ocr and p.prep and p.prep != "gray":
                warnings.append(f"ocr_prep: page {i} is a {p.source_dpi:g}-dpi scan; read after a median filter "
                                f"with specks painted out ({p.prep}), which Tesseract was more confident in")
            if p.ocr and p.tone_repairs:
                warnings.append(f"ocr_tone_repair: page {i} had {p.tone_repairs} doubted words' tone marks put "
                                "right by the compound words they form (see ocr_edits)")
            if p.ocr and p.confidence is not None and p.confidence < LOW_CONFIDENCE:
                warnings.append(f"ocr_low_confidence: page {i} mean word confidence {p.confidence:.0f}; "
                                "check this page by hand")
    sample = "\n".join(p.text for p in pages if not p.ocr)
    legacy = detect_legacy(sample) if sample and not _VI_MARKED.search(sample[:5000]) else None
    if legacy:
        for p in pages:
            if not p.ocr:
                p.text = legacy_decode(p.text, legacy)
    return pages
