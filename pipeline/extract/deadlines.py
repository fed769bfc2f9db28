"""Deadlines: find scheduling time expressions, then interpret each to (kind, start, end, recurrence)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import regex

from ..model import Deadline, Document
from ..rules import load
from .dates import ROMAN, month_end, safe_date

# a quoted name; an opening quote whose closing one OCR lost ends at "(", ";" or the line end
_QUOTE_SPAN = regex.compile(r"[“\"‘'][^“”\"‘’'\n]{1,200}(?:[”\"’']|(?=[(;\n]))")


@dataclass(frozen=True)
class Scope:
    """The plan's own time scope, used to resolve dates printed without a year."""
    start: date | None
    end: date | None


@lru_cache(maxsize=2)
def _compiled(_: int = 0):
    data = load("deadlines")
    pats = [(p["id"], regex.compile(p["regex"])) for p in data["patterns"]]
    return pats, data


def _year_for(day: int, month: int, scope: Scope) -> int | None:
    if scope.start is None:
        return None
    y = scope.start.year
    for year in (y, y + 1):
        d = safe_date(year, month, day)
        if d and scope.start <= d <= (scope.end or d):
            return year
    return y


def interpret(pid: str, g: dict, scope: Scope) -> tuple[str, date | None, date | None, str | None]:
    """(kind, start, end, recurrence) for one matched expression."""
    def num(k):
        return int(g[k]) if g.get(k) else None
    if pid == "by_date":
        y = num("y") or _year_for(num("d"), num("m"), scope)
        return "by_date", None, safe_date(y, num("m"), num("d")) if y else None, None
    if pid == "range_dates":
        y2 = num("y2")
        y1 = num("y") or y2
        return "period", safe_date(y1, num("m"), num("d")), safe_date(y2, num("m2"), num("d2")), None
    if pid == "annual_date":
        return "annual", None, None, f"--{num('m'):02d}-{num('d'):02d}"
    if pid in ("full_date", "day_month"):
        y = num("y") or _year_for(num("d"), num("m"), scope)
        d = safe_date(y, num("m"), num("d")) if y else None
        return "date", d, d, None
    if pid == "quarter":
        q = ROMAN.get(g["q"].upper()) or int(g["q"])
        y = num("y")
        return "quarter", date(y, 3 * q - 2, 1), month_end(y, 3 * q), None
    if pid == "quarter_scoped":
        q = ROMAN.get(g["q"].upper()) or int(g["q"])
        y = _year_for(1, 3 * q - 2, scope) if scope.start else None
        if y is None:
            return "quarter", None, None, None
        if scope.start and scope.end and month_end(y, 3 * q) < scope.start:
            y += 1
        return "quarter", date(y, 3 * q - 2, 1), month_end(y, 3 * q), None
    if pid == "month_scoped":
        m = num("m")
        y = _year_for(1, m, scope) if scope.start else None
        if y is None:
            return "month", None, None, None
        if scope.end and month_end(y, m) < scope.start:
            y += 1
        return "month", date(y, m, 1), month_end(y, m), None
    if pid == "half_year":
        y = num("y") or (scope.end.year if scope.end else None)
        if not y:
            return "period", None, None, None
        first = g["half"] == "đầu"
        return "period", date(y, 1 if first else 7, 1), date(y, 6, 30) if first else date(y, 12, 31), None
    if pid == "month":
        y, m = num("y"), num("m")
        if not 1 <= m <= 12:
            return "other", None, None, None
        if g.get("from"):
            return "period", date(y, m, 1), None, None
        return "month", date(y, m, 1), month_end(y, m), None
    if pid in ("school_year", "this_school_year", "school_year_edge"):
        y1 = num("y1")
        if y1 is None and scope.start:
            y1 = scope.start.year if scope.start.month >= 8 else scope.start.year - 1
        if y1 is None:
            return "school_year", None, None, None
        if pid == "school_year_edge":
            if g["edge"] == "cuối":
                return "period", date(y1 + 1, 5, 1), date(y1 + 1, 5, 31), None
            return "period", date(y1, 9, 1), date(y1, 9, 30), None
        return "school_year", date(y1, 9, 1), date(y1 + 1, 5, 31), None
    if pid == "year_range" and num("y2") == num("y1") + 1:
        return "school_year", date(num("y1"), 9, 1), date(num("y2"), 5, 31), None
    if pid in ("period", "year_range"):
        return "period", date(num("y1"), 1, 1), date(num("y2"), 12, 31), None
    if pid in ("year", "until_year"):
        y = num("y")
        return "year", date(y, 1, 1), date(y, 12, 31), None
    if pid == "continuous":
        return "continuous", None, None, None
    if pid == "annual":
        return "annual", None, None, None
    return "other", None, None, None


def interpret_deadline(text: str, scope: Scope = Scope(None, None)):
    """Interpret one expression on its own: interpret_deadline('Quý II/2026') -> ('quarter', ...)."""
    pats, _ = _compiled()
    for pid, rx in pats:
        m = rx.fullmatch(text.strip())
        if m:
            return interpret(pid, m.groupdict(), scope)
    return None


def _excluded(text: str, start: int, end: int, pid: str, data: dict, blocked) -> bool:
    if any(s <= start < e for s, e in blocked):
        return True
    before = text[max(0, start - 20):start].casefold().rstrip()
    for word in data.get("name_before", {}).get(pid, []):
        if before.endswith(word):
            return True
    if pid not in ("year", "until_year", "period", "school_year", "year_range"):
        return False
    clause_start = max(text.rfind(c, 0, start) for c in ",;.\n\t(")
    clause = text[clause_start + 1:start]
    return any(w in clause for w in data["event_words"])


def find_deadlines(doc: Document, scope: Scope, blocked: list[tuple[int, int]],
                   context) -> list[Deadline]:
    """Distinct (case-folded) scheduling expressions outside the blocked spans.

    blocked: spans to skip (preamble, cited documents' descriptions); context(start, end)
    returns the text the expression applies to.
    """
    pats, data = _compiled()
    text = doc.text
    blocked = list(blocked) + [(m.start(), m.end()) for m in _QUOTE_SPAN.finditer(text)]
    taken: list[tuple[int, int]] = []
    hits = []
    for pid, rx in pats:
        for m in rx.finditer(text):
            s, e = m.span()
            if any(ts < e and s < te for ts, te in taken):
                continue
            if _excluded(text, s, e, pid, data, blocked):
                continue
            taken.append((s, e))
            hits.append((s, e, pid, m.groupdict()))
    seen: set[str] = set()
    out = []
    for s, e, pid, g in sorted(hits):
        raw = text[s:e]
        key = regex.sub(r"\s+", " ", raw).casefold()
        if key in seen:
            continue
        seen.add(key)
        kind, start, end, rec = interpret(pid, g, scope)
        out.append(Deadline(text=raw, kind=kind, start_date=start, end_date=end, recurrence=rec,
                            applies_to=context(s, e), start=s, end=e))
    return out
