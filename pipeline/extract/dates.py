"""Calendar helpers shared by the extractors: numeric and spelled-out dates, Roman quarters."""
from __future__ import annotations

import calendar
import unicodedata
from datetime import date

import regex

DATE_NUMERIC = r"(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>(?:19|20)\d{2})"
DATE_WORDS = r"(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>(?:19|20)\d{2})"
DATE_ANY = rf"(?:{DATE_NUMERIC}|{DATE_WORDS})"
_DATE_AFTER = regex.compile(rf"^\s*,?\s*(?:ban\s+hành\s+)?ngày\s*:?\s*{DATE_ANY}", regex.I)
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
# a Roman numeral as OCR reads it (upper-cased): I as 1, L or |, V as Y ("1V", "IY", "IL")
OCR_ROMAN = str.maketrans({"1": "I", "L": "I", "|": "I", "Y": "V"})


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


class _FoldTable(dict):
    """str.translate table filled on first use: a character -> its base letter (đ -> d)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        self[code] = base = "d" if ch == "đ" else unicodedata.normalize("NFD", ch)[0]
        return base


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower case without diacritics (đ -> d): for OCR-tolerant keyword matching. Keeps length."""
    return text.lower().translate(_FOLD)
