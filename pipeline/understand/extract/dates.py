"""Calendar helpers shared by the extractors: numeric and spelled-out dates, Roman quarters."""
from __future__ import annotations

import calendar
from datetime import date

import regex


DATE_NUMERIC = r"(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>(?:19|20)\d{2})"
DATE_WORDS = r"(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>(?:19|20)\d{2})"
DATE_ANY = rf"(?:{DATE_NUMERIC}|{DATE_WORDS})"
_DATE_AFTER = regex.compile(rf"^\s*,?\s*(?:ban\s+hành\s+)?ngày\s*:?\s*{DATE_ANY}", regex.I)


def safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def date_from_match(m) -> date | None:
    g = m.groupdict()
    if g.get("d") is not None:
        return safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
    if g.get("d2") is not None:
        return safe_date(int(g["y2"]), int(g["m2"]), int(g["d2"]))
    return None


def date_after(text: str, pos: int, window: int = 60) -> tuple[date | None, int]:
    """A 'ngày dd/mm/yyyy' or 'ngày dd tháng mm năm yyyy' directly after pos: (date, end offset)."""
    m = _DATE_AFTER.match(text[pos:pos + window])
    if not m:
        return None, pos
    return date_from_match(m), pos + m.end()


