"""Word's automatic list numbering: the "I.", "1.", "a)" and bullets that are not in a paragraph's text.

Plans typed in Word often number their headings with the list feature, so python-docx's
`paragraph.text` has "MỤC ĐÍCH" where the page shows "I. MỤC ĐÍCH". This renders the label the way
Word does: counters per list instance, deeper levels restart when a higher one advances.
"""
from __future__ import annotations

from dataclasses import dataclass

from docx.oxml.ns import qn

_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(n: int) -> str:
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _fmt(n: int, kind: str) -> str:
    if kind == "upperRoman":
        return roman(n)
    if kind == "lowerRoman":
        return roman(n).lower()
    if kind in ("upperLetter", "lowerLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if kind == "upperLetter" else letter
    return str(n)


@dataclass
class Level:
    start: int
    fmt: str
    text: str


def _val(el, tag: str, default=None):
    child = el.find(qn(tag)) if el is not None else None
    return child.get(qn("w:val")) if child is not None else default


class Numbering:
    def __init__(self, document):
        self.levels: dict[str, dict[int, Level]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for an in root.findall(qn("w:abstractNum")):
            lv = {}
            for lvl in an.findall(qn("w:lvl")):
                lv[int(lvl.get(qn("w:ilvl")))] = Level(int(_val(lvl, "w:start", "1")), _val(lvl, "w:numFmt", "decimal"),
                                                        _val(lvl, "w:lvlText", ""))
            abstract[an.get(qn("w:abstractNumId"))] = lv
        for num in root.findall(qn("w:num")):
            levels = dict(abstract.get(_val(num, "w:abstractNumId"), {}))
            for ov in num.findall(qn("w:lvlOverride")):
                ilvl, start = int(ov.get(qn("w:ilvl"))), _val(ov, "w:startOverride")
                if start is not None and ilvl in levels:
                    levels[ilvl] = Level(int(start), levels[ilvl].fmt, levels[ilvl].text)
            self.levels[num.get(qn("w:numId"))] = levels

    def _num_pr(self, paragraph):
        ppr = paragraph._p.pPr
        num_pr = ppr.numPr if ppr is not None else None
        try:
            style = paragraph.style
        except (AttributeError, KeyError, ValueError):     # a styles part of the wrong type: no style numbering
            style = None
        seen = set()
        # a style's numbering may come from the style it is based on; a chain that loops (styles based on
        # each other) ends where it comes back
        while num_pr is None and style is not None and style.style_id not in seen:
            seen.add(style.style_id)
            sppr = style.element.pPr
            num_pr = sppr.numPr if sppr is not None else None
            style = style.base_style
        if num_pr is None or num_pr.numId is None:
            return None
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        return str(num_pr.numId.val), int(ilvl)

    def label(self, paragraph) -> str | None:
        """The rendered number or bullet of a list paragraph ("I.", "1.2.", "a)", "-"), else None."""
        found = self._num_pr(paragraph)
        if found is None or not paragraph.text.strip():
            return None
        num_id, ilvl = found
        levels = self.levels.get(num_id, {})
        level = levels.get(ilvl)
        if level is None or num_id == "0":
            return None
        if level.fmt == "bullet":
            return "-"
        if level.fmt == "none":
            return None
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        text = level.text
        for k in range(ilvl, -1, -1):
            lv = levels.get(k)
            value = counters.get(k, lv.start if lv else 1)
            text = text.replace(f"%{k + 1}", _fmt(value, lv.fmt if lv else "decimal"))
        return text.strip() or None
