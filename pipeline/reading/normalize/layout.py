"""Line-level layout: page numbers and running headers out, hard-wrapped lines joined."""
from __future__ import annotations

from collections import Counter

import regex

_PAGE_NUMBER = regex.compile(r"^\s*(?:-\s*)?(?:Trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*-)?\s*$", regex.I)
_ROMAN_HEAD = regex.compile(r"^(?:[IVX]{1,5})\s*[.)/]\s*\S")
# a heading's Roman numeral as OCR reads it before an all-caps title: "II." as "IL", "III." as "HI."/"HE."
OCR_ROMAN_NUMERAL = r"[IVXLHl][IVXLHlE]{0,4}"
_MARKER = regex.compile(
    r"""^(?:
        [IVX]{1,5}\s*[.)/]\s*\S            # I. II/ III)
      | [.,'_\ ]*""" + OCR_ROMAN_NUMERAL + r"""\s*[.,:;)]?\s*\p{Lu}(?=[^\p{Ll}]*$)   # OCR-garbled numeral, all-caps title
      | \d{1,2}(?:\.\d{1,2}){0,3}\.?\s*[\p{Lu}(“"]   # 1. 1.1. 1.1 Heading
      | \d{1,2}\.\d{1,2}(?:\.\d{1,2})*\.?\s     # 1.1 text
      | \d{1,2}[.)]\s                      # 1) 1.
      | \(\d{1,2}\)\s                      # (1)
      | [a-zđ]\)\s                         # a) b)
      | [-+*•–·]                           # bullets
      | (?:Căn\ cứ|Thực\ hiện|Nơi\ nhận|PHỤ\ LỤC|Phụ\ lục|Số:|KT\.|TM\.|Kính\ gửi)\b
    )""",
    regex.X,
)
# a line that opens with a numbering of its own: the next heading or item, never a heading's continuation
# (a Roman numeral as OCR garbles it counts too: "HI.CÁC", "IL MỤC", "H. NỘI DUNG"; a word that only begins
# with such letters, "VỤ TRỌNG TÂM", does not)
_NUMBERED = regex.compile(r"^(?:[IVX]{1,5}\s*[.)/]|\d{1,2}(?:\.\d{1,2})*[.)]|[-+*•–·]|\(\d|PHỤ LỤC"
                          r"|[.,'_][.,'_ ]*" + OCR_ROMAN_NUMERAL + r"|[ ]*" + OCR_ROMAN_NUMERAL + r"(?:\s*[.,:;)]|\s+)\s*\p{Lu})")
_RANGE_TAIL = regex.compile(r"^[-–]\s*(?:19|20)\d{2}(?!\d|%)")
_SMALL_RANGE_TAIL = regex.compile(r"^[-–]\s*\d{1,3}(?:[.,]\d+)?\s*%")
_BARE_NUMBER = regex.compile(r"^\s*\d{1,3}\s*$")
_CODE_LINE = regex.compile(r"^\S*\d\S*/\S+[.,;]?$")        # "24/2018/TT-BNNPTNT" wrapped onto a line of its own
_PLACE_DATE_LINE = regex.compile(r"^\p{Lu}[^,\n]{0,40},\s*ngày\b")   # "Tân An, ngày 05 tháng 3 năm 2026"
_UPPER_LINE = regex.compile(r"^[^\p{Ll}]*\p{Lu}[^\p{Ll}]*$")
_NO_LOWER = regex.compile(r"^[^\p{Ll}]+$")
_ENDS_SENTENCE = regex.compile(r"[.;:!?]\s*[”\"’)]?$")
_STARTS_LOWER = regex.compile(r"^[\p{Ll}\d(,;:.)”\"’%/&-]")


_MARKER_TAB = regex.compile(r"^((?:[IVXLC]{1,6}|\d{1,2}(?:\.\d{1,2})*|[a-zđA-Z])[.)]|[-+•*–])\t+")


def _page_lines(page: str) -> list[str]:
    """Lines with runs of spaces collapsed; a tab right after a list marker ("I.<tab>MỤC TIÊU") is a space."""
    lines = [regex.sub(r"[ ]{2,}", " ", ln.strip(" \v")) for ln in page.replace("\f", "\n").split("\n")]
    return ["" if not ln.strip() else _marker_tab(ln.strip(" ")) for ln in lines]


def _marker_tab(line: str) -> str:
    m = _MARKER_TAB.match(line)
    if m and "\t" not in line[m.end():]:        # not a table row whose first cell is "1."
        return f"{m.group(1)} {line[m.end():]}"
    return line


def _drop_page_numbers(pages: list[list[str]], paged: bool) -> list[list[str]]:
    """A lone number at the top or bottom of a page (or standing alone in plain text) is a page number."""
    out = []
    for lines in pages:
        keep = list(lines)
        idx = [i for i, ln in enumerate(keep) if ln]
        edge = set(idx[:1] + idx[-1:]) if paged else set()
        for i in idx:
            if not _PAGE_NUMBER.match(keep[i]):
                continue
            alone = (i == 0 or not keep[i - 1]) and (i + 1 >= len(keep) or not keep[i + 1])
            if i in edge or alone:
                keep[i] = ""
        out.append(keep)
    return out


def _drop_running_headers(pages: list[list[str]]) -> list[list[str]]:
    if len(pages) < 3:
        return pages
    firsts = Counter(next((ln for ln in p if ln), "") for p in pages)
    repeated = {ln for ln, c in firsts.items() if ln and c >= max(3, len(pages) // 2) and len(ln) < 120}
    if not repeated:
        return pages
    return [[("" if ln in repeated else ln) for ln in p] for p in pages]


def _wrap_width(lines: list[str]) -> int | None:
    lengths = sorted(len(ln) for ln in lines if ln and "\t" not in ln)
    if len(lengths) < 8:
        return None
    p90 = lengths[int(len(lengths) * 0.9)]
    return p90 if p90 <= 160 else None


def _should_join(prev: str, cur: str, width: int | None) -> bool:
    if "\t" in prev or "\t" in cur:
        return False
    if _RANGE_TAIL.match(cur) and regex.search(r"(?:19|20)\d{2}$", prev):
        return True
    if _SMALL_RANGE_TAIL.match(cur) and regex.search(r"\p{L}\W*(?<![\d.,/])\d{1,3}$", prev):
        return True           # "bình quân 05" / "- 06%/năm": a range of small numbers broken at its dash           # "giai đoạn 2021" / "- 2025": a range broken at its dash, not a bullet
    if _BARE_NUMBER.match(cur):
        return False          # a number alone on its line is a page number or a list marker, never a tail
    prev_upper = bool(_UPPER_LINE.match(prev)) and not _CODE_LINE.match(prev)
    if (prev_upper and _ROMAN_HEAD.match(prev) and _NO_LOWER.match(cur) and not _ENDS_SENTENCE.search(prev)
            and not _NUMBERED.match(cur)):
        # an all-caps heading continues on an all-caps (or digits-only) line, even one that opens with
        # letters a Roman numeral is made of ("III. NHIỆM" / "VỤ TRỌNG TÂM"); "VI, ĐỐI TƯỢNG" reads as a
        # garbled numeral and stays a line of its own
        return True
    if _MARKER.match(cur) or _PLACE_DATE_LINE.match(cur):
        return False
    cur_upper = bool(_UPPER_LINE.match(cur)) and not _CODE_LINE.match(cur)
    if prev_upper or cur_upper:
        return False
    if _STARTS_LOWER.match(cur):
        return True
    if _ENDS_SENTENCE.search(prev):
        return False
    return width is not None and len(prev) >= 0.7 * width


# a number or a document code broken after its dash or slash: "2025-" / "2030", "số 57-" / "NQ/TW"
_CODE_HEAD = regex.compile(r"\d|\p{Lu}{2,}[/-]")


def _joiner(prev: str, cur: str) -> str:
    if regex.search(r"\d[-–/]$", prev) and _CODE_HEAD.match(cur):
        return ""
    return " "


def join_cell_lines(cell: str) -> str:
    """A table cell's wrapped lines as one line: a space at each break, none inside a range or a code."""
    lines = [ln.strip() for ln in cell.split("\n") if ln.strip()]
    out = lines[:1]
    for ln in lines[1:]:
        out.append(_joiner(out[-1], ln) + ln)
    return "".join(out)


def unwrap(pages: list[str], paged: bool = True) -> tuple[str, list[int]]:
    """Join pages with '\\f' and hard-wrapped lines into paragraphs.

    Returns the text and the offset where each page starts. Headings, list items and
    tab-separated table rows keep their own lines.
    """
    page_lines = _drop_running_headers(_drop_page_numbers([_page_lines(p) for p in pages], paged))
    width = _wrap_width([ln for p in page_lines for ln in p])
    parts: list[str] = []
    page_starts: list[int] = []
    length = 0
    prev = None
    for n, lines in enumerate(page_lines):
        brk = n > 0
        if brk:
            parts.append("\f")
            length += 1
        page_starts.append(length)
        cell_break = False
        for ln in lines:
            if not ln:
                continue
            if ln == "|":                  # a table-cell boundary printed on its own line: a hard break
                cell_break = True
                continue
            if prev is not None:
                if not cell_break and _should_join(prev, ln, width):
                    sep = "" if brk else _joiner(prev, ln)
                else:
                    sep = "\n"
                parts.append(sep)
                length += len(sep)
            parts.append(ln)
            length += len(ln)
            prev, brk, cell_break = ln, False, False
    return "".join(parts), page_starts
