"""What a document is: a plan, another legal act, a letter, or an article that is no official document at
all (a Q&A page, news, an encyclopedia entry), decided from the document's own form, never from what it
quotes.

An official Vietnamese document shows its form in its first lines: the national motto (or the Party's
header) in capitals, a number line ("Số: 980/KH-UBND"), and its type in capitals ("KẾ HOẠCH", "QUYẾT ĐỊNH
PHÊ DUYỆT ..."). A page whose own title is a question, or whose header has none of these, is an article
even when it goes on to quote a plan. A letter may have lost its letterhead on the way and still opens
with "Kính gửi". Portal pages put their chrome and the header's two columns in table cells, so the
first cells of the text are read, not its lines.
"""
from __future__ import annotations

import regex

MOTTO = regex.compile(r"C[ỘO]NG\s+H[ÒOÀ]A\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM"
                      r"|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM|SOCIALIST\s+REPUBLIC\s+OF\s+VIET\s*NAM")
NUMBER_LINE = regex.compile(r"^\W{0,3}(?:Số|No)\.?\s*:?\s*[\dA-ZĐ.\-/]*\d[\dA-ZĐa-zđ.\-/]*/\s*\S+")
QUESTION = regex.compile(r"\?\s*$")
OPENS_LETTER = regex.compile(r"(?i)^Kính\s+gửi\b")
LETTER_SUBJECT = regex.compile(r"(?i)^V/v\b|^Kính\s+gửi\b")
HEADER_CELLS = 80      # the header lies in the first cells, after a portal's chrome
EARLY_TYPE = 6         # a type line this early is the document's own, motto or not (a plan sent without letterhead)


def header_cells(text: str, n: int = HEADER_CELLS) -> list[str]:
    out: list[str] = []
    for line in text.split("\n"):
        for cell in line.split("\t"):
            cell = cell.strip()
            if cell:
                out.append(cell)
                if len(out) >= n:
                    return out
    return out


def type_cell(cells: list[str], types: dict) -> tuple[int | None, str | None, str]:
    """(cell index, type as written in sentence case, title on the same cell) of the first cell that opens
    with a type word in capitals ("KẾ HOẠCH", "QUYẾT ĐỊNH PHÊ DUYỆT KẾ HOẠCH ..."); a type word in lower
    case ("Loại văn bản: Quyết định") is a mention, not a type line."""
    words = sorted(types, key=len, reverse=True)
    for i, cell in enumerate(cells):
        head = " ".join(cell.split()[:4])
        if head != head.upper() or not regex.search(r"\p{Lu}", head):
            continue
        key = regex.sub(r"\s+", " ", cell.strip(" *:")).upper()
        if key in types:
            return i, types[key], ""
        for word in words:
            if key.startswith(word + " "):
                return i, types[word], cell.strip(" *:")[len(word):].strip()
    return None, None, ""


def document_kind(text: str, rules: dict) -> tuple[str, str, str | None]:
    """(kind, reason, type as printed) with kind one of plan, legal, letter, article. `rules` is the
    metadata rule table: `doc_types`, and `kinds` (plan_types, letter_types, acts_issuing_plans,
    issuing_verbs, issued_plans)."""
    k = rules.get("kinds") or {}
    cells = header_cells(text)
    if cells and QUESTION.search(cells[0][:300]):
        return "article", "its own title is a question (a Q&A page)", None
    ti, printed, same = type_cell(cells, rules["doc_types"])
    motto = any(MOTTO.search(c) for c in cells)
    number = any(NUMBER_LINE.match(c) for c in cells)
    if ti is None and not motto and any(OPENS_LETTER.match(c) for c in cells[:3]):
        return "letter", "opens with Kính gửi (a letter whose letterhead was lost)", "Công văn"
    if not (motto or (ti is not None and (ti < EARLY_TYPE or number))):
        return "article", "no national motto, number line or type line in its header", None
    title = " ".join([same] + cells[ti + 1:ti + 3]) if ti is not None else ""
    if printed in k.get("plan_types", ()):
        return "plan", f"type line: {printed}", printed
    verbs = "|".join(regex.escape(v).replace(r"\ ", r"\s+") for v in k.get("issuing_verbs", ()))
    issued = "|".join(regex.escape(v).replace(r"\ ", r"\s+") for v in k.get("issued_plans", ()))
    if printed in k.get("acts_issuing_plans", ()) and verbs and issued and regex.search(
            rf"(?i)\b(?:{verbs})\b.{{0,60}}?\b(?:{issued})\b", title):
        return "plan", f"{printed} that issues a plan: {title[:80]}", printed
    if printed in k.get("letter_types", ()):
        return "letter", f"type line: {printed}", printed
    if printed is None and any(LETTER_SUBJECT.match(c) for c in cells):
        return "letter", "letter form: V/v subject or Kính gửi", "Công văn"
    return "legal", f"official act: {printed or 'no type line'}", printed
