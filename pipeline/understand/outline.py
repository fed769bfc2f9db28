"""parse_outline(doc) -> list[Section]: Roman, Arabic, dotted and lettered headings, and PHỤ LỤC blocks."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from ..vi import fold
from ..model import Document, Section
from ..reading.normalize.layout import OCR_ROMAN_NUMERAL

_ROMAN = regex.compile(r"^(?:(?:PHẦN|Phần|MỤC|Mục)\s+)?(?P<num>[IVX]{1,6})\s*[.)/:-]\s*(?P<title>[\p{Lu}\d“\"(].*)$")
_DOTTED = regex.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){1,3})\.?\s*(?P<title>[\p{L}“\"(].*)$")
_ARABIC = regex.compile(r"^(?P<num>\d{1,2})\s*[.)]\s*(?P<title>(?:[\p{L}“\"(]|\d{1,3}\s*%).*)$")
_LETTER = regex.compile(r"^(?P<num>[a-zđ])\)\s*(?P<title>\S.*)$")
# a speck or the page number OCR put on the same line may stand before it ("7 PHỤ LỤC :", "'PHỤ LỤC")
_APPENDIX = regex.compile(r"^(?:\d{1,3}[ ]+|['`‘’.,_\-]+[ ]*)?(?P<title>PHỤ\s+LỤC(?:\s+(?:[IVX]{1,4}|\d{1,2}|SỐ\s+\d+))?)\s*[.:]?\s*(?P<rest>[^\p{Ll}]*)$")
_UPPER = regex.compile(r"^[^\p{Ll}]*\p{Lu}[^\p{Ll}]*$")
_APPENDIX_SHORT = regex.compile(r"^(?P<title>Phụ\s+lục(?:\s+(?:số\s+)?(?:[IVX]{1,4}|\d{1,2}))?)\s*[.:]?$")
# OCR's reading of a Roman numeral: accepted only before an all-caps title with a known kind
_ROMAN_OCR = regex.compile(rf"^[.,'_\s]*(?P<num>{OCR_ROMAN_NUMERAL})\s*[.,:;)]?\s*(?P<title>\p{{Lu}}[^\p{{Ll}}]{{3,}})$")
_UPPER_LETTER = regex.compile(r"^(?P<num>[A-H])\s*[.)]\s*(?P<title>\p{Lu}[^\p{Ll}]{3,})$")
_VALID_ROMAN = regex.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")

# marker type -> precedence (lower is higher in the tree)
_RANK = {"appendix": 0, "roman": 0, "uletter": 0, "arabic": 1, "dot2": 2, "dot3": 3, "dot4": 4, "letter": 5}


@dataclass
class _Head:
    kind: str          # marker type
    number: str
    title: str
    start: int
    heading_end: int
    subtitle: str | None = None


def _lines(text: str):
    for m in regex.finditer(r"[^\n\f]+", text):
        yield m.start(), m.group()


def _short_title(title: str) -> str:
    title = title.strip().rstrip(":").strip()
    m = regex.match(r"^(.{3,100}?)[:：]\s+\S", title)
    if m and not _UPPER.match(title):
        return m.group(1).strip()
    if len(title) > 160:
        cut = title[:160]
        return cut[: cut.rfind(" ")].rstrip(",;") if " " in cut else cut
    return title


def _match_heading(line: str, rules: dict) -> tuple[str, str, str] | None:
    line = line.rstrip("\t").strip(" ")
    if "\t" in line.strip("\t") or line.startswith("\t") or len(line) < 2:
        return None
    if m := _APPENDIX.match(line):
        if _UPPER.match(line):
            return "appendix", "PHỤ LỤC", m.group("title")
    if m := _APPENDIX_SHORT.match(line):               # "Phụ lục 01" alone on its line
        return "appendix", "PHỤ LỤC", m.group("title")
    if (m := _ROMAN.match(line)) and _VALID_ROMAN.match(m.group("num")):
        return "roman", m.group("num"), m.group("title")
    if (m := _ROMAN_OCR.match(line)) and classify_kind(m.group("title"), rules):
        # before capital letters: OCR reads "II." as "H.", or drops the period ("IV KINH PHÍ")
        return "roman", m.group("num") if _VALID_ROMAN.match(m.group("num")) else "?", m.group("title")
    if m := _UPPER_LETTER.match(line):
        return "uletter", m.group("num"), m.group("title")
    if m := _DOTTED.match(line):
        depth = m.group("num").count(".") + 1
        return f"dot{min(depth, 4)}", m.group("num"), m.group("title")
    if m := _ARABIC.match(line):
        return "arabic", m.group("num"), m.group("title")
    if m := _LETTER.match(line):
        return "letter", m.group("num"), m.group("title")
    return None


@lru_cache(maxsize=None)
def _phrase_rx(phrase: str) -> regex.Pattern:
    """A heading phrase, without diacritics, whose words may be parted by an OCR speck ("MỤC 'TIÊU")."""
    return regex.compile(r"(?<!\p{L})" + r"[\s'`‘’.,:;_\-]+".join(regex.escape(w) for w in fold(phrase).split())
                         + r"(?!\p{L})")


def classify_kind(title: str, rules: dict) -> str | None:
    """Kind from the heading's words (`rules`: the sections table), compared without diacritics (OCR drops
    and swaps tone marks)."""
    folded = fold(title)
    for entry in rules["kinds"]:
        if any(_phrase_rx(p).search(folded) for p in entry["phrases"]):
            return entry["kind"]
    return None


def canonical_title(title: str, rules: dict) -> str:
    """Restore the spelling of known heading phrases that OCR garbled ("MỤC TIỂU" -> "MỤC TIÊU")."""
    phrases = sorted({p for e in rules["kinds"] for p in e["phrases"]}, key=len, reverse=True)
    folded = fold(title)
    for p in phrases:
        for m in _phrase_rx(p).finditer(folded):
            span = title[m.start():m.end()]
            want = p.upper() if span.isupper() else (p[:1].upper() + p[1:] if span[:1].isupper() else p)
            if span.casefold() != want.casefold():
                title = title[:m.start()] + want + title[m.end():]
    return title


def _find_heads(text: str, rules: dict) -> list[_Head]:
    heads: list[_Head] = []
    lines = list(_lines(text))
    for i, (start, line) in enumerate(lines):
        found = _match_heading(line, rules)
        if not found:
            continue
        kind, number, title = found
        if kind == "roman" and number in ("?", "II") and not any(h.kind == "roman" for h in heads):
            _first_roman_read_as_one(heads, rules)
        if number == "?":
            number = _next_roman(heads)
        head = _Head(kind, number, canonical_title(title.strip(), rules), start, start + len(line))
        if kind in ("roman", "appendix"):
            # an all-caps heading may continue on the next all-caps line
            nxt = [ln for _, ln in lines[i + 1:i + 4]]
            if kind == "appendix":
                sub = []
                for ln in nxt:
                    if _UPPER.match(ln) and not _match_heading(ln, rules) and "\t" not in ln:
                        sub.append(ln.strip())
                    else:
                        break
                head.subtitle = " ".join(sub) or None
        heads.append(head)
    return heads


def _first_roman_read_as_one(heads: list[_Head], rules: dict) -> None:
    """OCR reads "I." as "1.": before the second Roman heading, with no first one, the last "1." heading
    with an all-caps title of a known kind ("1. MỤC TIÊU CỦA PHONG TRÀO") is the first Roman one."""
    for h in reversed(heads):
        if h.kind == "arabic" and h.number == "1" and _UPPER.match(h.title) and classify_kind(h.title, rules):
            h.kind, h.number = "roman", "I"
            return


_ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


def _next_roman(heads: list[_Head]) -> str:
    last = next((h.number for h in reversed(heads) if h.kind == "roman"), None)
    if last in _ROMANS and _ROMANS.index(last) + 1 < len(_ROMANS):
        return _ROMANS[_ROMANS.index(last) + 1]
    return "I" if last is None else "?"


def parse_outline(doc: Document, rules: dict) -> list[Section]:
    """The document's outline; `rules`: the sections table (Rules.table("sections"))."""
    heads = _find_heads(doc.text, rules)
    if any(h.kind == "roman" for h in heads):
        heads = [h for h in heads if h.kind != "uletter"]     # "A. ..." parts above Roman sections: not outline rows
    else:
        for h in heads:
            if h.kind == "uletter":                          # "A. MỤC ĐÍCH" is the top level of this plan
                h.kind = "roman"
    if not any(h.kind == "roman" for h in heads):
        # no Roman level: Arabic numbers are the top level; when some of them print their titles in
        # capitals ("1. MỤC ĐÍCH, YÊU CẦU") and others not ("1. Mục đích"), the capitals are the top level
        arabic = [h for h in heads if h.kind == "arabic"]
        caps = [h for h in arabic if _UPPER.match(h.title)]
        top = caps if len(caps) >= 2 and len(caps) < len(arabic) else arabic
        for h in top:
            h.kind = "roman"
    stack: list[tuple[_Head, str, str]] = []     # (head, path, kind)
    sections: list[Section] = []
    opened: list[tuple[int, int]] = []           # (index in sections, level)
    for h in heads:
        rank = _RANK[h.kind]
        while stack and _RANK[stack[-1][0].kind] >= rank:
            stack.pop()
        number = h.number.split(".")[-1] if h.kind.startswith("dot") else h.number
        path = ".".join([s[1] for s in stack[-1:]] + [number]) if stack else number
        own = classify_kind(h.title, rules) if _is_title_like(h.title) or not stack else None
        kind = own or (stack[-1][2] if stack else "other")
        level = len(stack) + 1
        # close open sections of this level or deeper
        for idx, lvl in [o for o in opened if o[1] >= level]:
            sections[idx] = _with_end(sections[idx], h.start)
        opened = [o for o in opened if o[1] < level]
        sections.append(Section(path=path, level=level, number=h.number, title=_short_title(h.title),
                                kind=kind, start=h.start, end=len(doc.text), heading_end=h.heading_end,
                                subtitle=h.subtitle))
        opened.append((len(sections) - 1, level))
        stack.append((h, path, kind))
    return sections


def _is_title_like(title: str) -> bool:
    """Short or all-caps lines are headings; long sentences are list items that inherit a kind."""
    return len(title) <= 90 or bool(_UPPER.match(title))


_BULLET = regex.compile(r"^(?P<mark>[-+*•–])\s*(?P<title>\S.*)$")


def list_items(doc: Document, sections: list[Section]) -> list[Section]:
    """Bullet lines (-, +, *, •) as outline rows under the deepest numbered heading that holds them.

    '+' items nest under the '-' item above them. Kept apart from the numbered outline, which the
    extractors use for provenance and inherited scope; the closing block (Nơi nhận) is left out.
    """
    text = doc.text
    closing = text.rfind("Nơi nhận")
    out: list[Section] = []
    counters: dict[str, int] = {}
    last_dash: Section | None = None
    for start, line in _lines(text):
        m = _BULLET.match(line.strip(" "))
        if not m or "\t" in line or (closing != -1 and start >= closing):
            continue
        parent = section_at(sections, start)
        if parent is None:
            continue
        mark = m.group("mark")
        if mark == "+" and last_dash is not None and last_dash.start >= parent.start:
            parent_path, level = last_dash.path, last_dash.level + 1
        else:
            parent_path, level = parent.path, parent.level + 1
        counters[parent_path] = counters.get(parent_path, 0) + 1
        item = Section(path=f"{parent_path}.b{counters[parent_path]}", level=level, number=mark,
                       title=_short_title(m.group("title")), kind=parent.kind, start=start,
                       end=start + len(line), heading_end=start + len(line))
        out.append(item)
        if mark != "+":
            last_dash = item
    return out


def _with_end(section: Section, end: int) -> Section:
    from dataclasses import replace
    return replace(section, end=end)


def section_at(sections: list[Section], offset: int) -> Section | None:
    """The deepest section whose span holds offset."""
    best = None
    for s in sections:
        if s.start <= offset < s.end and (best is None or s.level >= best.level):
            best = s
    return best


# a lead-in line: "Căn cứ ...", "Thực hiện ...", or one ending "như sau:" (found from its end, not by
# scanning each line from its start, which was quadratic in the line's length)
_LEAD_END = regex.compile(r"(?m)^(?:Căn\s+cứ|Thực\s+hiện|Theo)\b[^\n]*$|\bnhư\s+sau[ \t]*:[ \t]*$")


def preamble_end(sections: list[Section], text: str) -> int:
    """Where the căn cứ / thực hiện preamble ends: the first top-level heading, or, in a plan without
    numbered headings, the end of the last lead-in line in the first half of the text."""
    top = [s for s in sections if s.level == 1]
    if top:
        return top[0].start
    ends = [m.end() for m in _LEAD_END.finditer(text, 0, len(text) // 2)]
    return ends[-1] + 1 if ends else 0
