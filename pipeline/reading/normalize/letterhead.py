"""The letterhead of a Vietnamese administrative document, put back in its lines when it arrives run
together or as a table.

Every such document opens with the same form (Decree 30/2020/ND-CP, appendix I): on the left the
issuing body (its parent above it) and the document's number ("Số: 12/KH-UBND"); on the right the
national motto ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc") and the place and
date ("Cần Thơ, ngày 17 tháng 11 năm 2025"). Text copied from a web page runs both columns into one
line; a Word or HTML layout keeps them as a two-column table whose rows interleave the columns. Both
are put back as the lines of the printed form, left column first, which is what the metadata reader
expects.
"""
from __future__ import annotations

import regex

MOTTO = regex.compile(r"C[ỘO]NG\s+H[ÒOÓ]A\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM", regex.I)
_SLOGAN = regex.compile(r"Độc\s+lập\s*[-–—]\s*Tự\s+do\s*[-–—]\s*Hạnh\s+phúc", regex.I)
_NUMBER = regex.compile(r"(?<!\S)Số\s*:|(?<!\S)Số\s+(?=\d{1,5}(?:/\d{4})?/)")
# "Cần Thơ, ngày 17 tháng 11 năm 2025": the place is a few capitalized words before ", ngày"
_PLACE_DATE = regex.compile(r"(?<!\S)(?:(?:Thành\s+phố|Thị\s+xã|Thị\s+trấn|Tp\.|TP\.?)\s*)?(?:\p{Lu}[\p{L}.]*\s){0,3}"
                             r"\p{Lu}[\p{L}.]*\s*,\s*ngày\s+(?:\d|\.)")
# a document's number and symbol ("2820/QĐ-UBND", "12/2025/KH-UBND")
_SYMBOL = regex.compile(r"(?<!\S)\d{1,5}(?:/\d{4})?/[\p{Lu}Đ][\p{Lu}\p{Ll}Đđ&\-]*(?!\S)")
HEAD_LINES = 40
_PLACE_LINE = regex.compile(r"^\s*\p{Lu}[\p{L} .]{0,30},\s*ngày\b")
_PLACE_START = regex.compile(r"(?:Thành\s+phố|Thị\s+xã|Thị\s+trấn|TP\.?|Tp\.)(?:\s+\p{Lu}\p{Ll}*){0,3}|(?:\p{Lu}\p{Ll}*\s+){0,2}\p{Lu}\p{Ll}*")


def _split_flat(line: str) -> list[str]:
    """One line holding the motto and more, cut at the form's fixed parts."""
    cuts = set()
    for pattern in (MOTTO, _SLOGAN, _NUMBER, _PLACE_DATE):
        for m in pattern.finditer(line):
            cuts.add(m.start())
            if pattern is _SLOGAN:
                cuts.add(m.end())
    bounds = sorted(c for c in cuts if 0 < c < len(line)) + [len(line)]
    parts, last = [], 0
    for b in bounds:
        part = line[last:b].strip(" -–—|")
        if part:
            parts.append(part)
        last = b
    return parts


def _number_back(parts: list[str]) -> list[str]:
    """"Số:" left without its number, the number standing elsewhere in the line: put together."""
    bare = next((i for i, p in enumerate(parts) if regex.fullmatch(r"Số\s*:?", p)), None)
    if bare is None:
        return parts
    for i, p in enumerate(parts):
        m = _SYMBOL.search(p) if i != bare else None
        if m:
            rest = (p[:m.start()] + " " + p[m.end():]).strip()
            parts = list(parts)
            parts[bare] = f"Số: {m.group()}"
            if rest:
                parts[i] = rest
            else:
                del parts[i]
            return parts
    return parts


def _column_order(parts: list[str]) -> list[str]:
    """The left column (issuer, number) before the right one (motto, slogan, place and date)."""
    parts = _number_back(parts)
    motto = next((i for i, p in enumerate(parts) if MOTTO.match(p)), None)
    if motto is None:
        return parts
    left = parts[:motto] + [p for p in parts[motto:] if _NUMBER.match(p)]
    right = [p for p in parts[motto:] if not _NUMBER.match(p)]
    return left + right


def unfold_letterhead(page: str) -> str:
    """The first page with a letterhead run into one line, or laid out as a two-column table (tab-separated
    rows), written as the lines of the printed form. Anything else is left as it is."""
    # the motto and the slogan broken over two lines ("CỘNG HÒA XÃ" / "HỘI CHỦ NGHĨA VIỆT NAM") are one
    top = "\n".join(page.split("\n")[:HEAD_LINES])
    joined = _SLOGAN.sub(lambda m: " ".join(m.group().split()), MOTTO.sub(lambda m: " ".join(m.group().split()), top, count=1), count=1)
    if joined != top:
        page = joined + page[len(top):]
    lines = page.split("\n")
    for i in range(1, min(len(lines), HEAD_LINES)):
        # a place broken before its last words ("Thành phố Hồ" / "Chí Minh, ngày 19 tháng 11 năm 2025")
        if _PLACE_LINE.match(lines[i]) and _PLACE_START.fullmatch(lines[i - 1].strip()):
            lines[i - 1:i + 1] = ["", lines[i - 1].strip() + " " + lines[i].lstrip()]
    head = lines[:HEAD_LINES]
    rows = [i for i, ln in enumerate(head) if ln.count("\t") == 1]
    block = _table_block(head, rows)
    if block:
        a, b = block
        left = " ".join(ln.split("\t")[0].strip() for ln in lines[a:b] if ln.split("\t")[0].strip())
        right = " ".join(ln.split("\t")[1].strip() for ln in lines[a:b] if ln.split("\t")[1].strip())
        new = _column_order(_split_flat(left) + _split_flat(right))
        return "\n".join(lines[:a] + new + lines[b:])
    for i, ln in enumerate(head):
        m = MOTTO.search(ln)
        if m and len(ln.strip()) > len(m.group()) + 8 and "\t" not in ln:
            return "\n".join(lines[:i] + _column_order(_split_flat(ln)) + lines[i + 1:])
    return "\n".join(lines)


def _table_block(head: list[str], rows: list[int]) -> tuple[int, int] | None:
    """The run of consecutive two-cell rows that holds the motto, as (first, after last)."""
    if not rows:
        return None
    runs, start = [], rows[0]
    for prev, cur in zip(rows, rows[1:] + [None]):
        if cur != prev + 1:
            runs.append((start, prev + 1))
            start = cur
    for a, b in runs:
        columns = [" ".join(ln.split("\t")[k] for ln in head[a:b]) for k in (0, 1)]
        if any(MOTTO.search(regex.sub(r"\s+", " ", c)) for c in columns):
            return a, b
    return None
