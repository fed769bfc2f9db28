"""OCR of one rendered page with Tesseract 'vie', after a projection-profile deskew."""
from __future__ import annotations

import logging
import os
import shutil
from functools import lru_cache

import regex

from ...errors import MissingDependency
from ...model import Page, ReadWord

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


def skew_angle(image, max_angle: float = 6.0, step: float = 0.25) -> float:
    """Angle (degrees, counterclockwise) that makes text rows horizontal: the rotation that maximizes the
    energy of the row profile of the page binarized by Otsu after a 3x3 median (specks out), margins
    left out (a scanner-lid shadow along an edge is not a text row); coarse steps, then a fine pass."""
    import cv2
    import numpy as np
    g = np.asarray(image.convert("L"))
    scale = 1000 / max(g.shape)
    if scale < 1:
        g = cv2.resize(g, (int(g.shape[1] * scale), int(g.shape[0] * scale)), interpolation=cv2.INTER_AREA)
    g = cv2.medianBlur(g, 3)
    _, bw = cv2.threshold(g, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    h, w = bw.shape
    m = int(0.03 * max(h, w))
    bw[:m, :] = 0
    bw[h - m:, :] = 0
    bw[:, :m] = 0
    bw[:, w - m:] = 0

    def energy(angle: float) -> float:
        rot = cv2.warpAffine(bw, cv2.getRotationMatrix2D((w / 2, h / 2), float(angle), 1.0), (w, h),
                             flags=cv2.INTER_NEAREST, borderValue=0)
        profile = rot.sum(axis=1).astype(float)
        return float((profile * profile).sum())

    best = max(np.arange(-max_angle, max_angle + 1e-9, step), key=energy)
    best = max(np.arange(best - step, best + step + 1e-9, step / 5), key=energy)
    return round(float(best), 2)


ALTERNATIVE_MIN = 1.0   # a character the recognizer weighed with at least this confidence is an alternative


def tesseract_data(image, config: str, choices: bool = False) -> dict:
    """Tesseract's word table (image_to_data's columns) of an image, read through an uncompressed
    temporary file (pytesseract's own PNG round trip costs ~0.9 s a page). With `choices`, the same run
    also writes its hOCR with the LSTM's choices per character, and the table gets an "alternatives"
    column ({index of a character: other characters weighed}, see ReadWord); the reading is the same."""
    import subprocess
    import tempfile
    from pathlib import Path

    import pytesseract
    with tempfile.TemporaryDirectory() as tmp:
        img, base = Path(tmp) / "page.pgm", Path(tmp) / "out"
        image.convert("L").save(img)
        cmd = [pytesseract.pytesseract.tesseract_cmd, str(img), str(base), "-l", "vie", *config.split()]
        cmd += ["-c", "lstm_choice_mode=2", "tsv", "hocr"] if choices else ["tsv"]
        done = subprocess.run(cmd, capture_output=True)
        if done.returncode:
            raise pytesseract.TesseractError(done.returncode, done.stderr.decode("utf-8", "replace").strip())
        data = pytesseract.pytesseract.file_to_dict(base.with_suffix(".tsv").read_text(encoding="utf-8"), "\t", -1)
        if choices:
            alts = _hocr_alternatives(base.with_suffix(".hocr").read_text(encoding="utf-8"))
            words = [i for i, lv in enumerate(data["level"]) if int(lv) == 5]
            column = [{} for _ in data["level"]]
            if len(alts) == len(words):
                for i, (word, alt) in zip(words, alts):
                    if word == str(data["text"][i]).strip():
                        column[i] = alt
            data["alternatives"] = column
        return data


_HOCR_CHOICES = regex.compile(r"<span class='ocrx_cinfo' id='lstm_choices[^>]*>(.*?)</span></span>", regex.S)
_HOCR_CHOICE = regex.compile(r"title='x_confs ([\d.]+)'>([^<]*)")


def _hocr_alternatives(hocr: str) -> list[tuple[str, dict]]:
    """(word, {index of a character: other characters weighed there}) for each word of an hOCR page
    written with lstm_choice_mode=2, in reading order. A word whose choices do not line up one to one
    with its characters gets no alternatives."""
    import html
    out = []
    for m in regex.finditer(r"<span class='ocrx_word'[^>]*>(.*?)(?=<span class='ocrx_word'|\Z)", hocr, regex.S):
        body = m.group(1)
        word = html.unescape(regex.match(r"[^<]*", body).group()).strip()
        groups = []
        for g in _HOCR_CHOICES.finditer(body):
            choices = sorted(((float(c), html.unescape(ch)) for c, ch in _HOCR_CHOICE.findall(g.group(1))), reverse=True)
            if choices and choices[0][1].strip():
                groups.append(choices)
        alts: dict = {}
        if len(groups) == len(word) and all(g[0][1] == ch for g, ch in zip(groups, word)):
            for k, g in enumerate(groups):
                other = "".join(ch for c, ch in g[1:] if c >= ALTERNATIVE_MIN and len(ch) == 1 and ch != g[0][1])
                if other:
                    alts[k] = other
        out.append((word, alts))
    return out


def _word(data: dict, i: int) -> ReadWord:
    """The i-th entry of a reading as a ReadWord (its alternatives when the reading has them)."""
    alts = data.get("alternatives")
    return ReadWord(str(data["text"][i]).strip(), alts[i] if alts else None)


def ocr_image(image, state: dict | None = None, smooth: bool = False, rulings=None) -> Page:
    """OCR of a page image after deskewing; `smooth` rotates with bicubic interpolation (an upsampled
    low-resolution scan reads better so; a sharp 300-dpi scan reads better with its edges kept).
    `rulings`: the same page before preparation, where a table's grid is looked for (cleaning a
    page can take faint rulings with the noise)."""
    page = _read_image(image, state, smooth, rulings)
    page.__dict__.pop("_reading", None)
    return page


def _read_image(image, state: dict | None, smooth: bool, rulings) -> Page:
    """ocr_image without the line reading; the page keeps what a line reading needs in `_reading`."""
    check_tesseract()
    pages = [image.convert("L")] + ([rulings.convert("L")] if rulings is not None else [])
    angle = skew_angle(pages[0])
    if abs(angle) >= 0.2:
        from PIL import Image
        resample = Image.BICUBIC if smooth else Image.NEAREST
        pages = [p.rotate(angle, resample=resample, fillcolor=255, expand=True) for p in pages]
    import numpy as np
    from .ocr_table import find_grid, ocr_table, table_homography
    warp = table_homography(np.asarray(pages[-1]))
    if warp is not None:                # a photographed page: its table's frame squared up
        import cv2
        from PIL import Image
        pages = [Image.fromarray(cv2.warpPerspective(np.asarray(p), warp, p.size, flags=cv2.INTER_CUBIC,
                                                     borderValue=255)) for p in pages]
    gray = pages[0]
    # the grid from the page before cleaning, else from the page as read
    grid = next((g for g in (find_grid(np.asarray(p), thorough=smooth) for p in reversed(pages)) if g is not None), None)
    page_image = gray
    if grid is not None:
        x0, y0, x1, y1 = grid.bbox
        page_image = gray.copy()
        page_image.paste(255, (max(0, x0 - 4), max(0, y0 - 4), x1 + 5, y1 + 5))
    data = tesseract_data(page_image, "--oem 1 --psm 3", choices=True)
    if grid is None:
        page = _page_from(data)
        page._reading = (page_image, data, None)
        return page
    above, below = _layout_lines(data, grid.bbox[1], [])
    cells = _Cells()
    if not above and not below:
        # the page's layout analysis can take a photographed page, dark edges and a blank table, for a
        # picture and read nothing: the text above and below the table is read on its own
        cells.confs.extend(_confidences(data))
        cells.outside_lines = _outside_table(gray, grid.bbox, cells.confs, cells.outside)
        data = None                     # no page reading a line reading could improve
    cells.rows = ocr_table(gray, grid, lambda crop: _cell_words(crop, cells.confs, words=cells.words))
    cells.rows = _drop_repeated_header(cells.rows, state if state is not None else {})
    cells.split_y = grid.bbox[1]
    page = _page_from(data, cells)
    page._reading = (page_image, data, cells)
    return page


class _Cells:
    """What a table page read apart from its page reading: the rows of its table (as text), the cells'
    word confidences and words, and the words of the bands around the table read on their own."""
    def __init__(self):
        self.rows: list[str] = []
        self.confs: list[float] = []
        self.words: list = []
        self.outside: list = []
        self.outside_lines: tuple[list[str], list[str]] = ([], [])
        self.split_y = 0


def _page_from(data: dict | None, cells: _Cells | None = None) -> Page:
    """The page text, words and confidence from a page reading (image_to_data) and, on a table page,
    the table read apart; the page's confidence covers its table cells too (a table page is judged by
    its table)."""
    words: list = []            # the words as read, with their confidence, for the repair stage
    confs = _confidences(data) if data is not None else []
    if cells is None:
        text = _layout_text(data, words)
        return Page(text=text, ocr=True, confidence=sum(confs) / len(confs) if confs else None, words=words)
    if data is not None:
        above, below = _layout_lines(data, cells.split_y, words)
    else:
        above, below = cells.outside_lines
        words.extend(cells.outside)
    confs = confs + cells.confs
    words.extend(cells.words)
    return Page(text="\n".join(above + cells.rows + below), ocr=True,
                confidence=sum(confs) / len(confs) if confs else None, words=words)


def reread_by_lines(page: Page) -> Page:
    """The page with its text lines read again one by one (pipeline.reading.ingest.ocr_lines) and, line by line,
    the reading of higher mean word confidence kept; text, words and confidence rebuilt from it (the
    table of a table page, read cell by cell, is kept as it was). The page as it was when no line
    reading is surer."""
    reading = getattr(page, "_reading", None)
    if reading is None or reading[1] is None:
        return page
    from .ocr_lines import reread_lines
    image, data, cells = reading
    try:
        merged, _ = reread_lines(image, data)
    except Exception as exc:     # noqa: BLE001 - an optional second reading must not lose the first
        log.warning("line-by-line reading failed (%s); the page reading is kept", exc)
        return page
    if merged is data:
        return page
    new = _page_from(merged, cells)
    for k in ("prep", "source_dpi"):
        setattr(new, k, getattr(page, k))
    new._reading = (image, merged, cells)
    return new


def _outside_table(gray, bbox, confs: list[float], words: list | None = None) -> tuple[list[str], list[str]]:
    """The lines above and below a table's frame, each band read apart (a band under 40 px is none)."""
    x0, y0, x1, y1 = bbox
    out = []
    for top, bottom in ((0, y0 - 4), (y1 + 5, gray.size[1])):
        if bottom - top < 40:
            out.append([])
            continue
        data = tesseract_data(gray.crop((0, top, gray.size[0], bottom)), "--oem 1 --psm 3")
        confs.extend(_confidences(data))
        text = _layout_text(data, words)
        out.append(text.split("\n") if text else [])
    return out[0], out[1]


def _confidences(data: dict) -> list[float]:
    return [float(c) for c, w in zip(data["conf"], data["text"]) if w.strip() and float(c) >= 0]


def _cell_words(crop, confs: list[float] | None = None, min_conf: float = 30.0, words: list | None = None) -> str:
    """OCR one table cell; words Tesseract itself doubts (noise) are dropped. The cell's word
    confidences are added to `confs`, its words with their confidence to `words`."""
    data = tesseract_data(crop, "--oem 1 --psm 6")
    if confs is not None:
        confs.extend(_confidences(data))
    kept = _trusted_words(data, min_conf)
    if words is not None:
        words.extend(kept)
    return " ".join(w for w, _ in kept)


FLANK_SURE = 80.0   # a doubted word between two words read this surely is text, not a speck


def _trusted_words(data: dict, min_conf: float, run: int = 2) -> list[tuple[str, float]]:
    """The words (with their confidence) of a reading that are text rather than noise. A word under `min_conf` is dropped, unless
    it has two letters or digits and belongs to a run of at most `run` doubted words that sits in a
    paragraph between two words Tesseract is sure of (the run may end a wrapped line): the LSTM gives
    short, correct words inside a clean phrase a confidence of 0 now and then ("GD&ĐT có các hoạt
    động"), while speckle and ruling remnants come in longer doubted runs, alone, or at a cell's edge."""
    words = [(w, float(c), (data["block_num"][i], data["par_num"][i]))
             for i, (w, c) in enumerate(zip(data["text"], data["conf"])) if w.strip()]
    kept, i = [], 0
    while i < len(words):
        if words[i][1] >= min_conf:
            kept.append(words[i][:2])
            i += 1
            continue
        j = i
        while j < len(words) and words[j][1] < min_conf:
            j += 1
        par = words[i][2]
        flanks = (words[i - 1] if i else None, words[j] if j < len(words) else None)
        if (j - i <= run and all(n is not None and n[2] == par and n[1] >= FLANK_SURE for n in flanks)
                and all(w[2] == par and len(regex.findall(r"[\p{L}\p{N}]", w[0])) >= 2 for w in words[i:j])):
            kept.extend(w[:2] for w in words[i:j])
        i = j
    return kept


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


JUNK_BELOW = 35.0    # a line whose words Tesseract doubts this much on average is noise read as text


def _junk_lines(data: dict) -> set:
    """Lines (block, paragraph, line) that are noise, not text: no letter or digit at all (a ruling or
    a streak read as dashes), or a mean word confidence under JUNK_BELOW (specks, the background
    around a photographed page, a stamp)."""
    lines: dict = {}
    for i, word in enumerate(data["text"]):
        if word.strip():
            k = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            lines.setdefault(k, []).append((word, float(data["conf"][i])))
    return {k for k, ws in lines.items()
            if not any(c.isalnum() for w, _ in ws for c in w) or sum(c for _, c in ws) / len(ws) < JUNK_BELOW}


def _layout_lines(data: dict, split_y: int, words: list | None = None) -> tuple[list[str], list[str]]:
    """Lines above and below a y position (the table), from image_to_data output."""
    above, below = [], []
    lines: dict = {}
    junk = _junk_lines(data)
    for i, word in enumerate(data["text"]):
        if word.strip():
            k = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            if k not in junk:
                lines.setdefault(k, []).append((data["top"][i], word.strip()))
                if words is not None:
                    words.append((_word(data, i), float(data["conf"][i])))
    for k in sorted(lines, key=lambda k: min(t for t, _ in lines[k])):
        words = lines[k]
        (above if min(t for t, _ in words) < split_y else below).append(" ".join(w for _, w in words))
    return above, below


def _layout_text(data: dict, words: list | None = None) -> str:
    """Rebuild lines (block/paragraph/line order) from image_to_data output.

    Words separated by a gap much wider than the line height are in different columns
    (the header block, the signature block): they become separate lines. Noise lines are left out
    (_junk_lines).
    """
    lines: list[str] = []
    current, key, last_right = [], None, None
    junk = _junk_lines(data)
    for i, word in enumerate(data["text"]):
        k = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if k != key:
            if current:
                lines.append(" ".join(current))
            current, key, last_right = [], k, None
        if not word.strip() or k in junk:
            continue
        left, height = data["left"][i], max(data["height"][i], 1)
        if last_right is not None and left - last_right > 3 * max(height, 20) and current:
            lines.append(" ".join(current))
            current = []
        current.append(word.strip())
        if words is not None:
            words.append((_word(data, i), float(data["conf"][i])))
        last_right = left + data["width"][i]
    if current:
        lines.append(" ".join(current))
    return "\n".join(lines)


REPAIR_BELOW = 90   # mean word confidence under which a page's tone marks are checked against compounds
LOW_DPI = 220        # a scan below this resolution (fax, 150-dpi copy) gets a despeckled second reading
LINES = True         # a page at risk is read again line by line (pipeline.reading.ingest.ocr_lines) ...
LINES_BELOW = 92.0   # ... when its mean word confidence is under this


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

    A page whose scan is low-resolution (under LOW_DPI) is read twice, as rendered and despeckled (3x3
    median, isolated toner specks painted out; tone marks kept, unlike a global threshold), and
    Tesseract's mean word confidence picks the reading; clean scans are read once, so easy pages do not
    pay for hard ones. The page keeps its reading in raw_text; repairs come later (pipeline.reading.ingest.repair)."""
    scale = DPI / 72
    width, height = page.get_size()
    if width * scale > 6000 or height * scale > 6000:    # posters and huge pages: cap the bitmap
        scale = 6000 / max(width, height)
    bitmap = page.render(scale=scale, grayscale=True)
    return ocr_rendered(bitmap.to_pil(), source_dpi(page), state)


def ocr_rendered(image, dpi: float | None, state: dict | None = None) -> Page:
    """OCR of a page image at 300 dpi whose scan had `dpi` (None: unknown); see ocr_page."""
    if is_blank(image):
        return Page(text="", ocr=False)
    state = state if state is not None else {}
    first_state, chosen_state = dict(state), None
    low = dpi is not None and dpi < LOW_DPI
    chosen = _read_image(image, first_state, low, None)
    chosen.prep, chosen.source_dpi = "gray", dpi
    chosen_state = first_state
    if low:
        alt_state = dict(state)
        alt = _read_image(despeckle(image), alt_state, True, image)
        alt.prep, alt.source_dpi = "despeckle", dpi
        if (alt.confidence or 0) > (chosen.confidence or 0):
            chosen, chosen_state = alt, alt_state
    # a low-resolution or doubtful page gets the repair stage (pipeline.reading.ingest.repair) once the whole
    # document is read; a clean page is left as read
    at_risk = low or (chosen.confidence is not None and chosen.confidence < REPAIR_BELOW)
    if at_risk and LINES and chosen.confidence is not None and chosen.confidence < LINES_BELOW:
        # a doubtful one has its lines read again one by one, the surer reading kept line by line
        chosen = reread_by_lines(chosen)
    chosen.__dict__.pop("_reading", None)
    state.clear()
    state.update(chosen_state)        # the table header the chosen reading saw, for the next page
    chosen.at_risk = at_risk
    chosen.raw_text = chosen.text
    return chosen


def flatten(g):
    """Paper made white and even: the page divided by its background (a wide median of a reduced copy,
    which text strokes do not survive), so grey paper, uneven light and a lamp's falloff go, ink stays."""
    import cv2
    import numpy as np
    h, w = g.shape
    small = cv2.resize(g, (max(1, w // 8), max(1, h // 8)), interpolation=cv2.INTER_AREA)
    bg = cv2.resize(cv2.medianBlur(small, 15), (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    return np.clip(g.astype(np.float32) / np.maximum(bg, 1.0) * 255.0, 0, 255).astype(np.uint8)


def despeckle(image, max_area: int = 90, reach: int = 12):
    """The page after a 3x3 median and flattening (see flatten) with toner specks painted out: dark specks of at most `max_area`
    pixels (at 300 dpi) that lie more than `reach` pixels from any larger mark. A tone mark, a dot or a
    comma sits next to its letter and is kept; the gray levels of the text are left as they are."""
    import cv2
    import numpy as np
    g = flatten(cv2.medianBlur(np.asarray(image.convert("L")), 3))
    _, bw = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(bw, connectivity=8)
    area = stats[:, cv2.CC_STAT_AREA]
    big = np.isin(labels, np.where(area > max_area)[0][1:]).astype(np.uint8)
    near = cv2.dilate(big, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * reach + 1, 2 * reach + 1)))
    small = (labels > 0) & (area[labels] <= max_area)
    touched = np.unique(labels[small & (near > 0)])
    speck = small & ~np.isin(labels, touched)
    out = g.copy()
    out[cv2.dilate(speck.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0] = 255
    from PIL import Image
    return Image.fromarray(out)


def is_blank(image, ink_share: float = 0.0005) -> bool:
    """A page with (almost) no dark pixels has nothing to OCR."""
    import numpy as np
    small = np.asarray(image.convert("L").resize((image.width // 4 or 1, image.height // 4 or 1)))
    return float((small < 128).mean()) < ink_share
