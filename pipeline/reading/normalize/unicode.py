"""Character-level normalization: NFC, invisible characters, HTML and markdown debris."""
from __future__ import annotations

import html

import regex

from ...vi import to_nfc

_INVISIBLE = regex.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SLASHES = regex.compile(r"[\u2044\u2215\uff0f]")
_SPACES = regex.compile(r"[\u00a0\u2002-\u200a\u202f\u205f\u3000]")
_SUP = regex.compile(r"<sup>.*?</sup>", regex.I | regex.S)
_SCRIPT = regex.compile(r"<(script|style|head)\b[^>]*>.*?</\1\s*>", regex.I | regex.S)
_CELL_GAP = regex.compile(r"</t[dh]>\s*<t[dh]\b[^>]*>", regex.I)
_ROW = regex.compile(r"</?tr\b[^>]*>", regex.I)
_MD_TABLE_RULE = regex.compile(r"(?m)^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$\n?")
_MD_TABLE_ROW = regex.compile(r"(?m)^[ \t]*\|(.*)\|[ \t]*$")
_BLOCK_TAG = regex.compile(r"</?(?:p|div|br|li|tr|h[1-6])\b[^>]*>", regex.I)
_TAG = regex.compile(r"</?[a-zA-Z][a-zA-Z0-9]*\b[^>\n]*>")
_ANGLE_URL = regex.compile(r"<((?:https?|ftp)://[^>\s]+)>")
_MD_HEADING = regex.compile(r"(?m)^[ \t]*#{1,6}[ \t]*")
_C0 = regex.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MD_EMPH = regex.compile(r"(?<![\w*])(\*{1,3})(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_MD_STRAY = regex.compile(r"\*\*+\p{M}*")
_MD_ITEM = regex.compile(r"(?m)^([ \t]*)\*[ \t]+")



_EMPH_ONLY = regex.compile(r"(?m)^[ \t]*[*_]+(?:[ \t]+[*_]+)*[ \t]*$")
_BOLD_MARK = regex.compile(r"\*\*")
_BOLD_MARK_M = regex.compile(r"\*\*\p{M}*")
# a lone "*" with blanks (or the line's edge) on both sides opens and closes nothing (CommonMark's flanking
# rule): an OCR misreading of a quote mark, not emphasis
_ITALIC_MARK = regex.compile(r"(?<![*\\])\*(?!\*)(?!(?<=(?:^|[ \t])\*)(?:[ \t]|$))")
# a list marker alone on its line; a bare number ("2") is not one: items are numbered "2." or "2.1", and a
# number standing alone is a page number (it was joined to the bullet after it: "2 - 100% học sinh")
_LONE_MARKER = regex.compile(r"^[*_ \t]*(?:[IVX]{1,5}\.|\d{1,2}(?:\.\d{1,2}){1,3}\.?|\d{1,2}\.|[a-zđ]\)|\(\d{1,2}\)|[-+•])[*_ \t]*$")
_MAX_SPAN_LINES = 8
_LABEL_ALONE = regex.compile(r"^[*_ \t]*Số\s*:[*_ \t]*$")                 # "Số:" with its number on the next line
_LABEL_VALUE = regex.compile(r"^[*_ \t]*[\d/]")


def portal_tables(text: str, min_cells: int = 3) -> str:
    """Tables as legal portals print them in markdown, one cell per stretch of lines between lone "|"
    lines and a row boundary at "|" directly after "|", become tab-separated rows (the form every table
    reader here takes). A block of one row, or whose rows have fewer than `min_cells` cells (the
    two-column letterhead), is left as it is, its "|" lines read as hard breaks."""
    if "\n|\n" not in text and not text.startswith("|\n"):
        return text
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if lines[i].strip() != "|":
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and lines[j + 1].strip():
            j += 1
        block = lines[i:j + 1]
        rows = _portal_rows(block)
        if len(rows) >= 2 and max(len(r) for r in rows) >= min_cells:
            out.extend("\t".join(r) for r in rows)
        else:
            out.extend(block)
        i = j + 1
    return "\n".join(out)


def _portal_tokens(block: list[str]) -> list[str]:
    """The stretches of lines after each lone "|": a cell's text, or "" for a cell left empty or for the
    "|" that closes a row (the two look alike)."""
    tokens: list[str] = []
    cell: list[str] | None = None
    for line in block:
        if line.strip() == "|":
            if cell is not None:
                tokens.append(" ".join(c.strip() for c in cell).strip())
            cell = []
        elif cell is not None:
            cell.append(line)
    if cell:
        tokens.append(" ".join(c.strip() for c in cell).strip())
    return tokens


_EMPTY_COLUMNS_MAX = 4   # columns a table may leave empty in every row: its width is tried up to this far past the widest
                         # row a plain reading finds (keeps the search linear in the table's size)


def _segment(tokens: list[str], n: int) -> list[tuple[int, int]] | None:
    """Tokens cut into rows of at most n cells, each closed by an empty token (or the end): of the cuts with
    the fewest rows, one with the most rows of exactly n cells. [(start, cells)], or None when none fits."""
    m = len(tokens)
    best: list[tuple | None] = [None] * (m + 1)   # best[i]: (rows, -full rows, row start, cells) for tokens[:i]
    best[0] = (0, 0, -1, 0)
    for i in range(m):
        if best[i] is None:
            continue
        filled = False
        for k in range(1, min(n, m - i) + 1):
            end = i + k
            filled = filled or bool(tokens[end - 1])
            closed = end < m and not tokens[end]
            if (closed or end == m) and filled:
                nxt = end + 1 if closed else end
                cand = (best[i][0] + 1, best[i][1] - (k == n), i, k)
                if best[nxt] is None or cand[:2] < best[nxt][:2]:
                    best[nxt] = cand
    if best[m] is None:
        return None
    rows, last = [], m
    while last > 0:
        rows.append(best[last][2:])
        last = best[last][2]
    return rows[::-1]


def _portal_rows(block: list[str]) -> list[list[str]]:
    """Rows with their empty cells in place. A row is up to n cells followed by the empty token of its
    closing "|" (an empty cell looks the same). The width n is the one under which most rows are full
    (a data row with empty cells is as wide as the table; a merged header row is shorter), tried from
    the widest row a plain reading finds (every empty token a row end). Empty cells stay, trailing ones too:
    a row is as wide as the cells it has."""
    tokens = _portal_tokens(block)
    plain: list[list[str]] = [[]]
    for t in tokens:
        if t:
            plain[-1].append(t)
        elif plain[-1]:
            plain.append([])
    plain = [r for r in plain if r]
    widest = max((len(r) for r in plain), default=0)
    chosen, most = None, -1
    for n in range(widest, widest + _EMPTY_COLUMNS_MAX + 1):
        cut = _segment(tokens, n)
        full = sum(k == n for _, k in cut) if cut else -1
        if full > most:
            chosen, most = cut, full
    if not chosen:
        return plain
    return [tokens[start:start + k] for start, k in chosen]


def join_markdown_spans(text: str) -> str:
    """Undo hard wraps that markdown structure reveals, before the marks are stripped.

    A bold or italic span that opens on one line and closes on a later one is one phrase
    ("**I. MỤC\\nĐÍCH, YÊU CẦU**" is one heading); a line holding only a list marker ("**1.", "-")
    belongs to the line after it; a line of emphasis marks alone ("** **") is empty.
    """
    if "*" not in text and "\n" not in text:
        return text
    text = _EMPH_ONLY.sub("", text)
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        j = i
        while j + 1 < len(lines) and j - i < _MAX_SPAN_LINES and lines[j + 1].strip() and _span_open(line):
            j += 1
            line = f"{line.rstrip()} {lines[j].lstrip()}"
        if _span_open(line):            # never closed: the marks are debris, and must not join later lines
            line, j = lines[i], i
            bullet = regex.match(r"^[ \t]*\*[ \t]+", line)
            head = bullet.group() if bullet else ""
            line = head + regex.sub(r"\*\p{M}*", "", line[len(head):])   # a mark on the '*' goes with it
        if j == i and _LONE_MARKER.match(line) and i + 1 < len(lines) and lines[i + 1].strip():
            nxt = lines[i + 1].strip()
            if not _LONE_MARKER.match(nxt):
                line = f"{line.strip()} {nxt}"
                j = i + 1
        if _LABEL_ALONE.match(line) and i + 1 < len(lines) and _LABEL_VALUE.match(lines[i + 1]):
            line = f"{line.strip()} {lines[i + 1].strip()}"
            j = i + 1
        out.append(_BOLD_MARK_M.sub("", line) if "|" not in line else line)
        i = j + 1
    return "\n".join(out)


def _span_open(line: str) -> bool:
    """An emphasis span is left open at the end of the line (an odd count of its marks)."""
    if "*" not in line or "|" in line:
        return False
    body = regex.sub(r"^[ \t]*\*[ \t]+", "", line)      # a '* ' bullet is not emphasis
    if len(_BOLD_MARK.findall(body)) % 2:
        return True
    return len(_ITALIC_MARK.findall(_BOLD_MARK.sub("", body))) % 2 == 1


def strip_markup(text: str) -> str:
    """Remove HTML tags/entities and markdown emphasis/heading marks, keeping the words (to a fixed point)."""
    # a whole HTML page: its paragraphs end lines; HTML debris inside text (a "<p>" in a table row of a
    # text file) is only joined by spaces, as it always was
    page = bool(_HTML_PAGE.match(text))
    for _ in range(5):
        out = _strip_once(text, page)
        if out == text:
            break
        text = out
    return text


def _block_break(m) -> str:
    """A paragraph, heading or list item of HTML ends its line (a blank line after it, as between
    paragraphs of text, so a page number standing in a paragraph of its own is seen standing alone); a
    line break ends the line; inline blocks of a cell (a div inside a td) are a space."""
    tag = m.group().lower()
    if tag.startswith("<br"):
        return "\n"
    if regex.match(r"</(?:p|h[1-6]|li|div)\b", tag):     # (inside a table cell they were made spaces first)
        return "\n\n"
    return " "


_CELL = regex.compile(r"<t[dh]\b[^>]*>.*?</t[dh]\s*>", regex.I | regex.S)


_HTML_PAGE = regex.compile(r"\s*(?:<!DOCTYPE\s+html|<html\b)", regex.I)


def _strip_once(text: str, page: bool = False) -> str:
    text = _SCRIPT.sub("", text)
    # paragraphs inside a table cell stay in the cell (Word's HTML wraps every cell in a <p>)
    text = _CELL.sub(lambda m: _BLOCK_TAG.sub(" ", m.group()), text) if "<t" in text.lower() else text
    text = _CELL_GAP.sub("\t", text)              # HTML table cells -> tab-separated rows
    text = _ROW.sub("\n", text)
    text = _MD_TABLE_RULE.sub("", text)            # markdown pipe tables -> tab-separated rows
    text = _MD_TABLE_ROW.sub(lambda m: "\t".join(c.strip() for c in m.group(1).split("|")), text)
    text = _SUP.sub("", text)
    text = _ANGLE_URL.sub(r"\1", text)
    text = _BLOCK_TAG.sub(_block_break if page else " ", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    if "\r" in text or _C0.search(text):         # "&#13;" and friends: control characters are not text
        text = _C0.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _MD_HEADING.sub("", text)
    text = _MD_ITEM.sub(r"\1- ", text)
    text = _MD_EMPH.sub(r"\2", text)
    text = _MD_STRAY.sub("", text)
    return text


def clean_chars(text: str) -> str:
    """NFC, no invisible characters, exotic spaces made plain; newlines unified."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    text = text.replace("\u00d0", "\u0110")      # Icelandic Eth typed for Vietnamese Đ
    text = _SLASHES.sub("/", text)
    return to_nfc(text)


# characters that look like the ones the matchers know, folded one for one (offsets stay valid) in the view
# the extractors read; the normalized text written for evidence keeps them as printed: dashes (non-breaking,
# figure, minus, full-width), full-width ASCII (１００％, ／), and the Cyrillic and Greek letters that look
# like Latin ones in a symbol ("146/QĐ-TТg" with a Cyrillic Т)
_LOOKALIKES = {**dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2212\ufe63\uff0d"), "-"),
               **{0xFF01 + i: chr(0x21 + i) for i in range(0x5E)},
               **dict(zip(map(ord, "АВЕКМНОРСТХУІЈаеорсхуіј"), "ABEKMHOPCTXYIJaeopcxyij")),
               **dict(zip(map(ord, "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοιν"), "ABEZHIKMNOPTYXaoiv"))}


def matching_view(text: str) -> str:
    """`text` with lookalike characters folded for matching, one for one: every offset into it is an
    offset into `text`."""
    return text.translate(_LOOKALIKES)
