"""OCR text repair: the one stage that changes what Tesseract read, and a record of every change.

A page read by OCR keeps its reading (`Page.raw_text`). Repairs are made only on pages at risk (a
low-resolution scan or a doubtful reading) and only on words Tesseract itself doubted (word confidence
under DOUBT_BELOW): a word read surely is left as read, whatever a rule thinks of it. Each change is an
`Edit` (page, offset into the raw text, before -> after, why, the word's confidence) that reaches the
`ocr_edits` table, `kehoach text` and the review app.

The repairs, in order:
- specks: marks a toner speck leaves (a period between two lower-case words, a lone accent mark, a
  quote mark that quotes nothing, a count's leading zero read as a letter, a quarter's numeral misread);
- tones: tone marks put right where the syllables then form a compound word and stay about as common
  (pipeline.reading.ingest.lexicon); a word read surely may change too where Tesseract weighed the new letter
  there (its LSTM choices per character, ReadWord.alternatives);
- abbreviations: an "&" abbreviation misread once among many right readings (document-wide).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

import regex

from ...vi import OCR_ROMAN

# a word Tesseract gives less confidence than this may be repaired; others never (nor any word of a page
# not at risk: a clean scan is left as read). On a page at risk Tesseract's LSTM gives 96 to most words,
# and to its tone misreads as well: on the 150-dpi copy of seed 003, 65% of the words and every "tối
# thiếu", "tiêu biếu", "cụ thế" it read are at 96, and its character choices (below) list no other mark
# for them. So only the words it read with its top confidence (97 and above) are taken as sure. Measured
# on the eight shared and generated scans against their truth (tests/edit_judge.py): 257 edits right and
# 2 wrong with the gate at 96; 334 and 2 at 97 (348 and 2 with the choices below); 337 and 2 with no gate. The safety is the rest of the
# stage: a word valid in context as read never changes (no correct word changed over 65,212 words of correct text, tests/test_ocr_repair.py).
DOUBT_BELOW = 97.0
LOW_WORD = 60.0      # a word read with less confidence than this is shown to the user as doubtful


@dataclass
class Edit:
    page: int              # 1-based
    offset: int            # into the page's raw OCR text
    before: str
    after: str
    why: str
    confidence: float | None = None


# ---------------------------------------------------------------- which words were doubted

def word_confidences(text: str, words: list) -> list[float | None]:
    """The Tesseract confidence of each whitespace-separated word of `text`, by aligning them with
    the words as read (`words`: (word, confidence) in reading order); None where no word matches
    (text a layout step made)."""
    tokens = text.split()
    out: list[float | None] = [None] * len(tokens)
    sm = difflib.SequenceMatcher(None, tokens, [w for w, _ in words], autojunk=False)
    for a, b, size in sm.get_matching_blocks():
        for k in range(size):
            out[a + k] = float(words[b + k][1])
    return out


def doubt_mask(text: str, words: list, below: float = DOUBT_BELOW) -> list[bool]:
    """One flag per character of `text`: inside a word read with a confidence under `below`."""
    mask = [False] * (len(text) + 1)
    confs = word_confidences(text, words)
    for m, c in zip(regex.finditer(r"\S+", text), confs):
        if c is not None and c < below:
            mask[m.start():m.end()] = [True] * (m.end() - m.start())
    return mask


# ---------------------------------------------------------------- specks

# what a toner speck reads as: a period inside a phrase ("100% học. sinh"), a lone accent or quote mark
_SPECK_STOP = regex.compile(r"(?<=\p{Ll})[ ]?[.·][ ]+(?=\p{Ll})|(?<=(?:^|[ ])\p{Ll}{1,7})[.·](?=\p{Ll}{1,7}(?:[ ,;]|$))"
                            r"|(?<=[ ])[.·](?=\p{Ll})|(?<=\d),(?=\p{Ll})", regex.M)
_SPECK_MARK = regex.compile(r"(?<=^|[ ])[ˆ„¡¬`'‘’·˜¸]+(?=[ ]|$)", regex.M)
# a quarter's Roman numeral as OCR reads it ("Quý 1V/2026", "Quý Il"): I as 1, l or |, V as Y
_QUARTER_NUMERAL = regex.compile(r"(?i)\b(qu[ýí])[ ]+(?=[1lI|]*[VY]?\b)(?!(?:IV|I{1,3}|[1-4])\b)([1lI|][VY]|I[lI|]{1,2}|l[lI|]{1,2})\b")
# a count's leading zero read as a round letter ("tối thiểu Ù1 mô hình", "O2 tin/bài"): these documents
# write small counts with two digits
_ZERO_LETTER = regex.compile(r"(?<=^|[ (])[OoÔôƠơÒòÓóÙù](?=\d(?:[ ,.;:)]|$))", regex.M)
# quote marks: a curly one, a straight one closing (after a word) or opening (before one)
_QUOTE_MARK = regex.compile(r"""(?P<curly>[“”])|(?<=[^\s(])(?P<close>["'])(?=[\s,.;:)]|$)"""
                            r"""|(?<=^|[\s(])(?P<open>["'])(?=\p{L})""", regex.M)
QUOTE_REACH = 400     # characters a quotation runs at most
# a determiner of number ("các", "những", "mọi", "mỗi", "từng") always has its noun after it, so a
# mark between them is a speck ("85% các: cơ sở")
_DETERMINER_MARK = regex.compile(r"(?<=(?:^|[ (])(?:[Cc]ác|[Nn]hững|[Mm]ọi|[Mm]ỗi|[Tt]ừng))[:;.,](?=[ ]\p{Ll})", regex.M)


def _stray_quotes(text: str) -> str:
    """Straight quote marks that quote nothing: a closing one with no quotation open ("cơ quan quản lý"
    giáo dục"), an opening apostrophe whose quotation never closes within a line or two ("bồi 'dưỡng").
    OCR reads specks beside a word so. These documents quote with curly marks, which OCR reads as
    straight ones too, so a straight mark that closes an open quotation stays."""
    drop, opened = [], None             # where the open quotation starts
    for m in _QUOTE_MARK.finditer(text):
        pos = m.start()
        if opened is not None and pos - opened > QUOTE_REACH:
            opened = None
        if m.group("curly"):
            opened = pos if m.group() == "“" else None
        elif m.group("close"):
            if opened is None:
                drop.append(pos)
            opened = None
        elif m.group() == "'" and not regex.match(r"[^“”\"'\t]{0,119}[^\s“”\"']['”\"](?=[\s,.;:)]|$)", text[pos + 1:]):
            drop.append(pos)
        else:
            opened = pos
    bounds = [-1] + drop + [len(text)]
    return "".join(text[a + 1:b] for a, b in zip(bounds, bounds[1:]))


def tidy_specks(text: str) -> str:
    """Marks a speck leaves in the text of a poor scan: a period between two lower-case words ("học. sinh",
    "học.sinh"; a sentence never ends so in these documents, and a web address has more than one dot) or
    before one (" .học"), a comma glued between a number and a word ("11/10,hằng năm"), accent or quote
    marks standing alone between spaces or quoting nothing, a count's leading zero read as a letter
    ("Ù1"), a mark between a determiner and its noun ("các: cơ sở"), and a quarter's numeral misread
    ("Quý 1V" -> "Quý IV")."""
    text = _QUARTER_NUMERAL.sub(lambda m: m.group(1) + " " + m.group(2).upper().translate(OCR_ROMAN), text)
    text = _ZERO_LETTER.sub("0", _SPECK_MARK.sub("", _SPECK_STOP.sub(" ", _stray_quotes(text))))
    text = _DETERMINER_MARK.sub("", text)
    return regex.sub(r"[ ]{2,}", " ", text)


# ---------------------------------------------------------------- applying a stage, gated and recorded

class _Text:
    """The page's text being repaired, with the raw offset of each character and its doubt flag."""

    def __init__(self, raw: str, doubt: list[bool], confs: list[tuple[int, int, float]], alts: dict | None = None):
        self.text = raw
        self.origin = list(range(len(raw) + 1))
        self.doubt = doubt
        self.confs = confs          # (start, end, confidence) of each raw word
        self.alts = alts or {}      # raw offset of a letter -> the other letters the recognizer weighed there

    def apply(self, new: str, page: int, why, edits: list[Edit], weighed: bool = False) -> None:
        """Take the changes from self.text to `new` that touch a doubted word, word by word; each one
        taken is an Edit. `why(start, end)` names the reason for a change at text[start:end]. With
        `weighed`, a change to a word read surely is taken too when the recognizer weighed each new
        letter there (supported)."""
        old = self.text
        groups = _word_hunks(old, new)
        if not groups:
            return
        parts, origin, doubt, last = [], [], [], 0
        for a, b, c, d in groups:
            if not any(self.doubt[a:max(b, a + 1)]) and not (weighed and self.supported(a, b, new[c:d])):
                continue
            parts.append(old[last:a])
            origin += self.origin[last:a]
            doubt += self.doubt[last:a]
            parts.append(new[c:d])
            origin += [self.origin[a]] * (d - c)
            doubt += [True] * (d - c)
            at = self.origin[a]
            edits.append(Edit(page, at, old[a:b], new[c:d], why(a, b), self._conf(at, self.origin[b] if b < len(old) else at)))
            last = b
        parts.append(old[last:])
        origin += self.origin[last:]
        doubt += self.doubt[last:]
        self.text, self.origin, self.doubt = "".join(parts), origin, doubt

    def weighed(self, start: int, end: int) -> bool:
        """Whether the recognizer weighed other letters anywhere in text[start:end] (as read)."""
        return any(self.alts.get(self.origin[k]) for k in range(start, min(end, len(self.origin) - 1)))

    def supported(self, start: int, end: int, new: str) -> bool:
        """Whether the words text[start:end], as read, become `new` only by letters the recognizer
        weighed at those places."""
        old = self.text[start:end]
        if len(old) != len(new) or any(self.origin[start + k] != self.origin[start] + k for k in range(len(old))):
            return False            # an earlier repair moved letters here: no choice to check against
        changed = [k for k, (x, y) in enumerate(zip(old, new)) if x != y]
        return bool(changed) and all(y in self.alts.get(self.origin[start + k], "") for k, y in
                                     ((k, new[k]) for k in changed))

    def _conf(self, start: int, end: int) -> float | None:
        """The lowest confidence of the raw words the range [start, end) touches."""
        found = [c for s, e, c in self.confs if s < max(end, start + 1) and e > start]
        return min(found) if found else None


def _word_hunks(old: str, new: str) -> list[tuple[int, int, int, int]]:
    """The differences between two texts as (old_start, old_end, new_start, new_end), each widened to
    whole words (whitespace-bounded) and merged where they touch. The repairs keep lines, so texts with
    as many lines are compared line by line (a page at once costs a quarter of a second)."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    if len(old_lines) != len(new_lines):
        return _hunks(old, new, 0, 0)
    out, a, c = [], 0, 0
    for x, y in zip(old_lines, new_lines):
        if x != y:
            out += _hunks(x, y, a, c)
        a, c = a + len(x) + 1, c + len(y) + 1
    return out


def _hunks(old: str, new: str, a0: int, c0: int) -> list[tuple[int, int, int, int]]:
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    out: list[list[int]] = []
    for op, a, b, c, d in sm.get_opcodes():
        if op == "equal":
            continue
        while a > 0 and not old[a - 1].isspace() and c > 0 and old[a - 1] == new[c - 1]:
            a, c = a - 1, c - 1
        while b < len(old) and not old[b].isspace() and d < len(new) and old[b] == new[d]:
            b, d = b + 1, d + 1
        if out and a <= out[-1][1]:
            out[-1][1], out[-1][3] = max(out[-1][1], b), max(out[-1][3], d)
        else:
            out.append([a, b, c, d])
    return [(a + a0, b + a0, c + c0, d + c0) for a, b, c, d in out]


def weighed_letters(text: str, words: list) -> dict[int, str]:
    """Offset in `text` of each letter the recognizer hesitated over -> the other letters it weighed
    there (ReadWord.alternatives), by aligning the text's words with the words as read."""
    tokens = text.split()
    out: dict[int, str] = {}
    starts = [m.start() for m in regex.finditer(r"\S+", text)]
    sm = difflib.SequenceMatcher(None, tokens, [w for w, _ in words], autojunk=False)
    for a, b, size in sm.get_matching_blocks():
        for k in range(size):
            for i, other in (getattr(words[b + k][0], "alternatives", None) or {}).items():
                out[starts[a + k] + i] = other
    return out


def _word_spans(raw: str, words: list) -> list[tuple[int, int, float]]:
    confs = word_confidences(raw, words)
    return [(m.start(), m.end(), c) for m, c in zip(regex.finditer(r"\S+", raw), confs) if c is not None]


def repair_page(page, number: int, doubt_below: float = DOUBT_BELOW) -> list[Edit]:
    """Repair one OCR page in place (specks, then tones); page.raw_text keeps the reading. Returns and
    stores (page.edits) the edits made."""
    from .lexicon import repair_tones_with_reasons
    if page.raw_text is None:
        page.raw_text = page.text
    raw = page.text
    state = _Text(raw, doubt_mask(raw, page.words, doubt_below), _word_spans(raw, page.words),
                  weighed_letters(raw, page.words))
    edits: list[Edit] = []
    text = state.text

    def speck_why(a: int, b: int) -> str:
        before = text[a:b]
        if _QUARTER_NUMERAL.search(before):
            return "speck: a quarter's Roman numeral misread"
        if _ZERO_LETTER.search(before):
            return "speck: a count's leading zero read as a letter"
        return "speck: a stray mark between words"
    state.apply(tidy_specks(text), number, speck_why, edits)
    n_before = len(edits)

    def doubted(s: int, e: int) -> bool:
        return any(state.doubt[s:e]) or state.weighed(s, e)
    fixed, _, reasons = repair_tones_with_reasons(state.text, doubted)

    def tone_why(a, b):
        compound = next((c for s, e, c in reasons if s <= a < e or a <= s < b), None)
        return f"tone: forms the word '{compound}'" if compound else "tone"
    state.apply(fixed, number, tone_why, edits, weighed=True)
    page.tone_repairs = len(edits) - n_before
    edits.sort(key=lambda e: e.offset)
    page.text = state.text
    page.edits = page.edits + edits
    page._repair_state = state          # for the document-wide abbreviation pass
    return edits


# an abbreviation joined by "&" ("GD&ĐT", "KH&CN", "LĐ-TB&XH")
_AMP_ABBREV = regex.compile(r"(?<![\p{L}\p{N}])\p{Lu}[\p{Lu}\-]*&\p{Lu}[\p{Lu}\-&]*(?![\p{L}\p{N}])")


def settle_abbreviations(texts: list[str], at_risk: list[bool], common: int = 3) -> list[str]:
    """An "&" abbreviation a plan uses again and again ("GD&ĐT") read once with one letter misread
    ("GI&ĐT", "GĐ&ĐT") on a poor page is put right: two such abbreviations one letter apart do not
    occur in one plan. Only the pages at risk are changed; the counts come from every page."""
    counts: dict = {}
    for t in texts:
        for m in _AMP_ABBREV.finditer(t):
            counts[m.group()] = counts.get(m.group(), 0) + 1
    frequent = [a for a, n in counts.items() if n >= common]

    def settle(m):
        word = m.group()
        if counts.get(word, 0) > 1:
            return word
        near = [a for a in frequent if len(a) == len(word) and sum(x != y for x, y in zip(a, word)) == 1]
        return near[0] if len(near) == 1 else word

    return [_AMP_ABBREV.sub(settle, t) if risk and frequent else t for t, risk in zip(texts, at_risk)]


def repair_pages(pages: list, doubt_below: float = DOUBT_BELOW) -> None:
    """The repair stage over a document's pages: each OCR page at risk repaired (repair_page), then the
    abbreviations settled across the document. Pages not at risk keep their reading."""
    risky = [(i, p) for i, p in enumerate(pages, 1) if p.ocr and p.at_risk]
    for i, p in risky:
        repair_page(p, i, doubt_below)
    if not risky:
        return
    texts = settle_abbreviations([p.text for p in pages], [p.ocr and p.at_risk for p in pages])
    for (i, p) in risky:
        new = texts[i - 1]
        if new != p.text:
            state = p._repair_state
            extra: list[Edit] = []
            state.apply(new, i, lambda a, b: "abbreviation: read otherwise three times or more in this document", extra)
            p.text = state.text
            p.edits = sorted(p.edits + extra, key=lambda e: e.offset)
    for _, p in risky:
        p.__dict__.pop("_repair_state", None)


def low_confidence_share(page, below: float = LOW_WORD) -> float | None:
    """The share of the page's words read with a confidence under `below` (None: not OCR)."""
    if not page.ocr or not page.words:
        return None
    return round(sum(1 for _, c in page.words if float(c) < below) / len(page.words), 3)


def low_confidence_words(page, below: float = LOW_WORD) -> set[str]:
    """The words of the page read with a confidence under `below`, and what repairs made of them."""
    out = {w for w, c in page.words if float(c) < below} if page.ocr else set()
    out |= {e.after for e in page.edits if e.after.strip()}
    return {w.strip(".,;:()\"“”'") for w in out if w.strip(".,;:()\"“”'")}
