"""Counting the OCR repair's edits right and wrong against a true text (the scan suites, issue 23)."""
from __future__ import annotations

import bisect
import difflib

import regex

from pipeline.reading.ingest.lexicon import toneless
from pipeline.vi import tone_key


def _key(word: str) -> str:
    return tone_key(word).strip(".,;:()\"“”'!?`‘’")


def judge(source, truth: str) -> tuple[int, int]:
    """(right, wrong): an edit is right when its result is the true word(s) and wrong when the word(s)
    as read were; the raw reading of each page is aligned with the truth on letters without tones, so
    a tone repair can be judged. Edits that cannot be placed in the truth (a speck inside a run of
    noise) count as neither."""
    truth_keys = [_key(w) for w in truth.split()]
    bare_truth = [toneless(k) for k in truth_keys]
    right = wrong = 0
    for page in source.pages:
        if not page.edits:
            continue
        tokens = list(regex.finditer(r"\S+", page.raw_text))
        sm = difflib.SequenceMatcher(None, [toneless(_key(m.group())) for m in tokens], bare_truth, autojunk=False)
        at = {a + k: b + k for a, b, n in sm.get_matching_blocks() for k in range(n)}
        starts = [m.start() for m in tokens]
        for e in page.edits:
            i = bisect.bisect_right(starts, e.offset) - 1
            places = [at.get(i + k) for k in range(max(1, len(e.before.split())))]
            if None in places:
                continue
            true = " ".join(truth_keys[t] for t in places)
            if " ".join(_key(w) for w in e.after.split()) == true:
                right += 1
            elif " ".join(_key(w) for w in e.before.split()) == true:
                wrong += 1
    return right, wrong
