"""Vietnamese text helpers every stage shares (the lowest layer: it imports nothing of kehoach).

Folding for matching (case and diacritics off, offsets kept), tone keys (old and new tone placement made
one), dashes made one, document keys as the scorer compares them, and Roman numerals, OCR readings
included. Stages import these from here, never from an extractor or from the scorer.
"""
from __future__ import annotations

import unicodedata

import regex

# a Roman numeral of a quarter or heading, and the way OCR reads one (upper-cased): I as 1, L or |, V as Y
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
OCR_ROMAN = str.maketrans({"1": "I", "L": "I", "|": "I", "Y": "V"})

# old-style tone placement at the end of a syllable (hoà, thuỷ) -> new style (hòa, thủy)
TONE_MOVES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
TONE_RE = regex.compile(r"(?i)(?<!q)(" + "|".join(TONE_MOVES) + r")(?!\p{L})")
DASHES = dict.fromkeys(map(ord, "–—‐‑−﹣－"), "-")
_WS = regex.compile(r"\s+")


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


def to_nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _match_case(new: str, old: str) -> str:
    return "".join(n.upper() if o.isupper() else n for n, o in zip(new, old))


def modern_tones(text: str) -> str:
    """Old-style tone placement at a syllable's end moved to the new style (Uỷ ban -> Ủy ban), case kept."""
    return TONE_RE.sub(lambda m: _match_case(TONE_MOVES[m.group(1).lower()], m.group(1)), to_nfc(text))


def tone_key(text: str) -> str:
    """Matching key: NFC, new-style tone placement, case-folded. Never stored as text."""
    return modern_tones(text).casefold()


def citation_key(k) -> str:
    """A document number as compared across plans and by the scorer: no spaces, one dash, case-folded."""
    return _WS.sub("", unicodedata.normalize("NFC", str(k or ""))).translate(DASHES).casefold()


def alternation(phrases) -> str:
    """A regex alternation of word phrases (a rule file's word class), longest first, a space matching any
    run of spaces; a pattern that never matches when there are none (a class left out of a --rules file)."""
    kept = sorted({p.strip() for p in phrases or () if p and p.strip()}, key=len, reverse=True)
    return "|".join(r"\s+".join(regex.escape(w) for w in p.split()) for p in kept) or r"(?!)"
