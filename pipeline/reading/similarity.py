"""Character similarity between a normalized text and a reference text (whitespace collapsed)."""
from __future__ import annotations

import regex


def collapse_ws(text: str) -> str:
    return regex.sub(r"\s+", " ", text).strip()


def char_similarity(a: str, b: str) -> float:
    """1 - normalized Levenshtein distance after collapsing whitespace (rapidfuzz Indel ratio)."""
    from rapidfuzz.distance import Levenshtein
    return Levenshtein.normalized_similarity(collapse_ws(a), collapse_ws(b))
