"""Tone marks that OCR confuses on poor scans, put right by the words they must form.

At 150 dpi or on a fax, Tesseract reads the hook above as an acute ("chuyến đối số" for "chuyển đổi
số"), a speck under a vowel as the dot below ("Bạn Chỉ đạo"), and so on; each syllable is still a
Vietnamese syllable, so a spelling check cannot see it. Compound words can: "chuyến đối" is no word,
"chuyển đổi" is. Over each run of words, a small dynamic program chooses for every syllable either the
syllable as read or one with the same letters and another tone, maximizing the syllables covered by
dictionary compounds, with a cost per change.

What may change is narrow, because a wrong change rewrites evidence (issue 23: run over correct text,
the first version of this module turned "trong đó" into "tròng đỏ" and "Hằng năm có" into "Hằng nằm
co"):
- only a word Tesseract doubted (the caller says which; pipeline.reading.ingest.repair);
- never a word valid in context as read: one that forms a compound with a neighbour, or that follows
  or precedes its neighbour as administrative Vietnamese does (a table of syllable pairs from the
  shared doctype corpus, tools/build_bigrams.py);
- never a name (a capitalized word inside a sentence) or an abbreviation in capitals among lower-case
  words;
- only into a compound that administrative text uses (its syllable pairs are in that table).
Measured (tools in the closing note of issue 23): over 65,212 words of correct text with every word
doubted, 16 changes, all of them misspellings in the delivered text ("giảo dục", "kính phí") or stray
marks; on eleven scans, 108 edits right against the truth, 1 wrong (a misspelling of the source put
right). Word frequencies (wordfreq) as a further gate cost 16 right edits to save 2 and are not used.

The dictionary is underthesea's word lists Viet11K..Viet74K (the `nlp` extra); without them nothing
is changed. Confusions allowed: a mark above misread as another or lost (not acute for grave), a grave
lost, the dot below lost or added; a reading that is no Vietnamese syllable may stand for one a
confused letter away (c/e, l/i, n/u, h/b, ä/a: "eơ sở" -> "cơ sở", "TRIỀN KHAL" -> "TRIỂN KHAI").
"""
from __future__ import annotations

import logging
import unicodedata
from functools import lru_cache
from pathlib import Path

import regex

from ...vi import tone_key

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
    """Compounds of 2-3 syllables from underthesea's word lists (Viet11K .. Viet74K), indexed by their
    letters without tones."""
    try:
        import underthesea
    except ImportError:
        return None
    folder = Path(underthesea.__file__).parent / "corpus" / "data"
    paths = [folder / f"Viet{n}K.txt" for n in (11, 22, 39, 74)]
    if not paths[-1].is_file():
        log.info("no Viet74K word list in underthesea: OCR tone repair is off")
        return None
    index: dict = {}
    syllables: set = set()
    # the four lists overlap but none holds the others ("khóa học" is only in Viet11K)
    lines = {ln.strip() for p in paths if p.is_file() for ln in p.read_text(encoding="utf-8").splitlines()}
    for line in sorted(lines):
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


def _repair_run(words: list[str], index: dict, doubted: list[bool] | None = None,
                locked: list[bool] | None = None) -> tuple[list[str], int, list[tuple[int, int, str]]]:
    """The run's words with tones put right; how many were changed; and the compounds the changes
    form (first word, word after the last, compound). Only a `doubted` word may change (all when
    None), never a `locked` one, and only into a compound that administrative text uses (bigrams)."""
    keys = [tone_key(w) for w in words]
    syllables = index.get(SYLLABLES, set())
    pairs = bigrams()
    n = len(words)
    may = [(doubted is None or doubted[i]) and not (locked and locked[i]) for i in range(n)]
    variants = [_letter_variants(toneless(k), syllables) if may[i] else [toneless(k)] for i, k in enumerate(keys)]
    best: list[tuple[float, int, list[str], list] | None] = [None] * (n + 1)
    best[0] = (0.0, 0, [], [])
    for i in range(n):
        if best[i] is None:
            continue
        score, changes, chosen, made = best[i]
        options = [(score, changes, chosen + [keys[i]], made, i + 1)]
        for size in (2, 3):
            if i + size > n:
                break
            read = keys[i:i + size]
            for combo in (c for key in _keys(variants[i:i + size]) for c in index.get(key, ())):
                changed = [j for j, (a, b) in enumerate(zip(combo, read)) if a != b]
                if not all(may[i + j] and (tone_of(combo[j]) == tone_of(read[j]) or confusable(combo[j], read[j]))
                           for j in changed):
                    continue
                if changed and pairs and not all(p in pairs for p in zip(combo, combo[1:])):
                    continue        # the compound is not one administrative text uses
                c = len(changed)
                options.append((score + size - CHANGE_COST * c, changes + c, chosen + list(combo),
                                made + ([(i, i + size, " ".join(combo))] if c else []), i + size))
        for s, c, ch, mk, j in options:
            if best[j] is None or (s, -c) > (best[j][0], -best[j][1]):
                best[j] = (s, c, ch, mk)
    _, changes, chosen, made = best[n]
    out = [w if k == c else _cased(c, w) for w, k, c in zip(words, keys, chosen)]
    return out, changes, made


def _keys(variants: list[list[str]]) -> list[str]:
    keys = [""]
    for vs in variants:
        keys = [f"{k} {v}" if k else v for k in keys for v in vs]
    return keys


# a word capitalized inside a sentence is a name ("xã Trường Văn", "Hoa Kỳ", "toàn Tỉnh"), which no
# compound list covers: it is left as read. A capitalized word that opens a line or follows a sentence's
# end, and a word in capitals (a heading), may change.
_OPENS = regex.compile(r"(?:^|[.:;!?]\s*|\n)[\s\-+*•(\d.)]*$")


def _is_name(text: str, start: int, word: str) -> bool:
    return word[:1].isupper() and not word.isupper() and not _OPENS.search(text[max(0, start - 12):start])


@lru_cache(maxsize=1)
def bigrams() -> frozenset:
    """Pairs of syllables (tone_key) that follow each other in administrative Vietnamese
    (rules/syllable_bigrams.tsv.gz, built by tools/build_bigrams.py)."""
    import gzip
    path = Path(__file__).resolve().parents[2] / "rules" / "syllable_bigrams.tsv.gz"
    if not path.is_file():
        return frozenset()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return frozenset(tuple(ln.split("\t")[:2]) for ln in f if not ln.startswith("#"))


def _valid_as_read(keys: list[str], index: dict, pairs: frozenset) -> list[bool]:
    """Each syllable that is valid in context as read: it forms a compound with a neighbour, or it
    follows or precedes its neighbour as in real text (bigrams)."""
    n = len(keys)
    ok = [False] * n
    for i in range(n - 1):
        two = (keys[i], keys[i + 1])
        if two in pairs or tuple(two) in index.get(" ".join(toneless(k) for k in two), ()):
            ok[i] = ok[i + 1] = True
    for i in range(n - 2):
        three = tuple(keys[i:i + 3])
        if three in index.get(" ".join(toneless(k) for k in three), ()):
            ok[i] = ok[i + 1] = ok[i + 2] = True
    return ok


def _take_along(words: list[str], index: dict, pairs: frozenset, doubted: list[bool] | None, valid: list[bool],
                named: list[bool]) -> list[tuple[int, tuple[str, str]]]:
    """Orphans that take their neighbour along: (first index, the pair's new syllables).

    A doubted syllable that pairs with neither neighbour ("chuyến" in "chuyến đối số") cannot be put right
    alone when the compound it belongs to needs its neighbour's tone too, and that neighbour stands only
    by its pairing on the far side ("đối số", a word of its own). Both change when exactly one tone reading
    of the two is a compound, the neighbour is doubted too, and its new form still follows (or precedes)
    its far neighbour as in real text ("đổi số"): the far side loses nothing and the orphan finds its word.
    A neighbour that follows (or precedes) its far word as administrative text does, as read ("tư ban" in
    "tự ban hành" is no pair, but "ban hành" is one), is held by that pairing: it stays. A word changed or
    leant on by one take is not used by another."""
    if not pairs:
        return []
    n, out, taken = len(words), [], set()
    keys = [tone_key(w) for w in words]
    for i in range(n):
        if valid[i] or named[i] or (doubted is not None and not doubted[i]) or i in taken:
            continue
        for j, far in ((i + 1, i + 2), (i - 1, i - 2)):
            if not (0 <= far < n) or not valid[j] or named[j] or j in taken or far in taken \
                    or (doubted is not None and not doubted[j]):
                continue
            if ((keys[j], keys[far]) if far > j else (keys[far], keys[j])) in pairs:
                continue        # the neighbour pairs with its far word in real text, as read: it is held
            a = min(i, j)
            read = keys[a:a + 2]
            fits = []
            for combo in index.get(" ".join(toneless(k) for k in read), ()):
                if combo[0] == read[0] or combo[1] == read[1]:
                    continue            # both must change: one alone is the ordinary repair's to make
                if not all(tone_of(c) == tone_of(r) or confusable(c, r) for c, r in zip(combo, read)):
                    continue
                new_j = combo[j - a]
                far_pair = (new_j, keys[far]) if far > j else (keys[far], new_j)
                if far_pair in pairs and tuple(combo) in pairs:
                    fits.append(tuple(combo))
            if len(fits) == 1:
                out.append((a, fits[0]))
                taken.update((a, a + 1, far))
                break
    return out


def repair_tones(text: str, doubted=None) -> tuple[str, int]:
    """The text with tone marks put right where a compound word needs them, and how many were changed.
    `doubted(start, end)` says whether the word at text[start:end] was read with a low confidence; only
    those may change (every word when None)."""
    text, total, _ = repair_tones_with_reasons(text, doubted)
    return text, total


def repair_tones_with_reasons(text: str, doubted=None) -> tuple[str, int, list[tuple[int, int, str]]]:
    """repair_tones, with the compounds the changes form as (start, end, compound) in the text."""
    index = lexicon()
    if index is None:
        return text, 0, []
    parts, last, total, reasons = [], 0, 0, []
    pairs = bigrams()
    for m in _RUN.finditer(text):
        words = m.group().split(" ")
        if len(words) < 2:
            continue
        starts, pos = [], m.start()
        for w in words:
            starts.append(pos)
            pos += len(w) + 1
        flags = [doubted(s, s + len(w)) for s, w in zip(starts, words)] if doubted is not None else None
        shouting = all(w.isupper() for w in words)
        valid = _valid_as_read([tone_key(w) for w in words], index, pairs)
        # a name, an abbreviation in capitals among lower-case words ("qua IOC"), a word valid as read
        named = [_is_name(text, s, w) or (w.isupper() and not shouting) for s, w in zip(starts, words)]
        locked = [n or v for n, v in zip(named, valid)]
        orphans = _take_along(words, index, pairs, flags, valid, named)
        for a, combo in orphans:
            words[a:a + 2] = [_cased(c, w) for c, w in zip(combo, words[a:a + 2])]
            locked[a] = locked[a + 1] = True
        fixed, changes, made = _repair_run(words, index, flags, locked)
        changes += 2 * len(orphans)
        made += [(a, a + 2, " ".join(combo)) for a, combo in orphans]
        if changes:
            parts += [text[last:m.start()], " ".join(fixed)]
            last = m.end()
            total += changes
            reasons += [(starts[a], starts[b - 1] + len(words[b - 1]), compound) for a, b, compound in made]
    parts.append(text[last:])
    return "".join(parts), total, reasons
