"""Tone marks that OCR confuses on poor scans, put right by the words they must form.

At 150 dpi or on a fax, Tesseract reads the hook above as an acute ("chuyến đối số" for "chuyển đổi
số"), a speck under a vowel as the dot below ("Bạn Chỉ đạo"), and so on; each syllable is still a
Vietnamese syllable, so a spelling check cannot see it. Compound words can: "chuyến đối" is no word,
"chuyển đổi" is. Over each run of words, a small dynamic program chooses for every syllable either the
syllable as read or one with the same letters and another tone, maximizing the syllables covered by
dictionary compounds, with a cost per change, so a change is made only where it completes a word and
never where the syllable as read already does ("chuyển đối tượng" stays).

The dictionary is underthesea's Viet74K word list (the `nlp` extra); without it nothing is changed.
Measured on the scanned fixtures (similarity to the true text summed over eight scans; the seeds'
gold target anchors found verbatim): +0.030 and 44/72 with the first confusion set (acute/hook/tilde,
hook or dot lost, grave/hook); +0.042 and 45/72 with every mark above allowed to be lost or misread
but acute for grave; +0.037 and 47/72, kept, when a grave is never taken as lost ("từ cấp tiểu học"
stays; it became "tư cấp"); +0.039, kept, when a grave lost is restored but one read is never removed
("lông ghép" -> "lồng ghép", "bôi dưỡng" -> "bồi dưỡng"); +0.0415, kept, when a reading that is no
Vietnamese syllable at all may also stand for one a confused letter away (c/e, l/i, n/u, h/b, ä/a: "eơ
sở" -> "cơ sở", "TRIỀN KHAL" -> "TRIỂN KHAI"; six changes on the eight scans, all right). Letting vowel
shapes vary too (ă/â/a, ơ/ô/o, ư/u) made more wrong changes than right ones (+0.024) and is not done.
settle_abbreviations puts right an "&" abbreviation misread once among many right readings.
"""
from __future__ import annotations

import logging
import unicodedata
from functools import lru_cache
from pathlib import Path

import regex

from ..normalize.unicode import tone_key

log = logging.getLogger(__name__)

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
CHANGE_COST = 0.6        # below 1: changing both syllables of a pair that then forms a word pays
_RUN = regex.compile(r"\p{L}+(?: \p{L}+)*")


# the tone marks OCR mistakes for one another: a mark above misread as another (hook, tilde, acute,
# grave; not acute for grave, which slant the opposite ways) or lost, and the dot below lost or a speck
# taken for it; the dot is never taken for a mark above. A grave read is never removed ("từ", "và",
# "là" would become "tư", "va", "la" in rare compounds); a grave lost is restored (see confusable)
_ABOVE = ["\u0301", "\u0300", "\u0309", "\u0303"]
_CONFUSED = ({frozenset((a, b)) for a in _ABOVE for b in _ABOVE + [""] if a != b}
             - {frozenset(("\u0301", "\u0300")), frozenset(("\u0300", ""))}) | {frozenset(("\u0323", ""))}


def tone_of(syllable: str) -> str:
    return next((c for c in unicodedata.normalize("NFD", syllable) if c in _TONE_MARKS), "")


def confusable(word: str, read: str) -> bool:
    """`read` may be OCR's reading of `word`'s tone: a confused pair, or `word`'s grave lost."""
    pair = (tone_of(word), tone_of(read))
    return frozenset(pair) in _CONFUSED or pair == ("\u0300", "")


def toneless(syllable: str) -> str:
    """The syllable's letters without its tone (vowel shapes kept: ô, ơ, ư, ă, â, đ)."""
    d = unicodedata.normalize("NFD", syllable.casefold())
    return unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONE_MARKS))


@lru_cache(maxsize=1)
def lexicon() -> dict | None:
    """Compounds of 2-3 syllables from underthesea's Viet74K, indexed by their letters without tones."""
    try:
        import underthesea
    except ImportError:
        return None
    path = Path(underthesea.__file__).parent / "corpus" / "data" / "Viet74K.txt"
    if not path.is_file():
        log.info("no Viet74K word list in underthesea: OCR tone repair is off")
        return None
    index: dict = {}
    syllables: set = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        words = tone_key(line.strip()).split()
        if all(w.isalpha() for w in words):
            syllables.update(toneless(w) for w in words)
        if 2 <= len(words) <= 3 and all(w.isalpha() for w in words):
            index.setdefault(" ".join(toneless(w) for w in words), set()).add(tuple(words))
    index = {k: sorted(v) for k, v in index.items()}
    index[SYLLABLES] = syllables
    return index


SYLLABLES = "\0syllables"       # the lexicon's key for the set of all syllables (toneless)
# letters OCR reads for one another, where the reading is no Vietnamese syllable at all ("eơ sở",
# "hoạt độäg"): the letter as read -> the letters it may stand for
_GLYPHS = {"e": "c", "c": "e", "l": "i", "i": "l", "n": "u", "u": "n", "h": "b", "b": "h",
           "ä": "a", "ö": "ô", "ü": "ư", "ë": "ê", "ï": "i", "ÿ": "y", "å": "a"}


def _letter_variants(bare: str, syllables: set) -> list[str]:
    """The syllable as read, and when it is none, the syllables one confused letter away."""
    if bare in syllables or not bare.isalpha():
        return [bare]
    out = [bare]
    for i, ch in enumerate(bare):
        for alt in _GLYPHS.get(ch, ""):
            v = bare[:i] + alt + bare[i + 1:]
            if v in syllables:
                out.append(v)
    return out


def _cased(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _repair_run(words: list[str], index: dict) -> tuple[list[str], int]:
    keys = [tone_key(w) for w in words]
    syllables = index.get(SYLLABLES, set())
    variants = [_letter_variants(toneless(k), syllables) for k in keys]
    n = len(words)
    best: list[tuple[float, int, list[str]] | None] = [None] * (n + 1)
    best[0] = (0.0, 0, [])
    for i in range(n):
        if best[i] is None:
            continue
        score, changes, chosen = best[i]
        options = [(score, changes, chosen + [keys[i]], i + 1)]
        for size in (2, 3):
            if i + size > n:
                break
            for combo in (c for key in _keys(variants[i:i + size]) for c in index.get(key, ())):
                if all(tone_of(a) == tone_of(b) or confusable(a, b) for a, b in zip(combo, keys[i:i + size])):
                    c = sum(a != b for a, b in zip(combo, keys[i:i + size]))
                    options.append((score + size - CHANGE_COST * c, changes + c, chosen + list(combo), i + size))
        for s, c, ch, j in options:
            if best[j] is None or (s, -c) > (best[j][0], -best[j][1]):
                best[j] = (s, c, ch)
    _, changes, chosen = best[n]
    out = [w if k == c else _cased(c, w) for w, k, c in zip(words, keys, chosen)]
    return out, changes


def _keys(variants: list[list[str]]) -> list[str]:
    keys = [""]
    for vs in variants:
        keys = [f"{k} {v}" if k else v for k in keys for v in vs]
    return keys


def repair_tones(text: str) -> tuple[str, int]:
    """The text with tone marks put right where a compound word needs them, and how many were changed."""
    index = lexicon()
    if index is None:
        return text, 0
    parts, last, total = [], 0, 0
    for m in _RUN.finditer(text):
        words = m.group().split(" ")
        if len(words) < 2:
            continue
        fixed, changes = _repair_run(words, index)
        if changes:
            parts += [text[last:m.start()], " ".join(fixed)]
            last = m.end()
            total += changes
    parts.append(text[last:])
    return "".join(parts), total


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
