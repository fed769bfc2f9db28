"""Ruled tables in scanned pages: find the grid lines, OCR cell by cell, one tab-separated line per row."""
from __future__ import annotations

from dataclasses import dataclass

import re

import numpy as np


@dataclass
class Grid:
    rows: list[int]          # y of horizontal rulings, top to bottom
    cols: list[int]          # x of vertical rulings, left to right
    ink: np.ndarray          # boolean dark-pixel mask

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        return self.cols[0], self.rows[0], self.cols[-1], self.rows[-1]


def otsu(gray: np.ndarray) -> int:
    """Otsu's threshold (OpenCV): pixels at or below it are ink."""
    import cv2
    t, _ = cv2.threshold(np.ascontiguousarray(gray, dtype=np.uint8), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return int(t)


def _runs(mask: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Pixels lying on a straight dark run of at least `length` along axis."""
    m = mask.astype(np.int32)
    c = np.cumsum(m, axis=axis)
    pad = [(0, 0), (0, 0)]
    pad[axis] = (1, 0)
    c = np.pad(c, pad)
    if axis == 1:
        win = c[:, length:] - c[:, :-length]
        out = np.zeros_like(mask)
        out[:, length // 2: length // 2 + win.shape[1]] = win >= length * 0.9
    else:
        win = c[length:, :] - c[:-length, :]
        out = np.zeros_like(mask)
        out[length // 2: length // 2 + win.shape[0], :] = win >= length * 0.9
    return out


def _peaks(profile: np.ndarray, threshold: float, gap: int = 6, thickest: int = 24) -> list[int]:
    """Centres of the runs of profile >= threshold; a run thicker than `thickest` pixels is a dark band
    (the background around a photographed page, a black scanner edge), not a ruling."""
    idx = np.where(profile >= threshold)[0]
    groups, start, prev = [], None, None
    for i in list(idx) + [None]:
        if start is not None and (i is None or i - prev > gap):
            if prev - start <= thickest:
                groups.append((start + prev) // 2)
            start = None
        if i is None:
            break
        if start is None:
            start = i
        prev = i
    return groups


def _order(quad: np.ndarray) -> np.ndarray:
    """Four points as top-left, top-right, bottom-right, bottom-left."""
    s, d = quad.sum(axis=1), quad[:, 0] - quad[:, 1]
    return np.float32([quad[np.argmin(s)], quad[np.argmax(d)], quad[np.argmax(s)], quad[np.argmin(d)]])


def table_homography(gray: np.ndarray, tolerance: float = 4.0) -> np.ndarray | None:
    """The perspective that squares up a photographed page, taken from its table's outer rulings.

    A phone held at an angle turns the page's rectangles into quadrilaterals: rulings lean and a grid
    of straight runs is lost. The table's border is the one rectangle a plan page is sure to print, so
    frame of long ruled lines with the most cells (OpenCV morphology on an adaptive threshold, contours
    with their holes; the paper's edge frames one hole, not many) gives four corners, and the homography that maps
    them to a rectangle of the same mean sides squares up the whole page (one plane, one homography).
    None when there is no such frame, when it is already square within `tolerance` pixels, or when its
    corners are off by more than a hand-held tilt makes (4 % of its size: a frame broken by noise)."""
    import cv2
    h, w = gray.shape
    bw = _local_ink(cv2.medianBlur(np.ascontiguousarray(gray, dtype=np.uint8), 3)).astype(np.uint8) * 255
    horiz = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(40, w // 30), 1)))
    vert = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(40, h // 40))))
    # a copy of a copy breaks rulings into dashes: bridge the gaps along each ruling's direction
    horiz = cv2.morphologyEx(horiz, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (max(40, w // 15), 1)))
    vert = cv2.morphologyEx(vert, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(40, h // 20))))
    lines = cv2.dilate(horiz | vert, np.ones((5, 5), np.uint8))
    contours, hierarchy = cv2.findContours(lines, cv2.RETR_TREE, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return None
    parents = hierarchy[0][:, 3]
    cells = np.bincount(parents[parents >= 0], minlength=len(contours))
    best = None
    for i, c in enumerate(contours):
        # a table is a frame with cells (holes) inside; the paper's edge frames one hole, the page
        if cells[i] >= 4 and cv2.contourArea(c) >= 0.08 * h * w and (best is None or cells[i] > cells[best]):
            best = i
    if best is None:
        return None
    hull = cv2.convexHull(contours[best])
    quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True).reshape(-1, 2)
    if len(quad) != 4:
        return None
    src = _order(quad.astype(np.float32))
    width = (np.linalg.norm(src[1] - src[0]) + np.linalg.norm(src[2] - src[3])) / 2
    height = (np.linalg.norm(src[3] - src[0]) + np.linalg.norm(src[2] - src[1])) / 2
    x0, y0 = src[:, 0].mean() - width / 2, src[:, 1].mean() - height / 2
    dst = np.float32([[x0, y0], [x0 + width, y0], [x0 + width, y0 + height], [x0, y0 + height]])
    shift = np.abs(src - dst).max()
    if shift <= tolerance or shift > 0.04 * max(width, height):
        return None             # square already, or no table frame seen at a hand-held angle: left as is
    return cv2.getPerspectiveTransform(src, dst)


def find_grid(gray: np.ndarray, thorough: bool = False) -> Grid | None:
    """The ruled grid of a table page, the most complete of up to three looks: a fixed dark threshold;
    on a light, noisy scan (thin rulings that it breaks up) the Otsu threshold after a 3x3 median; under
    uneven light (a phone photo) a local threshold. The two later looks keep only rulings drawn along
    their whole span (noise makes none), and are taken when the first finds nothing or, `thorough`, on
    a poor page (a clean scan's grid is whole at the first look, so easy pages do not pay for them)."""
    import cv2
    first = _find_grid(gray, gray < min(otsu(gray), 160))
    if first is not None and not thorough:
        return first
    smooth = cv2.medianBlur(np.ascontiguousarray(gray, dtype=np.uint8), 3)
    grids = [first, _ruled(_find_grid(gray, smooth < otsu(smooth))), _ruled(_find_grid(gray, _local_ink(smooth)))]
    grids = [g for g in grids if g is not None]
    # the most complete grid: under uneven light a global threshold loses the rulings on the lit side
    return max(grids, key=lambda g: len(g.rows) * len(g.cols), default=None)


def _local_ink(smooth: np.ndarray) -> np.ndarray:
    """Dark against the neighbourhood (adaptive mean threshold): thin rulings under uneven light."""
    import cv2
    return cv2.adaptiveThreshold(smooth, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15) > 0


def _ruled(grid: Grid | None, cover: float = 0.85) -> Grid | None:
    """The grid with only rulings drawn along (almost) their whole span: on a noisy page a scan-line
    streak, the edge of the paper or a column of text can pass for one ruling, not for a grid."""
    if grid is None:
        return None
    ink, (x0, y0, x1, y1) = grid.ink, grid.bbox
    cols = [x for x in grid.cols if ink[y0:y1, max(0, x - 2):x + 3].any(axis=1).mean() >= cover]
    rows = [y for y in grid.rows if ink[max(0, y - 2):y + 3, x0:x1].any(axis=0).mean() >= cover]
    return Grid(rows, cols, ink) if len(rows) >= 3 and len(cols) >= 4 else None


def _find_grid(gray: np.ndarray, ink: np.ndarray) -> Grid | None:
    h, w = ink.shape
    horiz = _runs(ink, max(40, w // 25), axis=1)
    reach = max(40, w // 25) // 2 + 12        # _runs marks a run's middle: its ends lie half a window out
    rows = [y for y in _peaks(horiz.sum(axis=1), w * 0.25) if _paper_beside(ink, y, axis=0)]
    if len(rows) < 3:
        return None
    top, bottom = rows[0], rows[-1]
    left, right = _span(horiz, rows)
    vert = _runs(ink[top:bottom + 1], max(20, (bottom - top) // 30), axis=0)
    cols = [x for x in _peaks(vert.sum(axis=0), (bottom - top) * 0.3)
            if _paper_beside(ink[top:bottom + 1], x, axis=1) and left - reach <= x <= right + reach]
    if len(cols) < 4 or len(cols) > 16 or min(np.diff(cols)) < 25:
        return None       # rulings closer than a letter is wide, or a score of them: noise, not a table
    rows = _open_ends(ink, rows, cols)
    return Grid(rows, cols, ink)


def _paper_beside(ink: np.ndarray, at: int, axis: int, reach: int = 12) -> bool:
    """A ruling has paper on both sides; the edge of the paper or of a dark band has it on one side only
    (beyond the image counts as dark)."""
    size = ink.shape[axis]
    for pos in (at - reach, at + reach):
        if not 0 <= pos < size:
            return False
        line = ink[pos] if axis == 0 else ink[:, pos]
        if line.mean() > 0.5:
            return False
    return True


def _span(horiz: np.ndarray, rows: list[int]) -> tuple[int, int]:
    """Where the table's horizontal rulings begin and end (the median over its rulings): a vertical line
    beyond them (the paper's edge, a margin mark) is no column of the table."""
    ends = []
    for y in rows:
        xs = np.where(horiz[max(0, y - 3):y + 4].any(axis=0))[0]
        if xs.size:
            ends.append((xs[0], xs[-1]))
    if not ends:
        return 0, horiz.shape[1]
    return int(np.median([a for a, _ in ends])), int(np.median([b for _, b in ends]))


def _open_ends(ink: np.ndarray, rows: list[int], cols: list[int]) -> list[int]:
    """A row split across pages has no closing ruling: follow the vertical rulings past the last one."""
    h = ink.shape[0]

    def on_lines(y: int) -> bool:
        return sum(ink[y, max(0, x - 3):x + 4].any() for x in cols) >= len(cols) * 0.6

    y = rows[-1] + 1
    while y < h and on_lines(y):
        y += 1
    if y - rows[-1] > 25:
        rows = rows + [y - 1]
    y = rows[0] - 1
    while y >= 0 and on_lines(y):
        y -= 1
    if rows[0] - y > 25:
        rows = [y + 1] + rows
    return rows


def _has_vline(grid: Grid, x: int, y0: int, y1: int) -> bool:
    band = grid.ink[y0 + 4:y1 - 3, max(0, x - 3):x + 4]
    return band.size > 0 and band.any(axis=1).mean() > 0.6


def cells(grid: Grid) -> list[list[tuple[int, int, int, int]]]:
    """Cell boxes per row band; a missing vertical ruling merges neighbours (group rows)."""
    out = []
    for y0, y1 in zip(grid.rows, grid.rows[1:]):
        if y1 - y0 < 12:
            continue
        row, x_start = [], grid.cols[0]
        for x in grid.cols[1:-1]:
            if _has_vline(grid, x, y0, y1):
                row.append((x_start, y0, x, y1))
                x_start = x
        row.append((x_start, y0, grid.cols[-1], y1))
        out.append(row)
    return out


_EDGE_NOISE_END = re.compile(r"(?:\s+[_:;|.,'\-~—=])+$")
_EDGE_NOISE_START = re.compile(r"^(?:[_:;|.,'\-~—=]\s+)+")
_LONE_MARK = re.compile(r"(?<=\s)_+(?=\s)|^_+|_+$")


def _clean_cell(text: str) -> str:
    """Drop ruling-line debris that OCR reads as stray punctuation at a cell's edges."""
    text = _LONE_MARK.sub("", text)
    text = _EDGE_NOISE_END.sub("", _EDGE_NOISE_START.sub("", text))
    return " ".join(text.split())


def _inked_rows(ink: np.ndarray) -> int:
    """Pixel rows carrying several dark pixels: text lines give dozens, noise specks a few."""
    return int((ink.sum(axis=1) >= 4).sum())


def erase_rulings(image, grid: Grid, length: int = 120):
    """The page with its ruled lines painted white: dark runs of at least `length` pixels (1 cm at 300
    dpi; no letter or dash is that long) across or down, widened by 2 pixels for their blurred edges."""
    import cv2
    from PIL import Image
    ink = grid.ink.astype(np.uint8)
    lines = (cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
             | cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length))))
    out = np.asarray(image.convert("L")).copy()
    out[cv2.dilate(lines, np.ones((5, 5), np.uint8)) > 0] = 255
    return Image.fromarray(out)


def ocr_table(image, grid: Grid, ocr_words) -> list[str]:
    """One line per row, cells joined by tabs; ocr_words(crop) -> text of a cell. The rulings are
    painted out first: a ruling's remnant at a cell's edge (a skewed or bent grid) reads as letters."""
    image = erase_rulings(image, grid)
    lines = []
    for row in cells(grid):
        texts = []
        for x0, y0, x1, y1 in row:
            if x1 - x0 < 30 or y1 - y0 < 20:                 # two rulings found for one: no room for text
                texts.append("")
                continue
            crop = image.crop((x0 + 8, y0 + 7, x1 - 6, y1 - 6))
            ink = grid.ink[y0 + 7:y1 - 6, x0 + 8:x1 - 6]
            if ink.size == 0 or _inked_rows(ink) < 12:      # empty cell: only specks
                texts.append("")
                continue
            texts.append(_clean_cell(" ".join(ocr_words(crop).split())))
        lines.append("\t".join(texts).rstrip("\t"))
    return [ln for ln in lines if ln.strip()]
