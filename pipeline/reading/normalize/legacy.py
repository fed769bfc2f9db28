"""Legacy Vietnamese 8-bit encodings (TCVN3/ABC, VNI) -> Unicode.

viparse carries validated charmaps; it is kept behind these two functions so that
the rest of kehoach never imports it directly.
"""
from __future__ import annotations

import logging
from functools import lru_cache

log = logging.getLogger(__name__)

LEGACY = ("tcvn3", "vni")


@lru_cache(maxsize=1)
def _charmaps() -> dict:
    from viparse.normalize.encodings import get_charmap
    return {name: get_charmap(name) for name in LEGACY}


def detect_legacy(text: str, fonts: list[str] | None = None) -> str | None:
    """Return 'tcvn3' / 'vni' when the text is legacy-encoded, else None.

    Font names (from PDF chars or DOCX runs) decide first; the text itself is the fallback.
    """
    from viparse.normalize.detector import detect_encoding, detect_encoding_by_content
    if fonts:
        found = detect_encoding(fonts)
        if found.encoding in LEGACY:
            return found.encoding
    sample = text[:20000]
    if not sample.strip():
        return None
    found = detect_encoding_by_content(sample, _charmaps())
    return found.encoding if found.encoding in LEGACY else None


def legacy_decode(text: str, encoding: str) -> str:
    """Convert TCVN3 or VNI text (read as Latin-1/cp1252 glyphs) to NFC Unicode."""
    from viparse.normalize.tables import convert
    return convert(text, _charmaps()[encoding], "NFC")
