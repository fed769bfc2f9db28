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


def _peaks(profile: np.ndarray, threshold: float, gap: int = 6) -> list[int]:
    idx = np.where(profile >= threshold)[0]
    groups, start, prev = [], None, None
    for i in idx:
        if start is None:
            start = prev = i
        elif i - prev > gap:
            groups.append((start + prev) // 2)
            start = i
        prev = i
    if start is not None:
        groups.append((start + prev) // 2)
    return groups


def find_grid(gray: np.ndarray) -> Grid | None:
    """The ruled grid of a table page; on a light, noisy scan (thin rulings that a fixed dark threshold
    breaks up) a second look at the Otsu threshold after a 3x3 median."""
    grid = _find_grid(gray, gray < min(otsu(gray), 160))
    if grid is None:
        import cv2
        smooth = cv2.medianBlur(gray, 3)
        grid = _ruled(_find_grid(gray, smooth < otsu(smooth)))
    return grid


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
    rows = _peaks(horiz.sum(axis=1), w * 0.25)
    if len(rows) < 3:
        return None
    top, bottom = rows[0], rows[-1]
    vert = _runs(ink[top:bottom + 1], max(20, (bottom - top) // 30), axis=0)
    cols = _peaks(vert.sum(axis=0), (bottom - top) * 0.3)
    if len(cols) < 4 or len(cols) > 16 or min(np.diff(cols)) < 25:
        return None       # rulings closer than a letter is wide, or a score of them: noise, not a table
    rows = _open_ends(ink, rows, cols)
    return Grid(rows, cols, ink)


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


def ocr_table(image, grid: Grid, ocr_words) -> list[str]:
    """One line per row, cells joined by tabs; ocr_words(crop) -> text of a cell."""
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
