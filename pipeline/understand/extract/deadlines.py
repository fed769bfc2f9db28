"""Deadlines: find scheduling time expressions, then interpret each to (kind, start, end, recurrence)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import regex

from ...model import Deadline, Document
from ...rules import Rules
from ...vi import OCR_ROMAN, ROMAN
from .dates import month_end, safe_date
from .spans import SpanSet, after_last

_LAW_NAME = regex.compile(r"\bLuật(?:\s+\p{Lu}[\p{L}]*)(?:[ ,]+[\p{L}]+){0,8}\s*$")
# a quoted name; an opening quote whose closing one OCR lost ends at "(", ";" or the line end
# a quoted name; it never spans a table cell (an unclosed quote in a cell, OCR's lost ”, blocks nothing)
_QUOTE_SPAN = regex.compile(r"[“\"‘'][^“”\"‘’'\n\t]{1,200}(?:[”\"’']|(?=[(;\n]))")


@dataclass(frozen=True)
class Scope:
    """The plan's own time scope, used to resolve dates printed without a year."""
    start: date | None
    end: date | None
    issued: date | None = None


FLAGS = regex.I | regex.M       # headings and titles print time expressions in capitals




def _year_for(day: int, month: int, scope: Scope) -> int | None:
    if scope.start is None:
        return None
    y = scope.start.year
    for year in (y, y + 1):
        d = safe_date(year, month, day)
        if d and scope.start <= d <= (scope.end or d):
            return year
    return y


def _year_of(g: dict, key: str, d: int | None, m: int, scope: Scope) -> int | None:
    return int(g[key]) if g.get(key) else _year_for(d or 1, m, scope)


def interpret(pid: str, g: dict, scope: Scope) -> tuple[str, date | None, date | None, str | None] | None:
    """(kind, start, end, recurrence) for one matched expression; None when it is not a calendar time."""
    def num(k):
        return int(g[k]) if g.get(k) else None
    if num("m") is not None and not 1 <= num("m") <= 12 or num("m2") is not None and not 1 <= num("m2") <= 12:
        return None
    if pid == "monthly_by":
        return "other", None, None, f"---{num('d'):02d}"
    if pid in ("annual_by", "annual_date"):
        return "annual", None, None, f"--{num('m'):02d}-{num('d'):02d}"
    if pid == "by_date":
        if not g.get("y") and g.get("_recurring"):
            return "annual", None, None, f"--{num('m'):02d}-{num('d'):02d}"
        y = num("y") or _year_for(num("d"), num("m"), scope)
        return "by_date", None, safe_date(y, num("m"), num("d")) if y else None, None
    if pid == "range_dates":
        y1 = num("y") or num("y2") or _year_for(num("d"), num("m"), scope)
        y2 = num("y2") or num("y") or _year_for(num("d2"), num("m2"), scope)
        if y1 is None or y2 is None:
            return "period", None, None, None
        if not num("y") and num("y2") and (num("m"), num("d")) > (num("m2"), num("d2")):
            y1 -= 1
        return "period", safe_date(y1, num("m"), num("d")), safe_date(y2, num("m2"), num("d2")), None
    if pid == "range_months":
        m1, m2 = num("m"), num("m2")
        y2 = num("y2") or num("y") or _year_for(1, m2, scope)
        y1 = num("y") or (y2 - 1 if y2 and m1 > m2 else y2)
        if y1 is None or y2 is None:
            return "period", None, None, None
        return "period", date(y1, m1, 1), month_end(y2, m2), None
    if pid == "range_years":
        return "period", date(num("y1"), 1, 1), date(num("y2"), 12, 31), None
    if pid == "and_following":
        q = _quarter(g.get("q")) or 1
        return "other", date(num("y"), 3 * q - 2, 1), None, None
    if pid == "onward":
        return "other", date(num("y"), 1, 1), None, None
    if pid == "from_issue":
        return "other", scope.issued, None, None
    if pid == "from_date":
        return "other", safe_date(num("y"), num("m"), num("d")), None, None
    if pid == "from_month":
        return "other", date(num("y"), num("m"), 1), None, None
    if pid in ("full_date", "day_month", "named_day"):
        y = num("y") or _year_for(num("d"), num("m"), scope)
        d = safe_date(y, num("m"), num("d")) if y else None
        return "date", d, d, None
    if pid == "quarter":
        q = _quarter(g["q"])
        y = num("y")
        return "quarter", date(y, 3 * q - 2, 1), month_end(y, 3 * q), None
    if pid == "quarter_scoped":
        q = _quarter(g["q"])
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
        first = g["half"].lower() == "đầu"
        return "period", date(y, 1 if first else 7, 1), date(y, 6, 30) if first else date(y, 12, 31), None
    if pid == "month":
        y, m = num("y"), num("m")
        return "month", date(y, m, 1), month_end(y, m), None
    if pid in ("school_year", "this_school_year", "school_year_edge"):
        y1 = num("y1")
        if y1 is None and scope.start:
            y1 = scope.start.year if scope.start.month >= 8 else scope.start.year - 1
        if y1 is None:
            return "school_year", None, None, None
        if pid == "school_year_edge":
            if g["edge"].lower() == "cuối":
                return "period", date(y1 + 1, 5, 1), date(y1 + 1, 5, 31), None
            return "period", date(y1, 9, 1), date(y1, 9, 30), None
        return "school_year", date(y1, 9, 1), date(y1 + 1, 5, 31), None
    if pid in ("period", "year_range", "paren_range"):
        if num("y2") < num("y1"):
            return None
        return "period", date(num("y1"), 1, 1), date(num("y2"), 12, 31), None
    if pid in ("year", "until_year"):
        y = num("y")
        return "year", date(y, 1, 1), date(y, 12, 31), None
    if pid == "continuous":
        return "continuous", None, None, None
    if pid == "annual":
        return "annual", None, None, None
    return "other", None, None, None


def _quarter(q: str | None) -> int | None:
    """A quarter's number from "IV", "4", or an OCR reading of the numeral ("1V", "IY", "Il")."""
    if not q:
        return None
    if q.isdigit():
        return int(q)
    return ROMAN.get(q.upper().translate(OCR_ROMAN))


def deadline_patterns(rules: Rules) -> list[tuple[str, "regex.Pattern"]]:
    """The deadline table's patterns, compiled once per Rules object."""
    return rules.compiled(_compile_patterns)


def _compile_patterns(rules: Rules) -> list[tuple[str, "regex.Pattern"]]:
    return [(pid, rx) for pid, rx, _ in rules.patterns("deadlines", FLAGS)]


def interpret_deadline(text: str, scope: Scope, rules: Rules):
    """Interpret one expression on its own: interpret_deadline('Quý II/2026') -> ('quarter', ...)."""
    pats = deadline_patterns(rules)
    for pid, rx in pats:
        m = rx.fullmatch(text.strip())
        if m and (res := interpret(pid, m.groupdict(), scope)) is not None:
            return res
    return None


def _excluded(text: str, start: int, end: int, pid: str, data: dict, blocked) -> bool:
    if start in blocked:
        return True
    before = text[max(0, start - 30):start].casefold().rstrip()
    for word in data.get("name_before", {}).get(pid, []):
        if before.endswith(word):
            return True
    if pid in ("year", "full_date") and _LAW_NAME.search(text[max(0, start - 80):start]):
        return True           # "Luật Kế toán năm 2015": the year names the law
    if pid not in ("year", "until_year", "period", "school_year", "year_range"):
        return False
    clause = text[after_last(text, ",;.\n\t(", start):start]
    return any(w in clause for w in data["event_words"])


def find_deadlines(doc: Document, scope: Scope, blocked: list[tuple[int, int]],
                   context, rules: Rules) -> list[Deadline]:
    """Distinct (case-folded) scheduling expressions outside the blocked spans.

    blocked: spans to skip (preamble, cited documents' descriptions); context(start, end)
    returns the text the expression applies to.
    """
    pats, data = deadline_patterns(rules), rules.table("deadlines")
    text = doc.text
    blocked = SpanSet(list(blocked) + [(m.start(), m.end()) for m in _QUOTE_SPAN.finditer(text)])
    taken = SpanSet()
    hits = []
    for pid, rx in pats:
        for m in rx.finditer(text):
            s, e = m.span()
            if taken.overlaps(s, e):
                continue
            if _excluded(text, s, e, pid, data, blocked):
                continue
            taken.add(s, e)
            hits.append((s, e, pid, m.groupdict()))
    seen: set[str] = set()
    out = []
    for s, e, pid, g in sorted(hits):
        raw = text[s:e]
        key = regex.sub(r"\s+", " ", raw).casefold()
        if key in seen:
            continue
        seen.add(key)
        if pid == "by_date" and not g.get("y"):
            a = after_last(text, ".\n", s)
            g = {**g, "_recurring": any(w in text[a:s].casefold() for w in data.get("recurring_words", []))}
        res = interpret(pid, g, scope)
        if res is None:
            continue
        kind, start, end, rec = res
        now = scope.issued or scope.start          # what had ended when the plan was signed is past
        if now and end and end < now and kind in data.get("past_is_not_a_schedule", []):
            continue
        out.append(Deadline(text=raw, kind=kind, start_date=start, end_date=end, recurrence=rec,
                            applies_to=context(s, e), start=s, end=e))
    return out
