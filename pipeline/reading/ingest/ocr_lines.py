"""A bad page read again line by line (issue 23): the text lines found on the prepared page, each line
read on its own by Tesseract in single-line mode, and line by line the reading Tesseract is surer of kept.

Tesseract's page layout analysis goes wrong on a poor scan (a fax, a 150-dpi copy): specks and streaks
taken for text, a line cut in two or joined to the next. Each line crop read with `--psm 7` escapes
that. The lines are found here, not by Tesseract: on the page binarized after flattening (see
ocr.flatten), long rulings erased (table rulings, underlines, a fax's slanted streaks), specks, tone
marks and dots left out, the letters smeared along the row so that a line's letters join, and the
blobs of the smear taken as lines (a gap of many letters parts two columns, as in a plan's header).
A line's crop takes a margin above and below for its tone marks and dots, with the ink its edges cut
(the neighbouring lines' descenders and marks) painted out. The page reading is left alone on a
ruled table (read cell by cell, pipeline.reading.ingest.ocr_table) and where no line reading is surer.

Only pages at risk whose reading is doubtful get this (ocr.ocr_rendered): measured on the fax copies,
similarity 0.927 -> 0.934 (seed 000), 0.934 -> 0.937 (devset plan), 0.879 -> 0.889 (seed 003); on
pages Tesseract already reads with a mean confidence of 92 or more (150-dpi copies, phone photos)
the line readings' confidences are no better guide than the page's and cost a little accuracy.

The page reading and the line readings are both Tesseract's image_to_data output; the merge keeps the
page's dict shape (its block/paragraph/line keys for the words it replaces, boxes in page
coordinates), so the page text, its words and their confidences are built from it as before.
"""
from __future__ import annotations

from dataclasses import dataclass

LINE_CONFIG = "--oem 1 --psm 7"
NEW_LINE_MIN = 80.0     # a line the page reading missed altogether is added when read at least this surely
PAD = 10                # white border around a line crop (Tesseract reads a glyph touching the edge badly)


@dataclass
class Line:
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def box(self) -> tuple[int, int, int, int]:
        return self.x0, self.y0, self.x1, self.y1


def _ink(gray):
    """The page's ink as a 0/1 mask: 3x3 median, flattened paper, Otsu."""
    import cv2

    from .ocr import flatten
    g = flatten(cv2.medianBlur(gray, 3))
    _, bw = cv2.threshold(g, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return bw


def erase_long_rulings(bw, reach: int = 120):
    """The mask with long straight strokes taken out: horizontal or vertical runs of ink at least `reach`
    pixels long (table rulings, a heading's underline) and long thin segments at a slant (a fax's scan
    streaks, horizontal on the scan, slanted once the page is deskewed); letters are far shorter."""
    import cv2
    import numpy as np
    horiz = cv2.morphologyEx(bw, cv2.MORPH_OPEN, np.ones((1, reach), np.uint8))
    vert = cv2.morphologyEx(bw, cv2.MORPH_OPEN, np.ones((reach, 1), np.uint8))
    rulings = horiz | vert
    small = cv2.resize(bw, (bw.shape[1] // 2, bw.shape[0] // 2), interpolation=cv2.INTER_NEAREST)
    segs = cv2.HoughLinesP(small * 255, 1, np.pi / 720, threshold=150, minLineLength=3 * reach // 2, maxLineGap=4)
    for x0, y0, x1, y1 in (segs.reshape(-1, 4) if segs is not None else []):
        if abs(y1 - y0) <= 0.12 * abs(x1 - x0):            # within 7 degrees of the row
            cv2.line(rulings, (int(x0) * 2, int(y0) * 2), (int(x1) * 2, int(y1) * 2), 1, 3)
    rulings = cv2.dilate(rulings, np.ones((3, 3), np.uint8))
    return bw & (1 - rulings)


def find_lines(image, min_area: int = 30) -> list[Line]:
    """Text lines of a deskewed page image (PIL or array, 300 dpi) as boxes in its coordinates, top to
    bottom; two columns side by side are two lines. Rulings and specks are no lines."""
    import cv2
    import numpy as np
    gray = np.asarray(image.convert("L")) if hasattr(image, "convert") else np.asarray(image)
    bw = erase_long_rulings(_ink(gray))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(bw, connectivity=8)
    if n <= 1:
        return []
    st = stats[1:]
    area, hgt, wid = st[:, cv2.CC_STAT_AREA], st[:, cv2.CC_STAT_HEIGHT], st[:, cv2.CC_STAT_WIDTH]
    # the letters: neither specks nor blots (a stamp, a photo, a ruling's remnant)
    glyph = (area >= min_area) & (hgt >= 8) & (hgt <= 150) & (wid <= 400)
    if not glyph.any():
        return []
    size = float(np.median(hgt[glyph & (hgt >= 15)])) if (glyph & (hgt >= 15)).any() else float(np.median(hgt[glyph]))
    # the letters, tone marks and dots left out (they join no line along the row; the crop takes them)
    letters = np.zeros(n, np.uint8)
    letters[1:][glyph & (hgt >= 0.6 * size)] = 1
    mask = letters[labels]
    # the letters of a word and the words of a line joined along the row; not across a column's gap
    reach = max(9, int(round(2.0 * size)))
    smear = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((1, reach), np.uint8))
    m, _, lst, _ = cv2.connectedComponentsWithStats(smear, connectivity=8)
    out = []
    x0s, y0s = st[:, cv2.CC_STAT_LEFT], st[:, cv2.CC_STAT_TOP]
    cy = y0s + hgt / 2
    for x, y, w, h in (list(map(int, s[:4])) for s in lst[1:]):
        if h < 0.6 * size or (w < size and h < size and w * h < 2 * size * size):
            continue                    # a lone letter-sized blob: a bullet, a page's stray mark
        # the marks at either end of the line (a bullet's dash, a closing quote, a period) belong to it
        ends = glyph & (cy >= y) & (cy <= y + h) & (x0s + wid >= x - h) & (x0s <= x + w + h)
        if ends.any():
            x, w = min(x, int(x0s[ends].min())), max(x + w, int((x0s + wid)[ends].max())) - min(x, int(x0s[ends].min()))
        out.extend(_split_tall(bw, Line(x, y, x + w, y + h), size))
    out.sort(key=lambda ln: (ln.y0, ln.x0))
    return out


def _split_tall(bw, line: Line, size: float) -> list[Line]:
    """A box more than two lines tall (lines whose letters touch, a fax's blur) cut at the emptiest rows."""
    import numpy as np
    h = line.y1 - line.y0
    pitch = 1.9 * size                     # a line's height with its tone marks, about
    k = int(round(h / pitch))
    if h < 2.4 * size or k < 2:
        return [line]
    prof = bw[line.y0:line.y1, line.x0:line.x1].sum(axis=1).astype(float)
    cuts, step = [], h / k
    for i in range(1, k):
        lo, hi = int(i * step - step / 3), int(i * step + step / 3)
        cuts.append(lo + int(np.argmin(prof[lo:hi])))
    ys = [0] + cuts + [h]
    return [Line(line.x0, line.y0 + a, line.x1, line.y0 + b) for a, b in zip(ys, ys[1:]) if b - a >= 0.5 * size]


def tesseract_batch(images: list, config: str = LINE_CONFIG) -> list[dict]:
    """image_to_data of many small images in one Tesseract run (the model is loaded once): the images
    are listed in a text file, which Tesseract reads as pages. One dict per image, in order."""
    import os
    import tempfile

    import pytesseract
    if not images:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        names = []
        for i, im in enumerate(images):
            name = os.path.join(tmp, f"l{i:04d}.pgm")
            im.convert("L").save(name)
            names.append(name)
        listing = os.path.join(tmp, "lines.txt")
        with open(listing, "w") as f:
            f.write("\n".join(names) + "\n")
        data = pytesseract.image_to_data(listing, lang="vie", config=config, output_type=pytesseract.Output.DICT)
    out = [{k: [] for k in data} for _ in images]
    for i in range(len(data["text"])):
        p = int(data["page_num"][i]) - 1
        if 0 <= p < len(out):
            for k in data:
                out[p][k].append(data[k][i])
    return out


def _words(data: dict) -> list[int]:
    return [i for i, w in enumerate(data["text"]) if str(w).strip() and float(data["conf"][i]) >= 0]


def _mean(confs: list[float]) -> float:
    return sum(confs) / len(confs) if confs else -1.0


def crop_line(image, line: Line):
    """The line's crop of the page with a margin above and below for its tone marks, on a white border."""
    from PIL import Image, ImageOps
    h = line.y1 - line.y0
    up, down = max(6, int(0.45 * h)), max(4, int(0.2 * h))      # tone marks above, dots below
    side = 8
    box = (max(0, line.x0 - side), max(0, line.y0 - up), min(image.width, line.x1 + side), min(image.height, line.y1 + down))
    crop = image.crop(box)
    crop = _clear_edges(crop)
    return ImageOps.expand(crop, border=PAD, fill=255) if isinstance(crop, Image.Image) else crop, (box[0] - PAD, box[1] - PAD)


def _clear_edges(crop):
    """The crop with the ink that its top or bottom edge cuts (the descenders of the line above, the
    tone marks of the line below) painted white."""
    import cv2
    import numpy as np
    from PIL import Image
    g = np.asarray(crop.convert("L"))
    if g.shape[0] < 4 or g.shape[1] < 4:
        return crop
    _, bw = cv2.threshold(g, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, labels = cv2.connectedComponents(bw, connectivity=8)
    cut = np.setdiff1d(np.union1d(labels[0], labels[-1]), [0])
    if not len(cut):
        return crop
    out = g.copy()
    out[np.isin(labels, cut)] = 255
    return Image.fromarray(out)


def reread_lines(image, data: dict) -> tuple[dict, dict]:
    """The page reading `data` (image_to_data of `image`) with each found line's words replaced by the
    line read alone where Tesseract's mean word confidence there is higher. Returns the merged data
    and a summary (lines found, read, kept)."""
    lines = find_lines(image)
    summary = {"lines": len(lines), "kept": 0, "added": 0, "decisions": []}
    if not lines:
        return data, summary
    crops, offsets = [], []
    for ln in lines:
        crop, off = crop_line(image, ln)
        crops.append(crop)
        offsets.append(off)
    readings = tesseract_batch(crops, LINE_CONFIG)
    page_words = _words(data)
    centre = {i: (data["left"][i] + data["width"][i] / 2, data["top"][i] + data["height"][i] / 2) for i in page_words}
    taken: set[int] = set()
    plan = []                     # (line index, page word indexes it replaces, its reading)
    for li, (ln, rd, off) in enumerate(zip(lines, readings, offsets)):
        own = [i for i in page_words if i not in taken and ln.x0 - 4 <= centre[i][0] <= ln.x1 + 4
               and ln.y0 - 2 <= centre[i][1] <= ln.y1 + 2]
        taken.update(own)
        lw = _words(rd)
        if not lw:
            summary["decisions"].append((ln, own, None, None, False))
            continue
        line_conf = _mean([float(rd["conf"][j]) for j in lw])
        page_conf = _mean([float(data["conf"][i]) for i in own])
        keep = (line_conf > page_conf if own else
                line_conf >= NEW_LINE_MIN and sum(c.isalnum() for j in lw for c in str(rd["text"][j])) >= 3)
        if keep:
            plan.append((li, own, rd, off))
        summary["decisions"].append((ln, own, round(page_conf, 1), round(line_conf, 1), keep))
    if not plan:
        return data, summary
    return _merge(data, plan, lines, summary), summary


def _merge(data: dict, plan: list, lines: list[Line], summary: dict) -> dict:
    """A new image_to_data dict: for each planned line its page words out and its own words in, each at
    the place and under the block/paragraph/line key of the page words beside it (a found line across
    two of the page's blocks, the two columns of a plan's header, stays two lines in their order); a
    line the page missed goes after the page line just above it, as a line of its own."""
    keys = list(data)
    n = len(data["text"])
    drop: set[int] = set()
    insert_at: dict[int, list[dict]] = {}        # index in data -> rows to put before it

    def key(i):
        return data["block_num"][i], data["par_num"][i], data["line_num"][i]
    for li, own, rd, (dx, dy) in plan:
        lw = _words(rd)
        if own:
            drop.update(own)
            summary["kept"] += 1
            groups = {}
            for i in own:
                groups.setdefault(key(i), []).append(i)
            for j in lw:
                cx = int(rd["left"][j]) + dx + int(rd["width"][j]) / 2
                i = min(own, key=lambda i: max(0, data["left"][i] - cx, cx - data["left"][i] - data["width"][i]))
                at = min(groups[key(i)])
                insert_at.setdefault(at, []).append(_row(rd, j, keys, key(i), dx, dy, data))
            continue
        ln = lines[li]
        above = [i for i in _words(data) if data["top"][i] + data["height"][i] <= ln.y0 + 4
                 and data["left"][i] < ln.x1 and data["left"][i] + data["width"][i] > ln.x0]
        if above:
            k = key(max(above, key=lambda i: data["top"][i]))
            at = max(i for i in range(n) if key(i) == k) + 1
        else:
            k, at = (0, 0, 0), 0
        summary["added"] += 1
        for j in lw:
            insert_at.setdefault(at, []).append(_row(rd, j, keys, (k[0], k[1], 10000 + li), dx, dy, data))
    out = {k: [] for k in keys}
    for i in range(n + 1):
        for row in insert_at.get(i, []):
            for k in keys:
                out[k].append(row.get(k, {} if k == "alternatives" else -1))
        if i < n and i not in drop:
            for k in keys:
                out[k].append(data[k][i])
    return out


def _row(rd: dict, j: int, keys: list, k: tuple, dx: int, dy: int, data: dict) -> dict:
    """Word j of a line reading as a row of the page reading: under key k, its box in page coordinates."""
    row = {name: rd[name][j] for name in keys if name in rd}
    row.update(block_num=k[0], par_num=k[1], line_num=k[2], page_num=data["page_num"][0] if data["page_num"] else 1,
               left=int(rd["left"][j]) + dx, top=int(rd["top"][j]) + dy)
    return row
