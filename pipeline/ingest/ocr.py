"""OCR of one rendered page with Tesseract 'vie', after a projection-profile deskew."""
from __future__ import annotations

import logging
import os
import shutil
from functools import lru_cache

from ..errors import MissingDependency
from ..model import Page

log = logging.getLogger(__name__)
DPI = 300
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


@lru_cache(maxsize=1)
def check_tesseract() -> None:
    """Raise MissingDependency with an install hint when tesseract or 'vie' is missing."""
    if not shutil.which("tesseract"):
        raise MissingDependency("OCR needs Tesseract: apt-get install tesseract-ocr tesseract-ocr-vie")
    import pytesseract
    if "vie" not in pytesseract.get_languages(config=""):
        raise MissingDependency("Tesseract has no Vietnamese data: apt-get install tesseract-ocr-vie")


def skew_angle(image, max_angle: float = 4.0, step: float = 0.25) -> float:
    """Angle (degrees) that makes text rows horizontal: maximizes the row-profile variance."""
    import numpy as np
    small = image.convert("L")
    scale = 1000 / max(small.size)
    if scale < 1:
        small = small.resize((int(small.width * scale), int(small.height * scale)))
    best, best_score = 0.0, -1.0
    angle = -max_angle
    while angle <= max_angle + 1e-9:
        rotated = small.rotate(angle, fillcolor=255)
        ink = (np.asarray(rotated) < 128).sum(axis=1).astype(float)
        score = float(np.var(np.diff(ink)))
        if score > best_score:
            best, best_score = angle, score
        angle += step
    return best


def tesseract_data(image, config: str) -> dict:
    """image_to_data through an uncompressed temporary file: pytesseract's own PNG round trip costs ~0.9 s a page."""
    import tempfile

    import pytesseract
    with tempfile.NamedTemporaryFile(suffix=".pgm") as tmp:
        image.convert("L").save(tmp.name)
        return pytesseract.image_to_data(tmp.name, lang="vie", config=config, output_type=pytesseract.Output.DICT)


def ocr_image(image, state: dict | None = None) -> Page:
    check_tesseract()
    gray = image.convert("L")
    angle = skew_angle(gray)
    if abs(angle) >= 0.2:
        gray = gray.rotate(angle, fillcolor=255, expand=True)
    import numpy as np
    from .ocr_table import find_grid, ocr_table
    grid = find_grid(np.asarray(gray))
    page_image = gray
    if grid is not None:
        x0, y0, x1, y1 = grid.bbox
        page_image = gray.copy()
        page_image.paste(255, (max(0, x0 - 4), max(0, y0 - 4), x1 + 5, y1 + 5))
    data = tesseract_data(page_image, "--oem 1 --psm 3")
    confs = [float(c) for c, w in zip(data["conf"], data["text"]) if w.strip() and float(c) >= 0]
    conf = sum(confs) / len(confs) if confs else None
    if grid is None:
        return Page(text=_layout_text(data), ocr=True, confidence=conf)
    above, below = _layout_lines(data, grid.bbox[1])
    rows = ocr_table(gray, grid, _cell_words)
    rows = _drop_repeated_header(rows, state if state is not None else {})
    return Page(text="\n".join(above + rows + below), ocr=True, confidence=conf)


def _cell_words(crop, min_conf: float = 30.0) -> str:
    """OCR one table cell; words Tesseract itself doubts (noise) are dropped."""
    data = tesseract_data(crop, "--oem 1 --psm 6")
    words = [w for w, c in zip(data["text"], data["conf"]) if w.strip() and float(c) >= min_conf]
    return " ".join(words)


def _drop_repeated_header(rows: list[str], state: dict) -> list[str]:
    """A table header repeated on a continuation page is read once."""
    if not rows:
        return rows
    from rapidfuzz.distance import Levenshtein
    first = rows[0]
    header = state.get("header")
    if header is None:
        if first.count("\t") >= 2:
            state["header"] = first
        return rows
    if Levenshtein.normalized_similarity(first, header) > 0.8:
        return rows[1:]
    return rows


def _layout_lines(data: dict, split_y: int) -> tuple[list[str], list[str]]:
    """Lines above and below a y position (the table), from image_to_data output."""
    above, below = [], []
    lines: dict = {}
    for i, word in enumerate(data["text"]):
        if word.strip():
            k = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            lines.setdefault(k, []).append((data["top"][i], word.strip()))
    for k in sorted(lines, key=lambda k: min(t for t, _ in lines[k])):
        words = lines[k]
        (above if min(t for t, _ in words) < split_y else below).append(" ".join(w for _, w in words))
    return above, below


def _layout_text(data: dict) -> str:
    """Rebuild lines (block/paragraph/line order) from image_to_data output.

    Words separated by a gap much wider than the line height are in different columns
    (the header block, the signature block): they become separate lines.
    """
    lines: list[str] = []
    current, key, last_right = [], None, None
    for i, word in enumerate(data["text"]):
        k = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if k != key:
            if current:
                lines.append(" ".join(current))
            current, key, last_right = [], k, None
        if not word.strip():
            continue
        left, height = data["left"][i], max(data["height"][i], 1)
        if last_right is not None and left - last_right > 3 * max(height, 20) and current:
            lines.append(" ".join(current))
            current = []
        current.append(word.strip())
        last_right = left + data["width"][i]
    if current:
        lines.append(" ".join(current))
    return "\n".join(lines)


LOW_DPI = 220        # a scan below this resolution (fax, 150-dpi copy) gets a denoised second reading


def source_dpi(page) -> float | None:
    """The resolution of the largest image on the page (a scan), from the PDF itself; None without one."""
    try:
        import pypdfium2.raw as raw
        best = None
        for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]):
            meta = obj.get_metadata()
            area = meta.width * meta.height
            if best is None or area > best[0]:
                best = (area, min(meta.horizontal_dpi, meta.vertical_dpi))
        return round(best[1], 1) if best and best[1] > 0 else None
    except Exception:                           # noqa: BLE001 - an estimate only
        return None


def ocr_page(page, state: dict | None = None) -> Page:
    """OCR one pypdfium2 page rendered at 300 dpi.

    A page whose scan is low-resolution (under LOW_DPI) is read twice, as rendered and after a 3x3 median
    filter (speckle and JPEG noise out, tone marks kept, unlike a global threshold), and Tesseract's mean
    word confidence picks the reading; clean scans are read once, so easy pages do not pay for hard ones."""
    scale = DPI / 72
    width, height = page.get_size()
    if width * scale > 6000 or height * scale > 6000:    # posters and huge pages: cap the bitmap
        scale = 6000 / max(width, height)
    bitmap = page.render(scale=scale, grayscale=True)
    image = bitmap.to_pil()
    if is_blank(image):
        return Page(text="", ocr=False)
    dpi = source_dpi(page)
    state = state if state is not None else {}
    first_state, chosen_state = dict(state), None
    chosen = ocr_image(image, first_state)
    chosen.prep, chosen.source_dpi = "gray", dpi
    chosen_state = first_state
    if dpi is not None and dpi < LOW_DPI:
        from PIL import ImageFilter
        alt_state = dict(state)
        alt = ocr_image(image.convert("L").filter(ImageFilter.MedianFilter(3)), alt_state)
        alt.prep, alt.source_dpi = "median3", dpi
        if (alt.confidence or 0) > (chosen.confidence or 0):
            chosen, chosen_state = alt, alt_state
    state.clear()
    state.update(chosen_state)        # the table header the chosen reading saw, for the next page
    return chosen


def is_blank(image, ink_share: float = 0.0005) -> bool:
    """A page with (almost) no dark pixels has nothing to OCR."""
    import numpy as np
    small = np.asarray(image.convert("L").resize((image.width // 4 or 1, image.height // 4 or 1)))
    return float((small < 128).mean()) < ink_share
