"""Sentence boundaries: underthesea's Vietnamese sentence splitter when installed, a regex otherwise.

underthesea knows abbreviations ("TS.", "TP.") that a plain ". + capital" rule splits at. Only its
offline sentence splitter is used here; classify, sentiment, lang_detect and dependency_parse would
download models and are never called.
"""
from __future__ import annotations

import logging
from functools import lru_cache

import regex

log = logging.getLogger(__name__)
_SENT_END = regex.compile(r"(?<=[.!?…])\s+(?=[\p{Lu}“\"(])")


@lru_cache(maxsize=1)
def _splitter():
    try:
        from underthesea import sent_tokenize
    except Exception as exc:           # noqa: BLE001 - any import problem means: use the fallback
        log.info("underthesea unavailable (%s); regex sentence splitter", exc)
        return None
    return sent_tokenize


def _regex_bounds(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for m in _SENT_END.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


@lru_cache(maxsize=4096)
def sentence_bounds(paragraph: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence of one paragraph (a line or a table cell)."""
    split = _splitter()
    if split is None or len(paragraph) < 40:
        return tuple(_regex_bounds(paragraph))
    bounds, pos = [], 0
    for sent in split(paragraph):
        i = paragraph.find(sent, pos)
        if i == -1:                    # the splitter changed the text: fall back
            return tuple(_regex_bounds(paragraph))
        bounds.append((i, i + len(sent)))
        pos = i + len(sent)
    return tuple(bounds) or ((0, len(paragraph)),)
