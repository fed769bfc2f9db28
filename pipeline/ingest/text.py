"""Plain text, markdown and HTML: detect the encoding, keep the characters."""
from __future__ import annotations

import codecs

from ..errors import DecodeFailed
from ..model import Page
from ..normalize.legacy import detect_legacy, legacy_decode


def decode_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM), else Windows-1258; legacy TCVN3/VNI converted."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if len(data) > 3 and data[1:20:2].count(0) > 6:       # UTF-16 without BOM
        return data.decode("utf-16-le", errors="replace")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None:
        try:
            text = data.decode("cp1258")
        except UnicodeDecodeError as exc:
            raise DecodeFailed(f"text is neither UTF-8, UTF-16 nor Windows-1258: {exc}") from exc
        legacy = detect_legacy(data.decode("latin-1"))
        if legacy:
            return legacy_decode(data.decode("latin-1"), legacy)
        return text
    legacy = detect_legacy(text)
    return legacy_decode(text, legacy) if legacy else text


def read_text(data: bytes, suffix: str) -> list[Page]:
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
            and data[1:20:2].count(0) <= 6:
        raise DecodeFailed("file looks binary, not text")
    text = decode_bytes(data)
    pages = text.split("\f")
    return [Page(text=p) for p in pages]
