"""Tables as tables: the tab-separated row blocks of a normalized text read as grids.

Every source reaches the extractors as tab-separated rows (markdown pipe tables, the legal portals'
one-cell-per-line layout, DOCX and PDF tables, OCR'd grids), so one reader serves them all. A grid has
header rows (merged cells spread over the columns below them), a column-numbering row, group rows
(a label and no values: "1 | Cà Phê") and body rows; a body row shorter than the table sits under a
cell merged from the row above (its left cells), unless it opens with its own STT number.

Each column gets a role from its header:
- `stt`, `label`, `unit` (ĐVT), `time` (Thời gian, Tiến độ), `agency` (chủ trì, phối hợp),
- `value`: a planned value (a year, Kế hoạch, Mục tiêu, Chỉ tiêu, Kết quả cần đạt, Số lượng, Tổng số,
  or a unit in brackets: "Lượng (Tấn)") over cells that are mostly numbers,
- `actual`: an estimate or a current figure (ƯTH, Ước thực hiện, Thực hiện 2024, Hiện trạng, năm gốc),
- `coordinate` (Tọa độ, X, Y), and `other`.

`table_targets` gives one target per number in a `value` column.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import regex

from ...rules import Rules
from .spans import after_last, first_of

_NUM = r"\d{1,3}(?:[.,]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
VALUE_CELL = regex.compile(rf"^(?P<cmp>≥|>=|≤|<=|>|<|=)?\s*(?P<num>{_NUM})\s*(?P<pct>%)?$")
STT_CELL = regex.compile(r"^(?:[IVXLC]{1,6}|\d{1,3}(?:\.\d{1,3}){0,3}|[a-zđA-Z]|[-+*•–])[.)]?$")
_TOTAL = regex.compile(r"(?i)^(?:tổng|cộng)\b")
_BULLET = regex.compile(r"^[-+*•–]\s*")
_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")



def grid_columns(rules: Rules) -> list[tuple[str, "regex.Pattern"]]:
    """The sections table's grid_columns compiled: (role, pattern on the case-folded header), in order."""
    return rules.compiled(_compile_columns)


def _compile_columns(rules: Rules) -> list[tuple[str, "regex.Pattern"]]:
    return [(c["role"], regex.compile(c["regex"])) for c in rules.table("sections").get("grid_columns") or ()]


_NOT_UNIT = regex.compile(r"(?i)^(?:dự\s+kiến|ước|nếu\s+có|tạm\s+tính|lũy\s+kế|\d.*)$")


@dataclass
class Cell:
    text: str
    start: int
    end: int
    col: int


@dataclass
class Row:
    cells: list[Cell]
    start: int
    end: int
    kind: str = "body"            # header, numbering, group, body
    aligned_right: bool = False   # under a cell merged from the row above

    def at(self, col: int) -> Cell | None:
        return next((c for c in self.cells if c.col == col), None)


@dataclass
class Grid:
    start: int
    end: int
    rows: list[Row]
    width: int
    parts: list[list[str]] = field(default_factory=list)   # per column: the header cells above it, top first
    roles: list[str] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return [" ".join(p) for p in self.parts]


def _cells(line: str, base: int) -> list[Cell]:
    out, pos = [], base
    for i, part in enumerate(line.split("\t")):
        lead = len(part) - len(part.lstrip())
        out.append(Cell(part.strip(), pos + lead, pos + lead + len(part.strip()), i))
        pos += len(part) + 1
    return out


def _is_numbering(cells: list[Cell]) -> bool:
    """A row that numbers the columns ("1 | 2 | 3 ... 11"), under the header."""
    vals = [c.text for c in cells if c.text]
    return len(vals) >= 3 and all(v.isdigit() for v in vals) and [int(v) for v in vals] == list(
        range(int(vals[0]), int(vals[0]) + len(vals)))


def _has_value(cells: list[Cell]) -> bool:
    return any(VALUE_CELL.match(c.text) for c in cells[1:])


def blocks(text: str) -> list[tuple[int, int]]:
    """Spans of two or more consecutive lines holding a tab (a page break does not end a table)."""
    out, start, end, n = [], None, None, 0
    for m in regex.finditer(r"[^\n\f]+", text):
        if "\t" in m.group():
            if start is None:
                start, n = m.start(), 0
            end, n = m.end(), n + 1
            continue
        if start is not None and n >= 2:
            out.append((start, end))
        start = None
    if start is not None and n >= 2:
        out.append((start, end))
    return out


def read_grid(text: str, start: int, end: int, columns) -> Grid:
    """The table in text[start:end] as a grid: header, numbering, body and group rows, each column's role
    told by `columns` (grid_columns)."""
    lines = [(m.group(), m.start()) for m in regex.finditer(r"[^\n\f]+", text[start:end]) if "\t" in m.group()]
    rows = [Row(_cells(line, start + off), start + off, start + off + len(line)) for line, off in lines]
    rows = [r for r in rows if any(c.text for c in r.cells)]
    width = max((len(r.cells) for r in rows), default=0)
    grid = Grid(start, end, rows, width)
    in_header = True
    for r in rows:
        first = r.cells[0].text
        if _is_numbering(r.cells):
            r.kind = "numbering"
            continue
        if in_header and not STT_CELL.match(first) and not _has_value(r.cells):
            r.kind = "header"
            continue
        in_header = False
        if len(r.cells) < width and not STT_CELL.match(first):
            r.aligned_right = True       # its left cells are merged (from the row above, or across)
            shift = width - len(r.cells)
            for c in r.cells:
                c.col += shift
        r.kind = "body" if _has_value(r.cells) else "group"
    _spread_headers(grid)
    _assign_roles(grid, columns)
    return grid


def _spread_headers(grid: Grid) -> None:
    """Each column's header text. The lowest header row, when shorter than the table, stands over its last
    columns; a row above it keeps its first cells over the columns to their left (merged downwards) and
    spreads its other cells evenly over the columns the lower row covers (merged across)."""
    n = grid.width
    head = [r for r in grid.rows if r.kind == "header"]
    cols: list[list[str]] = [[] for _ in range(n)]
    if not head:
        grid.parts = cols
        return
    low = head[-1]
    low_cols = list(range(n - len(low.cells), n)) if len(low.cells) < n and len(head) > 1 else list(range(len(low.cells)))
    for r in head[:-1]:
        if len(r.cells) >= n:
            for i, c in enumerate(r.cells[:n]):
                cols[i].append(c.text)
            continue
        left = n - len(low.cells)
        for i, c in enumerate(r.cells[:left]):
            cols[i].append(c.text)
        rest = r.cells[left:]
        if rest:
            w = max(1, len(low.cells) // len(rest))
            for j, c in enumerate(rest):
                span = range(left + j * w, n if j == len(rest) - 1 else left + (j + 1) * w)
                for i in span:
                    cols[i].append(c.text)
    for i, c in zip(low_cols, low.cells):
        cols[i].append(c.text)
    if len(head) == 1 and len(low.cells) < n and low.cells:   # one short header: its last cell spans the rest
        for i in range(len(low.cells), n):
            cols[i].append(low.cells[-1].text)
    grid.parts = cols


def _assign_roles(grid: Grid, columns) -> None:
    body = [r for r in grid.rows if r.kind in ("body", "group")]
    roles = []
    for i, h in enumerate(grid.headers):
        cells = [c.text for r in body if (c := r.at(i)) is not None and c.text]
        numeric = sum(bool(VALUE_CELL.match(t)) for t in cells)
        low = h.casefold()
        role = next((name for name, rx in columns if rx.search(low)), "other")
        if role == "value" and (not cells or numeric < 0.5 * len(cells)):
            role = "other"
        if role == "other" and cells and all(STT_CELL.match(t) for t in cells) and i == 0:
            role = "stt"
        roles.append(role)
    label = next((i for i, r in enumerate(roles) if r == "other"), None)
    if label is not None:
        roles[label] = "label"
    grid.roles = roles


def header_unit(header: str) -> str | None:
    """The unit a column header names: "Lượng (Tấn)" -> tấn, "Số lượng mẫu/lần" -> mẫu/lần, "(%)" -> %."""
    for m in reversed(list(regex.finditer(r"\(([^()]{1,30})\)", header))):
        u = m.group(1).strip()
        if not _NOT_UNIT.match(u) and len(u.split()) <= 3:
            return "%" if u in ("%", "tỷ lệ %") else u.casefold()
    if m := regex.search(r"(?i)số\s+lượng\s+(\p{L}[\p{L}/ ]{0,20})$", header.strip()):
        return m.group(1).strip().casefold()
    if regex.search(r"(?i)tỷ\s+lệ|%", header):
        return "%"
    return None


def _subject(own: str) -> str:
    """What a value column counts: its own (lowest) header cell without its unit, years and plan words
    ("Nguồn nước cấp nuôi tôm (vị trí)" under the merged "Đối tượng quan trắc" -> "Nguồn nước cấp nuôi tôm")."""
    s = regex.sub(r"\([^()]*\)", " ", own)
    s = regex.sub(r"(?i)\b(?:kế\s+hoạch|mục\s+tiêu|chỉ\s+tiêu|giai\s+đoạn|năm)\b|"
                  r"(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?", " ", s)
    return regex.sub(r"\s+", " ", s).strip(" -–,")


@dataclass
class TableCell:
    """A planned value read from its cell, with what the row and column say about it."""
    value: float
    unit: str
    comparator: str
    population: str
    period: str | None
    deadline: tuple[date | None, date | None]
    sentence: str
    start: int
    end: int


def row_sentence(row: Row, keep: Cell | None = None, limit: int = 600) -> str:
    """The row's cells, " | " between them; past `limit` the longest cells go first (never `keep`)."""
    cells = [c for c in row.cells if c.text]
    text = " | ".join(c.text for c in cells)
    while len(text) > limit and len(cells) > 1:
        drop = max((c for c in cells if c is not keep), key=lambda c: len(c.text))
        cells.remove(drop)
        text = " | ".join(c.text for c in cells)
    return text[:limit]


def _label(row: Row, roles: list[str]) -> str:
    cell = next((c for c in row.cells if c.col < len(roles) and roles[c.col] == "label" and c.text), None)
    if cell is None:
        cell = next((c for c in row.cells if regex.search(r"\p{L}{2,}", c.text) and not STT_CELL.match(c.text)
                     and (c.col >= len(roles) or roles[c.col] not in ("unit", "value", "actual"))), None)
    if cell is None:
        return ""
    return _BULLET.sub("", cell.text.split(":")[0]).strip()


def read_grids(text: str, rules: Rules) -> list[Grid]:
    """Every table of the text, as a grid, its columns told by the rules' grid_columns."""
    columns = grid_columns(rules)
    return [read_grid(text, a, b, columns) for a, b in blocks(text)]


def table_targets(text: str, to_float, blocked, grids: list[Grid]) -> list[TableCell]:
    """One target per planned-value cell of every grid (read_grids), outside `blocked` (anything supporting `in`)."""
    out: list[TableCell] = []
    for grid in grids:
        if "value" not in grid.roles:
            continue
        unit_col = grid.roles.index("unit") if "unit" in grid.roles else None
        parent = ""        # the label of the last row that is neither a bullet row nor under a merged cell
        for r in grid.rows:
            if r.kind not in ("body", "group"):
                continue
            label = _label(r, grid.roles)
            bullet = bool(r.cells and _BULLET.fullmatch(r.cells[0].text))
            if r.aligned_right and not _TOTAL.match(label):
                pop = parent                           # under the object cell merged from the row above
            elif bullet and parent:
                pop = f"{parent} ({label[:1].lower() + label[1:]})" if label else parent
            else:
                pop = parent = label or parent
            if r.kind == "group":
                continue
            row_unit = None
            if unit_col is not None and (uc := r.at(unit_col)) is not None and regex.search(r"\p{L}|%", uc.text):
                row_unit = "%" if "%" in uc.text else uc.text.casefold()
            for c in r.cells:
                if c.col >= len(grid.roles) or grid.roles[c.col] != "value" or c.start in blocked:
                    continue
                m = VALUE_CELL.match(c.text)
                if not m:
                    continue
                header = grid.headers[c.col]
                unit = "%" if m.group("pct") else (row_unit or header_unit(header))
                if not unit and regex.match(r"(?i)tỷ\s+lệ", label):
                    unit = "%"
                if not unit:
                    continue
                value = to_float(m.group("num"))
                if unit == "%" and value > 100:
                    continue
                cmp = {"≥": ">=", ">=": ">=", ">": ">", "≤": "<=", "<=": "<=", "<": "<=", "=": "="}.get(m.group("cmp") or "", ">=")
                population = pop
                subj = _subject(grid.parts[c.col][-1] if grid.parts[c.col] else "")
                if _TOTAL.match(label) and subj and subj.casefold() not in label.casefold():
                    population = f"{label} ({subj[:1].lower() + subj[1:]})"
                years = _YEAR.findall(header)     # the lowest header row's year: "Giai đoạn 2026 - 2030 Năm 2027"
                period = years[-1] if years else None
                deadline = (date(int(period), 1, 1), date(int(period), 12, 31)) if period else (None, None)
                out.append(TableCell(value, unit, cmp, population, period, deadline,
                                     row_sentence(r, c), c.start, c.end))
    return out


def row_at(text: str, offset: int) -> Row | None:
    """The table row an offset stands in (a line holding a tab), as cells."""
    a, b = after_last(text, "\n\f", offset), first_of(text, "\n\f", offset)
    line = text[a:b]
    if "\t" not in line:
        return None
    return Row(_cells(line, a), a, b)
